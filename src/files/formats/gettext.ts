/**
 * Gettext `.po` / `.pot`. Keys: `msgid`, `msgctxt\u0004msgid` with a context, `msgid[0]`, `msgid[1]`…
 * for plural forms. The header is churn (dates, generator, last translator) except `Plural-Forms`
 * and `Language`, which change how the file is read. Flags (`fuzzy`), translator and extracted
 * comments and `msgid_plural` belong to the value; `#:` references and obsolete entries are noise.
 */
import { po, type GetTextTranslations } from 'gettext-parser'
import { decodeText } from './decode.js'
import { headerKey, translationCount } from './document-keys.js'
import { FormatError } from './flatten.js'
import { diffMaps } from './map-diff.js'
import { splitPoRegions } from './po-regions.js'
import { readPo, UnusualPoSyntax, type PoEntry } from './po-reader.js'
import type { FormatParser, TranslationMap } from './types.js'
import { withMeta } from './value.js'

const CONTEXT_SEPARATOR = '\u0004'
const MEANINGFUL_HEADERS = ['Plural-Forms', 'Language']

export const gettextParser: FormatParser = {
  parse: content => entriesToMap(readEntries(content)),
  diff(previous, next, context) {
    // Large files: parse only the entries that differ (see po-regions.ts).
    const regions = splitPoRegions(previous, next)
    if (!regions) return undefined
    const decode = (parts: Buffer[]) => decodeText(Buffer.concat(parts), context.encoding)
    try {
      const before = entriesToMap(readEntries(decode(regions.previous)))
      const after = entriesToMap(readEntries(decode(regions.next)))
      return {
        ...diffMaps(before, after),
        previousKeyCount: regions.commonKeyCount + translationCount(before),
        nextKeyCount: regions.commonKeyCount + translationCount(after)
      }
    } catch {
      return undefined // the caller's full parse names the problem
    }
  }
}

/**
 * The fast reader handles what Phrase exports; anything unusual goes to gettext-parser, unless
 * the file also holds what the library misreads (see `libraryMisreads`).
 */
export function readEntries(content: string): PoEntry[] {
  try {
    return readPo(content)
  } catch (error) {
    if (!(error instanceof UnusualPoSyntax)) throw error
    const misread = libraryMisreads(content)
    if (misread) throw new FormatError(`invalid PO file: ${error.message}, and ${misread}`)
    return readEntriesWithLibrary(content)
  }
}

/**
 * gettext-parser keeps plural forms in file order and drops an empty `msgctxt`: a file that
 * relies on either cannot be read by it without changing its meaning.
 */
export function libraryMisreads(content: string): string | undefined {
  const lines = content.split('\n')
  let nextForm = 0
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim()
    if (line.startsWith('msgid ') || line.startsWith('msgid"')) nextForm = 0
    const form = /^msgstr\[(\d+)\]/.exec(line)
    if (form && Number(form[1]) !== nextForm++) return `plural forms out of order at line ${i + 1}`
    if (/^msgctxt\s*""$/.test(line) && !lines[i + 1]?.trim().startsWith('"')) {
      return `an empty msgctxt at line ${i + 1}`
    }
  }
  return undefined
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
    if (entry.msgidPlural === undefined && entry.msgstr.length <= 1) {
      map.set(key, withMeta(entry.msgstr[0] ?? '', annotation))
    } else {
      entry.msgstr.forEach((form, index) => map.set(`${key}[${index}]`, withMeta(form, annotation)))
    }
  }
  return map
}

/** Header fields appear as `[header] Plural-Forms`; the header entry itself is not a key. */
function addHeader(map: TranslationMap, header: string): void {
  for (const name of MEANINGFUL_HEADERS) map.delete(headerKey(name))
  for (const line of header.split('\n')) {
    const colon = line.indexOf(':')
    if (colon === -1) continue
    const name = MEANINGFUL_HEADERS.find(
      known => known.toLowerCase() === line.slice(0, colon).trim().toLowerCase()
    )
    if (name) map.set(headerKey(name), line.slice(colon + 1).trim())
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
