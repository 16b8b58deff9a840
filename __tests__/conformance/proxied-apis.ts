/**
 * Both APIs behind Prism, for end-to-end runs of the bundle:
 *
 *   action ─► front relay ─► Prism (Phrase description) ─► back relay ─► Phrase simulator
 *   action ─► front relay ─► Prism (GitHub subset)      ─► back relay ─► fake GitHub
 *
 * Prism starts once (≈2 s each); `attach()` points the back relays at a new pair of doubles for
 * each scenario. The front relays read Prism's `sl-violations` header off every answer, which
 * says which exchange broke the description; Prism's `Violation` log lines must tell the same
 * story, so nothing Prism found can go unseen. The CDN that serves `result.url` is not part of
 * the API and is reached directly.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type { FakeGitHub } from '../support/fake-github.js'
import type { PhraseSimulator } from '../support/phrase-simulator.js'
import { GITHUB_SPEC, startPrism, writePrismReadyPhraseSpec, type PrismProxy } from './prism.js'
import { startRelay, type Relay, type RelayedExchange } from './relay.js'

export type ApiName = 'phrase' | 'github'

/** One entry of Prism's `sl-violations` header, with the exchange it belongs to. */
export interface Violation {
  api: ApiName
  method: string
  /** Request path without the query, as the action sent it. */
  path: string
  status: number
  severity: 'Error' | 'Warning' | 'Information' | 'Hint'
  /** e.g. ['response', 'body', 'labels', '0', 'description'] or ['request', 'query', 'page']. */
  location: string[]
  code?: string | number
  message: string
}

export interface Exchange {
  api: ApiName
  method: string
  url: string
  status: number
}

export interface ConformanceReport {
  exchanges: Exchange[]
  violations: Violation[]
  /** Anything that makes the report untrustworthy: Prism failing, or a log it cannot explain. */
  problems: string[]
}

export interface ProxiedApis {
  /** The action's `api-url`: the proxy root, since Prism matches paths without `/v2`. */
  readonly phraseUrl: string
  /** The action's `GITHUB_API_URL`. */
  readonly githubUrl: string
  /** Routes both proxies to these doubles and starts a new report. */
  attach(sim: PhraseSimulator, gh: FakeGitHub): void
  /** Everything since `attach()`, once Prism's log has caught up with the exchanges. */
  collect(): Promise<ConformanceReport>
  stop(): Promise<void>
}

interface Lane {
  api: ApiName
  front: Relay
  prism: PrismProxy
  back: Relay
}

/** Nowhere: until `attach()`, a request through a proxy fails loudly. */
const UNATTACHED = 'http://127.0.0.1:9'
const LOG_CATCH_UP_MS = 5000

export async function startProxiedApis(): Promise<ProxiedApis> {
  const specDir = await mkdtemp(path.join(os.tmpdir(), 'prism-specs-'))
  const started: Array<{ stop(): Promise<void> }> = []
  try {
    const phraseSpec = await writePrismReadyPhraseSpec(specDir)
    const lane = async (api: ApiName, spec: string): Promise<Lane> => {
      const back = await startRelay(UNATTACHED)
      started.push(back)
      const prism = await startPrism(spec, back.origin)
      started.push(prism)
      const front = await startRelay(prism.origin)
      started.push(front)
      return { api, front, prism, back }
    }
    const [phrase, github] = await Promise.all([
      lane('phrase', phraseSpec),
      lane('github', GITHUB_SPEC)
    ])
    const lanes = [phrase, github]
    return {
      phraseUrl: phrase.front.origin,
      githubUrl: github.front.origin,
      attach(sim, gh) {
        phrase.back.target = sim.apiUrl
        github.back.target = gh.apiUrl
        // `Link` headers must name the host the action talks to, or it refuses the next page.
        sim.publicApiUrl = phrase.front.origin
        for (const { front, prism, back } of lanes) {
          front.clear()
          prism.clear()
          back.clear()
        }
      },
      async collect() {
        const reports = await Promise.all(lanes.map(collectLane))
        return {
          exchanges: reports.flatMap(report => report.exchanges),
          violations: reports.flatMap(report => report.violations),
          problems: reports.flatMap(report => report.problems)
        }
      },
      async stop() {
        await Promise.all(started.map(item => item.stop()))
        await rm(specDir, { recursive: true, force: true })
      }
    }
  } catch (error) {
    await Promise.all(started.map(item => item.stop()))
    await rm(specDir, { recursive: true, force: true })
    throw error
  }
}

async function collectLane(lane: Lane): Promise<ConformanceReport> {
  const seen = lane.front.exchanges()
  const violations = seen.flatMap(exchange => headerViolations(lane.api, exchange))
  const expectedLines = violations.map(logText).sort()
  // Prism writes its log from another process: wait until it shows every answer and violation.
  const deadline = Date.now() + LOG_CATCH_UP_MS
  const answered = () =>
    lane.prism.log().filter(line => /Received forward response|Request terminated/.test(line))
      .length
  while (
    Date.now() < deadline &&
    (answered() < seen.length || lane.prism.loggedViolations().length < violations.length)
  )
    await new Promise(resolve => setTimeout(resolve, 20))
  await new Promise(resolve => setTimeout(resolve, 50))

  const problems: string[] = []
  const where = `${lane.api} proxy`
  const logged = lane.prism
    .loggedViolations()
    .map(v => v.text)
    .sort()
  if (JSON.stringify(logged) !== JSON.stringify(expectedLines))
    problems.push(
      `${where}: Prism's log and its sl-violations headers disagree:\n  log:     ${JSON.stringify(logged)}\n  headers: ${JSON.stringify(expectedLines)}`
    )
  for (const line of lane.prism.log())
    if (/✖\s+(error|fatal)/.test(line) && !/Violation:/.test(line))
      problems.push(`${where}: ${line.trim()}`)
  for (const exchange of seen) {
    if (exchange.status === 0)
      problems.push(`${where}: ${exchange.method} ${exchange.url} got no answer from Prism`)
    if (String(exchange.responseHeaders['content-type']).includes('application/problem+json'))
      problems.push(`${where}: Prism answered ${exchange.method} ${exchange.url} itself`)
  }
  const forwarded = lane.back.exchanges().length
  if (forwarded !== seen.length)
    problems.push(`${where}: ${seen.length} request(s) reached Prism, ${forwarded} the double`)

  return {
    exchanges: seen.map(({ method, url, status }) => ({ api: lane.api, method, url, status })),
    violations,
    problems
  }
}

function headerViolations(api: ApiName, exchange: RelayedExchange): Violation[] {
  const header = exchange.responseHeaders['sl-violations']
  if (header === undefined) return []
  const entries = JSON.parse(Array.isArray(header) ? header.join(',') : header) as Array<
    Pick<Violation, 'location' | 'severity' | 'code' | 'message'>
  >
  const pathOnly = exchange.url.split('?')[0]
  return entries.map(entry => ({
    api,
    method: exchange.method,
    path: pathOnly,
    status: exchange.status,
    severity: entry.severity,
    location: entry.location,
    ...(entry.code !== undefined ? { code: entry.code } : {}),
    message: entry.message
  }))
}

/** How Prism logs a violation: `Violation: <location joined by dots> <message>`. */
function logText(violation: Violation): string {
  return `${violation.location.join('.')} ${violation.message}`.trim()
}
