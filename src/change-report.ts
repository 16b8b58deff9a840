/**
 * The change report of the PR body and the job summary, built for a reviewer's first ten seconds:
 * totals, new locales and check findings first, then the biggest changes, then per file the
 * removed, changed (old → new) and added keys. Long parts fold into <details>, and the whole report
 * steps down to less detail until it fits GitHub's body limit; it is never cut mid-table.
 */
import type { CheckFinding } from './checks/types.js'
import type { ValueLookup } from './files/diff.js'
import { displayText } from './files/formats/value.js'
import { codeSpan, escapeText, folded, plural, shorten } from './markdown.js'

export interface FileReport {
  path: string
  locale: string
  status: 'added' | 'changed'
  /** Undefined when the format has no key-level diff: the file is reported as a whole. */
  keys?: { added: string[]; changed: string[]; removed: string[] }
  note?: string
  /** The changed keys' old and new values (from the comparison), for old → new lines. */
  values?: ValueLookup
  /**
   * Set for a file the branch carries over from an earlier run (not part of this run's plan): the
   * ISO-8601 date of the run that wrote its bytes ('' when unknown).
   */
  carriedFrom?: string
}

export const REPORT_HEADING = '### Translation changes from Phrase'

/** GitHub refuses PR bodies over 65,536 characters; this leaves room for the user's own text. */
export const DEFAULT_REPORT_MAX_CHARS = 60_000
/** Tables and lists up to this many rows are shown open; longer ones fold. */
const OPEN_ROWS = 15
/** Rows of the "biggest changes" table shown above a folded table of every file. */
const TOP_ROWS = 10
const KEY_CHARS = 80
const TEXT_CHARS = 60

/** How much the report names; the levels go from everything to what always fits. */
interface Detail {
  /** Keys named per kind in a file's open lines, and old → new pairs among them. */
  named: number
  oldNew: number
  /** Keys per kind in a file's fold ("all of them one click away"); 0 = no fold. */
  folded: number
  /** Files with a key section; 0 = none. */
  keyFiles: number
  /** Findings listed (open and folded together). */
  findings: number
  /** Rows of the table of every file. */
  fileRows: number
}

const LEVELS: Detail[] = [
  {
    named: 5,
    oldNew: 3,
    folded: Infinity,
    keyFiles: Infinity,
    findings: Infinity,
    fileRows: Infinity
  },
  { named: 5, oldNew: 3, folded: 100, keyFiles: Infinity, findings: 1000, fileRows: Infinity },
  { named: 5, oldNew: 3, folded: 20, keyFiles: Infinity, findings: 200, fileRows: Infinity },
  { named: 3, oldNew: 2, folded: 0, keyFiles: Infinity, findings: 100, fileRows: Infinity },
  { named: 3, oldNew: 1, folded: 0, keyFiles: 50, findings: 50, fileRows: Infinity },
  { named: 0, oldNew: 0, folded: 0, keyFiles: 0, findings: OPEN_ROWS, fileRows: Infinity }
]

export function changeReport(
  files: FileReport[],
  opts: { findings?: CheckFinding[]; maxChars?: number } = {}
): string {
  const findings = opts.findings ?? []
  const maxChars = opts.maxChars ?? DEFAULT_REPORT_MAX_CHARS
  const sorted = [...files].sort(biggestFirst)
  for (const detail of LEVELS) {
    const report = render(sorted, findings, detail)
    if (report.length <= maxChars) return report
  }
  // Last resort: fewer rows in the table of every file, with a line that counts the rest.
  const poorest = LEVELS[LEVELS.length - 1]
  let rows = sorted.length
  let report = render(sorted, findings, { ...poorest, fileRows: rows })
  while (report.length > maxChars && rows > 0) {
    rows = Math.floor(rows * 0.9)
    report = render(sorted, findings, { ...poorest, fileRows: rows })
  }
  return report
}

function render(files: FileReport[], findings: CheckFinding[], detail: Detail): string {
  const blocks = [REPORT_HEADING, totalsLine(files)]
  const created = files.filter(file => file.status === 'added')
  if (created.length > 0) blocks.push(newLocalesLine(created))
  if (findings.length > 0) {
    blocks.push(
      `**⚠ ${plural(findings.length, 'translation check finding')}**, listed under *Translation checks* below.`
    )
  }
  blocks.push(...fileTables(files, detail))
  if (findings.length > 0) blocks.push(findingsSection(findings, files, detail))
  if (detail.keyFiles > 0) {
    const sections = files.slice(0, detail.keyFiles).map(file => keySection(file, detail))
    const omitted = files.length - sections.length
    if (omitted > 0) sections.push(`… and ${plural(omitted, 'more file')}, listed in the table.`)
    const body = sections.join('\n\n')
    blocks.push(
      files.length > OPEN_ROWS
        ? `#### Keys\n\n${folded(`Keys of ${plural(files.length, 'file')}`, body)}`
        : `#### Keys\n\n${body}`
    )
  }
  return blocks.join('\n\n')
}

// ---- totals and the file tables ----

function totalsLine(files: FileReport[]): string {
  const sum = (pick: (keys: NonNullable<FileReport['keys']>) => string[]) =>
    files.reduce((total, file) => total + (file.keys ? pick(file.keys).length : 0), 0)
  const locales = new Set(files.map(file => file.locale)).size
  const whole = files.filter(file => !file.keys).length
  const wholeNote = whole > 0 ? ` (${plural(whole, 'file')} compared as a whole)` : ''
  return `**${plural(locales, 'locale')} · ${plural(files.length, 'file')} · keys: ${sum(k => k.added).toLocaleString('en-US')} added, ${sum(k => k.changed).toLocaleString('en-US')} changed, ${sum(k => k.removed).toLocaleString('en-US')} removed**${wholeNote}`
}

const NEW_LOCALES_NAMED = 30

function newLocalesLine(created: FileReport[]): string {
  const names = [...new Set(created.map(file => file.locale))]
  const shown = names.slice(0, NEW_LOCALES_NAMED).map(name => codeSpan(shorten(name, KEY_CHARS)))
  const more = names.length > shown.length ? `, and ${names.length - shown.length} more` : ''
  return `**New ${names.length === 1 ? 'locale' : 'locales'}:** ${shown.join(', ')}${more}`
}

const TABLE_HEAD = '| File | Added | Changed | Removed |\n| :-- | --: | --: | --: |'

function fileTables(files: FileReport[], detail: Detail): string[] {
  if (files.length <= OPEN_ROWS) return [table(files)]
  const byPath = [...files].sort((a, b) => compareText(a.path, b.path))
  const rows = Math.min(detail.fileRows, byPath.length)
  const shown = table(byPath.slice(0, rows))
  const rest = byPath.slice(rows)
  const more =
    rest.length > 0
      ? `\n\n… and ${plural(rest.length, 'more file')} (${keyTotal(rest).toLocaleString('en-US')} keys) that did not fit GitHub's size limit.`
      : ''
  return [
    `**Biggest changes** (${TOP_ROWS} of ${files.length} files):\n\n${table(files.slice(0, TOP_ROWS))}`,
    folded(`All ${plural(files.length, 'file')}`, shown + more)
  ]
}

function table(files: FileReport[]): string {
  return [TABLE_HEAD, ...files.map(tableRow)].join('\n')
}

function tableRow(file: FileReport): string {
  const counts = file.keys
    ? [file.keys.added.length, file.keys.changed.length, file.keys.removed.length].map(count =>
        count.toLocaleString('en-US')
      )
    : ['–', '–', '–']
  return `| ${fileLabel(file)} | ${counts.join(' | ')} |`
}

/** The path names the locale already; only a path without it gets the locale's name. */
function fileLabel(file: FileReport): string {
  const locale = file.path.includes(file.locale) ? '' : ` (${escapeText(file.locale)})`
  const status = file.status === 'added' ? ' · new' : ''
  return `${codeSpan(file.path)}${locale}${status}`
}

function keyTotal(files: FileReport[]): number {
  return files.reduce(
    (sum, file) =>
      sum +
      (file.keys
        ? file.keys.added.length + file.keys.changed.length + file.keys.removed.length
        : 0),
    0
  )
}

/** Changes to existing files first (new locales have their own line), then by key count. */
function biggestFirst(a: FileReport, b: FileReport): number {
  if (a.status !== b.status) return a.status === 'changed' ? -1 : 1
  if (!a.keys !== !b.keys) return a.keys ? -1 : 1
  return keyTotal([b]) - keyTotal([a]) || compareText(a.path, b.path)
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

// ---- translation checks ----

/** The findings alone, for a run that `checks: fail` stopped (no files to report). */
export function findingsReport(findings: CheckFinding[]): string {
  return findingsSection(findings, [], LEVELS[2])
}

function findingsSection(findings: CheckFinding[], files: FileReport[], detail: Detail): string {
  // A locale with several files is named by file, so each line points at one file.
  const filesPerLocale = new Map<string, number>()
  for (const file of files)
    filesPerLocale.set(file.locale, (filesPerLocale.get(file.locale) ?? 0) + 1)
  const line = (finding: CheckFinding) => {
    const where =
      (filesPerLocale.get(finding.locale) ?? 0) > 1
        ? codeSpan(finding.path)
        : `**${escapeText(finding.locale)}**`
    const token =
      finding.token !== undefined ? ` ${codeSpan(shorten(finding.token, KEY_CHARS))}` : ''
    return `- ${where} ${codeSpan(shorten(finding.key, KEY_CHARS))}: ${escapeText(finding.message)}${token} in ${textSpan(finding.text)}`
  }
  const listed = findings.slice(0, detail.findings)
  // Like the tables: a long list shows its first rows and folds the rest.
  const openCount = listed.length > OPEN_ROWS ? TOP_ROWS : listed.length
  const open = listed.slice(0, openCount).map(line)
  const rest = listed.slice(openCount).map(line)
  const unlisted = findings.length - listed.length
  const parts = [`#### Translation checks\n\n${open.join('\n')}`]
  if (rest.length > 0) parts.push(folded(`${plural(rest.length, 'more finding')}`, rest.join('\n')))
  if (unlisted > 0)
    parts.push(`… and ${plural(unlisted, 'more finding')}: the job log names the first ones.`)
  return parts.join('\n\n')
}

// ---- keys per file ----

/**
 * A file's keys: removed first, then changed (old → new), then added. The first few of each are
 * open; the rest are in a fold below, each key once.
 */
function keySection(file: FileReport, detail: Detail): string {
  const title = `**${fileLabel(file)}**`
  if (file.carriedFrom !== undefined) {
    const run = file.carriedFrom ? `the run of ${file.carriedFrom.slice(0, 10)}` : 'an earlier run'
    return `${title} from ${run}, not part of this run`
  }
  if (!file.keys) {
    const note = file.note ? `: ${escapeText(file.note)}` : ''
    return `${title} compared as a whole${note}`
  }
  const { removed, changed, added } = file.keys
  // Changed keys are shown with their text; without values only their names are known.
  const openChanged = file.values ? detail.oldNew : detail.named
  const open = [
    keyLine('Removed', removed, 0, detail.named, file),
    keyLine('Changed', changed, 0, openChanged, file),
    keyLine('Added', added, 0, detail.named, file)
  ]
  const note = file.note ? `\n\n${escapeText(file.note)}` : ''
  const openPart = `${title}\n\n${open.filter(Boolean).join('\n')}${note}`
  const rest = [
    keyLine('Removed', removed, detail.named, detail.folded, file),
    keyLine('Changed', changed, openChanged, detail.folded, file),
    keyLine('Added', added, detail.named, detail.folded, file)
  ].filter(Boolean)
  if (detail.folded === 0 || rest.length === 0) return openPart
  const more =
    Math.max(0, removed.length - detail.named) +
    Math.max(0, changed.length - openChanged) +
    Math.max(0, added.length - detail.named)
  return `${openPart}\n\n${folded(`${plural(more, 'more key')} of this file`, rest.join('\n'))}`
}

/**
 * `- Removed (3): `a`, `b` and 1 more`: `count` of the keys from `from` on (the open part starts
 * at 0, its fold where the open part ended). Changed keys get a line each with old → new text.
 */
function keyLine(
  label: string,
  keys: string[],
  from: number,
  count: number,
  file: FileReport
): string {
  if (keys.length <= from || count === 0) return ''
  const shown = keys.slice(from, from + count)
  const withText: string[] = []
  const plain: string[] = []
  for (const key of shown) {
    const name = codeSpan(shorten(key, KEY_CHARS))
    const pair = label === 'Changed' ? file.values?.get(key) : undefined
    if (pair?.before === undefined || pair.after === undefined) plain.push(name)
    else
      withText.push(`  - ${name}: ${oldNewText(displayText(pair.before), displayText(pair.after))}`)
  }
  const rest = keys.length - from - shown.length
  const more = rest > 0 ? `${rest.toLocaleString('en-US')} more` : ''
  const others =
    plain.length > 0 ? plain.join(', ') + (more && ` and ${more}`) : more && `and ${more}`
  const counted = from === 0 ? keys.length : keys.length - from
  const head = `- ${label} (${counted.toLocaleString('en-US')}${from === 0 ? '' : ' more'}):`
  if (withText.length === 0) return `${head} ${others}`
  const tail = others ? [`  - ${others}`] : []
  return [head, ...withText, ...tail].join('\n')
}

function oldNewText(before: string, after: string): string {
  return before === after
    ? 'text unchanged, attributes changed'
    : `${textSpan(before)} → ${textSpan(after)}`
}

/** A translation as a reviewer reads it: shortened, in a code span (so nothing in it is markup). */
function textSpan(text: string): string {
  return text === '' ? '*(empty)*' : codeSpan(shorten(text, TEXT_CHARS))
}
