import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { readSettings } from '../src/inputs.js'

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
      'phrase:\n  access_token: secret\n  project_id: p1\n  file_format: yml\n  pull:\n    targets:\n      - file: a/<locale_name>.yml\n      - file: b/<locale_name>.json\n        project_id: p2\n        params:\n          file_format: simple_json\n          locale_id: de\n'
    )
    const settings = readSettings(env(ws), reader({ 'api-token': 't', 'github-token': 'g' }))
    expect(settings.targets.map(t => [t.file, t.projectId, t.fileFormat, t.locales])).toEqual([
      ['a/<locale_name>.yml', 'p1', 'yml', []],
      ['b/<locale_name>.json', 'p2', 'simple_json', ['de']]
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
})
