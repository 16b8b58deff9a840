/**
 * What a run tells people: the change table (PR body and job summary), the job summary itself, and
 * the step outputs. Keys and locale names come from a remote service, so everything that reaches
 * markdown is escaped here.
 */
import * as core from '@actions/core'

export interface FileReport {
  path: string
  locale: string
  status: 'added' | 'changed'
  /** Undefined when the format has no key-level diff: the file is reported as a whole. */
  keys?: { added: string[]; changed: string[]; removed: string[] }
  note?: string
}

/** GitHub refuses PR bodies over 65,536 characters; this leaves room for the user's own text. */
export const DEFAULT_TABLE_MAX_CHARS = 60_000
const EXAMPLE_MAX_CHARS = 60

export function changeTable(
  files: FileReport[],
  opts: { examples?: number; maxChars?: number } = {}
): string {
  const examples = opts.examples ?? 3
  const maxChars = opts.maxChars ?? DEFAULT_TABLE_MAX_CHARS
  const head = [
    '### Translation changes from Phrase',
    '',
    '| Locale | File | +Added | ~Changed | −Removed | Examples |',
    '| --- | --- | ---: | ---: | ---: | --- |'
  ].join('\n')
  const totals = totalsLine(files)

  const rows: string[] = []
  let length = head.length + totals.length + 4
  for (let i = 0; i < files.length; i++) {
    const row = tableRow(files[i], examples)
    const rest = files.slice(i + 1)
    // Keep room for the "… and N more" line in case a later row does not fit.
    const reserve = rest.length > 0 ? moreLine(rest).length + 1 : 0
    if (length + row.length + 1 + reserve > maxChars) {
      rows.push(moreLine(files.slice(i)))
      break
    }
    rows.push(row)
    length += row.length + 1
  }
  return [head, ...rows, '', totals].join('\n')
}

function tableRow(file: FileReport, examples: number): string {
  const isNew = file.status === 'added' ? ' (new)' : ''
  const counts = file.keys
    ? [file.keys.added.length, file.keys.changed.length, file.keys.removed.length].map(String)
    : ['–', '–', '–']
  const details = [
    file.keys ? exampleKeys(file.keys, examples) : 'whole file',
    file.note ? escapeText(file.note) : ''
  ].filter(Boolean)
  return `| ${escapeText(file.locale)} | ${codeSpan(file.path)}${isNew} | ${counts.join(' | ')} | ${details.join(' — ')} |`
}

function exampleKeys(keys: NonNullable<FileReport['keys']>, limit: number): string {
  const all = [
    ...keys.added.map(key => `+${codeSpan(shorten(key))}`),
    ...keys.changed.map(key => `~${codeSpan(shorten(key))}`),
    ...keys.removed.map(key => `−${codeSpan(shorten(key))}`)
  ]
  const shown = all.slice(0, limit).join(', ')
  return all.length > limit ? `${shown}, …` : shown
}

function keyCount(file: FileReport): number {
  return file.keys
    ? file.keys.added.length + file.keys.changed.length + file.keys.removed.length
    : 0
}

function moreLine(rest: FileReport[]): string {
  const keys = rest.reduce((sum, file) => sum + keyCount(file), 0)
  return `| … and ${rest.length} more ${plural(rest.length, 'file')} (${keys} ${plural(keys, 'key')}) | | | | | |`
}

function totalsLine(files: FileReport[]): string {
  const sum = (pick: (k: NonNullable<FileReport['keys']>) => string[]) =>
    files.reduce((total, file) => total + (file.keys ? pick(file.keys).length : 0), 0)
  const created = files.filter(file => file.status === 'added').length
  const newFiles = created > 0 ? ` (${created} new)` : ''
  return `**Total:** ${files.length} ${plural(files.length, 'file')}${newFiles} · keys: ${sum(k => k.added)} added, ${sum(k => k.changed)} changed, ${sum(k => k.removed)} removed`
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`
}

function shorten(key: string): string {
  const chars = Array.from(key)
  return chars.length > EXAMPLE_MAX_CHARS
    ? `${chars.slice(0, EXAMPLE_MAX_CHARS - 1).join('')}…`
    : key
}

/**
 * A code span that is safe in a GFM table cell: `|` escaped (GFM honours `\|` inside spans), line
 * breaks shown as ↵ (a raw newline would end the row), and a backtick fence longer than any run of
 * backticks in the text. `<` needs nothing: inside a code span it is never HTML.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, '↵').replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.trim() === '' ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/**
 * Plain text inside a table cell (inline markdown only): markup characters are backslash-escaped,
 * and `@` gets a zero-width space so a remote name can never mention someone.
 */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]<>&|~]/g, '\\$&')
    .replace(/@/g, '@\u200B')
}

export interface SummaryPullRequest {
  number: number
  url: string
  operation: string
}

export function summaryMarkdown(opts: {
  files: FileReport[]
  pullRequest?: SummaryPullRequest
  unchangedCount: number
  durationMs?: number
}): string {
  const parts = ['## Phrase Pull', '']
  if (opts.pullRequest) {
    const { number, url, operation } = opts.pullRequest
    parts.push(
      `Pull request [#${number}](${url.replace(/[()\s]/g, encodeURIComponent)}) ${operation}.`,
      ''
    )
  }
  parts.push(opts.files.length > 0 ? changeTable(opts.files) : 'No translation changes.', '')
  const took =
    opts.durationMs !== undefined ? ` Took ${(opts.durationMs / 1000).toFixed(1)} s.` : ''
  parts.push(`${opts.unchangedCount} ${plural(opts.unchangedCount, 'file')} unchanged.${took}`)
  return parts.join('\n') + '\n'
}

export async function writeJobSummary(opts: {
  files: FileReport[]
  pullRequest?: SummaryPullRequest
  unchangedCount: number
  durationMs?: number
}): Promise<void> {
  // Local runs (and `act`) have no summary file; the log already says everything.
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set; skipping the job summary')
    return
  }
  await core.summary.addRaw(summaryMarkdown(opts)).write()
}

export interface RunOutputs {
  hasChanges: boolean
  changedFiles: string[]
  pullRequestNumber?: number
  pullRequestUrl?: string
  pullRequestOperation: 'created' | 'updated' | 'unchanged' | 'closed' | 'none'
  branch?: string
  headSha?: string
}

/** How a run ended: the step outputs, the changed files to report, the closing log line. */
export interface Outcome {
  outputs: RunOutputs
  reports: FileReport[]
  message: string
}

/** Every output is set on every run, so later steps never read a stale or missing value. */
export function setOutputs(o: RunOutputs): void {
  core.setOutput('has-changes', o.hasChanges ? 'true' : 'false')
  core.setOutput('changed-files', JSON.stringify(o.changedFiles))
  core.setOutput(
    'pull-request-number',
    o.pullRequestNumber !== undefined ? String(o.pullRequestNumber) : ''
  )
  core.setOutput('pull-request-url', o.pullRequestUrl ?? '')
  core.setOutput('pull-request-operation', o.pullRequestOperation)
  core.setOutput('branch', o.branch ?? '')
  core.setOutput('head-sha', o.headSha ?? '')
}
