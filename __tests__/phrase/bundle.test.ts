/**
 * Phrase-side behaviours end to end on the bundle (node dist/index.js against the simulator and
 * the fake GitHub), one test each: a Phrase branch is pulled as the live service expects it, and
 * a token with a tight rate limit still gets every file, without a storm of 429s. Their failing
 * variants are in faults/phrase-faults.test.ts; the logic itself is unit-tested beside this file.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { expectSuccess, scanAndStop } from '../support/expect-run.js'
import { LOCALES, startWorld, translations, type World } from '../support/world.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

describe('Phrase branches', () => {
  it("pulls a branch's locales: the list and every download name the branch", async () => {
    // A branch is a copy of the project whose locales have ids of their own (see the simulator).
    const branch = {
      locales: LOCALES.map(locale => ({ ...locale, id: `${locale.id}-feature` })),
      translations: {
        de: { ...translations().de, 'greeting.hello': 'Hallo vom Zweig' },
        fr: { ...translations().fr, 'greeting.hello': 'Bonjour de la branche' }
      }
    }
    world = await startWorld({
      sim: {
        projects: {
          p1: { locales: LOCALES, translations: translations(), branches: { 'feature/x': branch } }
        }
      }
    })
    const run = await world.run({ 'phrase-branch': 'feature/x' })
    expectSuccess(run)
    const de = await world.gh.readFile('phrase/translations', 'config/locales/de.yml')
    expect(de?.toString()).toContain('Hallo vom Zweig')
    const requests = world.sim.stats().requests.filter(r => r.userAgent !== 'test-export')
    const list = requests.find(r => r.path.endsWith('/locales'))
    expect(list?.query.branch).toBe('feature/x')
    const creates = requests.filter(r => r.method === 'POST')
    expect(creates.map(r => [r.path, (r.body as { branch?: string }).branch])).toEqual(
      expect.arrayContaining([
        ['/v2/projects/p1/locales/loc-de-feature/downloads', 'feature/x'],
        ['/v2/projects/p1/locales/loc-fr-feature/downloads', 'feature/x']
      ])
    )
  })
})

describe('a tight rate limit', () => {
  it('pulls 30 locales on a token allowed 100 requests per 5 minutes: within the budget, no 429', async () => {
    const names = Array.from({ length: 30 }, (_, i) => `l${String(i).padStart(2, '0')}`)
    world = await startWorld({
      sim: {
        projects: {
          p1: {
            locales: names.map(name => ({ id: `id-${name}`, name, code: name })),
            translations: Object.fromEntries(names.map(name => [name, { 'app.title': name }]))
          }
        },
        rateLimit: { limit: 100, windowMs: 300_000 },
        jobDurationMs: name => 300 + 20 * names.indexOf(name),
        latencyMs: 10
      }
    })
    const run = await world.run({ timeout: '60' })
    expectSuccess(run)
    expect(JSON.parse(run.outputs['changed-files'])).toHaveLength(30)
    const stats = world.sim.stats()
    expect(stats.count429).toBe(0)
    // One window holds it all (the run may straddle a window boundary: then two).
    expect(stats.apiRequestCount).toBeLessThanOrEqual(100)
    expect(run.durationMs).toBeLessThan(30_000)
  })
})
