/**
 * Issue 11, items 3 and 6, end to end on the bundle (the unit tables and randomised tests of every
 * format are in __tests__/files): a Rails file is compared with the meaning Rails gives it, not
 * by its bytes; and a Phrase token never goes to a plain-http host.
 */
import { afterEach, expect, it } from '@jest/globals'
import { expectFailure, expectSuccess, scanAndStop } from '../support/expect-run.js'
import { startWorld, type World } from '../support/world.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

it('a Rails file: another quoting of "yes" is churn, an unquoted yes (true to Rails) is a change', async () => {
  world = await startWorld({ files: { 'config/locales/de.yml': 'de:\n  confirm: "yes"\n' } })
  const de = { locales: 'de' }

  // The same string, written with other quotes: nothing to propose.
  world.sim.faults.add({ on: 'cdn', locale: 'de', bytes: Buffer.from("de:\n  confirm: 'yes'\n") })
  const churn = await world.run(de)
  expectSuccess(churn)
  expect(churn.outputs['has-changes']).toBe('false')
  expect(world.gh.pulls()).toEqual([])

  // YAML 1.2 reads both as the string "yes"; Rails (Psych, YAML 1.1) reads this one as true.
  world.sim.faults.add({ on: 'cdn', locale: 'de', bytes: Buffer.from('de:\n  confirm: yes\n') })
  const meaning = await world.run(de)
  expectSuccess(meaning)
  expect(meaning.outputs['pull-request-operation']).toBe('created')
  expect(JSON.parse(meaning.outputs['changed-files'])).toEqual(['config/locales/de.yml'])
  expect(world.gh.pulls()[0].body).toMatch(/confirm/)
})

it('a plain-http api-url that is not this machine: refused before any request, naming the fix', async () => {
  world = await startWorld()
  const before = world.gh.requests().length
  const run = await world.run({ 'api-url': 'http://api.phrase.test/v2' })
  expectFailure(
    run,
    /api-url: "http:\/\/api\.phrase\.test" would send the Phrase token in clear text; use https:\/\/api\.phrase\.test/
  )
  expect(world.sim.stats().apiRequestCount).toBe(0)
  expect(world.gh.requests().length).toBe(before)
})
