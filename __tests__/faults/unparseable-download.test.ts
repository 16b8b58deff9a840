/**
 * Issue 11, item 2, end to end on the bundle: a download that is not the file (here the HTML error
 * page a CDN or proxy answers with 200) never replaces a repository file that parses. The unit
 * tables for every format are in __tests__/files/changes.test.ts.
 */
import { afterEach, expect, it } from '@jest/globals'
import { expectFailure, expectUntouched, scanAndStop } from '../support/expect-run.js'
import { LOCALES, startWorld, translations, type World } from '../support/world.js'
import { isWrite } from '../support/fake-github.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

const ERROR_PAGE = Buffer.from(
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1></body></html>\n'
)

it('an HTML page instead of a 500-key JSON file: exit 1 naming locale, file and parse error; nothing committed', async () => {
  const de: Record<string, string> = {}
  const tree: Record<string, Record<string, string>> = {}
  for (let i = 0; i < 500; i++) {
    de[`screen_${i % 10}.label_${i}`] = `Text ${i}`
    ;(tree[`screen_${i % 10}`] ??= {})[`label_${i}`] = `Text ${i}`
  }
  // Phrase holds the same 500 keys: a healthy export would remove none.
  world = await startWorld({
    files: { 'config/locales/de.json': JSON.stringify(tree, null, 2) + '\n' },
    sim: { projects: { p1: { locales: LOCALES, translations: { ...translations(), de } } } }
  })
  const before = await world.state()
  world.sim.faults.add({ on: 'cdn', locale: 'de', bytes: ERROR_PAGE })

  const run = await world.run({
    'file-format': 'nested_json',
    path: 'config/locales/<locale_name>.json',
    'max-key-removal': '50'
  })

  expectFailure(
    run,
    /the download of de \(config\/locales\/de\.json\) is not valid nested_json \(invalid JSON: Unexpected token '<'/,
    /it would remove all 500 keys/
  )
  await expectUntouched(world, before)
  expect(world.gh.pulls()).toEqual([])
  expect(world.gh.requests().filter(isWrite)).toEqual([])
})
