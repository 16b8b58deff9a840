/**
 * Decides whether a downloaded file differs from the repository's copy in a way a reviewer cares
 * about, and names the keys that changed. Churn (header dates, key order, line endings, the final
 * newline) compares equal, so the caller keeps the repository's bytes and makes no commit.
 *
 * When a side does not parse: a download that does not parse while the repository's file does,
 * or that would be a new file, is marked `downloadError` so the caller can refuse it; when neither
 * parses, or only the repository's file is broken, bytes are compared and `note` says why.
 *
 * A download with no translation in it (blank, or `{}`, `<resources/>`, a header-only PO file, a
 * Rails file of just `de:`) creates no new file (`unchanged`, `empty`); against an existing file it
 * removes every key (a file compared by bytes that would become blank is `empty`).
 */
import { createHash } from 'node:crypto'
import { asFileBytes, piecesOf, sizeOf, type FileBytes } from './file-bytes.js'
import { DecodeError, decodeText, utf16Bom, utf8Bom } from './formats/decode.js'
import { isDocumentKey, translationCount } from './formats/document-keys.js'
import {
  parserFor,
  type FormatParser,
  type ParseContext,
  type TranslationMap
} from './formats/index.js'
import { diffMaps, VALUE_CHARS, valueChars } from './formats/map-diff.js'
import type { KeyDiff, ValuePair } from './formats/types.js'

export type { ValuePair } from './formats/types.js'

/** Looks up a key's two values (a Map of just the changed and added keys). */
export interface ValueLookup {
  get(key: string): ValuePair | undefined
}

export interface KeyChanges {
  added: string[]
  changed: string[]
  removed: string[]
}

export interface FileComparison {
  /** `added`: the repository has no such file yet. */
  status: 'unchanged' | 'changed' | 'added'
  /** Sorted key lists; absent when the files were compared as bytes. */
  keys?: KeyChanges
  previousKeyCount?: number
  nextKeyCount?: number
  /** Why bytes were compared instead of keys, naming the problem. */
  note?: string
  /**
   * With `withValues`, for a changed file: the values of `keys.changed` (before and after) and of
   * `keys.added`, unless they are more than VALUE_CHARS of text. A new file has none: all of it
   * is new, its own content has them.
   */
  values?: ValueLookup
  /**
   * The parse error of a download that does not parse although the repository's file does (an
   * error page, a cut-off file): `keys.removed` then lists every key of the repository's file.
   * Also set, with status `added`, when there is no repository file.
   */
  downloadError?: string
  /** The download holds no translation: not created, or (compared by bytes) the file is emptied. */
  empty?: boolean
}

export interface CompareContext extends ParseContext {
  /** The file's repository path; callers show it next to `note`, so notes do not repeat it. */
  path?: string
  /** Also return the changed and added keys' values (for reports and translation checks). */
  withValues?: boolean
}

export function compareFile(
  fileFormat: string,
  previous: Buffer | undefined,
  next: Buffer,
  context: CompareContext = {}
): FileComparison {
  return compareSources(fileFormat, previous && asFileBytes(previous), asFileBytes(next), context)
}

/**
 * `compareFile` for bytes that may lie on disk: a long file's reader takes them a piece at a
 * time, so that neither file is held whole while the other is compared with it.
 */
export function compareSources(
  fileFormat: string,
  previous: FileBytes | undefined,
  next: FileBytes,
  context: CompareContext = {}
): FileComparison {
  const parser = parserFor(fileFormat)
  if (previous === undefined) return compareNewFile(parser, next, context)
  if (sameBytes(previous, next)) return { status: 'unchanged' }
  if (!parser) {
    const text = compareText(previous.content, next.content)
    return isBlank(next.content) && !isBlank(previous.content) ? { ...text, empty: true } : text
  }

  const parseContext = { localeName: context.localeName, encoding: context.encoding }
  const shortcut = parser.diff?.(previous, next, parseContext)
  // A shortcut that cannot name values is still right about keys; the full parse below has both.
  if (shortcut && (!context.withValues || shortcut.values || shortcut.valuesOmitted))
    return comparison(shortcut, context.withValues)
  const before = tryParse(parser, previous.content, context)
  const after = tryParse(parser, next.content, context)
  if ('map' in before && 'error' in after && !after.undecodable) {
    return unparseableDownload(before.map, after.error)
  }
  if ('error' in before || 'error' in after) {
    return {
      ...compareText(previous.content, next.content),
      note: parseFailureNote(before, after)
    }
  }
  return comparison(
    {
      ...diffMaps(before.map, after.map),
      previousKeyCount: translationCount(before.map),
      nextKeyCount: translationCount(after.map)
    },
    context.withValues
  )
}

/** The same bytes; two files on disk are compared by hash, never both held whole. */
function sameBytes(a: FileBytes, b: FileBytes): boolean {
  if (a === b) return true
  if (sizeOf(a) !== sizeOf(b)) return false
  if (!a.pieces || !b.pieces) return a.content.equals(b.content)
  return digest(a) === digest(b)
}

function digest(bytes: FileBytes): string {
  const hash = createHash('sha256')
  for (const piece of piecesOf(bytes)) hash.update(piece)
  return hash.digest('hex')
}

/**
 * The repository's file reads and the download does not: whatever the download is, it holds none
 * of the keys a reviewer could check, so every key counts as removed. Text that does not decode
 * (another declared `encoding`) is not this case: it is compared by bytes like any unread file.
 */
function unparseableDownload(before: TranslationMap, error: string): FileComparison {
  return {
    status: 'changed',
    keys: { added: [], changed: [], removed: [...before.keys()].sort() },
    previousKeyCount: translationCount(before),
    nextKeyCount: 0,
    note: `could not parse downloaded file: ${error}`,
    downloadError: error
  }
}

function comparison(diff: KeyDiff, withValues = false): FileComparison {
  const keys = {
    added: diff.added.sort(),
    changed: diff.changed.sort(),
    removed: diff.removed.sort()
  }
  const changed = keys.added.length > 0 || keys.changed.length > 0 || keys.removed.length > 0
  const values = withValues && changed && !diff.valuesOmitted ? keptValues(diff.values) : undefined
  return {
    status: changed ? 'changed' : 'unchanged',
    keys,
    previousKeyCount: diff.previousKeyCount,
    nextKeyCount: diff.nextKeyCount,
    ...(values ? { values } : {})
  }
}

/** `values` if within VALUE_CHARS, else none: reports then name the keys, checks read the file. */
function keptValues(values: Map<string, ValuePair> | undefined): ValueLookup | undefined {
  let chars = 0
  for (const [key, pair] of values ?? []) {
    chars += valueChars(key, pair)
    if (chars > VALUE_CHARS) return undefined
  }
  return values
}

function parseFailureNote(before: ParseOutcome, after: ParseOutcome): string {
  const problems: string[] = []
  if ('error' in before) problems.push(`could not parse previous file: ${before.error}`)
  if ('error' in after) problems.push(`could not parse downloaded file: ${after.error}`)
  return problems.join('; ')
}

/** Nothing to create: Phrase exported no translation (a locale nobody has translated yet). */
const NOTHING_TO_CREATE: FileComparison = { status: 'unchanged', empty: true }

function compareNewFile(
  parser: FormatParser | undefined,
  next: FileBytes,
  context: CompareContext
): FileComparison {
  if (isBlankFile(next)) return NOTHING_TO_CREATE
  if (!parser) return { status: 'added' }
  // A long file's keys are all a new file's comparison holds: its values are not kept.
  const keys = keysOf(parser, next, context)
  if (keys) return addedFile(keys)
  const after = tryParse(parser, next.content, context)
  // Text in another declared encoding that does not decode is compared by bytes, as elsewhere.
  if ('error' in after && after.undecodable)
    return { status: 'added', note: `could not parse downloaded file: ${after.error}` }
  if ('error' in after) {
    return {
      status: 'added',
      note: `could not parse downloaded file: ${after.error}`,
      downloadError: after.error
    }
  }
  return addedFile([...after.map.keys()])
}

function addedFile(keys: string[]): FileComparison {
  // A new file's document keys (its locale, gettext headers) are no news: list translations.
  const added = keys.filter(key => !isDocumentKey(key))
  if (added.length === 0) return NOTHING_TO_CREATE
  return {
    status: 'added',
    keys: { added: added.sort(), changed: [], removed: [] },
    previousKeyCount: 0,
    nextKeyCount: added.length
  }
}

/** The keys of a file its parser reads without holding the values; undefined: parse it. */
function keysOf(
  parser: FormatParser,
  bytes: FileBytes,
  context: ParseContext
): string[] | undefined {
  if (!parser.visit || isHtmlPage(firstPiece(bytes))) return undefined
  const keys: string[] = []
  try {
    return parser.visit(bytes, context, key => keys.push(key)) ? keys : undefined
  } catch {
    return undefined
  }
}

type ParseOutcome = { map: TranslationMap } | { error: string; undecodable: boolean }

function tryParse(parser: FormatParser, bytes: Buffer, context: ParseContext): ParseOutcome {
  // Blank is no translation in every format, also in those whose syntax needs a root (JSON, XML).
  if (isBlank(bytes)) return { map: new Map() }
  try {
    const map = parser.parse(decodeText(bytes, context.encoding), {
      localeName: context.localeName,
      encoding: context.encoding
    })
    // A proxy's or CDN's error page: most parsers choke on it, but `.properties` reads anything.
    if (isHtmlPage(bytes))
      return { error: 'an HTML page, not a translation file', undecodable: false }
    return { map }
  } catch (error) {
    // RangeError: a stack overflow on absurdly nested input is a parse failure like any other.
    return {
      error: error instanceof Error ? error.message : String(error),
      undecodable: error instanceof DecodeError
    }
  }
}

/** Only whitespace (after a UTF-8 byte order mark): read from the bytes, never decoding 100 MiB. */
function isBlank(bytes: Buffer): boolean {
  return textStart(bytes) === bytes.length
}

/** Only whitespace: a file read a piece at a time until one says otherwise (nearly always the first). */
function isBlankFile(bytes: FileBytes): boolean {
  let first = true
  for (const piece of piecesOf(bytes)) {
    if (textStart(piece, first) < piece.length) return false
    first = false
  }
  return true
}

function firstPiece(bytes: FileBytes): Buffer {
  for (const piece of piecesOf(bytes)) return piece
  return Buffer.alloc(0)
}

/** Starts like an HTML document (`<!DOCTYPE html`, `<html`): an error page, not a file. */
function isHtmlPage(bytes: Buffer): boolean {
  const start = textStart(bytes)
  const head = bytes.toString('latin1', start, start + 14).toLowerCase()
  return head.startsWith('<!doctype html') || /^<html[\s>]/.test(head)
}

/** Where the text begins: past a UTF-8 byte order mark (at the file's start) and ASCII whitespace. */
function textStart(bytes: Buffer, fileStart = true): number {
  let at = fileStart && utf8Bom(bytes) ? 3 : 0
  while (at < bytes.length && (bytes[at] === 0x20 || (bytes[at] >= 0x09 && bytes[at] <= 0x0d))) at++
  return at
}

/** Byte comparison that ignores CRLF vs LF, trailing newlines and a UTF-8 byte order mark. */
function compareText(previous: Buffer, next: Buffer): FileComparison {
  return { status: sameText(previous, next) ? 'unchanged' : 'changed' }
}

export function sameText(a: Buffer, b: Buffer): boolean {
  if (utf16Bom(a) || utf16Bom(b)) {
    try {
      return normaliseString(decodeText(a)) === normaliseString(decodeText(b))
    } catch {
      return a.equals(b)
    }
  }
  // NUL bytes mean binary (e.g. .mo): line endings there are data, not layout.
  if (a.includes(0) || b.includes(0)) return a.equals(b)
  return normaliseBytes(a).equals(normaliseBytes(b))
}

function normaliseString(text: string): string {
  const lf = text.replaceAll('\r\n', '\n')
  // Not /\n+$/: tried at every line break of a long run, that regex takes quadratic time.
  let end = lf.length
  while (end > 0 && lf.charCodeAt(end - 1) === 0x0a) end--
  return lf.slice(0, end)
}

function normaliseBytes(bytes: Buffer): Buffer {
  let text = utf8Bom(bytes) ? bytes.subarray(3) : bytes
  if (text.includes(0x0d)) {
    const copy = Buffer.allocUnsafe(text.length)
    let length = 0
    for (let i = 0; i < text.length; i++) {
      if (text[i] !== 0x0d || text[i + 1] !== 0x0a) copy[length++] = text[i]
    }
    text = copy.subarray(0, length)
  }
  let end = text.length
  while (end > 0 && text[end - 1] === 0x0a) end--
  return text.subarray(0, end)
}
