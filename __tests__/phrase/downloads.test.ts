import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  DEFAULT_MAX_BYTES,
  DownloadError,
  downloadAll,
  type DownloadOptions
} from '../../src/phrase/downloads.js'
import type { Logger } from '../../src/logger.js'
import type { DownloadRequest } from '../../src/phrase/types.js'
import { FakeClock } from './fake-clock.js'
import { FakePhrase, type FakeRateLimit, type LocaleScript } from './fake-phrase.js'

let tempDir: string
beforeEach(async () => {
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'phrase-downloads-test-'))
})
afterEach(async () => {
  await rm(tempDir, { recursive: true, force: true })
})

function recordingLogger() {
  const lines: Array<[string, string]> = []
  const logger: Logger = {
    info: m => lines.push(['info', m]),
    warning: m => lines.push(['warning', m]),
    debug: m => lines.push(['debug', m]),
    startGroup: n => lines.push(['group', n]),
    endGroup: () => lines.push(['endgroup', ''])
  }
  return {
    logger,
    lines,
    of: (kind: string) => lines.filter(([k]) => k === kind).map(([, m]) => m)
  }
}

const request = (
  localeId: string,
  label = `${localeId} (config/locales/${localeId}.yml)`
): DownloadRequest => ({
  label,
  projectId: 'p1',
  localeId,
  params: { file_format: 'yml' }
})

function setup(
  scripts: Record<string, LocaleScript>,
  phraseOptions: { writeScope?: boolean; rateLimit?: FakeRateLimit } = {}
) {
  const clock = new FakeClock()
  const phrase = new FakePhrase(clock, scripts, phraseOptions)
  const log = recordingLogger()
  const run = (requests: DownloadRequest[], options: Partial<DownloadOptions> = {}) =>
    clock.runUntilSettled(
      downloadAll(phrase, requests, {
        timeoutMs: 600_000,
        tempDir,
        logger: log.logger,
        clock,
        ...options
      }),
      phrase.busy
    )
  return { clock, phrase, log, run }
}

describe('downloadAll', () => {
  it('starts every job at once and returns the files in request order, under generated names', async () => {
    const { clock, phrase, run } = setup({
      de: { durationMs: 3000, content: 'de: Hallo\n' },
      fr: { durationMs: 500, content: 'fr: Bonjour\n' },
      it: { durationMs: 1500, content: 'it: Ciao\n' }
    })
    const startedAt = clock.now()
    const requests = [request('de', '../../etc/passwd'), request('fr'), request('it')]
    const files = await run(requests)

    expect(phrase.calls.slice(0, 3).map(c => [c.op, c.at - startedAt])).toEqual([
      ['create', 0],
      ['create', 0],
      ['create', 0]
    ])
    expect(files.map(f => f.request)).toEqual(requests)
    expect(await Promise.all(files.map(f => readFile(f.file, 'utf8')))).toEqual([
      'de: Hallo\n',
      'fr: Bonjour\n',
      'it: Ciao\n'
    ])
    expect(files.map(f => f.bytes)).toEqual([10, 12, 9])
    for (const file of files) {
      expect(path.relative(tempDir, file.file)).toMatch(/^phrase-downloads-\w+\/\d{4}\.download$/)
    }
    // The slowest job decides: with room in the budget (none reported here) a job is checked
    // every 150 ms or 5 % of its age, whichever is longer, so its end is seen within 150 ms.
    const elapsed = clock.now() - startedAt
    expect(elapsed).toBeGreaterThanOrEqual(3000)
    expect(elapsed).toBeLessThanOrEqual(3000 + 150)
    expect(phrase.count('show', 'de')).toBeLessThanOrEqual(3000 / 150 + 1)
    expect(phrase.count('show', 'fr')).toBeLessThanOrEqual(500 / 150 + 1)
    expect(clock.pendingTimers()).toBe(0)
  })

  it("fails as a whole, naming each failed file with Phrase's reason, and removes every file", async () => {
    const { run } = setup({
      de: { durationMs: 500 },
      fr: { durationMs: 800, jobError: 'Unsupported format option "x"' },
      it: { durationMs: 800, jobError: 'Unsupported format option "x"' },
      nl: { createStatus: { status: 422, message: 'Validation failed' } }
    })
    const error = (await run([request('de'), request('fr'), request('it'), request('nl')]).catch(
      e => e
    )) as DownloadError
    expect(error).toBeInstanceOf(DownloadError)
    expect(error.message).toMatch(/failed for 3 of 4 file\(s\)/)
    expect(error.message).toContain(
      '- fr (config/locales/fr.yml), it (config/locales/it.yml) (2 files): Phrase could not export the file: Unsupported format option "x"'
    )
    expect(error.message).toMatch(/- nl \(config\/locales\/nl\.yml\): .*422/)
    expect(error.message).not.toContain('de (')
    expect(error.failures.map(f => f.label).sort()).toEqual([
      'fr (config/locales/fr.yml)',
      'it (config/locales/it.yml)',
      'nl (config/locales/nl.yml)'
    ])
    expect(await readdir(tempDir)).toEqual([])
  })

  it('times out naming the unfinished files, aborting requests in flight and leaving no timer', async () => {
    const { clock, phrase, run } = setup({
      de: { durationMs: 1000 },
      fr: { durationMs: 10_000_000 },
      it: { durationMs: 500, hangingFetch: true }
    })
    const startedAt = clock.now()
    const error = (await run([request('de'), request('fr'), request('it')], {
      timeoutMs: 30_000
    }).catch(e => e)) as Error
    expect(error).toBeInstanceOf(DownloadError)
    expect(error.message).toBe(
      'Downloading from Phrase timed out after 30 s; unfinished: fr (config/locales/fr.yml), it (config/locales/it.yml)'
    )
    expect(clock.now() - startedAt).toBe(30_000)
    const itFetch = phrase.calls.findIndex(c => c.op === 'fetch' && c.localeId === 'it')
    expect(phrase.signals[itFetch].aborted).toBe(true)
    expect(clock.pendingTimers()).toBe(0)
    expect(await readdir(tempDir)).toEqual([])
  })

  it('starts a new job when the old one expired (410 on status, 403 from the CDN)', async () => {
    const { phrase, run } = setup({
      de: { durationMs: 400, expiredShows: 1 },
      fr: { durationMs: 400, expiredFetches: 1 }
    })
    const files = await run([request('de'), request('fr')])
    expect(files).toHaveLength(2)
    expect(phrase.count('create', 'de')).toBe(2)
    expect(phrase.count('create', 'fr')).toBe(2)
    expect(phrase.count('fetch', 'fr')).toBe(2)
  })

  it('gives up on a job that keeps expiring after a bounded number of restarts', async () => {
    const { phrase, run } = setup({ de: { durationMs: 400, expiredShows: 100 } })
    const error = (await run([request('de')], { maxRestarts: 3 }).catch(e => e)) as Error
    expect(error.message).toMatch(/de \(config\/locales\/de\.yml\): the download expired 4 times/)
    expect(phrase.count('create')).toBe(4)
  })

  it('falls back to the sync endpoint for the whole run when the token lacks the write scope, warning once', async () => {
    const { phrase, log, run } = setup(
      { de: { content: 'de sync\n' }, fr: {}, it: {} },
      { writeScope: false }
    )
    const files = await run([request('de'), request('fr'), request('it')])
    expect(await readFile(files[0].file, 'utf8')).toBe('de sync\n')
    expect(phrase.count('sync')).toBe(3)
    // This fake answers at once: all three creates were out before the first refusal. Creates
    // still waiting for a slot are called off (downloads-sim.test.ts, with the real limiter).
    expect(phrase.count('create')).toBeLessThanOrEqual(3)
    expect(phrase.count('show')).toBe(0)
    expect(log.of('warning')).toHaveLength(1)
    expect(log.of('warning')[0]).toContain('`write` scope')
  })

  it('falls back on any 403 from create, whatever Phrase wrote in it', async () => {
    const { phrase, log, run } = setup({
      de: { createStatus: { status: 403, message: 'Forbidden' } },
      fr: { durationMs: 5000 }
    })
    const files = await run([request('de'), request('fr')])
    expect(files).toHaveLength(2)
    // fr's job had already started; it finishes asynchronously.
    expect(phrase.count('sync', 'de')).toBe(1)
    expect(phrase.count('show', 'fr')).toBeGreaterThan(0)
    expect(log.of('warning')).toHaveLength(1)
    expect(log.of('warning')[0]).toMatch(/403: Forbidden.*`write` scope/)
  })

  it('stops the other downloads when the sync endpoint refuses too', async () => {
    const { phrase, run } = setup({
      de: {
        createStatus: { status: 403, message: 'Forbidden' },
        syncStatus: { status: 403, message: 'no access to this project' }
      },
      fr: { durationMs: 5000 }
    })
    const error = (await run([request('de'), request('fr')]).catch(e => e)) as Error
    expect(error.message).toMatch(
      /- de \(config\/locales\/de\.yml\): Phrase refused .*403.*no access to this project/
    )
    expect(error.message).toMatch(/fr \(config\/locales\/fr\.yml\)/)
    expect(phrase.count('show', 'fr')).toBeLessThanOrEqual(1)
  })

  it('limits each file to 100 MiB (GitHub refuses larger files) unless told otherwise', async () => {
    const { phrase, run } = setup({ de: { durationMs: 100 } })
    await run([request('de')])
    await run([request('de')], { maxBytes: 1234 })
    expect(phrase.calls.filter(c => c.op === 'fetch').map(c => c.maxBytes)).toEqual([
      DEFAULT_MAX_BYTES,
      1234
    ])
    expect(DEFAULT_MAX_BYTES).toBe(100 * 1024 * 1024)
  })

  it('logs in one group: a line per finished file and a summary every 5 s, not a line per check', async () => {
    const { log, run } = setup({ de: { durationMs: 500 }, slow: { durationMs: 12_000 } })
    await run([request('de'), request('slow')])
    expect(log.of('group')).toEqual(['Downloading 2 files from Phrase'])
    expect(log.of('endgroup')).toHaveLength(1)
    expect(log.lines.at(-1)?.[0]).toBe('endgroup')
    const info = log.of('info')
    expect(info.filter(m => m.startsWith('de (config/locales/de.yml): '))).toHaveLength(1)
    expect(info.filter(m => m.startsWith('slow (config/locales/slow.yml): '))).toHaveLength(1)
    const summaries = info.filter(m => m.includes('pending:'))
    expect(summaries).toEqual([
      '1/2 done after 5.0 s; pending: slow (config/locales/slow.yml)',
      '1/2 done after 10.0 s; pending: slow (config/locales/slow.yml)'
    ])
    expect(info.at(-1)).toMatch(
      /^2 file\(s\) in \d+\.\d s; \d+ Phrase request\(s\) \(\d+\.\d per file\)/
    )
    expect(info).toHaveLength(5)
  })

  it('does nothing for no requests', async () => {
    const { phrase, log, run } = setup({})
    await expect(run([])).resolves.toEqual([])
    expect(phrase.calls).toHaveLength(0)
    expect(log.lines).toHaveLength(0)
  })
})

/** `count` locales l00, l01, … whose jobs take 0.5–3 s, spread evenly. */
function spread(count: number, extra: LocaleScript = {}): Record<string, LocaleScript> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `l${String(i).padStart(2, '0')}`,
      { durationMs: Math.round(500 + (2500 * i) / Math.max(1, count - 1)), ...extra }
    ])
  )
}

describe('downloadAll: job states', () => {
  it('ends a job whose status is neither processing nor completed at once, with Phrase’s error text', async () => {
    const { clock, phrase, run } = setup({
      de: { durationMs: 400 },
      fr: { durationMs: 700, finalStatus: 'canceled', jobError: 'Export canceled by an admin' }
    })
    const startedAt = clock.now()
    const error = (await run([request('de'), request('fr')]).catch(e => e)) as DownloadError
    expect(error).toBeInstanceOf(DownloadError)
    expect(error.message).toContain(
      '- fr (config/locales/fr.yml): Phrase could not export the file (job status "canceled"): Export canceled by an admin'
    )
    // Seen at the first check after the job left `processing`, not after the 600 s timeout.
    expect(clock.now() - startedAt).toBeLessThan(1000)
    expect(phrase.count('show', 'fr')).toBeLessThanOrEqual(700 / 150 + 1)
  })
})

describe('downloadAll: identical failures', () => {
  it('names files that failed alike in one line, with their count and at most ten of them', async () => {
    const scripts = spread(25, { jobError: 'Unknown format option "indent"' })
    const { run } = setup(scripts)
    const labels = Object.keys(scripts)
    const error = (await run(labels.map(id => request(id, id))).catch(e => e)) as DownloadError
    expect(error.message.split('\n')).toEqual([
      'Downloading from Phrase failed for 25 of 25 file(s):',
      `- ${labels.slice(0, 10).join(', ')} and 15 more (25 files): Phrase could not export the file: Unknown format option "indent"`
    ])
    expect(error.failures).toHaveLength(25)
  })

  it('gives a 404 for many locales one line too: the cause does not name the locale', async () => {
    const scripts = spread(12, { createStatus: { status: 422, message: 'Validation failed' } })
    const { run } = setup(scripts)
    const error = (await run(Object.keys(scripts).map(id => request(id))).catch(e => e)) as Error
    expect(error.message.split('\n')).toHaveLength(2)
    expect(error.message).toMatch(/and 2 more \(12 files\): .*422/)
  })
})

describe('downloadAll: the rate budget', () => {
  const FIVE_MINUTES = 300_000

  it('with room, sees the slowest job end within 150 ms at fewer than 8 requests per file', async () => {
    const scripts = spread(30)
    const { clock, phrase, run } = setup(scripts, {
      rateLimit: { limit: 1000, windowMs: FIVE_MINUTES }
    })
    const startedAt = clock.now()
    await run(Object.keys(scripts).map(id => request(id)))
    expect(clock.now() - startedAt).toBeLessThanOrEqual(3000 + 150)
    expect(phrase.stats().requests / 30).toBeLessThan(8)
    expect(phrase.overLimit).toBe(0)
  })

  it('with 100 requests per window, 30 files finish in that window, checked less often', async () => {
    const scripts = spread(30)
    const { clock, phrase, run } = setup(scripts, {
      rateLimit: { limit: 100, windowMs: FIVE_MINUTES }
    })
    const startedAt = clock.now()
    const files = await run(Object.keys(scripts).map(id => request(id)))
    expect(files).toHaveLength(30)
    expect(phrase.overLimit).toBe(0)
    expect(phrase.stats().requests).toBeLessThanOrEqual(100)
    // Slower than with room, but seconds, not the next window.
    expect(clock.now() - startedAt).toBeLessThan(20_000)
  })

  it('waits for the next window when the budget is spent, without sending a request over it', async () => {
    const scripts = spread(10, { durationMs: 20_000 })
    const { clock, phrase, run } = setup(scripts, { rateLimit: { limit: 30, windowMs: 60_000 } })
    const startedAt = clock.now()
    await run(Object.keys(scripts).map(id => request(id)))
    expect(phrase.overLimit).toBe(0)
    expect(clock.now() - startedAt).toBeGreaterThanOrEqual(20_000)
    expect(clock.now() - startedAt).toBeLessThan(60_000 + 5000)
  })

  it('refuses before the first export when the files cannot fit in the timeout, saying how long they need', async () => {
    const scripts = spread(80)
    const { phrase, run } = setup(scripts, { rateLimit: { limit: 100, windowMs: FIVE_MINUTES } })
    // The fake clock starts 100 s before a window boundary: 100 left now, 100 more after 100 s.
    const error = (await run(
      Object.keys(scripts).map(id => request(id)),
      {
        timeoutMs: 60_000
      }
    ).catch(e => e)) as Error
    expect(error.name).toBe('RateBudgetError')
    expect(error.message).toMatch(
      /allows this token 100 requests per 5 minutes .*80 file\(s\) need at least 160 requests .*needs about \d+ minutes: raise `timeout` to \d+/
    )
    expect(phrase.calls).toEqual([])
  })

  it('fails as soon as the budget is spent until after the deadline, not at the timeout', async () => {
    const scripts = spread(15, { durationMs: 50_000 })
    const { clock, phrase, run } = setup(scripts, {
      rateLimit: { limit: 100, windowMs: FIVE_MINUTES }
    })
    // After 20 checks another run with the same token spends the window; it resets in 100 s (the
    // fake clock starts 100 s before a window boundary), after the 60 s deadline.
    const check = phrase.showDownload.bind(phrase)
    let checks = 0
    phrase.showDownload = (...args) => {
      const answer = check(...args) // counted at once
      if (++checks === 20) phrase.spendWindowElsewhere()
      return answer
    }
    const error = (await run(
      Object.keys(scripts).map(id => request(id)),
      {
        timeoutMs: 60_000
      }
    ).catch(e => e)) as Error
    expect(error.message).toMatch(
      /rate limit for this token \(100 requests per 5 minutes\) is spent/
    )
    expect(error.message).toMatch(/raise `timeout`/)
    expect(error.message.split('\n')).toHaveLength(2) // one line for all 15 files
    const spentAt = phrase.calls.filter(c => c.op === 'show')[19].at
    expect(clock.now() - spentAt).toBeLessThan(5000) // not at the deadline
    expect(phrase.overLimit).toBe(0)
  })
})
