/**
 * Issue 21 end to end on the bundle (the unit tables, with the real readers' rules, are in
 * __tests__/files): files are compared as their apps read them and `.phrase.yml` as `phrase pull`
 * reads it. Android text that aapt2 compiles alike and a UTF-16 `.strings` file open no pull
 * request; a gettext context reads `menu|Open` in the PR body; a Symfony `%email%` lost is
 * named as such; a target the CLI refuses stops the run before any request.
 */
import { afterEach, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { expectFailure, expectSuccess, scanAndStop } from '../support/expect-run.js'
import { startWorld, type World } from '../support/world.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

const CONFIG = `phrase:
  project_id: p1
  pull:
    targets:
      - file: android/values-<locale_name>/strings.xml
        params: { file_format: xml }
      - file: ios/<locale_name>.lproj/Localizable.strings
        params: { file_format: strings }
      - file: po/<locale_name>.po
        params: { file_format: gettext }
`

/** A DOCTYPE entity with a name longer than 20 characters, escapes aapt2 decodes. */
const ANDROID_REPO = `<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE resources [
  <!ENTITY application_display_name "Meine App">
]>
<resources>
  <string name="title">\\u00dcber &application_display_name;</string>
  <string name="question">Geht\\'s dir gut?</string>
</resources>
`
const ANDROID_DOWNLOAD = `<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="title">Über Meine App</string>
    <string name="question">"Geht's dir gut?"</string>
</resources>
`
const STRINGS = '/* Home */\n"home.title" = "Willkommen";\n'
const po = (open: string, email: string) =>
  `msgid ""\nmsgstr "Language: de\\n"\n\nmsgctxt "menu"\nmsgid "Open"\nmsgstr "${open}"\n\nmsgid "email"\nmsgstr "${email}"\n`

it('compares each file as its app reads it: only real changes are proposed, named readably', async () => {
  world = await startWorld({
    files: {
      'android/values-de/strings.xml': ANDROID_REPO,
      'ios/de.lproj/Localizable.strings': STRINGS,
      'po/de.po': po('Öffnen', 'E-Mail: %email%'),
      'po/fr.po': po('Ouvrir', 'E-mail : %email%')
    }
  })
  // The checkout holds the config, as after actions/checkout.
  await writeFile(path.join(world.workspace, '.phrase.yml'), CONFIG)
  world.sim.faults.add({ on: 'cdn', format: 'xml', bytes: Buffer.from(ANDROID_DOWNLOAD) })
  // Xcode's own encoding: UTF-16 with a byte order mark.
  world.sim.faults.add({
    on: 'cdn',
    format: 'strings',
    bytes: Buffer.from(`\uFEFF${STRINGS}`, 'utf16le')
  })
  world.sim.faults.add({
    on: 'cdn',
    format: 'gettext',
    bytes: Buffer.from(po('Aufmachen', 'E-Mail'))
  })

  const run = await world.run({
    locales: 'de',
    'source-locale': 'fr',
    path: '',
    'file-format': '',
    'project-id': ''
  })
  expectSuccess(run)
  expect(JSON.parse(run.outputs['changed-files'])).toEqual(['po/de.po'])
  expect(run.outputs['check-findings']).toBe('1')
  const [pull] = world.gh.pulls()
  // The key as gettext tools name it (the body's code spans escape `|` for GFM tables).
  expect(pull.body).toMatch(/`menu\\?\|Open`: `Öffnen` → `Aufmachen`/)
  expect(pull.body).not.toContain('\u0004')
  // The Symfony placeholder, not a printf `%e`.
  expect(pull.body).toContain('%email%')
  expect(pull.body).not.toMatch(/%e\b/)
})

it('refuses a .phrase.yml target that phrase pull refuses, naming params.locale_id, before any request', async () => {
  world = await startWorld()
  await writeFile(
    path.join(world.workspace, '.phrase.yml'),
    'phrase:\n  project_id: p1\n  file_format: yml\n  pull:\n    targets:\n      - file: config/locales/de.yml\n'
  )
  const run = await world.run({ path: '', 'file-format': '', 'project-id': '' })
  expectFailure(
    run,
    /no locale information: set params\.locale_id, or put <locale_name> or <locale_code>/
  )
  expect(world.sim.stats().apiRequestCount).toBe(0)
  expect(world.gh.pulls()).toEqual([])
})
