/**
 * Shared XML handling. Translation values in Android and XLIFF files may hold inline markup
 * (`<b>`, `<xliff:g>`, `<g>`), so their elements are read raw and put into one canonical form:
 * CDATA and entities decoded, except that `&` and `<` in text stay escaped (`&amp;`, `&lt;`).
 * That keeps `<b>bold</b>` (markup) and `&lt;b>bold&lt;/b>` (literal text) different while making
 * `&quot;` vs `"`, `&#233;` vs `é` and CDATA vs escaped text equal.
 */
import { XMLParser, type X2jOptions } from 'fast-xml-parser'
import { FormatError } from './flatten.js'

export const MAX_XML_DEPTH = 100

export function parseXml(content: string, options: X2jOptions, what: string): unknown {
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: false,
    maxNestedTags: MAX_XML_DEPTH,
    ...options
  })
  try {
    return parser.parse(content, true)
  } catch (error) {
    throw new FormatError(`invalid ${what}: ${(error as Error).message}`)
  }
}

/** `preserveOrder` node: `{ tag: children, ':@': attributes }` or `{ '#text': text }`. */
export type OrderedNode = Record<string, unknown>

export function tagOf(node: OrderedNode): string | undefined {
  return Object.keys(node).find(key => key !== ':@')
}

export function childrenOf(node: OrderedNode): OrderedNode[] {
  const tag = tagOf(node)
  const children = tag === undefined ? undefined : node[tag]
  return Array.isArray(children) ? (children as OrderedNode[]) : []
}

export function attributeOf(node: OrderedNode, name: string): string | undefined {
  const attributes = node[':@'] as Record<string, unknown> | undefined
  const value = attributes?.[name]
  return value === undefined ? undefined : String(value)
}

/**
 * An element's attributes as one canonical string, `approved="yes" translate="no"`: sorted, less
 * those in `skip` and namespace declarations, so attribute order and quoting compare equal.
 */
export function attributeText(node: OrderedNode, skip: readonly string[]): string {
  const attributes = (node[':@'] ?? {}) as Record<string, unknown>
  return Object.entries(attributes)
    .filter(([name]) => !skip.includes(name) && !/^xmlns(:|$)/.test(name))
    .map(([name, value]) => `${name}="${String(value)}"`)
    .sort()
    .join(' ')
}

/** Raw text of a stop node (`preserveOrder` shape). */
export function rawTextOf(node: OrderedNode): string {
  return childrenOf(node)
    .map(child => (typeof child['#text'] === 'string' ? child['#text'] : ''))
    .join('')
}

const TOKEN =
  /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|(<[^>]*>)|&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z][\w.-]*);/g

const NAMED = new Map([
  ['quot', '"'],
  ['apos', "'"],
  ['gt', '>'],
  ['amp', '&'],
  ['lt', '<']
])

/** Canonical form of raw element content (see the module comment). */
export function canonicalXmlText(raw: string): string {
  if (!/[<&>]/.test(raw)) return raw
  return raw.replace(
    TOKEN,
    (match, cdata: string | undefined, tag: string | undefined, entity: string | undefined) => {
      if (cdata !== undefined) return escapeText(cdata)
      if (tag !== undefined) return canonicalTag(tag)
      if (entity === undefined) return '' // comment or processing instruction
      const char = entity.startsWith('#') ? charFromReference(entity) : NAMED.get(entity)
      // Unknown named entities (DOCTYPE-defined) are kept as written.
      return char === undefined ? match : escapeText(char)
    }
  )
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
}

/** `<b >`, `<g b='2' a="1"/>` and `<g a="1" b="2"/>` mean the same: normalise spacing, quotes, order. */
function canonicalTag(tag: string): string {
  const match = /^<(\/?)([^\s/>]+)([\s\S]*?)(\/?)>$/.exec(tag)
  if (!match) return tag
  const [, closing, name, rest, selfClosing] = match
  const attributes = [...rest.matchAll(ATTRIBUTE)]
    .map(([, attribute, doubleQuoted, singleQuoted]) => {
      const value = doubleQuoted ?? singleQuoted.replace(/"/g, '&quot;')
      return ` ${attribute}="${value}"`
    })
    .sort()
  return `<${closing}${name}${attributes.join('')}${selfClosing}>`
}

const ATTRIBUTE = /([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g

function charFromReference(reference: string): string | undefined {
  const codePoint = reference.startsWith('#x')
    ? parseInt(reference.slice(2), 16)
    : parseInt(reference.slice(1), 10)
  return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : undefined
}

/** Full decoding, for values that are plain text by definition (plist strings, attributes). */
export function decodeXmlText(raw: string): string {
  if (!/[<&]/.test(raw)) return raw
  return raw.replace(
    TOKEN,
    (match, cdata: string | undefined, tag: string | undefined, entity: string | undefined) => {
      if (cdata !== undefined) return cdata
      if (tag !== undefined) throw new FormatError(`unexpected markup ${tag} in a text value`)
      if (entity === undefined) return ''
      const char = entity.startsWith('#') ? charFromReference(entity) : NAMED.get(entity)
      return char ?? match
    }
  )
}
