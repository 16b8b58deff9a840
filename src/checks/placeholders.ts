/**
 * Placeholders a translation must keep: printf (`%s`, `%1$s`, `%d`, iOS `%@`, `%lld`, Android
 * `%1$s`), Ruby/Rails (`%{name}`, `%<name>s`), Python (`%(name)s`), Symfony (`%name%`), i18next
 * (`{{name}}`) and ICU/simple braces (`{name}`, `{0}`). Positional and sequential printf forms are
 * compared by argument number, so a translation may reorder `%s %s` as `%2$s %1$s`.
 *
 * A scanner, not a regular expression: a translator can type anything (`{{aaaa…`, `%0000…`), and
 * every start position is read forwards once, as printf and i18next read them, so the time grows
 * with the length of the text and no more.
 */
import type { Problem } from './types.js'

/** Normalised placeholder → as first written. */
export type Placeholders = Map<string, string>

interface Found {
  /** The normal form, or undefined for what is matched only to be skipped (`%%`). */
  normal: string | undefined
  end: number
}

/**
 * The placeholders of `text`. With `icuNames` (the text parsed as ICU) the brace forms come from
 * the parsed arguments instead, so the words inside `one {item}` are not taken for placeholders.
 */
export function placeholders(text: string, icuNames?: Set<string>): Placeholders {
  const found: Placeholders = new Map()
  if (icuNames) for (const name of icuNames) found.set(`{${name}}`, `{${name}}`)
  if (!text.includes('%') && (icuNames || !text.includes('{'))) return found
  const scanner = { sequential: 0 }
  for (let at = 0; at < text.length; at++) {
    const char = text.charCodeAt(at)
    let match: Found | undefined
    if (char === PERCENT) match = percentForm(text, at, scanner)
    else if (char === OPEN && !icuNames) match = braceForm(text, at)
    if (match === undefined) continue
    const written = text.slice(at, match.end)
    if (match.normal !== undefined && !found.has(match.normal)) found.set(match.normal, written)
    if (found.size >= MAX_PLACEHOLDERS) break
    at = match.end - 1
  }
  return found
}

/** No real text has more; a hostile one (`%s` × 500,000) is compared up to here. */
const MAX_PLACEHOLDERS = 1_000

const PERCENT = 0x25
const OPEN = 0x7b
const CLOSE = 0x7d
const CONVERSIONS = new Set('diouxXeEfFgGaAcsp@')
const PYTHON_CONVERSIONS = new Set('diouxXeEfFgGcrsa')
const LENGTHS = ['hh', 'll', 'h', 'l', 'L', 'q', 'j', 'z', 't']

function percentForm(text: string, at: number, scanner: { sequential: number }): Found | undefined {
  const next = text[at + 1]
  if (next === '%') return { normal: undefined, end: at + 2 }
  if (next === '{') {
    const end = skipName(text, at + 2, isRubyNameChar)
    if (end > at + 2 && text[end] === '}')
      return { normal: `%{${text.slice(at + 2, end)}}`, end: end + 1 }
  }
  if (next === '<') {
    const end = skipName(text, at + 2, isRubyNameChar)
    const spec = end > at + 2 && text[end] === '>' ? formatSpec(text, end + 1, '-+#0') : undefined
    if (spec && /[a-zA-Z]/.test(spec.conversion))
      return { normal: `%<${text.slice(at + 2, end)}>`, end: spec.end }
  }
  if (next === '(') {
    const end = skipName(text, at + 2, isRubyNameChar)
    const spec = end > at + 2 && text[end] === ')' ? formatSpec(text, end + 1, '-+#0 ') : undefined
    if (spec && PYTHON_CONVERSIONS.has(spec.conversion))
      return { normal: `%(${text.slice(at + 2, end)})${spec.conversion}`, end: spec.end }
  }
  const symfony = symfonyForm(text, at)
  if (symfony) return symfony
  return printfForm(text, at, scanner)
}

/** Symfony `%name%`: two characters at least, and not `%lld%%` (printf, then a literal `%`). */
function symfonyForm(text: string, at: number): Found | undefined {
  const first = text.charCodeAt(at + 1)
  if (!isWordChar(first) || (first >= 0x30 && first <= 0x39)) return undefined
  const end = skipName(text, at + 1, isRubyNameChar)
  if (end - (at + 1) < 2 || text[end] !== '%' || text[end + 1] === '%') return undefined
  return { normal: text.slice(at, end + 1), end: end + 1 }
}

/** printf as C reads it, left to right: `%[n$][flags][width][.precision][length]conversion`. */
function printfForm(text: string, at: number, scanner: { sequential: number }): Found | undefined {
  let position: string | undefined
  let index = skipDigits(text, at + 1)
  if (index > at + 1 && text[index] === '$') {
    position = text.slice(at + 1, index)
    index++
  } else {
    index = at + 1
  }
  // No space flag: "50 % de réduction" is prose, not `% d`.
  const spec = formatSpec(text, index, "-+#0'")
  if (!spec || !CONVERSIONS.has(spec.conversion)) return undefined
  const number = position ?? String(++scanner.sequential)
  return { normal: `%${number}$${spec.length}${spec.conversion}`, end: spec.end }
}

/** Flags, width, precision, length and the conversion character, read from `from`. */
function formatSpec(
  text: string,
  from: number,
  flags: string
): { length: string; conversion: string; end: number } | undefined {
  let index = from
  while (index < text.length && flags.includes(text[index])) index++
  index = text[index] === '*' ? index + 1 : skipDigits(text, index)
  if (text[index] === '.') index = text[index + 1] === '*' ? index + 2 : skipDigits(text, index + 1)
  const length = LENGTHS.find(candidate => text.startsWith(candidate, index)) ?? ''
  index += length.length
  const conversion = text[index]
  if (conversion === undefined) return undefined
  return { length, conversion, end: index + 1 }
}

function braceForm(text: string, at: number): Found | undefined {
  if (text.charCodeAt(at + 1) === OPEN) {
    // i18next: `{{name}}`, `{{- html}}`, `{{count, number}}`.
    let index = skipSpaces(text, at + 2)
    if (text[index] === '-') index = skipSpaces(text, index + 1)
    const end = skipName(text, index, isI18nextNameChar)
    if (end > index) {
      let close = end
      while (close < text.length && !'{}'.includes(text[close])) close++
      if (text.charCodeAt(close) === CLOSE && text.charCodeAt(close + 1) === CLOSE)
        return { normal: `{{${text.slice(index, end)}}}`, end: close + 2 }
    }
  }
  const start = skipSpaces(text, at + 1)
  if (start >= text.length || !isBraceNameStart(text.codePointAt(start)!)) return undefined
  const end = skipName(text, start, isBraceNameChar)
  const close = skipSpaces(text, end)
  if (text.charCodeAt(close) !== CLOSE) return undefined
  return { normal: `{${text.slice(start, end)}}`, end: close + 1 }
}

function skipDigits(text: string, from: number): number {
  let index = from
  while (index < text.length && text.charCodeAt(index) >= 0x30 && text.charCodeAt(index) <= 0x39)
    index++
  return index
}

function skipSpaces(text: string, from: number): number {
  let index = from
  while (index < text.length && WHITESPACE.has(text.charCodeAt(index))) index++
  return index
}

/** What `\s` matches in the BMP. */
const WHITESPACE = new Set([
  0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005,
  0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff
])

function skipName(text: string, from: number, isNameChar: (code: number) => boolean): number {
  let index = from
  while (index < text.length) {
    const code = text.codePointAt(index)!
    if (!isNameChar(code)) break
    index += code > 0xffff ? 2 : 1
  }
  return index
}

function isWordChar(code: number): boolean {
  return (
    (code >= 0x30 && code <= 0x39) ||
    (code >= 0x41 && code <= 0x5a) ||
    (code >= 0x61 && code <= 0x7a) ||
    code === 0x5f
  )
}

/** `\w`, `.` and `-`: Ruby's and Symfony's names. */
const isRubyNameChar = (code: number) => isWordChar(code) || code === 0x2e || code === 0x2d
const isI18nextNameChar = (code: number) => isWordChar(code) || code === 0x2e
const isBraceNameStart = (code: number) =>
  isWordChar(code) || (code > 0x7f && /[\p{L}\p{N}]/u.test(String.fromCodePoint(code)))
const isBraceNameChar = (code: number) => isBraceNameStart(code) || code === 0x2e || code === 0x2d

/**
 * Placeholders the translation lost or gained. `allowMissing`: plural forms such as `one` may
 * say "1 item" without the count, so only gained placeholders count there.
 */
export function placeholderProblems(
  translation: Placeholders,
  source: Placeholders,
  allowMissing = false
): Problem[] {
  const problems: Problem[] = []
  if (!allowMissing) {
    for (const [normal, written] of source) {
      if (!translation.has(normal))
        problems.push({ check: 'placeholders', message: 'placeholder missing', token: written })
    }
  }
  for (const [normal, written] of translation) {
    if (!source.has(normal))
      problems.push({
        check: 'placeholders',
        message: 'placeholder not in the source',
        token: written
      })
  }
  return problems
}
