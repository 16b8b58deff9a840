/**
 * Finds where two PO files differ, at entry granularity, using native byte comparisons only.
 * A Phrase re-export changes a handful of entries out of thousands; parsing just those (instead
 * of both whole files) makes comparing 100 locales × 10,000 keys fast enough to go unnoticed.
 *
 * The files are cut only at blank lines that separate whole entries (the text before ends with
 * a `msgstr`, the text after starts a new entry), so a byte-identical region parses to the same
 * entries in both files and contributes nothing to the diff. Anything unusual — CRLF, a BOM,
 * invalid UTF-8, a cut that would not separate whole entries — returns undefined and the caller
 * parses both files in full. Known limits, both about invalid PO: a key duplicated across regions
 * may be reported as added/removed instead of changed, and a syntax error inside a byte-identical
 * region goes unseen (both files carry it unchanged).
 */
import { isUtf8 } from 'node:buffer'
import { utf8Bom } from './decode.js'

export interface PoRegions {
  /** The differing parts of each file, each part a run of whole entries. */
  previous: Buffer[]
  next: Buffer[]
  /** Keys in the byte-identical regions: one per `msgstr` line (header kept out, see below). */
  commonKeyCount: number
}

const BLANK_LINE = Buffer.from('\n\n')
const MSGSTR_LINE = Buffer.from('\nmsgstr')
const NEWLINE = 0x0a
/** How many entries to look ahead for a re-synchronisation point after a difference. */
const LOOKAHEAD_BLOCKS = 8
/** How far to search for it; beyond, the rest of both files is parsed. */
const SEARCH_WINDOW = 64 * 1024

export function splitPoRegions(previous: Buffer, next: Buffer): PoRegions | undefined {
  if (!plainUtf8(previous) || !plainUtf8(next)) return undefined
  const regions: PoRegions = { previous: [], next: [], commonKeyCount: 0 }
  // The header entry yields `[header] …` keys, not one per msgstr: always parse the first block.
  let a = nextBoundary(previous, 0)
  let b = nextBoundary(next, 0)
  regions.previous.push(previous.subarray(0, a))
  regions.next.push(next.subarray(0, b))

  while (a < previous.length && b < next.length) {
    if (!isCut(previous, a) || !isCut(next, b)) return undefined
    const end = commonRegionEnd(previous, a, next, b)
    if (end > a) {
      regions.commonKeyCount += countMsgstrLines(previous, a, end)
      b += end - a
      a = end
      continue
    }
    const [nextA, nextB] = resynchronise(previous, a, next, b)
    regions.previous.push(previous.subarray(a, nextA))
    regions.next.push(next.subarray(b, nextB))
    a = nextA
    b = nextB
  }
  if (a < previous.length && !isCut(previous, a)) return undefined
  if (b < next.length && !isCut(next, b)) return undefined
  regions.previous.push(previous.subarray(a))
  regions.next.push(next.subarray(b))
  return regions
}

/** The fast path handles LF-only UTF-8 without a BOM, which is what Phrase writes. */
function plainUtf8(bytes: Buffer): boolean {
  return !utf8Bom(bytes) && !bytes.includes(0x0d) && isUtf8(bytes)
}

/** Position after the next blank line at or after `from`, or the end of the file. */
function nextBoundary(bytes: Buffer, from: number): number {
  const blank = bytes.indexOf(BLANK_LINE, from)
  return blank === -1 ? bytes.length : blank + BLANK_LINE.length
}

/**
 * End of the byte-identical run starting at (a, b), moved back to the last entry boundary
 * (or to a, when the first entry already differs).
 */
function commonRegionEnd(previous: Buffer, a: number, next: Buffer, b: number): number {
  const length = commonPrefixLength(previous, a, next, b)
  if (a + length === previous.length && b + length === next.length) return previous.length
  if (length === 0) return a
  const blank = previous.lastIndexOf(BLANK_LINE, a + length - BLANK_LINE.length)
  return blank === -1 || blank + BLANK_LINE.length <= a ? a : blank + BLANK_LINE.length
}

/** Galloping comparison: O(log n) native compares for a long identical run. */
function commonPrefixLength(previous: Buffer, a: number, next: Buffer, b: number): number {
  const limit = Math.min(previous.length - a, next.length - b)
  const same = (from: number, to: number) =>
    previous.compare(next, b + from, b + to, a + from, a + to) === 0
  let length = 0
  let step = 256
  while (length < limit) {
    const to = Math.min(limit, length + step)
    if (same(length, to)) {
      length = to
      step *= 2
    } else if (to - length <= 16) {
      while (previous[a + length] === next[b + length]) length++
      return length
    } else {
      step = Math.max(16, Math.floor((to - length) / 2))
    }
  }
  return length
}

/**
 * After a difference at (a, b), finds the nearest pair of positions where the same entry block
 * starts in both files. Everything before them differs.
 */
function resynchronise(previous: Buffer, a: number, next: Buffer, b: number): [number, number] {
  // The usual case, a value changed in place: the entries right after match.
  const afterA = nextBoundary(previous, a)
  const afterB = nextBoundary(next, b)
  if (sameBlock(previous, afterA, next, afterB)) return [afterA, afterB]
  let best: [number, number] | undefined
  let bestCost = Infinity
  let aheadA = a
  let aheadB = b
  for (let block = 0; block <= LOOKAHEAD_BLOCKS; block++) {
    if (aheadA - a >= bestCost && aheadB - b >= bestCost) break
    const inNext = findBlock(previous, aheadA, next, b)
    if (inNext !== -1 && aheadA - a + (inNext - b) < bestCost) {
      best = [aheadA, inNext]
      bestCost = aheadA - a + (inNext - b)
    }
    const inPrevious = findBlock(next, aheadB, previous, a)
    if (inPrevious !== -1 && inPrevious - a + (aheadB - b) < bestCost) {
      best = [inPrevious, aheadB]
      bestCost = inPrevious - a + (aheadB - b)
    }
    aheadA = nextBoundary(previous, aheadA)
    aheadB = nextBoundary(next, aheadB)
  }
  if (best && (best[0] > a || best[1] > b)) return best
  // No anchor nearby: treat the first entry of each as changed (or, at the end, the rest).
  return best ? [nextBoundary(previous, a), nextBoundary(next, b)] : [previous.length, next.length]
}

function sameBlock(previous: Buffer, a: number, next: Buffer, b: number): boolean {
  const endA = nextBoundary(previous, a)
  const endB = nextBoundary(next, b)
  return a < endA && endA - a === endB - b && previous.compare(next, b, endB, a, endA) === 0
}

/** Where the block of `source` starting at `start` (with its blank line) next starts in `target`. */
function findBlock(source: Buffer, start: number, target: Buffer, from: number): number {
  if (start >= source.length) return -1
  const blank = source.indexOf(BLANK_LINE, start)
  if (blank === -1) return -1 // the last block has no separator to anchor on
  const probe = source.subarray(start, blank + BLANK_LINE.length)
  const window = target.subarray(from, from + SEARCH_WINDOW)
  for (let at = window.indexOf(probe); at !== -1; at = window.indexOf(probe, at + 1)) {
    const position = from + at
    if (
      position === from ||
      (target[position - 1] === NEWLINE && target[position - 2] === NEWLINE)
    ) {
      return position
    }
  }
  return -1
}

/** A cut at `position` separates whole entries (see the module comment). */
function isCut(bytes: Buffer, position: number): boolean {
  if (position === 0 || position === bytes.length) return true
  return startsEntry(bytes, position) && endsEntry(bytes, position - BLANK_LINE.length)
}

function startsEntry(bytes: Buffer, position: number): boolean {
  if (bytes[position] === 0x23 /* # */) return true
  return (
    startsWithKeyword(bytes, position, 'msgid') || startsWithKeyword(bytes, position, 'msgctxt')
  )
}

/** The text ending at `end` (a newline) finishes an entry: its last keyword line is a msgstr. */
function endsEntry(bytes: Buffer, end: number): boolean {
  let lineStart = startOfLineEndingAt(bytes, end)
  // Skip the string continuation lines of a multi-line msgstr.
  while (bytes[lineStart] === 0x22 /* " */ && lineStart > 0) {
    lineStart = startOfLineEndingAt(bytes, lineStart - 1)
  }
  const obsolete = bytes[lineStart] === 0x23 && bytes[lineStart + 1] === 0x7e /* #~ */
  return obsolete || bytes.toString('latin1', lineStart, lineStart + 6) === 'msgstr'
}

/** Start of the line whose terminating newline is at `newline`. */
function startOfLineEndingAt(bytes: Buffer, newline: number): number {
  return newline <= 0 ? 0 : bytes.lastIndexOf(NEWLINE, newline - 1) + 1
}

function startsWithKeyword(bytes: Buffer, position: number, keyword: string): boolean {
  const after = bytes[position + keyword.length]
  return (
    bytes.toString('latin1', position, position + keyword.length) === keyword &&
    (after === 0x20 || after === 0x22) // `msgid "`, not `msgid_plural`
  )
}

function countMsgstrLines(bytes: Buffer, from: number, to: number): number {
  let count = 0
  for (
    let at = bytes.indexOf(MSGSTR_LINE, from);
    at !== -1 && at < to;
    at = bytes.indexOf(MSGSTR_LINE, at + 1)
  ) {
    count++
  }
  return count
}
