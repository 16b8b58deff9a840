/**
 * The client and the download orchestration against the Phrase simulator: real HTTP, real time,
 * the service's limits and faults. Unit tests cover the logic; this shows the pieces fit.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createPhraseClient } from '../../src/phrase/client.js'
import { DownloadError, downloadAll } from '../../src/phrase/downloads.js'
import type { Logger } from '../../src/logger.js'
import type { DownloadRequest, PhraseLocale } from '../../src/phrase/types.js'
import { PhraseSimulator, type SimulatorOptions } from '../support/phrase-simulator.js'

const TOKEN = 'phrase-test-token'
const READ_TOKEN = 'read-only-token'
const USER_AGENT = 'phrase-pull-test/1.0'
const NAMES = ['de', 'fr', 'it', 'es', 'nl', 'pl', 'pt', 'sv', 'da', 'fi', 'cs', 'hu']

let sim: PhraseSimulator | undefined
let tempDir: string

beforeEach(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'phrase-sim-test-'))
})
afterEach(async () => {
  await sim?.stop()
  sim = undefined
  await rm(tempDir, { recursive: true, force: true })
})

async function start(
  options: Partial<SimulatorOptions> = {},
  count = NAMES.length
): Promise<PhraseSimulator> {
  const names = NAMES.slice(0, count)
  sim = await PhraseSimulator.start({
    tokens: { write: [TOKEN], read: [READ_TOKEN] },
    projects: {
      p1: {
        locales: names.map((name, i) => ({ id: `loc${i}`, name, code: name, default: i === 0 })),
        translations: Object.fromEntries(
          names.map(name => [name, { 'greeting.hello': `hello-${name}` }])
        )
      }
    },
    latencyMs: 10,
    ...options
  })
  return sim
}

function logger() {
  const lines: string[] = []
  const warnings: string[] = []
  const log: Logger = {
    info: m => lines.push(m),
    warning: m => warnings.push(m),
    debug: () => undefined,
    startGroup: n => lines.push(`::group::${n}`),
    endGroup: () => lines.push('::endgroup::')
  }
  return { log, lines, warnings }
}

function requestsFor(locales: PhraseLocale[]): DownloadRequest[] {
  return locales.map(locale => ({
    label: `${locale.name} (config/locales/${locale.name}.yml)`,
    projectId: 'p1',
    localeId: locale.id,
    params: { file_format: 'yml' }
  }))
}

function client(simulator: PhraseSimulator, token = TOKEN, maxConcurrency = 4) {
  return createPhraseClient({
    apiUrl: simulator.apiUrl,
    token,
    userAgent: USER_AGENT,
    maxConcurrency
  })
}

describe('downloads against the Phrase simulator', () => {
  it('pulls every locale in about the time of the slowest job, politely and without leaking the token', async () => {
    const durations = new Map(NAMES.map((name, i) => [name, 500 + i * 100])) // 0.5–1.6 s
    const simulator = await start({ jobDurationMs: name => durations.get(name)! })
    const phrase = client(simulator)
    const { log, lines } = logger()
    const startedAt = Date.now()
    const locales = await phrase.listLocales('p1')
    const files = await downloadAll(phrase, requestsFor(locales), {
      timeoutMs: 60_000,
      tempDir,
      logger: log
    })
    const elapsed = Date.now() - startedAt

    expect(files.map(f => f.request.localeId)).toEqual(locales.map(l => l.id))
    for (const [i, file] of files.entries()) {
      expect(await readFile(file.file, 'utf8')).toContain(`hello-${locales[i].name}`)
    }
    const stats = simulator.stats()
    expect(stats.count429).toBe(0)
    expect(stats.peakConcurrency).toBeLessThanOrEqual(4)
    // With room in the budget a job is checked at most every 150 ms: a create and at most
    // 1.6 s / 150 ms checks per locale, nothing like a check per round trip.
    expect(stats.apiRequestCount / NAMES.length).toBeLessThanOrEqual(1 + 1600 / 150 + 1)
    expect(
      stats.requests.every(r => r.authorization === `token ${TOKEN}` && r.userAgent === USER_AGENT)
    ).toBe(true)
    expect(stats.cdnRequests).toHaveLength(NAMES.length)
    expect(stats.cdnRequests.every(r => r.authorization === undefined)).toBe(true)
    // Slowest job 1.6 s; generous bound for a loaded machine, still far below a 5 s poll.
    expect(elapsed).toBeLessThan(1600 + 2500)
    expect(lines[0]).toBe(`::group::Downloading ${NAMES.length} files from Phrase`)
    expect(lines.join('\n')).not.toContain(TOKEN)
  })

  it('rides out 5xx, resets, truncation and expiry, and restarts expired jobs', async () => {
    const simulator = await start({ jobDurationMs: 300 }, 4)
    simulator.faults
      .add({ on: 'show', status: 503 })
      .add({ on: 'create', locale: 'fr', kind: 'reset' })
      .add({ on: 'cdn', locale: 'it', kind: 'truncate' })
      .add({ on: 'show', locale: 'es', kind: 'expire' })
      .add({ on: 'cdn', locale: 'de', kind: 'expire' })
    const phrase = client(simulator)
    const locales = await phrase.listLocales('p1')
    const files = await downloadAll(phrase, requestsFor(locales), { timeoutMs: 60_000, tempDir })
    for (const [i, file] of files.entries()) {
      expect(await readFile(file.file, 'utf8')).toContain(`hello-${locales[i].name}`)
    }
    const perLocale = simulator.stats().perLocale
    expect(perLocale.es.creates).toBe(2)
    expect(perLocale.de.creates).toBe(2)
    expect(phrase.stats().retries).toBeGreaterThanOrEqual(3)
  })

  it('fails naming the locale whose job failed, and the cause', async () => {
    const simulator = await start({ jobDurationMs: 200 }, 3)
    simulator.faults.add({
      on: 'create',
      locale: 'fr',
      kind: 'jobError',
      body: 'Rendering failed for key greeting.hello'
    })
    const phrase = client(simulator)
    const locales = await phrase.listLocales('p1')
    const error = (await downloadAll(phrase, requestsFor(locales), {
      timeoutMs: 60_000,
      tempDir
    }).catch(e => e)) as Error
    expect(error).toBeInstanceOf(DownloadError)
    expect(error.message).toContain(
      'fr (config/locales/fr.yml): Phrase could not export the file: Rendering failed for key greeting.hello'
    )
    expect(error.message).not.toContain('de (')
  })

  it('stays under the rate limit: at most one 429 per window', async () => {
    const windowMs = 1000
    const simulator = await start({ jobDurationMs: 300, rateLimit: { limit: 10, windowMs } }, 8)
    const phrase = client(simulator)
    const startedAt = Date.now()
    const locales = await phrase.listLocales('p1')
    const files = await downloadAll(phrase, requestsFor(locales), { timeoutMs: 60_000, tempDir })
    const windows = Math.ceil((Date.now() - startedAt) / windowMs) + 1
    expect(files).toHaveLength(8)
    expect(simulator.stats().count429).toBeLessThanOrEqual(windows)
  })

  it('falls back to the sync endpoint with a read-only token, warning once, refusing at most max-concurrency creates', async () => {
    const simulator = await start({ jobDurationMs: 200 })
    const phrase = client(simulator, READ_TOKEN)
    const { log, warnings } = logger()
    const locales = await phrase.listLocales('p1')
    const files = await downloadAll(phrase, requestsFor(locales), {
      timeoutMs: 60_000,
      tempDir,
      logger: log
    })
    for (const [i, file] of files.entries()) {
      expect(await readFile(file.file, 'utf8')).toContain(`hello-${locales[i].name}`)
    }
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('`write` scope')
    const perLocale = Object.values(simulator.stats().perLocale)
    expect(perLocale).toHaveLength(NAMES.length)
    expect(perLocale.every(l => l.syncs === 1)).toBe(true)
    // Decided at the first refusal: the creates still waiting for a slot were called off, so
    // only those already on their way were refused, not one per locale.
    const refused = perLocale.reduce((sum, l) => sum + l.creates, 0)
    expect(refused).toBeGreaterThanOrEqual(1)
    expect(refused).toBeLessThanOrEqual(4)
  })
})
