/**
 * Android `strings.xml`: `<string name>` → `name`, `<plurals>` items → `name.one`, arrays →
 * `name[0]`; other resource types → `type/name`. `translatable="false"` strings are kept: they
 * are still file content a reviewer should see change. Attributes other than those that name the
 * resource (`formatted="false"`, `translatable`, `tools:ignore`, an `<item>`'s `type`/`format`)
 * change how the build reads the value: they are its metadata (value.ts), inherited by items.
 * A resource defined twice fails the build (aapt2 "duplicate resource"), so it is refused here.
 *
 * Values are compared as aapt2 compiles them (see `aaptText`), so `\u00dcber` and `Über`, `\'`
 * and `"'"`, or a line break and a space in the XML, compare equal.
 */
import { FormatError } from './flatten.js'
import type { FormatParser, TranslationMap } from './types.js'
import { withMeta } from './value.js'
import { XmlElement, XmlText } from '@rgrove/parse-xml'
import {
  attributeOf,
  attributeText,
  canonicalContent,
  elementsOf,
  escapeText,
  readXml,
  tagText
} from './xml.js'

const ARRAY_TAGS = ['string-array', 'array', 'integer-array']

export const androidXmlParser: FormatParser = {
  parse(content) {
    const resources = readXml(content, 'Android XML')
    if (resources.name !== 'resources')
      throw new FormatError('invalid Android XML: no <resources> element')
    const map: TranslationMap = new Map()
    for (const resource of elementsOf(resources)) addResource(map, resource)
    return map
  }
}

function addResource(map: TranslationMap, resource: XmlElement): void {
  const tag = resource.name
  const name = attributeOf(resource, 'name')
  if (name === undefined) throw new FormatError(`invalid Android XML: <${tag}> without a name`)
  const product = attributeOf(resource, 'product')
  const key = product === undefined ? name : `${name}@${product}`
  const meta = attributeText(resource, NAMING)
  const set = (entryKey: string, element: XmlElement, itemMeta = meta) => {
    if (map.has(entryKey))
      throw new FormatError(`invalid Android XML: "${entryKey}" is defined twice`)
    const text = aaptText(element)
    map.set(entryKey, withMeta(text.value, joinMeta(itemMeta, text.meta)))
  }
  if (tag === 'string') {
    set(key, resource)
  } else if (tag === 'plurals') {
    for (const item of items(resource)) {
      const quantity = attributeOf(item, 'quantity')
      if (quantity === undefined)
        throw new FormatError(`invalid Android XML: plural "${name}" has an item without quantity`)
      set(`${key}.${quantity}`, item, joinMeta(meta, attributeText(item, ['quantity'])))
    }
  } else if (ARRAY_TAGS.includes(tag)) {
    items(resource).forEach((item, index) =>
      set(`${key}[${index}]`, item, joinMeta(meta, attributeText(item, [])))
    )
  } else {
    set(`${tag}/${key}`, resource)
  }
}

/** Attributes that make the key, not the meaning. */
const NAMING = ['name', 'product']

function joinMeta(...parts: string[]): string {
  return parts.filter(part => part !== '').join(' ')
}

function items(resource: XmlElement): XmlElement[] {
  return elementsOf(resource).filter(child => child.name === 'item')
}

/**
 * A value as aapt2 compiles it (AOSP frameworks/base tools/aapt2 ResourceParser.cpp
 * `FlattenXmlSubtree`, ResourceUtils.cpp `StringBuilder::AppendText`): outside double quotes a run
 * of whitespace is one space and `"` only toggles quoting; `\t`, `\n`, `\uXXXX` and `\@ \? \# \"
 * \' \\` are decoded and any other escaped character stands for itself; without spans the value
 * is trimmed. An element without a namespace (`<b>`) is a span and ends the quoting and whitespace
 * state; `<xliff:g>` and other namespaced elements do not. Spans stay in the text in canonical
 * form, escaped text stays apart from markup. A value aapt2 refuses (an unescaped apostrophe, a
 * bad `\u`) keeps its XML text and says why in its metadata, so fixing it is a change. A value
 * whose raw text starts with `@` or `?` is a resource reference: its metadata says so.
 */
function aaptText(element: XmlElement): { value: string; meta: string } {
  const builder = new AaptStringBuilder()
  const trim = containsSpan(element) ? undefined : outerTexts(element)
  try {
    builder.appendChildren(element, trim)
  } catch (error) {
    if (!(error instanceof AaptError)) throw error
    return { value: canonicalContent(element), meta: `aapt2 error: ${error.message}` }
  }
  return { value: builder.text, meta: isReference(element) ? 'reference' : '' }
}

/** aapt2 TryParseReference: the raw text, trimmed, starts with `@` or `?` (not `\\@`, `"@`). */
function isReference(element: XmlElement): boolean {
  const first = firstVisible(element)
  return first === '@' || first === '?'
}

function firstVisible(element: XmlElement): string | undefined {
  for (const child of element.children) {
    const first =
      child instanceof XmlText
        ? trimStart(child.text)[0]
        : child instanceof XmlElement
          ? firstVisible(child)
          : undefined
    if (first !== undefined) return first
  }
  return undefined
}

class AaptError extends Error {}

/** Elements without a namespace prefix are spans (`<b>`); `<xliff:g>` is not. */
function isSpan(element: XmlElement): boolean {
  return !element.name.includes(':')
}

function containsSpan(element: XmlElement): boolean {
  for (const child of element.children)
    if (child instanceof XmlElement && (isSpan(child) || containsSpan(child))) return true
  return false
}

interface OuterTexts {
  first?: XmlText
  last?: XmlText
}

/** The first and last text nodes, whose outer whitespace aapt2 trims when there is no span. */
function outerTexts(element: XmlElement): OuterTexts {
  const texts: XmlText[] = []
  const visit = (node: XmlElement) => {
    for (const child of node.children) {
      if (child instanceof XmlText) texts.push(child)
      else if (child instanceof XmlElement) visit(child)
    }
  }
  visit(element)
  return { first: texts[0], last: texts[texts.length - 1] }
}

class AaptStringBuilder {
  private parts: string[] = []
  private quoted = false
  private lastWasSpace = false

  get text(): string {
    return this.parts.join('')
  }

  appendChildren(element: XmlElement, trim: OuterTexts | undefined): void {
    for (const child of element.children) {
      if (child instanceof XmlText) {
        let text = child.text
        if (child === trim?.first) text = trimStart(text)
        if (child === trim?.last) text = trimEnd(text)
        this.appendText(text)
      } else if (child instanceof XmlElement) {
        if (isSpan(child)) this.reset()
        this.parts.push(`<${tagText(child)}>`)
        this.appendChildren(child, trim)
        if (isSpan(child)) this.reset()
        this.parts.push(`</${child.name}>`)
      }
    }
  }

  private reset(): void {
    this.quoted = false
    this.lastWasSpace = false
  }

  /** Runs of ordinary characters are copied whole; only the special ones are looked at alone. */
  private appendText(text: string): void {
    let run = 0
    const flush = (end: number) => {
      if (end > run) this.lastWasSpace = false
      this.emit(text.slice(run, end))
    }
    for (let at = 0; at < text.length; at++) {
      const code = text.charCodeAt(at)
      // Not a space, backslash or quote: copied with its run.
      if (code > 0x27 && code !== 0x5c) continue
      const char = text[at]
      if (!SPECIAL.has(char)) continue
      flush(at)
      run = at + 1
      if (!this.quoted && SPACES.has(char)) {
        if (!this.lastWasSpace) this.emit(' ')
        this.lastWasSpace = true
        continue
      }
      this.lastWasSpace = false
      if (char === '\\') {
        at = this.appendEscape(text, at)
        run = at + 1
      } else if (char === '"') {
        this.quoted = !this.quoted
      } else if (char === "'" && !this.quoted) {
        throw new AaptError('unescaped apostrophe')
      } else {
        this.emit(char)
      }
    }
    flush(text.length)
  }

  /** At a backslash: appends what it escapes, returns the index of the escape's last character. */
  private appendEscape(text: string, at: number): number {
    const next = text[at + 1]
    if (next === undefined) return at // a backslash at the end is dropped
    if (next !== 'u') {
      this.emit(next === 't' ? '\t' : next === 'n' ? '\n' : next)
      return at + 1
    }
    const hex = text.slice(at + 2, at + 6)
    if (!/^[0-9a-fA-F]*$/.test(hex) || (hex.length < 4 && at + 6 <= text.length))
      throw new AaptError('invalid unicode escape sequence')
    this.emit(String.fromCharCode(parseInt(hex || '0', 16)))
    return at + 1 + hex.length
  }

  private emit(chars: string): void {
    if (chars !== '') this.parts.push(escapeText(chars))
  }
}

/** ASCII `isspace`, as aapt2 tests it. */
const SPACES = new Set([' ', '\t', '\n', '\r', '\f', '\v'])
const SPECIAL = new Set([...SPACES, '\\', '"', "'"])

function trimStart(text: string): string {
  let start = 0
  while (start < text.length && SPACES.has(text[start])) start++
  return text.slice(start)
}

function trimEnd(text: string): string {
  let end = text.length
  while (end > 0 && SPACES.has(text[end - 1])) end--
  return text.slice(0, end)
}
