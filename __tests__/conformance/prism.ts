/**
 * Prism 5.14.2 (`@stoplight/prism-cli`, a devDependency) as a validating proxy: one child process
 * per API description, started without `--errors` so every exchange is forwarded unchanged and
 * each problem is only reported — as a `Violation` log line and in the `sl-violations` header.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The official API descriptions, vendored with their licences (see the READMEs in specs/phrase and specs/github). */
export const PHRASE_SPEC = path.join(REPO_ROOT, 'specs/phrase/compiled.json')
export const GITHUB_SPEC = path.join(REPO_ROOT, 'specs/github/api.github.com.subset.json')

const PRISM_BIN = path.join(REPO_ROOT, 'node_modules/@stoplight/prism-cli/dist/index.js')
const STARTUP_TIMEOUT_MS = 60_000

/** One `Violation` line of Prism's log. */
export interface LoggedViolation {
  level: 'error' | 'warning' | 'info'
  /** The text after `Violation: `, e.g. `response.body must have required property 'id'`. */
  text: string
}

export interface PrismProxy {
  readonly origin: string
  /** Violation lines logged since the last `clear()`. */
  loggedViolations(): LoggedViolation[]
  /** Every log line since the last `clear()` (for failure messages). */
  log(): string[]
  clear(): void
  stop(): Promise<void>
}

/**
 * Prism 5.14.2 crashes while loading the Phrase description: the sync download declares its
 * response media type as `*`. Writes a copy to `dir` in which that one media type reads `*`+`/*`
 * and nothing else changes; the vendored original is never touched.
 */
export async function writePrismReadyPhraseSpec(dir: string): Promise<string> {
  const text = await readFile(PHRASE_SPEC, 'utf8')
  const spec = JSON.parse(text) as {
    paths: Record<string, Record<string, { responses?: Record<string, { content?: object }> }>>
  }
  let fixed = 0
  for (const operations of Object.values(spec.paths))
    for (const operation of Object.values(operations))
      for (const response of Object.values(operation.responses ?? {})) {
        const content = response.content as Record<string, unknown> | undefined
        if (content && '*' in content) {
          content['*/*'] = content['*']
          delete content['*']
          fixed++
        }
      }
  if (fixed !== 1) throw new Error(`expected one '*' media type in ${PHRASE_SPEC}, found ${fixed}`)
  const copy = path.join(dir, 'phrase-compiled.prism.json')
  await writeFile(copy, JSON.stringify(spec))
  return copy
}

/** A port that was free a moment ago (Prism needs a number; it cannot report one it picked). */
async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  await new Promise<void>(resolve => server.close(() => resolve()))
  if (address === null || typeof address === 'string') throw new Error('no port')
  return address.port
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g
const VIOLATION = /(error|warning|info)\s+Violation: (.*)$/

export function parseViolation(line: string): LoggedViolation | undefined {
  const match = VIOLATION.exec(line.replace(ANSI, ''))
  return match ? { level: match[1] as LoggedViolation['level'], text: match[2].trim() } : undefined
}

/**
 * Starts `prism proxy <spec> <upstream>` on a free local port; resolves once it listens. The port
 * is picked before Prism binds it, so another process may take it first: then it tries again.
 */
export async function startPrism(
  spec: string,
  upstream: string,
  attempts = 3
): Promise<PrismProxy> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startPrismOnce(spec, upstream, await freePort())
    } catch (error) {
      if (attempt >= attempts || !/EADDRINUSE/.test(String(error))) throw error
    }
  }
}

async function startPrismOnce(spec: string, upstream: string, port: number): Promise<PrismProxy> {
  const child = spawn(
    process.execPath,
    [PRISM_BIN, 'proxy', spec, upstream, '--host', '127.0.0.1', '--port', String(port)].concat(
      // Without CORS headers the answers the action gets are the double's own, byte for byte.
      ['--cors=false']
    ),
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } }
  )
  let lines: string[] = []
  let pending = ''
  let stderr = ''
  const listening = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`Prism did not start within ${STARTUP_TIMEOUT_MS} ms: ${stderr}`)),
      STARTUP_TIMEOUT_MS
    )
    child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8')
      const complete = pending.split('\n')
      pending = complete.pop() ?? ''
      for (const line of complete) {
        const clean = line.replace(ANSI, '')
        if (clean.includes('Prism is listening on')) {
          clearTimeout(timer)
          resolve()
        } else if (clean.includes('[CLI]'))
          continue // the start-up list of every operation
        else lines.push(clean)
      }
    })
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.once('exit', code => {
      clearTimeout(timer)
      reject(new Error(`Prism exited (${code}) before listening: ${stderr.slice(-2000)}`))
    })
  })
  try {
    await listening
  } catch (error) {
    await stopChild(child)
    throw error
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    loggedViolations: () => lines.flatMap(line => parseViolation(line) ?? []),
    log: () => [...lines],
    clear: () => {
      lines = []
    },
    stop: () => stopChild(child)
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>(resolve => child.once('exit', () => resolve()))
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
  await exited
  clearTimeout(timer)
}
