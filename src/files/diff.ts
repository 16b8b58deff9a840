/**
 * Decides whether a downloaded file differs from the repository's copy in a way a reviewer cares
 * about, and names the keys that changed. Churn (header dates, key order, line endings, the final
 * newline) compares equal, so the caller keeps the repository's bytes and makes no commit.
 *
 * When a side does not parse: a download that does not parse while the repository's file does is
 * marked `downloadError` (and counted as removing every key) so the caller can refuse it; when
 * neither parses, or only the repository's file is broken, bytes are compared and `note` says why.
 */
import { DecodeError, decodeText, utf16Bom } from './formats/decode.js'
import { isDocumentKey, translationCount } from './formats/document-keys.js'
import {
  parserFor,
  type FormatParser,
  type ParseContext,
  type TranslationMap
} from './formats/index.js'
import { diffMaps } from './formats/map-diff.js'
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
   * `keys.added`. A new file has none: all of it is new, its own content has them.
   */
  values?: ValueLookup
  /**
   * The parse error of a download that does not parse although the repository's file does (an
   * error page, a cut-off file). `keys.removed` then lists every key of the repository's file.
   */
  downloadError?: string
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
  const parser = parserFor(fileFormat)
  if (previous === undefined) return compareNewFile(parser, next, context)
  if (previous.equals(next)) return { status: 'unchanged' }
  if (!parser) return compareText(previous, next)

  const parseContext = { localeName: context.localeName, encoding: context.encoding }
  const shortcut = parser.diff?.(previous, next, parseContext)
  // A shortcut that cannot name values is still right about keys; the full parse below has both.
  if (shortcut && (!context.withValues || shortcut.values))
    return comparison(shortcut, context.withValues)
  const before = tryParse(parser, previous, context)
  const after = tryParse(parser, next, context)
  if ('map' in before && 'error' in after && !after.undecodable) {
    return unparseableDownload(before.map, after.error)
  }
  if ('error' in before || 'error' in after) {
    return { ...compareText(previous, next), note: parseFailureNote(before, after) }
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
  return {
    status: changed ? 'changed' : 'unchanged',
    keys,
    previousKeyCount: diff.previousKeyCount,
    nextKeyCount: diff.nextKeyCount,
    ...(withValues && changed && diff.values ? { values: diff.values } : {})
  }
}

function parseFailureNote(before: ParseOutcome, after: ParseOutcome): string {
  const problems: string[] = []
  if ('error' in before) problems.push(`could not parse previous file: ${before.error}`)
  if ('error' in after) problems.push(`could not parse downloaded file: ${after.error}`)
  return problems.join('; ')
}

function compareNewFile(
  parser: FormatParser | undefined,
  next: Buffer,
  context: CompareContext
): FileComparison {
  if (!parser) return { status: 'added' }
  const after = tryParse(parser, next, context)
  if ('error' in after)
    return { status: 'added', note: `could not parse downloaded file: ${after.error}` }
  return {
    status: 'added',
    // A new file's document keys (its locale, gettext headers) are no news: list translations.
    keys: {
      added: [...after.map.keys()].filter(key => !isDocumentKey(key)).sort(),
      changed: [],
      removed: []
    },
    previousKeyCount: 0,
    nextKeyCount: translationCount(after.map)
  }
}

type ParseOutcome = { map: TranslationMap } | { error: string; undecodable: boolean }

function tryParse(parser: FormatParser, bytes: Buffer, context: ParseContext): ParseOutcome {
  try {
    return {
      map: parser.parse(decodeText(bytes, context.encoding), {
        localeName: context.localeName,
        encoding: context.encoding
      })
    }
  } catch (error) {
    // RangeError: a stack overflow on absurdly nested input is a parse failure like any other.
    return {
      error: error instanceof Error ? error.message : String(error),
      undecodable: error instanceof DecodeError
    }
  }
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
  let text = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes
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
