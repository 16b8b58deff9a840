/** JSON translation files (simple/nested JSON, i18next, React, Angular, ARB, go-i18n). */
import { FormatError, flattenTree, isPlainObject, scalarValue } from './flatten.js'
import { treeParser } from './tree-diff.js'
import type { FormatParser, TranslationMap } from './types.js'

function parseJsonTree(content: string): unknown {
  let tree: unknown
  try {
    tree = JSON.parse(LONG_DIGITS.test(content) ? exactIntegers(content) : content)
  } catch (error) {
    // Deeply nested input overflows the stack inside JSON.parse: report it like a syntax error.
    throw new FormatError(`invalid JSON: ${(error as Error).message}`)
  }
  if (typeof tree !== 'object' || tree === null) {
    throw new FormatError('invalid translation file: the top level must be a JSON object')
  }
  return tree
}

/**
 * Sixteen digits or more may be an integer a double cannot hold. Spelled out, not `\d{16}`:
 * V8 scans a fixed run of atoms several times faster (0.1 ms for a 10,000-key file, not 0.8).
 */
const LONG_DIGITS = new RegExp('\\d'.repeat(16))

/**
 * Integer literals beyond 2^53 written as the typed scalars they flatten to, exactly: JSON.parse
 * would round `9007199254740993` to `9007199254740992`, and two different integers would compare
 * equal for readers (Ruby, Python, Go's json.Number) that keep them apart. One pass over the text;
 * strings are copied as they are.
 */
function exactIntegers(content: string): string {
  let out = ''
  let copied = 0
  for (let at = 0; at < content.length; at++) {
    const char = content[at]
    if (char === '"') {
      at = stringEnd(content, at)
    } else if (char === '-' || (char >= '0' && char <= '9')) {
      const end = numberEnd(content, at)
      const literal = content.slice(at, end)
      if (/^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        out += content.slice(copied, at) + JSON.stringify(scalarValue(BigInt(literal)))
        copied = end
      }
      at = end - 1
    }
  }
  return out + content.slice(copied)
}

/** The index of the closing quote of the string opening at `at` (or the end of the text). */
function stringEnd(content: string, at: number): number {
  for (let index = at + 1; index < content.length; index++) {
    if (content[index] === '\\') index++
    else if (content[index] === '"') return index
  }
  return content.length
}

function numberEnd(content: string, at: number): number {
  let index = at + 1
  while (index < content.length && /[\d.eE+-]/.test(content[index])) index++
  return index
}

export const jsonParser = treeParser(parseJsonTree)

/**
 * ARB (Flutter): `@key` metadata (descriptions, placeholders) matters to translators and stays;
 * `@@last_modified` is a timestamp Phrase rewrites on every export.
 */
export const arbParser = treeParser(content => {
  const tree = parseJsonTree(content)
  if (isPlainObject(tree)) delete tree['@@last_modified']
  return tree
})

/**
 * go-i18n v1 files are an array of `{ id, translation }`; keying by id (not by position) keeps
 * reordered entries equal. v2 files are plain maps and flatten like nested JSON.
 */
export const goI18nParser: FormatParser = {
  parse(content) {
    const tree = parseJsonTree(content)
    if (!Array.isArray(tree)) return flattenTree(tree)
    const map: TranslationMap = new Map()
    tree.forEach((entry, index) => {
      if (!isPlainObject(entry) || typeof entry.id !== 'string') {
        throw new FormatError(`invalid go-i18n file: entry ${index} has no string "id"`)
      }
      const { id, translation, ...rest } = entry
      if (translation !== undefined) flattenTree(translation, map, id)
      if (Object.keys(rest).length > 0) flattenTree(rest, map, id)
    })
    return map
  }
}
