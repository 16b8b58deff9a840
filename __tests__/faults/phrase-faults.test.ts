/**
 * Phrase going wrong, end to end on the bundle: every failure exits 1 with a message that names
 * the cause and the locale, and leaves the repository's refs and pull requests exactly as they
 * were; every recoverable fault ends in the same pull request a clean run would open. Each test
 * also runs the secrets scan (afterEach).
 *
 * Recovered 5xx bursts, 410 / expired-link restarts and a job that never completes are covered
 * once, in e2e/limits.test.ts; here are their failing and hostile variants.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  expectFailure,
  expectProposed,
  expectSuccess,
  expectUntouched,
  scanAndStop
} from '../support/expect-run.js'
import {
  LOCALES,
  PHRASE_TOKEN,
  STALE_DE,
  startWorld,
  translations,
  type World,
  type WorldOptions
} from '../support/world.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

async function begin(options: WorldOptions = {}) {
  world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE }, ...options })
  return { world, before: await world.state() }
}

const json = (body: unknown) => JSON.stringify(body)

describe('Phrase refuses the request', () => {
  it('401 on the locale list: names the token input', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({ on: 'list', status: 401, body: json({ message: 'Unauthorized' }) })
    const run = await world.run()
    expectFailure(run, /401 Unauthorized/, /api-token/)
    await expectUntouched(world, before)
  })

  it('401 on one create stops the other locales too, and names the token input', async () => {
    const { world, before } = await begin({ sim: { jobDurationMs: 400 } })
    world.sim.faults.add({
      on: 'create',
      locale: 'fr',
      status: 401,
      body: json({ message: 'Unauthorized' })
    })
    const run = await world.run()
    expectFailure(run, /fr \(config\/locales\/fr\.yml\): .*401 Unauthorized.*api-token/)
    // A revoked token fails everything alike: nothing is fetched from the CDN.
    expect(world.sim.stats().cdnRequests).toEqual([])
    await expectUntouched(world, before)
  })

  it('403 on the locale list: names the missing read scope', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({
      on: 'list',
      status: 403,
      body: json({ message: 'You are not allowed to access this project' })
    })
    const run = await world.run()
    expectFailure(run, /403 Forbidden/, /`read` scope/, /not allowed to access this project/)
    await expectUntouched(world, before)
  })

  it('403 on create and on the sync fallback (access revoked): fails naming the locale', async () => {
    const { world, before } = await begin()
    for (const on of ['create', 'sync'] as const) {
      world.sim.faults.add({
        on,
        locale: 'de',
        status: 403,
        body: json({ message: 'Project access revoked' })
      })
    }
    const run = await world.run()
    expectFailure(run, /de \(config\/locales\/de\.yml\): .*403 Forbidden.*Project access revoked/)
    await expectUntouched(world, before)
  })

  it('a read-only token falls back to synchronous downloads with one warning, refused a few creates, not one per locale', async () => {
    const locales = Array.from({ length: 10 }, (_, i) => ({
      id: `id-${i}`,
      name: `l${i}`,
      code: `l${i}`
    }))
    const { world } = await begin({
      sim: {
        tokens: { read: [PHRASE_TOKEN], write: [] },
        projects: {
          p1: {
            locales,
            translations: Object.fromEntries(locales.map(l => [l.name, { a: l.name }]))
          }
        },
        latencyMs: 20
      }
    })
    const run = await world.run()
    expectSuccess(run)
    expect(JSON.parse(run.outputs['changed-files'])).toHaveLength(10)
    expect(run.stdout.match(/^::warning::.*`write` scope/gm)).toHaveLength(1)
    const stats = world.sim.stats()
    // Decided at the first refusal: creates still waiting for a slot were called off; only those
    // already on their way (at most max-concurrency, 4) were sent, refused or cut off (status 0).
    const sent = stats.requests.filter(r => r.method === 'POST').map(r => r.status)
    expect(sent.every(status => status === 403 || status === 0)).toBe(true)
    expect(sent.length).toBeLessThanOrEqual(4)
    expect(Object.values(stats.perLocale).every(l => l.syncs === 1)).toBe(true)
  })

  it('404 for the project: names it', async () => {
    const { world, before } = await begin()
    const run = await world.run({ 'project-id': 'no-such-project' })
    expectFailure(run, /project "no-such-project".*not found \(404\)/)
    await expectUntouched(world, before)
  })

  it('an unknown locale in the locales input: names it and the known ones', async () => {
    const { world, before } = await begin()
    const run = await world.run({ locales: 'de, xx' })
    expectFailure(run, /Locale "xx" not found in Phrase project p1 \(its locales: de, fr\)/)
    expect(world.sim.stats().jobsCreated).toBe(0)
    await expectUntouched(world, before)
  })

  it('404 for a locale deleted between listing and download: names it', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({
      on: 'create',
      locale: 'fr',
      status: 404,
      body: json({ message: 'Not Found' })
    })
    const run = await world.run()
    expectFailure(
      run,
      /fr \(config\/locales\/fr\.yml\): .*the locale \(or project "p1"\) not found \(404\)/
    )
    await expectUntouched(world, before)
  })

  it('422 for an invalid parameter: quotes the field error, once for every locale it failed', async () => {
    const locales = Array.from({ length: 14 }, (_, i) => ({
      id: `id-${i}`,
      name: `l${String(i).padStart(2, '0')}`,
      code: `x-${i}`
    }))
    const { world, before } = await begin({
      sim: { projects: { p1: { locales, translations: {} } } }
    })
    world.sim.faults.add({
      on: 'create',
      status: 422,
      times: Infinity,
      body: json({
        message: 'Validation failed',
        errors: [{ resource: 'LocaleDownload', field: 'encoding', message: "'UTF-9' is not valid" }]
      })
    })
    const run = await world.run()
    const names = locales.slice(0, 10).map(l => `${l.name} \\(config/locales/${l.name}\\.yml\\)`)
    expectFailure(
      run,
      new RegExp(
        `^- ${names.join(', ')} and 4 more \\(14 files\\): .*422\\): LocaleDownload\\.encoding: 'UTF-9' is not valid$`,
        'm'
      )
    )
    expect(run.error.split('\n')).toHaveLength(2) // the count line and the one failure line
    await expectUntouched(world, before)
  })
})

describe('Mistakes are caught before any download, once, with the fix', () => {
  it('an unknown file-format: one line with the closest valid names, no job started', async () => {
    const { world, before } = await begin()
    const run = await world.run({ 'file-format': 'jsn' })
    expectFailure(
      run,
      /^Phrase has no file format "jsn" .*did you mean ("csv", )?"nested_json", "simple_json"/
    )
    expect(run.error.split('\n')).toHaveLength(1)
    const stats = world.sim.stats()
    expect(stats.jobsCreated).toBe(0)
    // The formats list is public: asked without the token.
    const formats = stats.requests.filter(r => r.path.endsWith('/formats'))
    expect(formats.map(r => [r.status, r.authorization])).toEqual([[200, undefined]])
    await expectUntouched(world, before)
  })

  it('a locale in the wrong case: says what to write instead', async () => {
    const { world, before } = await begin()
    const run = await world.run({ locales: 'DE' })
    expectFailure(run, /Locale "DE" not found .*; write "de" instead of "DE"/)
    expect(world.sim.stats().jobsCreated).toBe(0)
    await expectUntouched(world, before)
  })

  it('a Phrase branch that does not exist: "branch … not found", with the closest branch', async () => {
    const release = { locales: [{ id: 'r-de', name: 'de', code: 'de-DE' }], translations: {} }
    const { world, before } = await begin({
      sim: {
        projects: {
          p1: { locales: LOCALES, translations: translations(), branches: { 'release-2': release } }
        }
      }
    })
    const run = await world.run({ 'phrase-branch': 'release_2' })
    expectFailure(
      run,
      /branch "release_2" not found in project "p1" \(did you mean "release-2"\?\)/,
      /phrase-branch/
    )
    expect(run.error).not.toMatch(/project "p1" not found/)
    expect(world.sim.stats().jobsCreated).toBe(0)
    await expectUntouched(world, before)
  })

  it('too many files for the token’s rate limit within timeout: says early how long they need', async () => {
    const { world, before } = await begin({
      // 2 per 5 minutes: 1 left after the locale list and at most 2 more within 60 s, 4 needed.
      sim: { rateLimit: { limit: 2, windowMs: 300_000 } }
    })
    const run = await world.run({ timeout: '60' })
    expectFailure(
      run,
      /allows this token 2 requests per 5 minutes and 1 is left .*2 file\(s\) need at least 4 requests .*needs about \d+ minutes: raise `timeout` to \d+/
    )
    expect(world.sim.stats().jobsCreated).toBe(0)
    expect(run.durationMs).toBeLessThan(10_000)
    await expectUntouched(world, before)
  })
})

describe('Phrase is overloaded or flaky', () => {
  it('a 429 storm (tiny rate window, concurrency limit 1) still ends in the PR', async () => {
    const { world } = await begin({
      sim: {
        rateLimit: { limit: 3, windowMs: 1000 },
        concurrencyLimit: 1,
        latencyMs: 40,
        jobDurationMs: 300
      }
    })
    const run = await world.run()
    const stats = world.sim.stats()
    await expectProposed(world, run, ['de', 'fr'])
    // The limit bound (more requests than one window allows); the pace planned from the budget and
    // the limiter's wait for the window keep the refusals few, often none.
    expect(stats.apiRequestCount).toBeGreaterThan(3)
    const windows = Math.ceil(run.durationMs / 1000) + 1
    expect(stats.count429).toBeLessThanOrEqual(windows + 2)
  })

  it('429 that never ends: the timeout stops the run and names the unfinished locale', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({
      on: 'create',
      locale: 'fr',
      status: 429,
      body: json({ message: 'Concurrency limit exceeded' }),
      times: Infinity
    })
    // The shortest timeout there is: nothing needs to finish in it.
    const run = await world.run({ timeout: '1' })
    // Every queued request pauses with a 429, so de may be caught unfinished as well.
    expectFailure(run, /timed out after 1 s; unfinished: .*fr \(config\/locales\/fr\.yml\)$/m)
    expect(run.stdout).toMatch(/concurrency limit hit/)
    expect(run.durationMs).toBeLessThan(10_000)
    await expectUntouched(world, before)
  })

  it('persistent 503 on one locale: fails naming the locale and the status', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({ on: 'create', locale: 'fr', status: 503, times: Infinity })
    const run = await world.run()
    expectFailure(run, /fr \(config\/locales\/fr\.yml\): Phrase answered 503/)
    expect(world.sim.stats().perLocale.fr.creates).toBeGreaterThan(1)
    await expectUntouched(world, before)
  })

  it('connection resets on the API and the CDN are retried into the PR', async () => {
    const { world } = await begin()
    world.sim.faults.add({ on: 'list', kind: 'reset' })
    world.sim.faults.add({ on: 'create', locale: 'fr', kind: 'reset', times: 2 })
    world.sim.faults.add({ on: 'cdn', locale: 'de', kind: 'reset' })
    const run = await world.run()
    await expectProposed(world, run, ['de', 'fr'])
    expect(world.sim.faults.size).toBe(0)
  })

  it('a CDN that always resets: fails naming the locale and the host', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({ on: 'cdn', locale: 'de', kind: 'reset', times: Infinity })
    const run = await world.run()
    const cdnHost = new URL(world.sim.cdnUrl).host
    expectFailure(run, new RegExp(`de \\(config/locales/de\\.yml\\): Could not reach ${cdnHost}`))
    await expectUntouched(world, before)
  })

  it('a status check that hangs forever: the timeout names the unfinished locale', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({ on: 'show', locale: 'de', kind: 'hang', times: Infinity })
    // 2 s: fr must finish meanwhile, also on a busy machine.
    const run = await world.run({ timeout: '2' })
    expectFailure(run, /timed out after 2 s; unfinished: de \(config\/locales\/de\.yml\)$/m)
    expect(run.error).not.toMatch(/fr \(/)
    expect(run.durationMs).toBeLessThan(10_000)
    await expectUntouched(world, before)
  })

  it('a CDN download that hangs forever: the timeout names the unfinished locale', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({ on: 'cdn', locale: 'fr', kind: 'hang', times: Infinity })
    const run = await world.run({ timeout: '2' })
    expectFailure(run, /timed out after 2 s; unfinished: fr \(config\/locales\/fr\.yml\)$/m)
    expect(run.durationMs).toBeLessThan(10_000)
    await expectUntouched(world, before)
  })

  it('one hung locale list request is abandoned after the timeout and retried', async () => {
    const { world } = await begin()
    world.sim.faults.add({ on: 'list', kind: 'hang' })
    // The list waits out one request timeout (the whole timeout, 2 s), then the downloads get 2 s.
    const run = await world.run({ timeout: '2' })
    const lists = world.sim.stats().requests.filter(r => r.path.endsWith('/locales'))
    await expectProposed(world, run, ['de', 'fr'])
    expect(lists).toHaveLength(2)
    expect(run.durationMs).toBeLessThan(10_000)
  })
})

describe('Phrase jobs and files go wrong', () => {
  it('a job in a status other than processing or completed: fails at once with Phrase’s error text', async () => {
    const { world, before } = await begin({ sim: { jobDurationMs: 200 } })
    world.sim.faults.add({
      on: 'create',
      locale: 'fr',
      kind: 'jobError',
      jobStatus: 'canceled',
      body: 'Export canceled by an admin'
    })
    const run = await world.run({ timeout: '60' })
    expectFailure(
      run,
      /fr \(config\/locales\/fr\.yml\): Phrase could not export the file \(job status "canceled"\): Export canceled by an admin/
    )
    expect(run.durationMs).toBeLessThan(10_000) // not after the 60 s timeout
    await expectUntouched(world, before)
  })

  it('a job that ends in error: names the locale and Phrase’s reason', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({ on: 'show', locale: 'de', kind: 'jobError', body: 'export exploded' })
    const run = await world.run()
    expectFailure(run, /de \(config\/locales\/de\.yml\): .*export exploded/)
    await expectUntouched(world, before)
  })

  it('files-only: one failing locale means no file is written, not even the good ones', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({ on: 'show', locale: 'fr', kind: 'jobError', body: 'export exploded' })
    const run = await world.run({ 'create-pull-request': 'false', 'github-token': '' })
    expectFailure(run, /fr \(config\/locales\/fr\.yml\): .*export exploded/)
    expect(world.sim.stats().cdnRequests.length).toBeGreaterThan(0) // de was downloaded
    await expectUntouched(world, before)
  })

  it('a link that expires every time: gives up after a few restarts, naming the locale', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({ on: 'cdn', locale: 'fr', kind: 'expire', times: Infinity })
    const run = await world.run()
    expectFailure(run, /fr \(config\/locales\/fr\.yml\): the download expired 4 times/)
    expect(world.sim.stats().perLocale.fr.creates).toBe(4)
    await expectUntouched(world, before)
  })

  it('a truncated download is fetched again', async () => {
    const { world } = await begin()
    world.sim.faults.add({ on: 'cdn', locale: 'de', kind: 'truncate' })
    const run = await world.run()
    await expectProposed(world, run, ['de', 'fr'])
    expect(world.sim.stats().cdnRequests.filter(r => r.path.includes('/de.yml'))).toHaveLength(2)
  })

  it('a download truncated every time: fails naming the locale, commits nothing partial', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({ on: 'cdn', locale: 'de', kind: 'truncate', times: Infinity })
    const run = await world.run()
    const cdnHost = new URL(world.sim.cdnUrl).host
    expectFailure(
      run,
      new RegExp(`de \\(config/locales/de\\.yml\\): Could not reach ${cdnHost}: other side closed`)
    )
    expect(world.sim.stats().cdnRequests.length).toBeGreaterThan(2)
    await expectUntouched(world, before)
  })

  it('an empty download of an existing file removes every key: max-key-removal stops it', async () => {
    const { world, before } = await begin()
    world.sim.faults.add({ on: 'cdn', locale: 'de', kind: 'empty' })
    const run = await world.run()
    expectFailure(run, /de \(config\/locales\/de\.yml\) would remove 1 of 1 keys \(100%\)/)
    await expectUntouched(world, before)
  })

  it('a non-UTF-8 file in a UTF-8 format stops the run', async () => {
    const { world, before } = await begin()
    const latin1 = Buffer.from('de:\n  greeting:\n    bye: Tschüss\n', 'latin1')
    world.sim.faults.add({ on: 'cdn', locale: 'de', bytes: latin1 })
    const run = await world.run()
    expectFailure(run, /de \(config\/locales\/de\.yml\): the yml file is not valid UTF-8/)
    await expectUntouched(world, before)
  })
})
