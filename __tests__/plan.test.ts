import { describe, expect, it } from '@jest/globals'
import { silentLogger, type Logger } from '../src/logger.js'
import { assertDistinctPaths, planAll, planTarget, selectLocales } from '../src/plan.js'
import type { Target } from '../src/settings.js'

const locales = [
  { id: 'id-de', name: 'de', code: 'de-DE' },
  { id: 'id-fr', name: 'fr', code: 'fr-FR' }
]
const target = (over: Partial<Target> = {}): Target => ({
  file: 'config/locales/<locale_name>.yml',
  projectId: 'p1',
  fileFormat: 'yml',
  locales: [],
  localeFilter: [],
  tags: [],
  params: {},
  ...over
})

describe('selectLocales', () => {
  it('selects by id, name or code, once each', () => {
    expect(selectLocales(locales, ['fr-FR', 'id-de', 'de'], 'p1').map(l => l.name)).toEqual([
      'fr',
      'de'
    ])
    expect(selectLocales(locales, [], 'p1')).toBe(locales)
  })
  it('names every unknown locale and the project', () => {
    expect(() => selectLocales(locales, ['de', 'xx', 'yy'], 'p1')).toThrow(
      'Locale "xx", "yy" not found in Phrase project p1 (its locales: de, fr)'
    )
  })
})

describe('planTarget', () => {
  it('builds one request per locale with format, branch and tags', () => {
    const files = planTarget(
      target({ branch: 'b', tags: ['web', 'app'], params: { encoding: 'UTF-8' } }),
      locales
    )
    expect(files.map(f => f.path)).toEqual(['config/locales/de.yml', 'config/locales/fr.yml'])
    expect(files[1].request).toEqual({
      label: 'fr (config/locales/fr.yml)',
      projectId: 'p1',
      localeId: 'id-fr',
      params: { encoding: 'UTF-8', file_format: 'yml', branch: 'b', tags: 'web,app' }
    })
  })
  it('makes one file per tag with <tag>', () => {
    const files = planTarget(
      target({ file: '<locale_code>/<tag>.json', tags: ['web', 'app'] }),
      locales.slice(0, 1)
    )
    expect(files.map(f => [f.path, f.request.params.tags])).toEqual([
      ['de-DE/web.json', 'web'],
      ['de-DE/app.json', 'app']
    ])
  })
  it('refuses a template without a locale placeholder for several locales, and <tag> without tags', () => {
    expect(() => planTarget(target({ file: 'all.yml' }), locales)).toThrow(
      /no <locale_name> or <locale_code> placeholder, but 2 locales/
    )
    expect(() => planTarget(target({ file: '<locale_name>/<tag>.yml' }), locales)).toThrow(
      /uses <tag> but no tags/
    )
  })
  it('refuses a locale name that leaves the repository', () => {
    const hostile = [{ id: 'x', name: '../../etc/cron.d/x', code: 'x' }]
    expect(() => planTarget(target(), hostile)).toThrow(
      /Refusing to write .* \(locale "..\/..\/etc\/cron.d\/x" in config\/locales\/<locale_name>.yml\): it leaves the repository/
    )
  })
})

describe('assertDistinctPaths', () => {
  it('names both downloads that would write one path', () => {
    const files = [
      ...planTarget(target(), locales.slice(0, 1)),
      ...planTarget(target({ projectId: 'p2' }), locales.slice(0, 1))
    ]
    expect(() => assertDistinctPaths(files)).toThrow(
      'Two downloads would write config/locales/de.yml: de (config/locales/de.yml) and de (config/locales/de.yml)'
    )
  })
})

describe('planAll', () => {
  const fr = locales[1]
  it('narrows every target with the locales filter, skipping targets pinned to another locale', () => {
    const files = planAll([
      { target: target({ localeFilter: ['fr-FR'] }), available: locales },
      {
        target: target({
          file: 'pinned/<locale_name>.json',
          locales: ['de'],
          localeFilter: ['fr-FR']
        }),
        available: locales
      }
    ])
    expect(files.map(f => [f.path, f.locale])).toEqual([['config/locales/fr.yml', fr]])
  })

  it('names a filter entry that no target has', () => {
    expect(() =>
      planAll([{ target: target({ localeFilter: ['fr', 'xx'] }), available: locales }])
    ).toThrow('Locale "xx" (locales input) matches no locale of any target')
  })

  it('refuses a plan without any file', () => {
    expect(() => planAll([{ target: target(), available: [] }])).toThrow(/^Nothing to pull/)
  })
})

describe('planAll with exclude-locales', () => {
  const all = [...locales, { id: 'id-en', name: 'en', code: 'en-US' }]
  const targets = () => [
    { target: target(), available: all },
    {
      target: target({ file: 'web/<locale_code>.json', fileFormat: 'nested_json' }),
      available: all
    }
  ]
  const recorder = () => {
    const warnings: string[] = []
    return { warnings, logger: { ...silentLogger, warning: (m: string) => void warnings.push(m) } }
  }

  it('leaves a locale out of every target, by name, code or id', () => {
    for (const entry of ['en', 'en-US', 'id-en']) {
      expect(planAll(targets(), silentLogger, [entry]).map(f => f.path)).toEqual([
        'config/locales/de.yml',
        'config/locales/fr.yml',
        'web/de-DE.json',
        'web/fr-FR.json'
      ])
    }
  })

  it('warns about entries that match no locale, and refuses to leave nothing to pull', () => {
    const { warnings, logger } = recorder()
    planAll(targets(), logger, ['en', 'xx'])
    expect(warnings).toEqual(['exclude-locales: "xx" matches no locale of the Phrase project'])
    expect(() => planAll(targets(), silentLogger, ['de', 'fr', 'en'])).toThrow(
      'Nothing to pull: exclude-locales (de, fr, en) leaves out every selected locale'
    )
  })

  it('excludes before paths are planned: the locale left gets the path two locales share', () => {
    // Both locales have the code `de`: under <locale_code> the last one in Phrase's list wins.
    const shared = [
      { id: 'id-de', name: 'de', code: 'de' },
      { id: 'id-formal', name: 'de-formal', code: 'de' }
    ]
    const web = target({ file: 'web/<locale_code>.json', fileFormat: 'nested_json' })
    const files = planAll([{ target: web, available: shared }], silentLogger, ['de-formal'])
    expect(files.map(f => [f.path, f.locale.name])).toEqual([['web/de.json', 'de']])
  })
})

describe('planTarget, as the Phrase CLI places files', () => {
  const recorder = () => {
    const warnings: string[] = []
    const logger: Logger = { ...silentLogger, warning: message => void warnings.push(message) }
    return { warnings, logger }
  }

  it('applies locale_mapping to <locale_name> only', () => {
    const files = planTarget(
      target({
        file: 'res/<locale_name>/strings-<locale_code>.xml',
        localeMapping: { de: 'values-de', 'de-DE': 'unused' }
      }),
      locales
    )
    expect(files.map(f => f.path)).toEqual([
      'res/values-de/strings-de-DE.xml',
      'res/fr/strings-fr-FR.xml'
    ])
  })

  it('replaces the first <file_path> of translation_key_prefix with the path from the config directory', () => {
    const files = planTarget(
      target({
        file: 'apps/web/src/<locale_name>.json',
        filePathBase: 'apps/web',
        params: { translation_key_prefix: '<file_path>:<file_path>' }
      }),
      locales.slice(0, 1)
    )
    expect(files[0].request.params.translation_key_prefix).toBe('src/de.json:<file_path>')
    const atRoot = planTarget(
      target({ params: { translation_key_prefix: 'x.<file_path>.$&' } }),
      locales.slice(0, 1)
    )
    expect(atRoot[0].request.params.translation_key_prefix).toBe('x.config/locales/de.yml.$&')
  })

  it('lets the last locale win a path that several locales share, downloading only that one', () => {
    const sameCode = [
      { id: 'a', name: 'de', code: 'de-DE' },
      { id: 'b', name: 'fr', code: 'fr-FR' },
      { id: 'c', name: 'de-formal', code: 'de-DE' },
      { id: 'd', name: 'de-swiss', code: 'de-DE' }
    ]
    const { warnings, logger } = recorder()
    const files = planTarget(target({ file: 'i18n/<locale_code>.json' }), sameCode, logger)
    expect(files.map(f => [f.path, f.locale.name])).toEqual([
      ['i18n/de-DE.json', 'de-swiss'],
      ['i18n/fr-FR.json', 'fr']
    ])
    expect(warnings).toEqual([
      'Locales "de", "de-formal", "de-swiss" all give i18n/de-DE.json (i18n/<locale_code>.json): as with the Phrase CLI, the last in Phrase\'s list ("de-swiss") is written, and the others are not downloaded. To choose, put <locale_name> in the path or select one locale (locales input or params.locale_id).'
    ])
  })

  it('still refuses two targets that write one path', () => {
    expect(() =>
      planAll([
        { target: target({ file: 'a/<locale_code>.json' }), available: locales },
        { target: target({ file: 'a/<locale_code>.json', projectId: 'p2' }), available: locales }
      ])
    ).toThrow(/^Two downloads would write a\/de-DE\.json/)
  })

  it('refuses a locale whose name would place a file in .github, naming the locale', () => {
    const hostile = [{ id: 'x', name: '.github/renovate', code: 'xx' }]
    expect(() => planTarget(target({ file: '<locale_name>.json' }), hostile)).toThrow(
      'Refusing to write ".github/renovate.json" (locale ".github/renovate" in <locale_name>.json): it writes into ".github", which git and GitHub give meaning to'
    )
    // A subdirectory below the template's fixed directory is fine.
    const nested = [{ id: 'y', name: 'de/formal', code: 'de' }]
    expect(planTarget(target(), nested).map(f => f.path)).toEqual(['config/locales/de/formal.yml'])
  })
})
