/**
 * The change report of the PR body and the job summary, built for a reviewer's first ten seconds:
 * totals and what the checks did; then what is unusual (check findings, keys that changed in one
 * or a few locales only, a locale that lost keys the others keep, new locales); then the changes
 * every locale shares, each listed once with its count; then per file, folded past a few files.
 * The whole report steps down to less detail until it fits the room it has; it is never cut
 * mid-table.
 */
import type { CheckFinding, CheckSummary } from './checks/types.js'
import { displayText } from './files/formats/value.js'
import { keyView, type KeyGroup, type KeyView } from './key-groups.js'
import {
  codeSpan,
  escapeText,
  folded,
  formatCount as count,
  keySpan,
  oldNewText,
  plural,
  shorten,
  textSpan
} from './markdown.js'
import { carriedLine, createdLine, groupLine, viewSection, wholeLine } from './report-key-view.js'
import { footerLine, keepFooter } from './report-footer.js'
import type { FileReport } from './file-report.js'
import type { RunAbout } from './run-about.js'

export type { FileReport } from './file-report.js'

export interface ReportOptions {
  findings?: CheckFinding[]
  /** What the checks did; without it the report says nothing about checks. */
  checks?: CheckSummary
  /** Who/when/where, for the last line. */
  about?: RunAbout
  /** The open PR's body: its last line is kept when nothing above it changed. */
  previousBody?: string
  maxChars?: number
  /** How `maxChars` is measured; default UTF-16 code units (string length). */
  size?: (text: string) => number
  /** Where findings that did not fit are listed. */
  moreFindings?: string
}

export const REPORT_HEADING = '### Translation changes from Phrase'

/** GitHub refuses PR bodies over 65,536 characters; this leaves room for the user's own text. */
export const DEFAULT_REPORT_MAX_CHARS = 60_000
/** Tables and lists up to this many rows are shown open; longer ones fold. */
const OPEN_ROWS = 15
/** Up to this many files are described one by one without a fold, every key named. */
const SMALL_FILES = 3

/** How much the report names; the levels go from everything to what always fits. */
interface Detail {
  /** Keys named per line of the key view, and old → new pairs per one-locale change. */
  groupKeys: number
  pairs: number
  /** Lines of each key-view section (the first OPEN_ROWS open, the rest folded). */
  lines: number
  findings: number
  /** Per file: keys named per kind in the open lines, old → new pairs among them. */
  named: number
  oldNew: number
  /** Keys per kind in a file's fold ("all of them one click away"); 0 = no fold. */
  folded: number
  /** Files with a key section; 0 = none. */
  keyFiles: number
  /** Rows of the table of every file. */
  fileRows: number
}

const LEVELS: Detail[] = [
  {
    groupKeys: 20,
    pairs: 10,
    lines: Infinity,
    findings: Infinity,
    named: 5,
    oldNew: 3,
    folded: Infinity,
    keyFiles: Infinity,
    fileRows: Infinity
  },
  {
    groupKeys: 10,
    pairs: 5,
    lines: 200,
    findings: 1000,
    named: 5,
    oldNew: 3,
    folded: 100,
    keyFiles: Infinity,
    fileRows: Infinity
  },
  {
    groupKeys: 10,
    pairs: 3,
    lines: 100,
    findings: 200,
    named: 5,
    oldNew: 3,
    folded: 20,
    keyFiles: Infinity,
    fileRows: Infinity
  },
  {
    groupKeys: 5,
    pairs: 2,
    lines: 50,
    findings: 100,
    named: 3,
    oldNew: 2,
    folded: 0,
    keyFiles: Infinity,
    fileRows: Infinity
  },
  {
    groupKeys: 5,
    pairs: 1,
    lines: 30,
    findings: 50,
    named: 3,
    oldNew: 1,
    folded: 0,
    keyFiles: 50,
    fileRows: Infinity
  },
  {
    groupKeys: 3,
    pairs: 1,
    lines: OPEN_ROWS,
    findings: OPEN_ROWS,
    named: 0,
    oldNew: 0,
    folded: 0,
    keyFiles: 0,
    fileRows: Infinity
  }
]

interface Context {
  files: FileReport[]
  view: KeyView
  findings: CheckFinding[]
  opts: ReportOptions
}

export function changeReport(files: FileReport[], opts: ReportOptions = {}): string {
  const maxChars = opts.maxChars ?? DEFAULT_REPORT_MAX_CHARS
  const size = opts.size ?? ((text: string) => text.length)
  const context: Context = {
    files: [...files].sort(biggestFirst),
    view: keyView(files),
    findings: opts.findings ?? [],
    opts
  }
  const fits = (report: string) => size(report) <= maxChars
  for (const detail of LEVELS) {
    try {
      const report = render(context, detail, maxChars)
      if (fits(report)) return report
    } catch (error) {
      if (!(error instanceof TooLong)) throw error
    }
  }
  // Last resort: fewer rows in the table of every file, with a line that counts the rest.
  const poorest = LEVELS[LEVELS.length - 1]
  let rows = files.length
  let report = render(context, { ...poorest, fileRows: rows })
  while (!fits(report) && rows > 0) {
    rows = Math.floor(rows * 0.9)
    report = render(context, { ...poorest, fileRows: rows })
  }
  return report
}

/**
 * A level whose key lines alone outgrow the report is given up as they grow, not built whole and
 * then measured: every key of a 10 MiB file changed made 18 MB of old → new lines to drop.
 */
class TooLong extends Error {}

/** The report at `detail`; throws TooLong once one line of keys is longer than `room`. */
function render(context: Context, detail: Detail, room = Infinity): string {
  const { files, view, findings, opts } = context
  const blocks = [REPORT_HEADING, totalsLine(files)]
  if (opts.checks) blocks.push(checksLine(opts.checks))
  if (findings.length > 0) blocks.push(findingsSection(findings, files, detail, opts.moreFindings))
  // Families whose every change the key view names in full need no per-file lists.
  const incomplete = new Set<string>()
  const showFamily = new Set([...view.families, ...view.created.keys()]).size > 1
  // Lines past `detail.lines` are only counted; their families get per-file lists.
  const lines = (entries: Array<KeyGroup | string>) =>
    entries.map((entry, index) => {
      if (typeof entry === 'string') return entry
      if (index >= detail.lines) {
        incomplete.add(entry.family)
        return ''
      }
      const rendered = groupLine(entry, detail, showFamily)
      if (!rendered.complete) incomplete.add(entry.family)
      return rendered.text
    })
  const unusual = lines([
    ...view.unusual.filter(group => group.kind === 'removed'),
    ...[...view.created].map(([family, created]) => createdLine(family, created)),
    ...view.unusual.filter(group => group.kind !== 'removed'),
    ...(view.carried.length > 0 ? [carriedLine(view.carried)] : [])
  ])
  const common = lines([...view.common, ...(view.whole.length > 0 ? [wholeLine(view.whole)] : [])])
  if (unusual.length > 0) blocks.push(viewSection('Look here first', unusual, detail, OPEN_ROWS))
  if (common.length > 0) blocks.push(viewSection('Across locales', common, detail, OPEN_ROWS))
  const described = files.filter(file => needsOwnSection(file, view, incomplete))
  blocks.push(filesSection(files, described, detail, room))
  if (opts.about) blocks.push(footerLine(opts.about))
  return keepFooter(blocks.join('\n\n'), opts.previousBody)
}

/**
 * Files the key view does not describe in full get a section of their own; a new locale's keys
 * are all added, and its line says how many.
 */
function needsOwnSection(file: FileReport, view: KeyView, incomplete: Set<string>): boolean {
  if (file.carriedFrom !== undefined || !file.keys || view.alone.has(file)) return true
  if (file.status === 'added') return false
  return incomplete.has(view.familyOf.get(file)!)
}

// ---- totals and checks ----

function totalsLine(files: FileReport[]): string {
  const sum = (pick: (keys: NonNullable<FileReport['keys']>) => string[]) =>
    files.reduce((total, file) => total + (file.keys ? pick(file.keys).length : 0), 0)
  const locales = new Set(files.map(file => file.locale)).size
  // Carried files were not compared in this run: their keys are in the earlier run's counts.
  const whole = files.filter(file => !file.keys && file.carriedFrom === undefined).length
  const carried = files.filter(file => file.carriedFrom !== undefined).length
  const notes = [
    ...(whole > 0 ? [`${plural(whole, 'file')} compared as a whole`] : []),
    ...(carried > 0 ? [`${plural(carried, 'file')} from earlier runs`] : [])
  ]
  const note = notes.length > 0 ? ` (${notes.join(', ')})` : ''
  return `**${plural(locales, 'locale')} · ${plural(files.length, 'file')} · keys: ${count(sum(k => k.added))} added, ${count(sum(k => k.changed))} changed, ${count(sum(k => k.removed))} removed**${note}`
}

/** Says what the checks did, so "no findings" cannot be mistaken for "not checked". */
function checksLine(checks: CheckSummary): string {
  if (checks.mode === 'off') return '**Checks:** off (`checks: off`): no translation was checked.'
  const keys = `${plural(checks.keys, 'changed key')} checked`
  const outcome =
    checks.findings === 0
      ? `${keys}, no findings.`
      : `⚠ ${plural(checks.findings, 'finding')} in ${keys}, listed below.`
  const unsourced =
    checks.withoutSource > 0
      ? ` No source text for ${plural(checks.withoutSource, 'file')}: only ICU syntax and tags were checked there.`
      : ''
  return `**Checks:** ${outcome}${unsourced}`
}

// ---- files: the table and the keys of each ----

const TABLE_HEAD = '| File | Added | Changed | Removed |\n| :-- | --: | --: | --: |'

function filesSection(
  files: FileReport[],
  described: FileReport[],
  detail: Detail,
  room: number
): string {
  const parts = ['#### Files', fileTable(files, detail)]
  // A small pull request names every key without a fold, as long as that fits.
  const small = described.length <= SMALL_FILES && detail.folded === Infinity
  const perFile = small ? { ...detail, named: Infinity, oldNew: Infinity } : detail
  const sections = described.slice(0, detail.keyFiles).map(file => keySection(file, perFile, room))
  if (sections.length > 0) {
    const omitted = described.length - sections.length
    if (omitted > 0) sections.push(`… and ${plural(omitted, 'more file')}, listed in the table.`)
    const body = sections.join('\n\n')
    parts.push(
      described.length > SMALL_FILES
        ? folded(`Keys of ${plural(described.length, 'file')}`, body)
        : body
    )
  }
  return parts.join('\n\n')
}

function fileTable(files: FileReport[], detail: Detail): string {
  const byPath = [...files].sort((a, b) => compareText(a.path, b.path))
  if (files.length <= OPEN_ROWS) return table(byPath)
  const rows = Math.min(detail.fileRows, byPath.length)
  const rest = byPath.slice(rows)
  const more =
    rest.length > 0
      ? `\n\n… and ${plural(rest.length, 'more file')} (${count(keyTotal(rest))} keys) that did not fit GitHub's size limit.`
      : ''
  return folded(`All ${plural(files.length, 'file')}`, table(byPath.slice(0, rows)) + more)
}

function table(files: FileReport[]): string {
  return [TABLE_HEAD, ...files.map(tableRow)].join('\n')
}

function tableRow(file: FileReport): string {
  const counts = file.keys
    ? [file.keys.added.length, file.keys.changed.length, file.keys.removed.length].map(count)
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
  return findingsSection(findings, [], LEVELS[0], undefined)
}

/** Every listed finding is open: a key with a finding is never behind a fold. */
function findingsSection(
  findings: CheckFinding[],
  files: FileReport[],
  detail: Detail,
  moreFindings = 'the job summary lists them'
): string {
  // A locale with several files is named by file, so each line points at one file.
  const filesPerLocale = new Map<string, number>()
  for (const file of files)
    filesPerLocale.set(file.locale, (filesPerLocale.get(file.locale) ?? 0) + 1)
  const line = (finding: CheckFinding) => {
    const where =
      (filesPerLocale.get(finding.locale) ?? 0) > 1
        ? codeSpan(finding.path)
        : `**${escapeText(finding.locale)}**`
    const token = finding.token !== undefined ? ` ${codeSpan(shorten(finding.token, 80))}` : ''
    return `- ${where} ${keySpan(finding.key)}: ${escapeText(finding.message)}${token} in ${textSpan(finding.text)}`
  }
  const listed = findings.slice(0, detail.findings).map(line)
  const unlisted = findings.length - listed.length
  const parts = [`#### Translation checks\n\n${listed.join('\n')}`]
  if (unlisted > 0)
    parts.push(`… and ${plural(unlisted, 'more finding')} that did not fit here: ${moreFindings}.`)
  return parts.join('\n\n')
}

// ---- keys per file ----

/**
 * A file's keys: removed first, then changed (old → new), then added. The first few of each are
 * open; the rest are in a fold below, each key once.
 */
function keySection(file: FileReport, detail: Detail, room: number): string {
  const title = `**${fileLabel(file)}**`
  const carried = file.carriedFrom
    ? ` (from the run of ${escapeText(file.carriedFrom.slice(0, 10))}, not part of this run)`
    : ''
  if (!file.keys) {
    if (file.carriedFrom) return `${title}${carried}: as that run wrote it`
    const note = file.note ? `: ${escapeText(file.note)}` : ''
    return `${title}${carried} compared as a whole${note}`
  }
  const { removed, changed, added } = file.keys
  // Changed keys are shown with their text; without values only their names are known.
  const openChanged = file.values ? detail.oldNew : detail.named
  const open = [
    keyLine('Removed', removed, 0, detail.named, file, room),
    keyLine('Changed', changed, 0, openChanged, file, room),
    keyLine('Added', added, 0, detail.named, file, room)
  ]
  const note = file.note ? `\n\n${escapeText(file.note)}` : ''
  const openPart = `${title}${carried}\n\n${open.filter(Boolean).join('\n')}${note}`
  const rest = [
    keyLine('Removed', removed, detail.named, detail.folded, file, room),
    keyLine('Changed', changed, openChanged, detail.folded, file, room),
    keyLine('Added', added, detail.named, detail.folded, file, room)
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
  limit: number,
  file: FileReport,
  room: number
): string {
  if (keys.length <= from || limit === 0) return ''
  const shown = keys.slice(from, from + limit)
  const withText: string[] = []
  const plain: string[] = []
  let length = 0
  for (const key of shown) {
    const name = keySpan(key)
    const pair = label === 'Changed' ? file.values?.get(key) : undefined
    const line =
      pair?.before === undefined || pair.after === undefined
        ? undefined
        : `  - ${name}: ${oldNewText(displayText(pair.before), displayText(pair.after))}`
    if (line === undefined) plain.push(name)
    else withText.push(line)
    length += (line ?? name).length
    if (length > room) throw new TooLong()
  }
  const rest = keys.length - from - shown.length
  const more = rest > 0 ? `${count(rest)} more` : ''
  const others =
    plain.length > 0 ? plain.join(', ') + (more && ` and ${more}`) : more && `and ${more}`
  const counted = from === 0 ? keys.length : keys.length - from
  const head = `- ${label} (${count(counted)}${from === 0 ? '' : ' more'}):`
  if (withText.length === 0) return `${head} ${others}`
  const tail = others ? [`  - ${others}`] : []
  return [head, ...withText, ...tail].join('\n')
}
