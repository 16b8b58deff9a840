import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readSettings } from '../src/inputs.js'
import { planTarget } from '../src/plan.js'

const env = (workspace: string): NodeJS.ProcessEnv => ({
  GITHUB_WORKSPACE: workspace,
  GITHUB_REPOSITORY: 'octo/app',
  GITHUB_REF: 'refs/heads/main',
  GITHUB_API_URL: 'https://ghe.example.com/api/v3/'
})
const reader = (values: Record<string, string>) => (name: string) => values[name] ?? ''
const minimal = {
  'api-token': 'ph-token',
  'github-token': 'gh-token',
  'project-id': 'p1',
  'file-format': 'yml',
  path: 'config/locales/<locale_name>.yml'
}
const emptyWorkspace = () => mkdtempSync(path.join(os.tmpdir(), 'inputs-'))

describe('readSettings', () => {
  it('builds typed settings with defaults', () => {
    const settings = readSettings(
      env(emptyWorkspace()),
      reader({ ...minimal, locales: 'de, fr\nit', labels: 'i18n' })
    )
    expect(settings.phrase).toEqual({
      token: 'ph-token',
      apiUrl: 'https://api.phrase.com/v2',
      timeoutMs: 600_000,
      maxConcurrency: 4
    })
    expect(settings.github).toEqual({
      token: 'gh-token',
      apiUrl: 'https://ghe.example.com/api/v3',
      owner: 'octo',
      repo: 'app'
    })
    expect(settings.targets).toEqual([
      {
        file: 'config/locales/<locale_name>.yml',
        projectId: 'p1',
        fileFormat: 'yml',
        locales: ['de', 'fr', 'it'],
        localeFilter: [],
        branch: undefined,
        tags: [],
        params: {}
      }
    ])
    expect(settings.pullRequest).toMatchObject({
      create: true,
      base: 'main',
      branch: 'phrase/translations',
      labels: ['i18n'],
      draft: false
    })
    expect(settings.maxKeyRemoval).toBe(0.5)
    expect(settings.excludeLocales).toEqual([])
    expect(settings.checks).toEqual({ mode: 'warn', sourceLocale: undefined })
  })

  it('caps max-concurrency at the 4 requests Phrase allows per user, with a warning', () => {
    const ws = emptyWorkspace()
    const read = (value: string) =>
      readSettings(env(ws), reader({ ...minimal, 'max-concurrency': value }))
    expect(read('3').phrase.maxConcurrency).toBe(3)
    expect(read('3').warnings).toEqual([])
    const capped = read('16')
    expect(capped.phrase.maxConcurrency).toBe(4)
    expect(capped.warnings).toEqual([
      'max-concurrency: 16 is more than Phrase allows (4 concurrent requests per user, more are refused with 429); using 4'
    ])
  })

  it('names the missing or malformed input', () => {
    const ws = emptyWorkspace()
    expect(() => readSettings(env(ws), reader({ ...minimal, 'api-token': '' }))).toThrow(
      'api-token'
    )
    expect(() => readSettings(env(ws), reader({ ...minimal, 'project-id': '' }))).toThrow(
      'project-id'
    )
    expect(() => readSettings(env(ws), reader({ ...minimal, timeout: 'soon' }))).toThrow(
      /^timeout: expected a number/
    )
    expect(() => readSettings(env(ws), reader({ ...minimal, 'max-concurrency': '2.5' }))).toThrow(
      /^max-concurrency: expected a whole number/
    )
    expect(() => readSettings(env(ws), reader({ ...minimal, draft: 'maybe' }))).toThrow(
      /^draft: expected true or false/
    )
    expect(() => readSettings(env(ws), reader({ ...minimal, 'api-url': 'ftp://x' }))).toThrow(
      /^api-url:/
    )
    expect(() => readSettings(env(ws), reader({ ...minimal, branch: 'bad..name' }))).toThrow(
      /^branch:/
    )
    expect(() =>
      readSettings(env(ws), reader({ ...minimal, 'download-params': '[1, 2]' }))
    ).toThrow(/^download-params: expected a map/)
    expect(() => readSettings(env(ws), reader({ ...minimal, 'download-params': '{a: [' }))).toThrow(
      /^download-params: not valid YAML/
    )
    expect(() =>
      readSettings(env(ws), reader({ ...minimal, 'download-params': 'file_format: json' }))
    ).toThrow(/file_format with its own input/)
  })

  it('merges download-params into every target', () => {
    const settings = readSettings(
      env(emptyWorkspace()),
      reader({
        ...minimal,
        'download-params': '{"include_empty_translations": true, "format_options": {"a": 1}}',
        'phrase-branch': 'feat',
        tags: 'web,app'
      })
    )
    expect(settings.targets[0]).toMatchObject({
      branch: 'feat',
      tags: ['web', 'app'],
      params: { include_empty_translations: true, format_options: { a: 1 } }
    })
  })

  it('reads .phrase.yml when no path is given, and warns about a token in it', () => {
    const ws = emptyWorkspace()
    writeFileSync(
      path.join(ws, '.phrase.yml'),
      'phrase:\n  access_token: secret\n  project_id: p1\n  file_format: yml\n  pull:\n    targets:\n      - file: a/<locale_name>.yml\n      - file: b/de.json\n        project_id: p2\n        params:\n          file_format: simple_json\n          locale_id: de\n'
    )
    const settings = readSettings(env(ws), reader({ 'api-token': 't', 'github-token': 'g' }))
    expect(settings.targets.map(t => [t.file, t.projectId, t.fileFormat, t.locales])).toEqual([
      ['a/<locale_name>.yml', 'p1', 'yml', []],
      ['b/de.json', 'p2', 'simple_json', ['de']]
    ])
    expect(settings.warnings.join()).toMatch(/access_token: it is ignored/)
  })

  it('names the config key at fault and a missing config file', () => {
    const ws = emptyWorkspace()
    writeFileSync(path.join(ws, 'custom.yml'), 'phrase:\n  projectid: p1\n')
    expect(() =>
      readSettings(env(ws), reader({ 'api-token': 't', 'github-token': 'g', config: 'custom.yml' }))
    ).toThrow(/^config: custom\.yml:2: unknown key "projectid" in phrase/)
    expect(() =>
      readSettings(env(ws), reader({ 'api-token': 't', 'github-token': 'g', config: 'nope.yml' }))
    ).toThrow('config: file not found: nope.yml')
  })

  it('refuses a head branch that is also the base', () => {
    expect(() =>
      readSettings(env(emptyWorkspace()), reader({ ...minimal, branch: 'main' }))
    ).toThrow(/^branch: "main" is also the base branch/)
  })

  it('keeps a config target pinned to locale_id and passes the locales input as a filter', () => {
    const ws = emptyWorkspace()
    writeFileSync(
      path.join(ws, '.phrase.yml'),
      'phrase:\n  project_id: p1\n  file_format: yml\n  pull:\n    targets:\n      - file: a/<locale_name>.yml\n      - file: b/de.json\n        params:\n          locale_id: de\n'
    )
    const settings = readSettings(
      env(ws),
      reader({ 'api-token': 't', 'github-token': 'g', locales: 'fr' })
    )
    expect(settings.targets.map(t => [t.locales, t.localeFilter])).toEqual([
      [[], ['fr']],
      [['de'], ['fr']]
    ])
  })

  it('does not need a GitHub token or repository when only writing files', () => {
    const settings = readSettings(
      { GITHUB_WORKSPACE: emptyWorkspace() },
      reader({ ...minimal, 'github-token': '', 'create-pull-request': 'false' })
    )
    expect(settings.pullRequest.create).toBe(false)
    expect(settings.pullRequest.base).toBeUndefined()
  })

  it('reads checks, source-locale and exclude-locales, and names a bad checks value', () => {
    const settings = readSettings(
      env(emptyWorkspace()),
      reader({
        ...minimal,
        checks: ' FAIL ',
        'source-locale': 'en-GB',
        'exclude-locales': 'en, en-GB\nid-x'
      })
    )
    expect(settings.checks).toEqual({ mode: 'fail', sourceLocale: 'en-GB' })
    expect(settings.excludeLocales).toEqual(['en', 'en-GB', 'id-x'])
    expect(() =>
      readSettings(env(emptyWorkspace()), reader({ ...minimal, checks: 'strict' }))
    ).toThrow('checks: expected warn, fail, off, got "strict"')
  })

  it('finds .phraseapp.yml when there is no .phrase.yml, as the Phrase CLI does', () => {
    const ws = emptyWorkspace()
    writeFileSync(
      path.join(ws, '.phraseapp.yml'),
      'phraseapp:\n  project_id: 0123456789abcdef0123456789abcdef\n  file_format: yml\n  pull:\n    targets:\n      - file: ./config/locales/<locale_name>.yml\n'
    )
    const settings = readSettings(env(ws), reader({ 'api-token': 't', 'github-token': 'g' }))
    expect(settings.targets.map(t => [t.file, t.projectId])).toEqual([
      ['config/locales/<locale_name>.yml', '0123456789abcdef0123456789abcdef']
    ])
    writeFileSync(
      path.join(ws, '.phrase.yml'),
      'phrase:\n  project_id: p2\n  file_format: yml\n  pull:\n    targets:\n      - file: b/<locale_name>.yml\n'
    )
    expect(
      readSettings(env(ws), reader({ 'api-token': 't', 'github-token': 'g' })).targets[0].file
    ).toBe('b/<locale_name>.yml')
  })

  it('resolves config paths against the config file directory, as phrase pull run there', () => {
    const ws = emptyWorkspace()
    mkdirSync(path.join(ws, 'apps/web'), { recursive: true })
    writeFileSync(
      path.join(ws, 'apps/web/.phrase.yml'),
      [
        'phrase:',
        '  project_id: p1',
        '  file_format: nested_json',
        '  locale_mapping: { en-US: en }',
        '  pull:',
        '    targets:',
        '      - file: ./src/locales/<locale_name>.json',
        '        params: { translation_key_prefix: "<file_path>." }',
        '      - file: ../common/i18n/<locale_code>.json',
        ''
      ].join('\n')
    )
    const settings = readSettings(
      env(ws),
      reader({ 'api-token': 't', 'github-token': 'g', config: 'apps/web/.phrase.yml' })
    )
    expect(settings.targets.map(t => [t.file, t.filePathBase, t.localeMapping])).toEqual([
      ['apps/web/src/locales/<locale_name>.json', 'apps/web', { 'en-US': 'en' }],
      ['apps/common/i18n/<locale_code>.json', 'apps/web', { 'en-US': 'en' }]
    ])
    writeFileSync(
      path.join(ws, 'apps/web/.phrase.yml'),
      'phrase:\n  project_id: p1\n  file_format: yml\n  pull:\n    targets:\n      - file: ../../../etc/<locale_name>.yml\n'
    )
    expect(() =>
      readSettings(
        env(ws),
        reader({ 'api-token': 't', 'github-token': 'g', config: 'apps/web/.phrase.yml' })
      )
    ).toThrow(
      'config: apps/web/.phrase.yml: phrase.pull.targets[0].file: "../../../etc/<locale_name>.yml" leaves the repository'
    )
  })

  it('refuses a "*" in a pull path, as the Phrase CLI does', () => {
    expect(() =>
      readSettings(env(emptyWorkspace()), reader({ ...minimal, path: 'config/locales/*.yml' }))
    ).toThrow(/^path: "config\/locales\/\*\.yml" contains "\*": a pull path names the files/)
  })

  it('checks download-params against the async download fields, with the closest name', () => {
    const ws = emptyWorkspace()
    expect(() =>
      readSettings(
        env(ws),
        reader({ ...minimal, 'download-params': 'include_empty_translation: true' })
      )
    ).toThrow(
      'download-params: "include_empty_translation" is not a parameter of Phrase\'s locale download (did you mean "include_empty_translations"?)'
    )
    const settings = readSettings(
      env(ws),
      reader({
        ...minimal,
        'download-params': '{tag: web, skip_unverified_translations: true, convert_emoji: true}'
      })
    )
    expect(settings.targets[0]).toMatchObject({
      tags: ['web'],
      params: { include_unverified_translations: false }
    })
    expect(settings.warnings).toEqual([
      expect.stringMatching(/^convert_emoji \(in download-params\) is ignored/)
    ])
  })

  it('says what to write instead of a project URL or a timeout with a unit', () => {
    const ws = emptyWorkspace()
    expect(() =>
      readSettings(
        env(ws),
        reader({
          ...minimal,
          'project-id': 'https://app.phrase.com/accounts/acme/projects/shop/dashboard'
        })
      )
    ).toThrow(/^project-id: ".*" is a link, not a project ID; write the project ID instead/)
    expect(() => readSettings(env(ws), reader({ ...minimal, timeout: '10m' }))).toThrow(
      'timeout: "10m" has a unit, but timeout is a number of seconds; write 600'
    )
  })

  it('refuses an http:// api-url or config host unless it is a loopback address', () => {
    const ws = emptyWorkspace()
    expect(() =>
      readSettings(env(ws), reader({ ...minimal, 'api-url': 'http://api.phrase.com/v2' }))
    ).toThrow(
      'api-url: "http://api.phrase.com" would send the Phrase token in clear text; use https://api.phrase.com'
    )
    expect(
      readSettings(env(ws), reader({ ...minimal, 'api-url': 'http://127.0.0.1:4010/v2/' })).phrase
        .apiUrl
    ).toBe('http://127.0.0.1:4010/v2')
    writeFileSync(
      path.join(ws, '.phrase.yml'),
      'phrase:\n  host: http://api.us.app.phrase.com/v2\n  project_id: p1\n  file_format: yml\n  pull:\n    targets:\n      - file: a/<locale_name>.yml\n'
    )
    expect(() => readSettings(env(ws), reader({ 'api-token': 't', 'github-token': 'g' }))).toThrow(
      /^config: \.phrase\.yml: host: "http:\/\/api\.us\.app\.phrase\.com" would send the Phrase token in clear text/
    )
  })

  it('fills <tag> from the deprecated tag param, as the Phrase CLI falls back to it', () => {
    const ws = emptyWorkspace()
    writeFileSync(
      path.join(ws, '.phrase.yml'),
      'phrase:\n  project_id: p1\n  file_format: laravel\n  pull:\n    targets:\n      - file: lang/<locale_code>/<tag>.php\n        params: { tag: about }\n'
    )
    const [target] = readSettings(
      env(ws),
      reader({ 'api-token': 't', 'github-token': 'g' })
    ).targets
    const files = planTarget(target, [{ id: 'l1', name: 'German', code: 'de' }])
    expect(files.map(f => [f.path, f.request.params])).toEqual([
      ['lang/de/about.php', { file_format: 'laravel', tags: 'about' }]
    ])
  })
})

describe('readSettings: GitHub write spacing', () => {
  it("keeps GitHub's spacing unless PHRASE_PULL_WRITE_SPACING_MS (for local doubles) says otherwise", () => {
    const workspace = emptyWorkspace()
    const spacing = (value?: string) =>
      readSettings(
        value === undefined
          ? env(workspace)
          : { ...env(workspace), PHRASE_PULL_WRITE_SPACING_MS: value },
        reader(minimal)
      ).github.writeSpacingMs
    expect(spacing()).toBeUndefined()
    expect(spacing('')).toBeUndefined()
    expect(spacing('0')).toBe(0)
    expect(spacing(' 250 ')).toBe(250)
    expect(() => spacing('fast')).toThrow(
      'PHRASE_PULL_WRITE_SPACING_MS: expected a whole number of milliseconds, got "fast"'
    )
    expect(() => spacing('-1')).toThrow(/PHRASE_PULL_WRITE_SPACING_MS/)
  })
})
