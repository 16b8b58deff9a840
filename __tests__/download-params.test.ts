import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import {
  ASYNC_DOWNLOAD_PARAMS,
  checkDownloadParams,
  describeNotes,
  SYNC_ONLY_PARAMS
} from '../src/download-params.js'

interface Parameter {
  name?: string
  in?: string
  $ref?: string
  schema?: { type?: string }
}
interface Spec {
  paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: unknown }>>
}

/** The vendored official description (specs/phrase/README.md says where it comes from). */
const spec = JSON.parse(
  readFileSync(fileURLToPath(new URL('../specs/phrase/compiled.json', import.meta.url)), 'utf8')
) as Spec

describe('the download parameters, against the official description', () => {
  const create = spec.paths['/projects/{project_id}/locales/{locale_id}/downloads'].post
  const body = (
    create.requestBody as {
      content: { 'application/json': { schema: { properties: Record<string, { type: string }> } } }
    }
  ).content['application/json'].schema.properties

  it('lists every field of the async download body with its type', () => {
    expect(ASYNC_DOWNLOAD_PARAMS).toEqual(
      Object.fromEntries(Object.entries(body).map(([name, schema]) => [name, schema.type]))
    )
  })

  it('handles exactly the sync download query parameters the async body lacks', () => {
    const sync = spec.paths['/projects/{project_id}/locales/{id}/download'].get.parameters ?? []
    const queryOnly = sync
      .filter(p => p.in === 'query' && p.name !== undefined && !(p.name in body))
      .map(p => p.name)
    expect([...SYNC_ONLY_PARAMS].sort()).toEqual(queryOnly.sort())
  })
})

describe('checkDownloadParams', () => {
  it('passes known fields, turning YAML 1.1 booleans and numbers into their types', () => {
    expect(
      checkDownloadParams(
        {
          include_empty_translations: 'yes',
          keep_notranslate_tags: 'Off',
          encoding: 'UTF-8',
          fallback_locale_id: 42,
          format_options: { convert_placeholder: true },
          tags: ['a', 'b'],
          locale_ids: 'de, fr',
          updated_since: null
        },
        'download-params'
      )
    ).toEqual({
      params: {
        include_empty_translations: true,
        keep_notranslate_tags: false,
        encoding: 'UTF-8',
        fallback_locale_id: '42',
        format_options: { convert_placeholder: true },
        tags: 'a,b',
        locale_ids: ['de', 'fr']
      },
      notes: []
    })
  })

  it.each([
    ['include_empty_translation', 'include_empty_translations'],
    ['file_formats', 'file_format'],
    ['formatoptions', 'format_options'],
    ['skip_unverified_translation', 'skip_unverified_translations']
  ])('names the field closest to %j', (typo, meant) => {
    expect(() => checkDownloadParams({ [typo]: true }, 'download-params')).toThrow(
      `download-params: "${typo}" is not a parameter of Phrase's locale download (did you mean "${meant}"?)`
    )
  })

  it('offers nothing for a name unlike any field', () => {
    expect(() => checkDownloadParams({ colour: 'red' }, 'p')).toThrow(
      /^p: "colour" is not a parameter of Phrase's locale download$/
    )
  })

  it.each([
    [
      { include_empty_translations: 'sometimes' },
      'include_empty_translations must be true or false, got "sometimes"'
    ],
    [
      { format_options: 'convert_placeholder' },
      'format_options must be a map, got "convert_placeholder"'
    ],
    [{ encoding: { a: 1 } }, 'encoding must be a string, got {"a":1}'],
    [{ locale_ids: 3 }, 'locale_ids must be a list, got 3']
  ])('refuses a value of the wrong type: %j', (params, message) => {
    expect(() => checkDownloadParams(params, 'p')).toThrow(`p: ${message}`)
  })

  it('maps skip_unverified_translations onto include_unverified_translations', () => {
    expect(checkDownloadParams({ skip_unverified_translations: true }, 'p').params).toEqual({
      include_unverified_translations: false
    })
    // false is the async default: nothing to send.
    expect(checkDownloadParams({ skip_unverified_translations: 'no' }, 'p').params).toEqual({})
    const both = checkDownloadParams(
      { skip_unverified_translations: true, include_unverified_translations: true },
      'p'
    )
    expect(both.params).toEqual({ include_unverified_translations: true })
    expect(both.notes.map(n => n.key)).toEqual(['skip_unverified_translations'])
  })

  it('sends the deprecated tag as tags unless tags is set', () => {
    expect(checkDownloadParams({ tag: 'web' }, 'p')).toEqual({ params: { tags: 'web' }, notes: [] })
    const both = checkDownloadParams({ tag: 'web', tags: 'app' }, 'p')
    expect(both.params).toEqual({ tags: 'app' })
    expect(both.notes).toEqual([
      {
        key: 'tag',
        where: 'p',
        message: 'is ignored because tags is set too (the Phrase CLI also prefers tags)'
      }
    ])
  })

  it('drops convert_emoji with one warning however often it is written', () => {
    const a = checkDownloadParams({ convert_emoji: true }, 'targets[0].params')
    const b = checkDownloadParams({ convert_emoji: false }, 'targets[1].params')
    expect(a.params).toEqual({})
    expect(describeNotes([...a.notes, ...b.notes, ...a.notes])).toEqual([
      'convert_emoji (in targets[0].params, targets[1].params) is ignored: the async download has no such parameter (Phrase made it obsolete: emoji are supported natively)'
    ])
  })
})
