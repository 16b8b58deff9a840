/**
 * Issue 14 end to end on the bundle: the PR names removed keys, translation checks report a
 * dropped placeholder and a broken ICU plural (`checks: warn`) or stop the run before anything is
 * committed (`checks: fail`), and an excluded locale is neither downloaded nor written while its
 * repository file still serves as the checks' source text.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { annotations, startWorld, type World } from '../support/world.js'
import { scanAndStop } from '../support/expect-run.js'
import { isWrite } from '../support/fake-github.js'

const BRANCH = 'phrase/translations'
const JSON_INPUTS = { 'file-format': 'nested_json', path: 'web/<locale_name>.json' }

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

/** en is the project's default locale (Phrase's `default: true`), the source of the checks. */
const LOCALES = [
  { id: 'loc-en', name: 'en', code: 'en-US', default: true },
  { id: 'loc-de', name: 'de', code: 'de-DE' }
]

const EN = {
  'cart.items': '{count} items in your cart',
  'cart.summary': '{count, plural, one {# item} other {# items}}',
  'cart.title': 'Cart'
}
const DE = {
  'cart.items': '{count} Artikel im Warenkorb',
  'cart.summary': '{count, plural, one {# Artikel} other {# Artikel}}',
  'cart.title': 'Warenkorb'
}

/** A nested JSON file as the repository keeps it. */
function nested(flat: Record<string, string>): string {
  const tree: Record<string, Record<string, string>> = {}
  for (const [key, value] of Object.entries(flat)) {
    const [group, name] = key.split('.')
    ;(tree[group] ??= {})[name] = value
  }
  return JSON.stringify(tree, null, 2) + '\n'
}

/** de as a translator broke it in Phrase: `{count}` dropped, the plural's closing brace lost. */
function brokenDe(): Record<string, string> {
  return {
    ...DE,
    'cart.items': 'Artikel im Warenkorb',
    'cart.summary': '{count, plural, one {# Artikel} other {# Artikel}'
  }
}

async function checksWorld(phrase: { en: Record<string, string>; de: Record<string, string> }) {
  return startWorld({
    files: { 'web/en.json': nested(EN), 'web/de.json': nested(DE) },
    sim: { projects: { p1: { locales: LOCALES, translations: phrase } } }
  })
}

describe('the PR names removed keys', () => {
  it('names the 3 removed keys of a locale that also adds 5', async () => {
    const old = { ...DE, 'legacy.a': 'A', 'legacy.b': 'B', 'legacy.c': 'C' }
    const fresh = Object.fromEntries(
      Array.from({ length: 5 }, (_, i) => [`promo.banner_${i}`, `Angebot ${i}`])
    )
    world = await startWorld({
      files: { 'web/en.json': nested(EN), 'web/de.json': nested(old) },
      sim: {
        projects: { p1: { locales: LOCALES, translations: { en: EN, de: { ...DE, ...fresh } } } }
      }
    })
    const result = await world.run({ ...JSON_INPUTS, 'max-key-removal': '80' })
    expect(result.code).toBe(0)
    const [pr] = world.gh.pulls()
    expect(pr.body).toContain('| `web/de.json` | 5 | 0 | 3 |')
    const removed = '- Removed (3): `legacy.a`, `legacy.b`, `legacy.c`'
    expect(pr.body).toContain(removed)
    expect(pr.body!.indexOf(removed)).toBeLessThan(pr.body!.indexOf('- Added (5):'))
    expect(result.summary).toContain(removed)
  })
})

describe('translation checks', () => {
  it('stops with checks: fail before committing, and reports the findings with checks: warn', async () => {
    world = await checksWorld({ en: EN, de: brokenDe() })
    const { gh } = world

    const stopped = await world.run({ ...JSON_INPUTS, checks: 'fail' })
    expect(stopped.code).toBe(1)
    const [error] = annotations(stopped.stdout, 'error')
    expect(error).toMatch(
      /^Stopped before committing: 2 translation check findings \(checks: fail\)/
    )
    expect(error).toContain('de (web/de.json) cart.items: placeholder missing {count}')
    expect(error).toContain(
      'de (web/de.json) cart.summary: ICU message does not parse: "}" missing at the end, to close the argument that opens at character 1'
    )
    expect(stopped.outputs['check-findings']).toBe('2')
    // The job summary lists every finding, as the PR body would have.
    expect(stopped.summary).toContain(
      '- **de** `cart.items`: placeholder missing `{count}` in `Artikel im Warenkorb`'
    )
    // Nothing committed, no PR, not one write request to GitHub.
    expect(await gh.headSha(BRANCH)).toBeUndefined()
    expect(gh.pulls()).toHaveLength(0)
    expect(gh.requests().filter(isWrite)).toEqual([])
    // Without a pull request nothing is written into the workspace either.
    const local = await world.run({
      ...JSON_INPUTS,
      checks: 'fail',
      'create-pull-request': 'false'
    })
    expect(local.code).toBe(1)
    expect((await world.state()).workspace).toEqual({})

    const warned = await world.run(JSON_INPUTS)
    expect(warned.code).toBe(0)
    expect(warned.outputs['check-findings']).toBe('2')
    expect(annotations(warned.stdout, 'warning')).toEqual([
      'Translation check: de (web/de.json) cart.items: placeholder missing {count}',
      'Translation check: de (web/de.json) cart.summary: ICU message does not parse: "}" missing at the end, to close the argument that opens at character 1'
    ])
    const [pr] = gh.pulls()
    for (const text of [pr.body!, warned.summary]) {
      expect(text).toContain('**Checks:** ⚠ 2 findings in 2 changed keys checked, listed below.')
      expect(text).toContain(
        '- **de** `cart.items`: placeholder missing `{count}` in `Artikel im Warenkorb`'
      )
      expect(text).toContain('- **de** `cart.summary`: ICU message does not parse')
    }
    expect(JSON.parse((await gh.readFile(BRANCH, 'web/de.json'))!.toString()).cart.items).toBe(
      'Artikel im Warenkorb'
    )
  })

  it('never downloads nor writes an excluded locale, and checks against its repository file', async () => {
    // Phrase's en differs from the repository's: without the exclusion it would be written.
    world = await checksWorld({ en: { ...EN, 'cart.title': 'Basket' }, de: brokenDe() })
    const result = await world.run({ ...JSON_INPUTS, 'exclude-locales': 'en-US' })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs['changed-files'])).toEqual(['web/de.json'])
    expect(world.sim.stats().perLocale.en).toBeUndefined()
    expect(world.sim.stats().perLocale.de.creates).toBe(1)
    expect((await world.gh.readFile(BRANCH, 'web/en.json'))!.toString()).toBe(nested(EN))
    // The source text came from the repository's web/en.json.
    expect(result.outputs['check-findings']).toBe('2')
    expect(world.gh.pulls()[0].body).toContain('placeholder missing `{count}`')
  })
})
