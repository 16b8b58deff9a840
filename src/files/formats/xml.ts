/**
 * Shared XML reading, on @rgrove/parse-xml: a conformant, non-validating parser that reads every
 * character once (no regular expression runs over a whole value), so a hostile download costs
 * time in proportion to its size. Entities a file's own DOCTYPE declares are expanded, as expat
 * (aapt2) and libxml2 (Xcode, Symfony) expand them.
 *
 * Values may hold inline markup (`<b>`, `<xliff:g>`, `<g>`): `canonicalContent` writes an
 * element's content in one canonical form from the parser's nodes: text with `&` and `<` escaped
 * (`&amp;`, `&lt;`), elements with their attributes sorted and quoted alike, comments and
 * processing instructions left out. So `&quot;` vs `"`, `&#233;` vs `é`, CDATA vs escaped text
 * and attribute order compare equal, while `<b>bold</b>` (markup) and `&lt;b>bold&lt;/b>` (text)
 * and `<b a=">x">` vs `<b b=">x">` stay apart.
 */
import { parseXml, XmlElement, XmlError, XmlText, type XmlNode } from '@rgrove/parse-xml'
import { FormatError } from './flatten.js'

/** Deeper than any translation file; stops hostile input before the parser's stack does. */
const MAX_XML_DEPTH = 100

export interface XmlReadOptions {
  /**
   * A `&` that starts no reference is text, as Angular's lexer reads XLIFF ("treat this as a text
   * token", @angular/compiler lexer `_consumeEntity`); an undefined named entity stays as written.
   */
  lenientAmpersands?: boolean
}

/** The root element of `content`; `what` names the format in errors. */
export function readXml(content: string, what: string, options: XmlReadOptions = {}): XmlElement {
  const text = options.lenientAmpersands ? escapeBareAmpersands(content) : content
  const entities = new DeclaredEntities(text, what, options.lenientAmpersands ?? false)
  let root: XmlElement | null
  try {
    root = parseXml(text, {
      resolveUndefinedEntity: reference => entities.resolve(reference)
    }).root
  } catch (error) {
    if (error instanceof FormatError) throw error
    if (error instanceof RangeError) {
      throw new FormatError(`invalid ${what}: nesting deeper than ${MAX_XML_DEPTH} levels`)
    }
    const message = error instanceof XmlError ? error.message.split('\n')[0] : String(error)
    throw new FormatError(`invalid ${what}: ${message}`)
  }
  if (!root) throw new FormatError(`invalid ${what}: no root element`)
  assertDepth(root, what)
  return root
}

/** Lets the readers recurse freely: nothing below the root is deeper than MAX_XML_DEPTH. */
function assertDepth(root: XmlElement, what: string): void {
  const stack: Array<[XmlElement, number]> = [[root, 1]]
  for (let next = stack.pop(); next; next = stack.pop()) {
    const [element, depth] = next
    if (depth > MAX_XML_DEPTH)
      throw new FormatError(`invalid ${what}: nesting deeper than ${MAX_XML_DEPTH} levels`)
    for (const child of element.children)
      if (child instanceof XmlElement) stack.push([child, depth + 1])
  }
}

/** Element children only: whitespace, comments and processing instructions are layout. */
export function elementsOf(element: XmlElement): XmlElement[] {
  return element.children.filter((node: XmlNode): node is XmlElement => node instanceof XmlElement)
}

export function attributeOf(element: XmlElement, name: string): string | undefined {
  return element.attributes[name]
}

/**
 * An element's attributes as one canonical string, `approved="yes" translate="no"`: sorted, less
 * those in `skip` and namespace declarations, so attribute order and quoting compare equal.
 */
export function attributeText(element: XmlElement, skip: readonly string[]): string {
  let names: string[] | undefined
  for (const name in element.attributes) {
    if (skip.includes(name) || name === 'xmlns' || name.startsWith('xmlns:')) continue
    ;(names ??= []).push(name)
  }
  if (names === undefined) return ''
  return names
    .sort()
    .map(name => `${name}="${escapeAttribute(element.attributes[name])}"`)
    .join(' ')
}

/** The content of `element` in canonical form (see the module comment). */
export function canonicalContent(element: XmlElement): string {
  let out = ''
  for (const child of element.children) {
    if (child instanceof XmlText) out += escapeText(child.text)
    else if (child instanceof XmlElement) out += canonicalElement(child)
  }
  return out
}

function canonicalElement(element: XmlElement): string {
  const open = `<${tagText(element)}`
  const content = canonicalContent(element)
  // `<br/>` and `<br></br>` are one empty element.
  return content === '' ? `${open}/>` : `${open}>${content}</${element.name}>`
}

/** `name a="1" b="2"`: an element's name and canonical attributes, as in its start tag. */
export function tagText(element: XmlElement): string {
  const attributes = attributeText(element, [])
  return attributes ? `${element.name} ${attributes}` : element.name
}

/** The text of an element that holds text only (plist strings, property values). */
export function plainText(element: XmlElement, what: string): string {
  let out = ''
  for (const child of element.children) {
    if (child instanceof XmlText) out += child.text
    else if (child instanceof XmlElement)
      throw new FormatError(`invalid ${what}: unexpected markup <${child.name}> in a text value`)
  }
  return out
}

export function escapeText(text: string): string {
  if (!text.includes('&') && !text.includes('<')) return text
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;')
}

function escapeAttribute(value: string): string {
  return escapeText(value).replaceAll('"', '&quot;')
}

/** The expanded text of all entity references in one document may not exceed this much more. */
const MAX_EXPANSION = 1_000_000
/** Entities that name entities that name entities…: deeper than this is a "billion laughs". */
const MAX_ENTITY_NESTING = 16

/**
 * The general entities the internal DTD subset declares (`<!ENTITY app "My App">`), expanded as
 * text: character and predefined references in their values are decoded, references to other
 * declared entities expanded in turn. Markup inside a value is read as text. External entities
 * are never loaded. The expanded size is capped, so a "billion laughs" file is refused.
 */
class DeclaredEntities {
  private readonly values: Map<string, string>
  private readonly expanded = new Map<string, string>()
  private budget: number

  constructor(
    content: string,
    private readonly what: string,
    private readonly keepUnknown: boolean
  ) {
    this.values = internalEntities(content)
    this.budget = MAX_EXPANSION + content.length
  }

  resolve(reference: string): string | undefined {
    const name = reference.slice(1, -1)
    const text = this.expand(name, 0)
    if (text === undefined) return this.keepUnknown ? reference : undefined
    this.budget -= text.length
    if (this.budget < 0)
      throw new FormatError(`invalid ${this.what}: entities expand to more than the file can hold`)
    return text
  }

  private expand(name: string, depth: number): string | undefined {
    const known = this.expanded.get(name)
    if (known !== undefined) return known
    const value = this.values.get(name)
    if (value === undefined) return undefined
    if (depth > MAX_ENTITY_NESTING)
      throw new FormatError(`invalid ${this.what}: entity "${name}" refers to itself`)
    let text = ''
    let at = 0
    for (let amp = value.indexOf('&'); amp !== -1; amp = value.indexOf('&', at)) {
      const semicolon = value.indexOf(';', amp)
      if (semicolon === -1) break
      text += value.slice(at, amp)
      const inner = value.slice(amp + 1, semicolon)
      const replacement =
        characterReference(inner) ?? PREDEFINED.get(inner) ?? this.expand(inner, depth + 1)
      if (replacement === undefined)
        throw new FormatError(`invalid ${this.what}: entity "${inner}" is not declared`)
      text += replacement
      if (text.length > this.budget)
        throw new FormatError(
          `invalid ${this.what}: entities expand to more than the file can hold`
        )
      at = semicolon + 1
    }
    text += value.slice(at)
    this.expanded.set(name, text)
    return text
  }
}

const PREDEFINED = new Map([
  ['quot', '"'],
  ['apos', "'"],
  ['gt', '>'],
  ['amp', '&'],
  ['lt', '<']
])

function characterReference(inner: string): string | undefined {
  if (!/^#(x[0-9a-fA-F]{1,6}|[0-9]{1,7})$/.test(inner)) return undefined
  const codePoint = inner[1] === 'x' ? parseInt(inner.slice(2), 16) : parseInt(inner.slice(1), 10)
  return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : undefined
}

/**
 * `<!ENTITY name "value">` declarations of the internal subset, read before the parser needs
 * them (parse-xml keeps the DOCTYPE but expands nothing). Parameter entities and external ones
 * (`SYSTEM`, `PUBLIC`) are skipped. The parser checks the DOCTYPE's syntax itself.
 */
function internalEntities(content: string): Map<string, string> {
  const entities = new Map<string, string>()
  const doctype = content.indexOf('<!DOCTYPE')
  const firstElement = content.search(/<[^?!]/)
  if (doctype === -1 || (firstElement !== -1 && firstElement < doctype)) return entities
  const open = subsetStart(content, doctype + 9)
  if (open === -1) return entities
  let at = open + 1
  while (at < content.length && content[at] !== ']') {
    if (content.startsWith('<!--', at)) at = after(content, '-->', at)
    else if (content.startsWith('<?', at)) at = after(content, '?>', at)
    else if (content.startsWith('<!ENTITY', at)) at = readEntity(content, at + 8, entities)
    else if (content[at] === '<') at = declarationEnd(content, at)
    else at++
  }
  return entities
}

/** Where `[` opens the internal subset, skipping quoted system and public ids; or -1. */
function subsetStart(content: string, from: number): number {
  for (let at = from; at < content.length; at++) {
    const char = content[at]
    if (char === '[') return at
    if (char === '>') return -1
    if (char === '"' || char === "'") {
      const close = content.indexOf(char, at + 1)
      if (close === -1) return -1
      at = close
    }
  }
  return -1
}

function after(content: string, end: string, from: number): number {
  const at = content.indexOf(end, from)
  return at === -1 ? content.length : at + end.length
}

/** The end of a markup declaration (`<!ELEMENT …>`, `<!ATTLIST …>`), quotes skipped. */
function declarationEnd(content: string, from: number): number {
  for (let at = from + 1; at < content.length; at++) {
    const char = content[at]
    if (char === '>') return at + 1
    if (char === '"' || char === "'") at = after(content, char, at + 1) - 1
  }
  return content.length
}

function readEntity(content: string, from: number, entities: Map<string, string>): number {
  const end = declarationEnd(content, from - 8)
  const declaration = content.slice(from, end - 1)
  const match = /^\s+([^\s%"']+)\s+(["'])([^]*)\2\s*$/.exec(declaration)
  // The first declaration of a name wins (XML 1.0 §4.2).
  if (match && !entities.has(match[1])) entities.set(match[1], match[3])
  return end
}

/**
 * `&` that starts no reference (`Tom & Jerry`) becomes `&amp;`; CDATA sections, comments and
 * processing instructions are left alone. One pass over the text.
 */
function escapeBareAmpersands(content: string): string {
  if (!content.includes('&')) return content
  let out = ''
  let at = 0
  for (let index = 0; index < content.length; index++) {
    const char = content[index]
    if (char === '<') {
      const end = content.startsWith('<![CDATA[', index)
        ? after(content, ']]>', index)
        : content.startsWith('<!--', index)
          ? after(content, '-->', index)
          : content.startsWith('<?', index)
            ? after(content, '?>', index)
            : index + 1
      index = end - 1
    } else if (char === '&' && !startsReference(content, index + 1)) {
      out += content.slice(at, index) + '&amp;'
      at = index + 1
    }
  }
  return out + content.slice(at)
}

/** `#123;`, `#x1F;` or `name;` at `from`. Reads name characters only, so the scan stays linear. */
function startsReference(content: string, from: number): boolean {
  let at = from
  if (content[at] === '#') {
    at++
    const hex = content[at] === 'x'
    if (hex) at++
    const digits = at
    while (at < content.length && (hex ? /[0-9a-fA-F]/ : /[0-9]/).test(content[at])) at++
    return at > digits && content[at] === ';'
  }
  if (!/[A-Za-z_:\u00c0-\uffff]/.test(content[at] ?? '')) return false
  while (at < content.length && /[\w.:\-\u00b7-\uffff]/.test(content[at])) at++
  return content[at] === ';'
}
