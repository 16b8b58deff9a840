/** JSON translation files (simple/nested JSON, i18next, React, Angular, ARB, go-i18n). */
import { FormatError, flattenTree, isPlainObject, scalarValue } from './flatten.js'
import { textOrBytes, type Utf8Text } from './decode.js'
import { FlatStream } from './flat-stream.js'
import { readJsonInParts } from './json-parts.js'
import { TreeBuilder, type PartSink } from './parts.js'
import { diffTrees, treeParser } from './tree-diff.js'
import { StreamedTreeDiff } from './tree-stream-diff.js'
import type { FormatParser, KeyDiff, ParseContext, TranslationMap } from './types.js'
import type { FileBytes } from '../file-bytes.js'

function parseJsonTree(content: string): unknown {
  let tree: unknown
  try {
    tree = JSON.parse(LONG_DIGITS.test(content) ? exactIntegers(content) : content)
  } catch (error) {
    // Deeply nested input overflows the stack inside JSON.parse: report it like a syntax error.
    throw new FormatError(`invalid JSON: ${(error as Error).message}`)
  }
  return translationRoot(tree)
}

function translationRoot(tree: unknown): unknown {
  if (typeof tree !== 'object' || tree === null) {
    throw new FormatError('invalid translation file: the top level must be a JSON object')
  }
  return tree
}

/**
 * A long file is read a part at a time (json-parts.ts) into `sink`; a short one, or one with
 * integers beyond 2^53 (rewritten first), comes back whole; undefined where `JSON.parse`, reading
 * it whole, names the problem.
 */
function readInParts<Slot>(
  content: string | Utf8Text,
  sink: PartSink<Slot>,
  partChars?: number
): { whole: unknown } | { parts: true } | undefined {
  if (hasLongDigits(content)) return { whole: parseJsonTree(content.toString()) }
  try {
    const read = readJsonInParts(content, sink, partChars)
    return read && 'whole' in read ? { whole: translationRoot(read.whole) } : read
  } catch {
    return undefined
  }
}

/** The tree of a file, long or not, as `JSON.parse` reads it. */
function jsonTree(content: string | Utf8Text): unknown {
  const builder = new TreeBuilder()
  const read = readInParts(content, builder)
  if (!read) return parseJsonTree(content.toString())
  return 'whole' in read ? read.whole : builder.tree
}

/**
 * Sixteen digits or more may be an integer a double cannot hold. Spelled out, not `\d{16}`:
 * V8 scans a fixed run of atoms several times faster (0.1 ms for a 10,000-key file, not 0.8).
 */
const LONG_DIGITS = new RegExp('\\d'.repeat(16))

function hasLongDigits(content: string | Utf8Text): boolean {
  if (typeof content === 'string') return LONG_DIGITS.test(content)
  for (let at = 0, run = 0; at < content.length; at++) {
    const char = content.charCodeAt(at)
    run = char >= 0x30 && char <= 0x39 ? run + 1 : 0
    if (run === 16) return true
  }
  return false
}

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

/**
 * Nested and flat JSON: a long file goes into the map a part at a time, and a long download is
 * compared with the repository's tree as it is read, so that its own tree is never held.
 */
export const jsonParser: FormatParser = {
  parse: content => jsonMap(content),
  visit(bytes, context, visitor) {
    let text: string | Utf8Text
    try {
      text = textOrBytes(bytes.content, context.encoding, IN_BYTES)
    } catch {
      return false
    }
    const read = readInParts(text, new FlatStream({ visit: visitor }))
    return read !== undefined && 'parts' in read
  },
  diff: (previous, next, context) => jsonDiff(previous, next, context)
}

/**
 * Files from this size on are read in their bytes, never decoded whole: the text of a 60 MiB
 * file would be one more copy of it for as long as it is read.
 */
const IN_BYTES = 1024 * 1024

/** `partChars`: how long the parts are (tests read tiny ones). */
export function jsonMap(content: string, partChars?: number): TranslationMap {
  const flat = new FlatStream()
  const read = readInParts(content, flat, partChars)
  if (read && 'parts' in read) return flat.map
  return flattenTree(read ? read.whole : parseJsonTree(content))
}

export function jsonDiff(
  previous: FileBytes,
  next: FileBytes,
  context: ParseContext,
  partChars?: number
): KeyDiff | undefined {
  try {
    const before = jsonTree(textOrBytes(previous.content, context.encoding, IN_BYTES))
    // An array at the top flattens to `[0]`, not to the keys a map's comparison would name.
    if (!isPlainObject(before)) return undefined
    const stream = new StreamedTreeDiff(before)
    const read = readInParts(
      textOrBytes(next.content, context.encoding, IN_BYTES),
      stream,
      partChars
    )
    if (!read) return undefined
    if ('parts' in read) return stream.result()
    return diffTrees(before, read.whole)
  } catch {
    return undefined // the caller's full parse names the side and the problem
  }
}

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
