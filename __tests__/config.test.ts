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
