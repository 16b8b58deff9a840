/**
 * Renders a locale's translations the way Phrase Strings exports them, one function per format.
 * Deterministic (keys sorted like Phrase's exports) except the gettext `PO-Revision-Date`,
 * which the caller passes so that every export job carries a new one, as on the live service.
 */
import { po } from 'gettext-parser'
import { Document } from 'yaml'

export interface RenderInput {
  localeName: string
  localeCode: string
  /** Flat key → translation; dots in keys mean nesting for the nested formats. */
  translations: Record<string, string>
  /** Stamped into gettext headers. */
  revisionDate: Date
}

/** One entry of `GET /formats`, as the official description's `format` schema requires. */
export interface FormatInfo {
  name: string
  api_name: string
  description: string
  extension: string
  default_encoding: string
  importable: boolean
  exportable: boolean
  default_file: string
  renders_default_locale: boolean
  includes_locale_information: boolean
}

type Renderer = (input: RenderInput) => string

interface FormatDefinition {
  info: FormatInfo
  render: Renderer
}

function format(
  apiName: string,
  name: string,
  extension: string,
  defaultFile: string,
  render: Renderer,
  includesLocale = false
): FormatDefinition {
  return {
    info: {
      name,
      api_name: apiName,
      description: `${name} file format`,
      extension,
      default_encoding: 'UTF-8',
      importable: true,
      exportable: true,
      default_file: defaultFile,
      renders_default_locale: false,
      includes_locale_information: includesLocale
    },
    render
  }
}

const FORMATS: FormatDefinition[] = [
  format(
    'yml',
    'Ruby/Rails YAML',
    'yml',
    './config/locales/<locale_name>.yml',
    renderRailsYaml,
    true
  ),
  format('nested_json', 'Nested JSON', 'json', './config/locales/<locale_name>.json', input =>
    json(nest(input.translations))
  ),
  format('simple_json', 'Simple JSON', 'json', './config/locales/<locale_name>.json', input =>
    json(sortedRecord(input.translations))
  ),
  format('i18next', 'i18next', 'json', './locales/<locale_name>/translation.json', input =>
    json(nest(input.translations))
  ),
  format('gettext', 'Gettext', 'po', './locales/<locale_name>.po', renderGettext, true),
  format(
    'properties',
    'Java Properties',
    'properties',
    './<locale_name>.properties',
    renderProperties
  ),
  format(
    'strings',
    'iOS Localizable Strings',
    'strings',
    './<locale_name>.lproj/Localizable.strings',
    renderStrings
  ),
  format(
    'xml',
    'Android Strings',
    'xml',
    './res/values-<locale_code>/strings.xml',
    renderAndroidXml
  ),
  format('arb', 'Flutter ARB', 'arb', './lib/l10n/app_<locale_name>.arb', renderArb, true),
  // No parser in the action: compared by bytes (the memory test uses it).
  format('csv', 'CSV', 'csv', './locales/<locale_name>.csv', input =>
    sortedKeys(input.translations)
      .map(key => `${csvCell(key)},${csvCell(input.translations[key])}\n`)
      .join('')
  )
]

function csvCell(text: string): string {
  return `"${text.replace(/"/g, '""')}"`
}

export const formatList: FormatInfo[] = FORMATS.map(definition => definition.info)

export function findFormat(apiName: string): FormatInfo | undefined {
  return FORMATS.find(definition => definition.info.api_name === apiName)?.info
}

/** The file text for `apiName`; throws for an unknown format (callers validate first). */
export function renderLocaleFile(apiName: string, input: RenderInput): string {
  const definition = FORMATS.find(entry => entry.info.api_name === apiName)
  if (!definition) throw new Error(`unknown format ${apiName}`)
  return definition.render(input)
}

/** Applies the `encoding` download parameter; UTF-16 gets a BOM like Phrase's exports. */
export function encodeText(text: string, encoding: string | undefined): Buffer {
  switch ((encoding ?? 'UTF-8').toUpperCase()) {
    case 'UTF-16':
    case 'UTF-16LE':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    case 'ISO-8859-1':
    case 'LATIN1':
      return Buffer.from(text, 'latin1')
    default:
      return Buffer.from(text, 'utf8')
  }
}

function sortedKeys(record: Record<string, string>): string[] {
  return Object.keys(record).sort()
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(sortedKeys(record).map(key => [key, record[key]]))
}

type Tree = { [key: string]: string | Tree }

/** `a.b.c` keys → nested objects; a leaf that collides with a branch loses, like Phrase's nesting. */
export function nest(translations: Record<string, string>): Tree {
  const root: Tree = {}
  for (const key of sortedKeys(translations)) {
    const parts = key.split('.')
    let node = root
    let blocked = false
    for (const part of parts.slice(0, -1)) {
      const next = node[part]
      if (typeof next === 'string') {
        blocked = true
        break
      }
      node = next ?? (node[part] = {})
    }
    const leaf = parts[parts.length - 1]
    if (!blocked && typeof node[leaf] !== 'object') node[leaf] = translations[key]
  }
  return root
}

function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}

function renderRailsYaml(input: RenderInput): string {
  // YAML 1.1 quoting, as Psych reads it: `yes`, `no`, `on` stay strings.
  const document = new Document(
    { [input.localeName]: nest(input.translations) },
    { version: '1.1' }
  )
  return `---\n${document.toString({ lineWidth: 0, directives: false })}`
}

function pluralForms(code: string): string {
  const language = code.split(/[-_]/)[0].toLowerCase()
  if (['ja', 'ko', 'zh', 'vi', 'th'].includes(language)) return 'nplurals=1; plural=0;'
  if (language === 'fr') return 'nplurals=2; plural=(n > 1);'
  return 'nplurals=2; plural=(n != 1);'
}

function poDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')}+0000`
}

function renderGettext(input: RenderInput): string {
  const entries = Object.fromEntries(
    sortedKeys(input.translations).map(key => [
      key,
      { msgid: key, msgstr: [input.translations[key]] }
    ])
  )
  const compiled = po.compile(
    {
      charset: 'utf-8',
      headers: {
        'Project-Id-Version': 'Phrase',
        'Language-Team': '',
        Language: input.localeCode,
        'MIME-Version': '1.0',
        'Content-Type': 'text/plain; charset=UTF-8',
        'Content-Transfer-Encoding': '8bit',
        'Plural-Forms': pluralForms(input.localeCode),
        'PO-Revision-Date': poDate(input.revisionDate),
        'X-Generator': 'Phrase (phrase.com)'
      },
      translations: { '': { '': { msgid: '', msgstr: [''] }, ...entries } }
    },
    { foldLength: 0 }
  )
  return `${compiled.toString('utf8')}\n`
}

function escapeProperties(text: string, isKey: boolean): string {
  let out = ''
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0
    if (char === '\\') out += '\\\\'
    else if (char === '\n') out += '\\n'
    else if (char === '\r') out += '\\r'
    else if (char === '\t') out += '\\t'
    else if (isKey && (char === '=' || char === ':' || char === ' ')) out += `\\${char}`
    else if ((char === '#' || char === '!') && out === '') out += `\\${char}`
    else if (code > 0x7e) {
      // Java properties are ISO-8859-1 by tradition: Phrase writes \uXXXX (UTF-16 units).
      for (const unit of char.split('').map(c => c.charCodeAt(0)))
        out += `\\u${unit.toString(16).padStart(4, '0')}`
    } else out += char
  }
  return out
}

function renderProperties(input: RenderInput): string {
  return sortedKeys(input.translations)
    .map(
      key => `${escapeProperties(key, true)}=${escapeProperties(input.translations[key], false)}\n`
    )
    .join('')
}

function escapeStrings(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
}

function renderStrings(input: RenderInput): string {
  return sortedKeys(input.translations)
    .map(key => `"${escapeStrings(key)}" = "${escapeStrings(input.translations[key])}";\n`)
    .join('\n')
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function escapeAndroid(text: string): string {
  const escaped = escapeXml(text)
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/"/g, '\\"')
    .replace(/\n/g, '\\n')
  return /^[@?]/.test(escaped) ? `\\${escaped}` : escaped
}

function renderAndroidXml(input: RenderInput): string {
  const lines = sortedKeys(input.translations).map(
    key =>
      `  <string name="${escapeXml(key).replace(/"/g, '&quot;')}">${escapeAndroid(input.translations[key])}</string>`
  )
  return [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<resources>',
    ...lines,
    '</resources>',
    ''
  ].join('\n')
}

function renderArb(input: RenderInput): string {
  return json({
    '@@locale': input.localeCode.replace(/-/g, '_'),
    ...sortedRecord(input.translations)
  })
}
