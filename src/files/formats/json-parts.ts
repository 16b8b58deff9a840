/**
 * Reads a long JSON object a part at a time, for the same sinks as YAML (yaml-parts.ts): runs of
 * members are parsed by `JSON.parse` as objects of their own, a member whose object is long is
 * read the same way, member by member. One pass finds where each long object ends, a second one
 * reads the members of long objects; everything else is `JSON.parse`'s, so a file is read as
 * `JSON.parse` reads it, or (anything it would refuse, anything unusual) read whole: undefined.
 */
import type { PartSink } from './parts.js'
import type { Utf8Text } from './decode.js'

/** A string, or UTF-8 bytes read as one (its scanner looks at ASCII only). */
type Text = string | Utf8Text

/**
 * Members parsed together, about this many characters of them; objects longer than that are read
 * in parts, in files four times as long (a file of a few MB is read faster whole, and its tree is
 * small: the diff of 200 files of 10,000 keys took 40 % longer in parts).
 */
const PART_CHARS = 256 * 1024

const enum Char {
  Quote = 0x22,
  Backslash = 0x5c,
  Comma = 0x2c,
  Colon = 0x3a,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
  OpenBracket = 0x5b,
  CloseBracket = 0x5d
}

/** Objects of `text` as long as a part or longer: where each starts, and ends (exclusive). */
type LongObjects = Map<number, number>

export function readJsonInParts<Slot>(
  text: Text,
  sink: PartSink<Slot>,
  partChars = PART_CHARS
): { whole: unknown } | { parts: true } | undefined {
  if (text.length < 4 * partChars) return { whole: JSON.parse(text.toString()) }
  const start = skipSpace(text, 0)
  const long = longObjects(text, partChars)
  const end = long?.get(start)
  if (!long || end === undefined || skipSpace(text, end) !== text.length)
    return { whole: JSON.parse(text.toString()) }
  const root = sink.root({})
  if (root === undefined) return undefined
  return new JsonParts(text, sink, long, partChars).readObject(start, end, root)
    ? { parts: true }
    : undefined
}

class JsonParts<Slot> {
  constructor(
    private readonly text: Text,
    private readonly sink: PartSink<Slot>,
    private readonly long: LongObjects,
    private readonly partChars: number
  ) {}

  /** The members of the object from `start` (`{`) to `end` (after `}`). */
  readObject(start: number, end: number, slot: Slot): boolean {
    const { text } = this
    let at = skipSpace(text, start + 1)
    let run = -1
    let runEnd = -1
    const flush = () => {
      if (run < 0) return true
      const members = JSON.parse(`{${text.slice(run, runEnd)}}`) as Record<string, unknown>
      run = -1
      return Object.entries(members).every(([key, value]) => this.sink.add(slot, key, value))
    }
    if (at === end - 1) return true
    for (;;) {
      const keyStart = at
      const keyEnd = text.charCodeAt(keyStart) === Char.Quote ? stringEnd(text, keyStart) : -1
      if (keyEnd < 0) return false
      at = skipSpace(text, keyEnd)
      if (text.charCodeAt(at) !== Char.Colon) return false
      const valueStart = skipSpace(text, at + 1)
      const objectEnd = this.long.get(valueStart)
      let valueEnd: number
      if (objectEnd !== undefined) {
        if (!flush()) return false
        const inner = this.sink.open(slot, JSON.parse(text.slice(keyStart, keyEnd)), {})
        if (inner === undefined || !this.readObject(valueStart, objectEnd, inner)) return false
        valueEnd = objectEnd
      } else {
        valueEnd = valueEndAt(text, valueStart)
        if (valueEnd < 0) return false
        if (run < 0) run = keyStart
        runEnd = valueEnd
      }
      at = skipSpace(text, valueEnd)
      const next = text.charCodeAt(at)
      if (next === Char.CloseBrace) return at === end - 1 && flush()
      if (next !== Char.Comma) return false
      at = skipSpace(text, at + 1)
      if (run >= 0 && runEnd - run >= this.partChars && !flush()) return false
    }
  }
}

/** After JSON's four white space characters from `at`. */
function skipSpace(text: Text, at: number): number {
  for (; at < text.length; at++) {
    const char = text.charCodeAt(at)
    if (char !== 0x20 && char !== 0x0a && char !== 0x0d && char !== 0x09) break
  }
  return at
}

/** After the closing quote of the string opening at `at`; -1 when there is none. */
function stringEnd(text: Text, at: number): number {
  for (let index = at + 1; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (char === Char.Backslash) index++
    else if (char === Char.Quote) return index + 1
  }
  return -1
}

/** After the value starting at `at` (checked by `JSON.parse` later); -1 when it has no end. */
function valueEndAt(text: Text, at: number): number {
  const first = text.charCodeAt(at)
  if (first === Char.Quote) return stringEnd(text, at)
  if (first !== Char.OpenBrace && first !== Char.OpenBracket) {
    let index = at
    while (index < text.length && !isDelimiter(text.charCodeAt(index))) index++
    return index
  }
  let depth = 0
  for (let index = at; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (char === Char.Quote) {
      index = stringEnd(text, index) - 1
      if (index < 0) return -1
    } else if (char === Char.OpenBrace || char === Char.OpenBracket) depth++
    else if (char === Char.CloseBrace || char === Char.CloseBracket) {
      if (--depth === 0) return index + 1
    }
  }
  return -1
}

function isDelimiter(char: number): boolean {
  return (
    char === Char.Comma ||
    char === Char.CloseBrace ||
    char === Char.CloseBracket ||
    char === 0x20 ||
    char === 0x0a ||
    char === 0x0d ||
    char === 0x09
  )
}

/**
 * Every object at least `partChars` long, by where it starts; undefined when brackets do not
 * pair (the file is read whole, and `JSON.parse` names the problem).
 */
function longObjects(text: Text, partChars: number): LongObjects | undefined {
  const long: LongObjects = new Map()
  const open: number[] = []
  for (let index = 0; index < text.length; index++) {
    const char = text.charCodeAt(index)
    if (char === Char.Quote) {
      index = stringEnd(text, index) - 1
      if (index < 0) return undefined
    } else if (char === Char.OpenBrace || char === Char.OpenBracket) open.push(index)
    else if (char === Char.CloseBrace || char === Char.CloseBracket) {
      const start = open.pop()
      if (start === undefined) return undefined
      const opener = text.charCodeAt(start)
      if ((opener === Char.OpenBrace) !== (char === Char.CloseBrace)) return undefined
      if (opener === Char.OpenBrace && index + 1 - start >= partChars) long.set(start, index + 1)
    }
  }
  return open.length === 0 ? long : undefined
}
