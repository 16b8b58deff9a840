/**
 * Checks download parameters (the `download-params` input and a config target's `params`) against
 * the fields of Phrase's async download, before anything is downloaded: a typo is named with the
 * closest field, and the sync-only parameters the Phrase CLI still accepts are mapped or dropped.
 */
import { didYouMean } from './suggest.js'

type ParamType = 'string' | 'boolean' | 'object' | 'array'

/**
 * The body of `POST /projects/{project_id}/locales/{locale_id}/downloads`
 * (`locale_download/create/parameters` in specs/phrase/compiled.json). A unit test compares this
 * list with the description, so a new field there fails the build until it is added here.
 */
export const ASYNC_DOWNLOAD_PARAMS: Readonly<Record<string, ParamType>> = {
  file_format: 'string',
  branch: 'string',
  tags: 'string',
  include_empty_translations: 'boolean',
  exclude_empty_zero_forms: 'boolean',
  include_translated_keys: 'boolean',
  keep_notranslate_tags: 'boolean',
  format_options: 'object',
  encoding: 'string',
  include_unverified_translations: 'boolean',
  use_last_reviewed_version: 'boolean',
  locale_ids: 'array',
  fallback_locale_id: 'string',
  use_locale_fallback: 'boolean',
  fallback_for_unverified_translations: 'boolean',
  source_locale_id: 'string',
  custom_metadata_filters: 'object',
  translation_key_prefix: 'string',
  filter_by_prefix: 'boolean',
  updated_since: 'string'
}

/**
 * Query parameters of the sync download (`GET …/locales/{id}/download`) that the async body lacks.
 * The Phrase CLI accepts them in `params`; each one is handled below, and the same test keeps
 * this list equal to the difference in the description.
 */
export const SYNC_ONLY_PARAMS = ['tag', 'convert_emoji', 'skip_unverified_translations'] as const

export class DownloadParamError extends Error {
  override name = 'DownloadParamError'
  constructor(
    message: string,
    /** The parameter at fault, so a config error can point at its line. */
    readonly key: string
  ) {
    super(message)
  }
}

/** Something the user wrote that is not sent as written: one warning per key, whatever the count. */
export interface ParamNote {
  key: string
  /** Where it was written, e.g. `phrase.pull.targets[2].params`. */
  where: string
  message: string
}

export interface CheckedParams {
  params: Record<string, unknown>
  notes: ParamNote[]
}

/**
 * Validates names and types, and turns what only the sync endpoint understands into its async
 * equivalent. `where` names the place in errors (`download-params`, `phrase.pull.targets[0].params`).
 */
export function checkDownloadParams(raw: Record<string, unknown>, where: string): CheckedParams {
  const params: Record<string, unknown> = {}
  const notes: ParamNote[] = []
  const note = (key: string, message: string) => notes.push({ key, where, message })
  for (const [key, value] of Object.entries(raw)) {
    const type = ASYNC_DOWNLOAD_PARAMS[key]
    if (type) {
      if (value !== null && value !== undefined) params[key] = checkType(key, type, value, where)
    } else if (!(SYNC_ONLY_PARAMS as readonly string[]).includes(key)) {
      const known = [...Object.keys(ASYNC_DOWNLOAD_PARAMS), ...SYNC_ONLY_PARAMS]
      throw new DownloadParamError(
        `${where}: "${key}" is not a parameter of Phrase's locale download${didYouMean(key, known)}`,
        key
      )
    }
  }

  // `tag` is the deprecated single-tag filter; the CLI falls back to it when `tags` is not set.
  if (raw.tag !== undefined && raw.tag !== null) {
    const tag = checkType('tag', 'string', raw.tag, where)
    if (params.tags === undefined) params.tags = tag
    else note('tag', 'is ignored because tags is set too (the Phrase CLI also prefers tags)')
  }
  // The async download keeps unverified translations unless told not to.
  if (raw.skip_unverified_translations !== undefined && raw.skip_unverified_translations !== null) {
    const skip = checkType(
      'skip_unverified_translations',
      'boolean',
      raw.skip_unverified_translations,
      where
    )
    if (params.include_unverified_translations === undefined) {
      if (skip === true) params.include_unverified_translations = false
    } else if (params.include_unverified_translations === skip) {
      note(
        'skip_unverified_translations',
        'is ignored because include_unverified_translations says the opposite'
      )
    }
  }
  if (raw.convert_emoji !== undefined && raw.convert_emoji !== null) {
    note(
      'convert_emoji',
      'is ignored: the async download has no such parameter (Phrase made it obsolete: emoji are supported natively)'
    )
  }
  return { params, notes }
}

/** One warning per parameter, naming every place it was written. */
export function describeNotes(notes: ParamNote[]): string[] {
  const byKey = new Map<string, { message: string; places: string[] }>()
  for (const { key, where, message } of notes) {
    const entry = byKey.get(key) ?? { message, places: [] }
    if (!entry.places.includes(where)) entry.places.push(where)
    byKey.set(key, entry)
  }
  return [...byKey].map(
    ([key, { message, places }]) => `${key} (in ${places.join(', ')}) ${message}`
  )
}

/** YAML 1.1 booleans, which the Phrase CLI's YAML reader accepts (`yes`, `off`, …). */
const YAML11_TRUE = /^(y|yes|true|on)$/i
const YAML11_FALSE = /^(n|no|false|off)$/i

function checkType(key: string, type: ParamType, value: unknown, where: string): unknown {
  const wrong = (expected: string): never => {
    throw new DownloadParamError(
      `${where}: ${key} must be ${expected}, got ${JSON.stringify(value)}`,
      key
    )
  }
  switch (type) {
    case 'boolean':
      if (typeof value === 'boolean') return value
      if (typeof value === 'string' && YAML11_TRUE.test(value)) return true
      if (typeof value === 'string' && YAML11_FALSE.test(value)) return false
      return wrong('true or false')
    case 'string':
      if (typeof value === 'string') return value
      // A YAML list of tags means the same as the comma-separated string the API takes.
      if (Array.isArray(value) && (key === 'tags' || key === 'tag')) return value.join(',')
      if (typeof value === 'number' || typeof value === 'boolean') return String(value)
      return wrong('a string')
    case 'object':
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value
      return wrong('a map')
    case 'array':
      if (Array.isArray(value)) return value
      if (typeof value === 'string') return value.split(',').map(item => item.trim())
      return wrong('a list')
  }
}
