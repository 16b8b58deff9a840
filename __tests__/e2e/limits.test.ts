/**
 * Issue 4 end to end on the bundle: parallel downloads under Phrase's limits. A small rate-limit
 * window, a concurrency limit below max-concurrency, 5xx answers and expired results must all end
 * in the same files, without hammering the API (429s per window, peak concurrency).
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import type { SimulatorOptions } from '../support/phrase-simulator.js'
import { renderLocaleFile } from '../support/phrase-render.js'
import { annotations, startWorld, type World } from '../support/world.js'
import { scanAndStop } from '../support/expect-run.js'

const BRANCH = 'phrase/translations'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

const names = (count: number) =>
  Array.from({ length: count }, (_, i) => `l${String(i).padStart(2, '0')}`)

/** A project with `count` locales; the simulator's clock is recorded to place requests in windows. */
function manyLocales(count: number, extra: Partial<SimulatorOptions> = {}) {
  const clock = { startedAt: 0 }
  const sim: Partial<SimulatorOptions> = {
    projects: {
      p1: {
        locales: names(count).map(name => ({ id: `id-${name}`, name, code: name })),
        translations: Object.fromEntries(
          names(count).map(name => [name, { 'app.title': `Title ${name}`, 'app.ok': `OK ${name}` }])
        )
      }
    },
    now: () => {
      const now = Date.now()
      // The simulator reads its clock first when it starts: request times are relative to that.
      clock.startedAt ||= now
      return now
    },
    ...extra
  }
  return { sim, clock }
}

/** Every locale's file on the branch is exactly what Phrase renders for it (no extra requests). */
async function expectAllFiles(s: World, locales: string[]): Promise<void> {
  for (const locale of locales) {
    const expected = renderLocaleFile('yml', {
      localeName: locale,
      localeCode: locale,
      translations: s.sim.project('p1').translations[locale],
      revisionDate: new Date()
    })
    expect((await s.gh.readFile(BRANCH, `config/locales/${locale}.yml`))?.toString()).toBe(expected)
  }
}

describe('under Phrase’s limits', () => {
  it('stays within a small rate-limit window: at most one 429 per window', async () => {
    const windowMs = 1000
    const { sim, clock } = manyLocales(8, {
      rateLimit: { limit: 10, windowMs },
      latencyMs: 20,
      jobDurationMs: 300
    })
    world = await startWorld({ sim })
    const result = await world.run()
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs['changed-files'])).toHaveLength(8)

    const stats = world.sim.stats()
    // The limit really bound: more requests than one window allows.
    expect(stats.apiRequestCount).toBeGreaterThan(10)
    const perWindow = new Map<number, number>()
    for (const request of stats.requests.filter(r => r.status === 429)) {
      const window = Math.floor((clock.startedAt + request.at) / windowMs)
      perWindow.set(window, (perWindow.get(window) ?? 0) + 1)
    }
    expect(Math.max(0, ...perWindow.values())).toBeLessThanOrEqual(1)
    expect(stats.peakConcurrency).toBeLessThanOrEqual(4)
    await expectAllFiles(world, names(8))

    // Progress goes into one collapsible group: a line per finished file, never one per check.
    const lines = result.stdout.split('\n')
    const open = lines.indexOf('::group::Downloading 8 files from Phrase')
    expect(open).toBeGreaterThan(0)
    expect(lines.filter(line => line.startsWith('::group::Downloading'))).toHaveLength(1)
    const group = lines.slice(open + 1, lines.indexOf('::endgroup::', open))
    const told = group.filter(line => !line.startsWith('::debug::'))
    const perFile = /^l\d\d \(config\/locales\/l\d\d\.yml\): \d+ B after [\d.]+ s$/
    expect(told.filter(line => perFile.test(line))).toHaveLength(8)
    for (const line of told)
      expect(line).toMatch(
        new RegExp(
          `${perFile.source}|^\\d+/8 done after|rate limit|^8 file\\(s\\) in [\\d.]+ s; \\d+ Phrase request`
        )
      )
  })

  it('succeeds despite 429 Concurrency limit exceeded when Phrase allows fewer parallel requests', async () => {
    const { sim } = manyLocales(8, { concurrencyLimit: 2, latencyMs: 50, jobDurationMs: 200 })
    world = await startWorld({ sim })
    const result = await world.run({ 'max-concurrency': '4' })
    expect(result.code).toBe(0)
    const stats = world.sim.stats()
    expect(stats.count429).toBeGreaterThan(0)
    expect(stats.peakConcurrency).toBeLessThanOrEqual(4)
    await expectAllFiles(world, names(8))
  })

  it('never has more requests in flight than max-concurrency, yet runs them in parallel', async () => {
    const { sim } = manyLocales(12, { latencyMs: 30, jobDurationMs: 300 })
    world = await startWorld({ sim })
    const result = await world.run({ 'max-concurrency': '3' })
    expect(result.code).toBe(0)
    const stats = world.sim.stats()
    expect(stats.peakConcurrency).toBe(3)
    expect(stats.count429).toBe(0)
    // Parallel jobs: the whole run takes far less than the jobs one after another (12 × 300 ms).
    const creates = stats.requests.filter(r => r.method === 'POST').map(r => r.at)
    expect(Math.max(...creates) - Math.min(...creates)).toBeLessThan(12 * 300)
    await expectAllFiles(world, names(12))
  })
})

describe('faults it recovers from', () => {
  it('retries 5xx answers from the API and the CDN', async () => {
    world = await startWorld()
    const { sim } = world
    sim.faults
      .add({ on: 'list', status: 503 })
      .add({ on: 'create', locale: 'fr', status: 502 })
      .add({ on: 'show', status: 503, times: 2 })
      .add({ on: 'cdn', locale: 'de', status: 500 })
    const result = await world.run()
    expect(result.code).toBe(0)
    expect(result.outputs['pull-request-operation']).toBe('created')
    expect(sim.faults.size).toBe(0)
    const stats = sim.stats()
    expect(stats.requests.filter(r => r.status >= 500).map(r => r.status)).toEqual([
      503, 502, 503, 503
    ])
    expect(stats.cdnRequests.filter(r => r.status === 500)).toHaveLength(1)
    // Each file still came from a single job: retries repeat the request, not the whole download.
    expect(stats.jobsCreated).toBe(2)
    expect(await world.gh.readFile(BRANCH, 'config/locales/de.yml')).toEqual(
      await world.exported('de')
    )
    expect(await world.gh.readFile(BRANCH, 'config/locales/fr.yml')).toEqual(
      await world.exported('fr')
    )
  })

  it('starts a new job when the status answers 410 or the result URL has expired (CDN 403)', async () => {
    world = await startWorld()
    const { sim } = world
    sim.faults.add({ on: 'show', locale: 'de', kind: 'expire' })
    sim.faults.add({ on: 'cdn', locale: 'fr', kind: 'expire' })
    const result = await world.run()
    expect(result.code).toBe(0)
    expect(sim.faults.size).toBe(0)
    const stats = sim.stats()
    expect(stats.requests.filter(r => r.status === 410)).toHaveLength(1)
    expect(stats.cdnRequests.filter(r => r.status === 403)).toHaveLength(1)
    expect(stats.perLocale.de.creates).toBe(2)
    expect(stats.perLocale.fr.creates).toBe(2)
    expect(await world.gh.readFile(BRANCH, 'config/locales/de.yml')).toEqual(
      await world.exported('de')
    )
    expect(await world.gh.readFile(BRANCH, 'config/locales/fr.yml')).toEqual(
      await world.exported('fr')
    )
  })

  it('stops at the timeout naming the unfinished locales, and proposes nothing', async () => {
    world = await startWorld({
      sim: { jobDurationMs: name => (name === 'fr' ? Infinity : 50) }
    })
    const result = await world.run({ timeout: '2' })
    expect(result.code).toBe(1)
    const [error] = annotations(result.stdout, 'error')
    expect(error).toMatch(/timed out after 2 s; unfinished: fr \(config\/locales\/fr\.yml\)$/m)
    expect(error).not.toMatch(/unfinished:.*de \(/)
    expect(await world.gh.headSha(BRANCH)).toBeUndefined()
    // The repository is read while Phrase exports run; nothing is ever written after a failure.
    expect(world.gh.requests().filter(r => r.method !== 'GET')).toEqual([])
  })
})
