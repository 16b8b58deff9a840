import { describe, expect, it } from '@jest/globals'
import { parsePhraseConfig } from '../src/config.js'

const twoTargets = `phrase:
  access_token: "do-not-read"
  project_id: p1
  file_format: yml
  pull:
    targets:
      - file: ./config/locales/<locale_name>.yml
      - file: web/i18n/<locale_code>/<tag>.json
        project_id: p2
        params:
          file_format: nested_json
          tags: checkout, search
          branch: feature-x
          format_options:
            enclose_in_cdata: true
          include_empty_translations: true
`

describe('parsePhraseConfig', () => {
  it('reads targets with their own project and params, and never the token', () => {
    const config = parsePhraseConfig(twoTargets, '.phrase.yml')
    expect(config.projectId).toBe('p1')
    expect(config.fileFormat).toBe('yml')
    expect(config.warnings).toEqual([
      '.phrase.yml contains phrase.access_token: it is ignored. Pass the token with the api-token input from a secret, and remove it from the file.'
    ])
    expect(JSON.stringify(config)).not.toContain('do-not-read')
    expect(config.targets).toEqual([
      {
        file: './config/locales/<locale_name>.yml',
        tags: [],
        params: {},
        projectId: undefined,
        fileFormat: undefined,
        localeId: undefined,
        branch: undefined
      },
      {
        file: 'web/i18n/<locale_code>/<tag>.json',
        projectId: 'p2',
        fileFormat: 'nested_json',
        localeId: undefined,
        tags: ['checkout', 'search'],
        branch: 'feature-x',
        params: { format_options: { enclose_in_cdata: true }, include_empty_translations: true }
      }
    ])
  })

  it('names the line and key of an unknown key', () => {
    const text =
      'phrase:\n  project_id: p1\n  pull:\n    targets:\n      - file: a.yml\n        parms:\n          file_format: yml\n'
    expect(() => parsePhraseConfig(text, '.phrase.yml')).toThrow(
      /\.phrase\.yml:6: unknown key "parms" in phrase\.pull\.targets\[0\]/
    )
  })

  it('names the line of invalid YAML', () => {
    expect(() => parsePhraseConfig('phrase:\n  project_id: [p1\n', 'cfg.yml')).toThrow(
      /^cfg\.yml:\d+: invalid YAML/
    )
  })

  it('requires the phrase mapping and a file per target', () => {
    expect(() => parsePhraseConfig('other: 1\n', 'c.yml')).toThrow(/top-level "phrase"/)
    expect(() =>
      parsePhraseConfig('phrase:\n  pull:\n    targets:\n      - params: {}\n', 'c.yml')
    ).toThrow(/phrase\.pull\.targets\[0\]\.file is required/)
  })
})

describe('parsePhraseConfig, as the Phrase CLI reads it', () => {
  it('accepts the older phraseapp root, and prefers phrase when both are there', () => {
    const old = parsePhraseConfig(
      'phraseapp:\n  project_id: p1\n  pull:\n    targets:\n      - file: a/<locale_name>.yml\n',
      '.phraseapp.yml'
    )
    expect(old.root).toBe('phraseapp')
    expect(old.projectId).toBe('p1')
    expect(old.targets.map(t => t.file)).toEqual(['a/<locale_name>.yml'])
    const both = parsePhraseConfig(
      'phraseapp:\n  project_id: old\nphrase:\n  project_id: new\n',
      'c'
    )
    expect(both.projectId).toBe('new')
  })

  it('resolves merge keys at every level and reports a bad merged key where it is written', () => {
    const text = [
      'shared: &shared',
      '  include_empty_translations: true',
      '  format_options: { convert_placeholder: true }',
      'target: &target',
      '  project_id: p2',
      'phrase:',
      '  <<: { file_format: yml }',
      '  pull:',
      '    targets:',
      '      - <<: *target',
      '        file: a/<locale_name>.json',
      '        params:',
      '          <<: *shared',
      '          tags: web',
      ''
    ].join('\n')
    const config = parsePhraseConfig(text, '.phrase.yml')
    expect(config.fileFormat).toBe('yml')
    expect(config.targets).toEqual([
      {
        file: 'a/<locale_name>.json',
        projectId: 'p2',
        fileFormat: undefined,
        localeId: undefined,
        tags: ['web'],
        branch: undefined,
        params: { include_empty_translations: true, format_options: { convert_placeholder: true } }
      }
    ])
    const typo = text.replace('  include_empty_translations', '  include_empty_translation')
    expect(() => parsePhraseConfig(typo, '.phrase.yml')).toThrow(
      '.phrase.yml:2: phrase.pull.targets[0].params: "include_empty_translation" is not a parameter of Phrase\'s locale download (did you mean "include_empty_translations"?)'
    )
  })

  it('reads locale_mapping, the target file_format, and warns about a target access_token', () => {
    const config = parsePhraseConfig(
      [
        'phrase:',
        '  locale_mapping:',
        '    en-US: values',
        '    de-DE: values-de',
        '  pull:',
        '    targets:',
        '      - file: res/<locale_name>/strings.xml',
        '        file_format: xml',
        '        access_token: secret-in-file',
        '      - file: b/<locale_name>.stringsdict',
        '        file_format: xml',
        '        params: { file_format: stringsdict }',
        ''
      ].join('\n'),
      'app/.phrase.yml'
    )
    expect(config.localeMapping).toEqual({ 'en-US': 'values', 'de-DE': 'values-de' })
    expect(config.targets.map(t => t.fileFormat)).toEqual(['xml', 'stringsdict'])
    expect(config.warnings).toEqual([
      'app/.phrase.yml contains phrase.pull.targets[0].access_token: it is ignored. Pass the token with the api-token input from a secret, and remove it from the file.'
    ])
    expect(JSON.stringify(config)).not.toContain('secret-in-file')
  })

  it('falls back to the deprecated tag, and maps or drops what only the sync download knows', () => {
    const config = parsePhraseConfig(
      [
        'phrase:',
        '  pull:',
        '    targets:',
        '      - file: a/<locale_name>.php',
        '        params: { tag: about, skip_unverified_translations: true, convert_emoji: yes }',
        '      - file: b/<locale_name>.php',
        '        params: { tags: "x, y", tag: old }',
        '      -',
        '      - file: c/de.php',
        '        params: { tags: [p, q], include_empty_translations: yes, locale_id: de }',
        ''
      ].join('\n'),
      '.phrase.yml'
    )
    expect(config.targets.map(t => [t.tags, t.params, t.localeId])).toEqual([
      [['about'], { include_unverified_translations: false }, undefined],
      [['x', 'y'], {}, undefined],
      [['p', 'q'], { include_empty_translations: true }, 'de']
    ])
    expect(config.notes.map(n => `${n.key} @ ${n.where}`)).toEqual([
      'convert_emoji @ phrase.pull.targets[0].params',
      'tag @ phrase.pull.targets[1].params'
    ])
  })

  it('keeps ids that look like numbers as written', () => {
    const config = parsePhraseConfig(
      'phrase:\n  project_id: 012345678901234567890123456789ab\n  pull:\n    targets:\n      - file: a.json\n        project_id: 00001234567890123456789012345678\n        params: { locale_id: 1e5, fallback_locale_id: 0123 }\n',
      'c'
    )
    expect(config.projectId).toBe('012345678901234567890123456789ab')
    expect(config.targets[0]).toMatchObject({
      projectId: '00001234567890123456789012345678',
      localeId: '1e5',
      params: { fallback_locale_id: '0123' }
    })
  })

  it('names the closest known key at every level', () => {
    expect(() => parsePhraseConfig('phrase:\n  projectid: p1\n', 'c')).toThrow(
      /^c:2: unknown key "projectid" in phrase \(did you mean "project_id"\?\)/
    )
    expect(() => parsePhraseConfig('phrase:\n  pull:\n    target: []\n', 'c')).toThrow(
      /^c:3: unknown key "target" in phrase\.pull \(did you mean "targets"\?\)/
    )
    expect(() =>
      parsePhraseConfig(
        'phrase:\n  pull:\n    targets:\n      - file: a\n        fileformat: x\n',
        'c'
      )
    ).toThrow(
      /^c:5: unknown key "fileformat" in phrase\.pull\.targets\[0\] \(did you mean "file_format"\?\)/
    )
    expect(() =>
      parsePhraseConfig(
        'phrase:\n  pull:\n    targets:\n      - file: a\n        params:\n          include_empty_translations: maybe\n',
        'c'
      )
    ).toThrow(
      'c:6: phrase.pull.targets[0].params: include_empty_translations must be true or false, got "maybe"'
    )
  })

  const target = (file: string, params = '') =>
    `phrase:\n  project_id: p1\n  pull:\n    targets:\n      - file: ${file}\n${params ? `        params: { ${params} }\n` : ''}`

  // phrase-cli cmd/internal/pull_target.go CheckPreconditions, each rule with the CLI's own words.
  it.each([
    [
      'a placeholder used twice (containsDuplicatePlaceholders)',
      target('t/<locale_name>/<locale_name>.json'),
      'c:5: phrase.pull.targets[0].file "t/<locale_name>/<locale_name>.json" uses <locale_name> more than once; the Phrase CLI refuses a placeholder used twice in one path'
    ],
    [
      'neither locale_id nor a locale placeholder, whatever the project holds ("Could not find any locale information")',
      target('config/en.json'),
      'c:5: phrase.pull.targets[0]: no locale information: set params.locale_id, or put <locale_name> or <locale_code> in the file path ("config/en.json"), as the Phrase CLI requires'
    ],
    [
      'both locale_id and a placeholder ("Found \'locale_id\' in params and a placeholder")',
      target('t/<locale_code>.json', 'locale_id: de'),
      'c:5: phrase.pull.targets[0]: both params.locale_id (de) and a <locale_name> or <locale_code> placeholder in "t/<locale_code>.json": the Phrase CLI accepts only one of them per target'
    ]
  ])('refuses %s', (_, text, message) => {
    expect(() => parsePhraseConfig(text, 'c')).toThrow(message)
  })

  it('keeps the last value of a key written twice, as yaml.v2 (non-strict) does, and warns', () => {
    const config = parsePhraseConfig(
      'phrase:\n  project_id: first\n  project_id: second\n  pull:\n    targets:\n      - file: a/<locale_name>.json\n        params: { file_format: yml, file_format: nested_json }\n',
      'c'
    )
    expect(config.projectId).toBe('second')
    expect(config.targets[0].fileFormat).toBe('nested_json')
    expect(config.warnings).toEqual([
      'c:3: "project_id" is written twice in its mapping; the last value is used, as the Phrase CLI (yaml.v2) does',
      'c:7: "file_format" is written twice in its mapping; the last value is used, as the Phrase CLI (yaml.v2) does'
    ])
  })

  it('refuses aliases that expand without end', () => {
    const anchor = Array.from({ length: 2_000 }, (_, i) => `    k${i}: v`).join('\n')
    const bomb = `base: &b\n${anchor}\nphrase:\n  project_id: p\n  defaults:\n${Array.from({ length: 99 }, (_, i) => `    d${i}: *b`).join('\n')}\n`
    expect(() => parsePhraseConfig(bomb, 'c')).toThrow(
      /^c: aliases expand the document from \d+ to \d+ nodes/
    )
  })

  it('refuses a locale_mapping that is not a map of names', () => {
    expect(() => parsePhraseConfig('phrase:\n  locale_mapping: [a]\n', 'c')).toThrow(
      'c:2: phrase.locale_mapping must map Phrase locale names to names'
    )
    expect(() => parsePhraseConfig('phrase:\n  locale_mapping:\n    de: {x: 1}\n', 'c')).toThrow(
      'phrase.locale_mapping.de must be a name'
    )
  })
})
