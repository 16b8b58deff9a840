/**
 * Issue 18 item 4, end to end on the bundle: a locale added in Phrase but not translated yet
 * exports a file without translations (`ja: {}` in Rails YAML, nothing at all in .properties).
 * It must not stop the other locales: a new file is skipped with a warning naming the locale; an
 * existing file that comes back empty loses every key, so max-key-removal decides.
 */
import { afterEach, expect, it } from '@jest/globals'
import {
  expectFailure,
  expectSuccess,
  expectUntouched,
  scanAndStop
} from '../support/expect-run.js'
import { annotations, LOCALES, startWorld, translations, type World } from '../support/world.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

const BRANCH = 'phrase/translations'
const JA = { id: 'loc-ja', name: 'ja', code: 'ja-JP' }

it('a new locale without translations: the others are proposed, the empty one is named and skipped', async () => {
  world = await startWorld({
    sim: {
      projects: { p1: { locales: [...LOCALES, JA], translations: { ...translations(), ja: {} } } }
    }
  })
  expect((await world.exported('ja')).toString()).toBe('---\nja: {}\n') // no translation in it

  const run = await world.run()

  expectSuccess(run)
  expect(annotations(run.stdout, 'warning')).toContain(
    'ja (config/locales/ja.yml): Phrase exported no translations (a locale not translated yet?); the file is not created until it has some'
  )
  expect(JSON.parse(run.outputs['changed-files'])).toEqual([
    'config/locales/de.yml',
    'config/locales/fr.yml'
  ])
  expect(await world.gh.readFile(BRANCH, 'config/locales/ja.yml')).toBeUndefined()
  expect(world.gh.pulls()).toHaveLength(1)
})

it('an existing file exported empty: every key removed, so max-key-removal stops it, and 100 lets it through', async () => {
  const properties = (entries: Record<string, string>) =>
    Object.entries(entries)
      .map(([key, value]) => `${key}=${value}\n`)
      .join('')
  world = await startWorld({
    files: {
      'config/locales/de.properties': properties(translations().de),
      'config/locales/fr.properties': properties(translations().fr)
    },
    sim: { projects: { p1: { locales: LOCALES, translations: { ...translations(), fr: {} } } } }
  })
  expect((await world.exported('fr', 'properties')).length).toBe(0) // Phrase sends nothing at all
  const inputs = { 'file-format': 'properties', path: 'config/locales/<locale_name>.properties' }
  const before = await world.state()

  const stopped = await world.run(inputs)
  expectFailure(
    stopped,
    /^Stopped before committing: fr \(config\/locales\/fr\.properties\) would remove 3 of 3 keys \(100%\)\. If this is intended, raise the max-key-removal input \(now 50%\)\.$/
  )
  await expectUntouched(world, before)

  const allowed = await world.run({ ...inputs, 'max-key-removal': '100' })
  expectSuccess(allowed)
  expect((await world.gh.readFile(BRANCH, 'config/locales/fr.properties'))?.length).toBe(0)
  expect(world.gh.pulls()[0].body).toContain('| `config/locales/fr.properties` | 0 | 0 | 3 |')
})
