/**
 * Gettext `.po` / `.pot`. Keys: `msgid`, `msgctxt\u0004msgid` with a context, `msgid[0]`, `msgid[1]`…
 * for plural forms. The header is churn (dates, generator, last translator) except `Plural-Forms`
 * and `Language`, which change how the file is read. Flags (`fuzzy`), translator and extracted
 * comments and `msgid_plural` belong to the value; `#:` references and obsolete entries are noise.
 */
import { po, type GetTextTranslations } from 'gettext-parser'
import { decodeText } from './decode.js'
import { FormatError } from './flatten.js'
import { diffMaps } from './map-diff.js'
import { splitPoRegions } from './po-regions.js'
import { readPo, UnusualPoSyntax, type PoEntry } from './po-reader.js'
import type { FormatParser, TranslationMap } from './types.js'

const CONTEXT_SEPARATOR = '\u0004'
/** Separates a translation from its annotations; never part of a PO string. */
const ANNOTATION_SEPARATOR = '\u0000'
const MEANINGFUL_HEADERS = ['Plural-Forms', 'Language']

export const gettextParser: FormatParser = {
  parse: content => entriesToMap(readEntries(content)),
  diff(previous, next) {
    // Large files: parse only the entries that differ (see po-regions.ts).
    const regions = splitPoRegions(previous, next)
    if (!regions) return undefined
    try {
      const before = entriesToMap(readEntries(decodeText(Buffer.concat(regions.previous))))
      const after = entriesToMap(readEntries(decodeText(Buffer.concat(regions.next))))
      return {
        ...diffMaps(before, after),
        previousKeyCount: regions.commonKeyCount + before.size,
        nextKeyCount: regions.commonKeyCount + after.size
      }
    } catch {
      return undefined // the caller's full parse names the problem
    }
  }
}

/** The fast reader handles what Phrase exports; anything unusual goes to gettext-parser. */
export function readEntries(content: string): PoEntry[] {
  try {
    return readPo(content)
  } catch (error) {
    if (!(error instanceof UnusualPoSyntax)) throw error
    return readEntriesWithLibrary(content)
  }
}

export function readEntriesWithLibrary(content: string): PoEntry[] {
  let table: GetTextTranslations
  try {
    table = po.parse(content)
  } catch (error) {
    throw new FormatError(`invalid PO file: ${(error as Error).message}`)
  }
  const entries: PoEntry[] = []
  for (const byMsgid of Object.values(table.translations)) {
    for (const { msgctxt, msgid, msgid_plural, msgstr, comments } of Object.values(byMsgid)) {
      const entry: PoEntry = { msgid, msgstr: msgstr ?? [] }
      if (msgctxt) entry.msgctxt = msgctxt
      if (msgid_plural !== undefined) entry.msgidPlural = msgid_plural
      if (comments) entry.comments = comments
      entries.push(entry)
    }
  }
  return entries
}

export function entriesToMap(entries: PoEntry[]): TranslationMap {
  const map: TranslationMap = new Map()
  for (const entry of entries) {
    if (entry.msgctxt === undefined && entry.msgid === '') {
      addHeader(map, entry.msgstr[0] ?? '')
      continue
    }
    const key =
      entry.msgctxt === undefined ? entry.msgid : entry.msgctxt + CONTEXT_SEPARATOR + entry.msgid
    const annotation = annotationOf(entry)
    const suffix = annotation === '' ? '' : ANNOTATION_SEPARATOR + annotation
    if (entry.msgidPlural === undefined && entry.msgstr.length <= 1) {
      map.set(key, (entry.msgstr[0] ?? '') + suffix)
    } else {
      entry.msgstr.forEach((form, index) => map.set(`${key}[${index}]`, form + suffix))
    }
  }
  return map
}

/** Header fields appear as `[header] Plural-Forms`; the header entry itself is not a key. */
function addHeader(map: TranslationMap, header: string): void {
  for (const name of MEANINGFUL_HEADERS) map.delete(`[header] ${name}`)
  for (const line of header.split('\n')) {
    const colon = line.indexOf(':')
    if (colon === -1) continue
    const name = MEANINGFUL_HEADERS.find(
      known => known.toLowerCase() === line.slice(0, colon).trim().toLowerCase()
    )
    if (name) map.set(`[header] ${name}`, line.slice(colon + 1).trim())
  }
}

function annotationOf({ comments, msgidPlural }: PoEntry): string {
  if (comments === undefined && msgidPlural === undefined) return ''
  const parts: string[] = []
  const flags = comments?.flag
    ?.split(/[,\n]/)
    .map(flag => flag.trim())
    .filter(flag => flag !== '')
    .sort()
  if (flags && flags.length > 0) parts.push(`#, ${flags.join(', ')}`)
  if (comments?.translator) parts.push(`# ${comments.translator}`)
  if (comments?.extracted) parts.push(`#. ${comments.extracted}`)
  if (msgidPlural !== undefined) parts.push(`msgid_plural ${msgidPlural}`)
  return parts.join('\n')
}
