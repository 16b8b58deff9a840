/**
 * Gettext `.po` / `.pot`, read by po-reader.ts. Keys: `msgid`, `msgctxt|msgid` with a context,
 * `msgid[0]`, `msgid[1]`… for plural forms. The header is churn (dates, generator, last translator) except `Plural-Forms`
 * and `Language`, which change how the file is read. Flags (`fuzzy`), translator and extracted
 * comments and `msgid_plural` belong to the value; `#:` references and obsolete entries are noise.
 */
import { decodeText } from './decode.js'
import { headerKey, translationCount } from './document-keys.js'
import { diffMaps } from './map-diff.js'
import { splitPoRegions } from './po-regions.js'
import { readPo, type PoEntry } from './po-reader.js'
import type { FormatParser, TranslationMap } from './types.js'
import { withMeta } from './value.js'

const MEANINGFUL_HEADERS = ['Plural-Forms', 'Language']

export const gettextParser: FormatParser = {
  parse: content => entriesToMap(readPo(content)),
  diff(previous, next, context) {
    // Large files: parse only the entries that differ (see po-regions.ts).
    const regions = splitPoRegions(previous.content, next.content)
    if (!regions) return undefined
    const decode = (parts: Buffer[]) => decodeText(Buffer.concat(parts), context.encoding)
    try {
      const before = entriesToMap(readPo(decode(regions.previous)))
      const after = entriesToMap(readPo(decode(regions.next)))
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

function entriesToMap(entries: PoEntry[]): TranslationMap {
  const map: TranslationMap = new Map()
  for (const entry of entries) {
    if (entry.msgctxt === undefined && entry.msgid === '') {
      addHeader(map, entry.msgstr[0] ?? '')
      continue
    }
    const key = entry.msgctxt === undefined ? entry.msgid : contextKey(entry.msgctxt, entry.msgid)
    const annotation = annotationOf(entry)
    if (entry.msgidPlural === undefined && entry.msgstr.length <= 1) {
      map.set(key, withMeta(entry.msgstr[0] ?? '', annotation))
    } else {
      entry.msgstr.forEach((form, index) => map.set(`${key}[${index}]`, withMeta(form, annotation)))
    }
  }
  return map
}

/**
 * `menu|Open`: a context and its message joined by `|`, as gettext named them before `msgctxt`
 * existed and as GLib's `Q_("menu|Open")` and Ruby GetText's `s_("File|New")` still write them.
 * Readable in a pull request, where the `\u0004` separator of `.mo` files would be invisible. A
 * message without a context whose own text is `menu|Open` would share the name: like a message
 * defined twice, the last one read wins.
 */
function contextKey(msgctxt: string, msgid: string): string {
  return `${msgctxt}|${msgid}`
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
