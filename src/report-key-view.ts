/**
 * The key view of the change report as markdown lines: a group of keys with where it happened
 * ("Removed in `et` only", "Added in all 30 locales"), a one-locale change with its old → new
 * text, new locales per target, files an earlier run brought, files without a key-level diff.
 */
import type { FileReport } from './file-report.js'
import { displayText } from './files/formats/value.js'
import { LOCALE_PLACEHOLDER, type KeyGroup, type Kind } from './key-groups.js'
import {
  codeSpan,
  escapeText,
  folded,
  formatCount as count,
  keySpan,
  localeSpan,
  oldNewText,
  plural
} from './markdown.js'

/** How much the key view names (a level of the report's detail). */
export interface KeyViewDetail {
  /** Keys named per line, and old → new pairs per line of changed keys. */
  groupKeys: number
  pairs: number
  /** Lines of each section; the first `openRows` open, the rest folded, past `lines` counted. */
  lines: number
}

/** Locales named in one "where" phrase before "and N more". */
const NAMED_LOCALES = 5

const KIND_LABEL: Record<Kind, string> = {
  removed: 'Removed',
  changed: 'Changed',
  added: 'Added'
}

/** A section of key-view lines: the first rows open, the rest folded, past `lines` counted. */
export function viewSection(
  title: string,
  lines: string[],
  detail: KeyViewDetail,
  openRows: number
): string {
  const listed = lines.slice(0, detail.lines)
  const open = listed.slice(0, openRows)
  const rest = listed.slice(openRows)
  const parts = [`#### ${title}`, open.join('\n')]
  if (rest.length > 0) parts.push(folded(plural(rest.length, 'more line'), rest.join('\n')))
  const unlisted = lines.length - listed.length
  if (unlisted > 0)
    parts.push(`… and ${plural(unlisted, 'more line')}: every change is in the files below.`)
  return parts.join('\n\n')
}

export function groupLine(
  group: KeyGroup,
  detail: KeyViewDetail,
  showFamily: boolean
): { text: string; complete: boolean } {
  const family = showFamily ? ` in ${codeSpan(group.family)}` : ''
  const head = `- **${KIND_LABEL[group.kind]}** ${whereText(group)}${family}`
  const counted = group.keys.length > 1 ? ` (${plural(group.keys.length, 'key')})` : ''
  // Changes in a few locales are what to read; any changed key shows its texts while they fit.
  const texts = group.kind === 'changed' && group.files.some(file => file.values)
  if (texts && (group.spread === 'few' || group.files.length * group.keys.length <= detail.pairs))
    return changedPairs(group, head, detail)
  const names = group.keys.slice(0, detail.groupKeys).map(keySpan)
  const rest = group.keys.length - names.length
  const more = rest > 0 ? ` and ${count(rest)} more` : ''
  // Shared changed keys have a text per locale: the files below show them.
  return { text: `${head}${counted}: ${names.join(', ')}${more}`, complete: rest === 0 && !texts }
}

/** Changed keys with their old → new text, per locale when there are several. */
function changedPairs(
  group: KeyGroup,
  head: string,
  detail: KeyViewDetail
): { text: string; complete: boolean } {
  const entries = group.files.flatMap(file =>
    group.keys.map(key => ({ file, key, pair: file.values?.get(key) }))
  )
  const shown = entries.slice(0, detail.pairs)
  const rest = entries.length - shown.length
  const several = group.files.length > 1
  const item = ({ file, key, pair }: (typeof entries)[number]) => {
    const where = several ? `${localeSpan(file.locale)} ` : ''
    const text =
      pair?.before !== undefined && pair.after !== undefined
        ? `: ${oldNewText(displayText(pair.before), displayText(pair.after))}`
        : ''
    return `${where}${keySpan(key)}${text}`
  }
  if (entries.length === 1) return { text: `${head}: ${item(entries[0])}`, complete: true }
  const counted = group.keys.length > 1 ? ` (${plural(group.keys.length, 'key')})` : ''
  const lines = [`${head}${counted}:`, ...shown.map(entry => `  - ${item(entry)}`)]
  if (rest > 0) lines.push(`  - and ${count(rest)} more`)
  return { text: lines.join('\n'), complete: rest === 0 }
}

function whereText(group: KeyGroup): string {
  const total = group.total
  const locales = group.files.map(file => file.locale)
  switch (group.spread) {
    case 'all':
      return total === 2 ? 'in both locales' : `in all ${count(total)} locales`
    case 'almost':
      return `in ${count(locales.length)} of ${count(total)} locales, not in ${localeNames(group.without)}`
    case 'some':
      // Whichever side is shorter to name.
      return locales.length > total / 2
        ? `in ${count(locales.length)} of ${count(total)} locales, not in ${localeNames(group.without)}`
        : `in ${count(locales.length)} of ${count(total)} locales (${localeNames(locales)})`
    case 'few':
      return locales.length === 1
        ? `in ${localeSpan(locales[0])} only`
        : `only in ${localeNames(locales)}`
  }
}

function localeNames(locales: string[]): string {
  const shown = locales.slice(0, NAMED_LOCALES).map(localeSpan)
  const rest = locales.length - shown.length
  if (rest > 0) return `${shown.join(', ')} and ${count(rest)} more`
  if (shown.length === 1) return shown[0]
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`
}

const NEW_LOCALES_NAMED = 30

/** New files of one family: "New locales in `config/locales/<locale>.yml`: `ko`, `tr`". */
export function createdLine(family: string, created: FileReport[]): string {
  const keyCount = (file: FileReport) => file.keys?.added.length ?? 0
  const same = created.every(file => keyCount(file) === keyCount(created[0]))
  const perFile = (file: FileReport) => (same ? '' : ` (${count(keyCount(file))})`)
  const keys = same
    ? ` (${plural(keyCount(created[0]), 'key')}${created.length > 1 ? ' each' : ''})`
    : ''
  if (!family.includes(LOCALE_PLACEHOLDER))
    return `- **New ${created.length === 1 ? 'file' : 'files'}** ${created.map(file => codeSpan(file.path)).join(', ')}${keys}`
  const shown = created
    .slice(0, NEW_LOCALES_NAMED)
    .map(file => localeSpan(file.locale) + perFile(file))
  const more =
    created.length > shown.length ? ` and ${count(created.length - shown.length)} more` : ''
  const noun = created.length === 1 ? 'locale' : 'locales'
  return `- **New ${noun}** in ${codeSpan(family)}: ${shown.join(', ')}${more}${keys}`
}

export function carriedLine(carried: FileReport[]): string {
  const named = carried
    .slice(0, NAMED_LOCALES)
    .map(file => `${codeSpan(file.path)} (${escapeText(file.carriedFrom!.slice(0, 10))})`)
  const more =
    carried.length > named.length ? ` and ${count(carried.length - named.length)} more` : ''
  return `- **From an earlier run**, not part of this one: ${named.join(', ')}${more}`
}

export function wholeLine(whole: FileReport[]): string {
  const named = whole.slice(0, NAMED_LOCALES).map(file => codeSpan(file.path))
  const more = whole.length > named.length ? ` and ${count(whole.length - named.length)} more` : ''
  return `- **Compared as whole files** (no key-level diff for their format): ${named.join(', ')}${more}`
}
