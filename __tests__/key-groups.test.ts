/**
 * The key view's decisions, without markdown: which files form a family, how widely a change
 * spread, and which groups count as unusual.
 */
import { describe, expect, it } from '@jest/globals'
import type { FileReport } from '../src/change-report.js'
import { familyOf, keyView, spreadOf } from '../src/key-groups.js'

function changed(
  locale: string,
  removed: string[],
  path = `config/locales/${locale}.yml`
): FileReport {
  return { path, locale, status: 'changed', keys: { added: [], changed: [], removed } }
}

describe('familyOf', () => {
  it('replaces the locale name or code where it is a whole word of the path', () => {
    expect(familyOf({ path: 'web/de-DE.json', locale: 'de', localeCode: 'de-DE' })).toBe(
      'web/<locale>.json'
    )
    expect(familyOf({ path: 'content/en/strings.en.yml', locale: 'en' })).toBe(
      'content/<locale>/strings.<locale>.yml'
    )
    // `en` inside `content` or `pt` inside `scripts` is no locale.
    expect(familyOf({ path: 'content/scripts/pt.json', locale: 'pt' })).toBe(
      'content/scripts/<locale>.json'
    )
    expect(familyOf({ path: 'app/strings.xml', locale: 'de' })).toBe('app/strings.xml')
  })
})

describe('spreadOf', () => {
  it.each([
    [30, 30, 'all'],
    [27, 30, 'almost'],
    [26, 30, 'some'],
    [4, 30, 'some'],
    [3, 30, 'few'],
    [1, 2, 'few'],
    [2, 3, 'some'],
    [20, 200, 'few'],
    [180, 200, 'almost']
  ])('%i of %i locales: %s', (count, total, spread) => {
    expect(spreadOf(count, total)).toBe(spread)
  })
})

describe('keyView', () => {
  it('groups keys removed in exactly the same locales, and puts a partial removal first', () => {
    const files = ['de', 'fr', 'it', 'es'].map(locale =>
      changed(
        locale,
        locale === 'it' ? ['promo.a', 'promo.b', 'common.save'] : ['promo.a', 'promo.b']
      )
    )
    const view = keyView(files)
    expect(view.common.map(group => [group.kind, group.keys, group.spread])).toEqual([
      ['removed', ['promo.a', 'promo.b'], 'all']
    ])
    expect(view.unusual.map(group => [group.keys, group.files.map(f => f.locale)])).toEqual([
      [['common.save'], ['it']]
    ])
  })

  it('keeps new, carried-over, whole-file and lone files out of the groups', () => {
    const added: FileReport = { ...changed('ko', []), status: 'added' }
    const carried: FileReport = { ...changed('fr', ['x']), carriedFrom: '2026-12-01' }
    const whole: FileReport = { path: 'a/de.xlf', locale: 'de', status: 'changed' }
    const lone = changed('de', ['y'], 'web/de.json')
    const view = keyView([added, carried, whole, lone])
    expect(view.created.get('config/locales/<locale>.yml')).toEqual([added])
    expect(view.carried).toEqual([carried])
    expect(view.whole).toEqual([whole])
    expect([...view.alone]).toEqual([lone])
    expect([...view.unusual, ...view.common]).toEqual([])
  })
})
