/**
 * Compares downloaded files with the repository's versions and applies the safety checks that stop
 * a run before it commits something a reviewer would not want: empty files, downloads that do not
 * parse where the repository's file does, mass key removal, text that is not valid UTF-8.
 */
import { isUtf8 } from 'node:buffer'
import { compareFile, type FileComparison } from './files/diff.js'
import { byCause, namedList } from './named-list.js'
import { isDocumentKey } from './files/formats/document-keys.js'
import { parserFor } from './files/formats/index.js'
import { utf16Bom } from './files/formats/decode.js'
import type { PlannedFile } from './plan.js'
import type { FileReport } from './report.js'

export interface Candidate {
  planned: PlannedFile
  content: Buffer
}

export interface Change extends Candidate {
  comparison: FileComparison
}

export class SafetyError extends Error {
  override name = 'SafetyError'
}

/** Stops on downloads that cannot be right, whatever the repository holds. */
export function checkDownloads(candidates: Candidate[]): void {
  const problems: Array<{ label: string; cause: string }> = []
  for (const { planned, content } of candidates) {
    const { label } = planned.request
    if (isBlank(content)) {
      problems.push({ label, cause: 'Phrase returned an empty file' })
    } else if (expectsUtf8(planned) && !isUtf8(content) && !utf16Bom(content)) {
      problems.push({
        label,
        cause: `the ${planned.fileFormat} file is not valid UTF-8 (set download-params encoding if the repository uses another)`
      })
    }
  }
  if (problems.length === 0) return
  // One line per cause: 200 empty locales (a wrong tag) read as one problem, not 200.
  const lines = [...byCause(problems, problem => problem.cause)].map(
    ([cause, files]) => `${namedList(files.map(file => file.label))}: ${cause}`
  )
  throw new SafetyError(`Downloads failed the safety check:\n- ${lines.join('\n- ')}`)
}

/**
 * A download against an earlier version of its file, read as the file is read everywhere: in its
 * format, the declared encoding, under its locale. `withValues` keeps the changed keys' texts.
 */
export function compareCandidate(
  candidate: Candidate,
  previous: Buffer | undefined,
  withValues = false
): FileComparison {
  const { planned } = candidate
  return compareFile(planned.fileFormat, previous, candidate.content, {
    localeName: planned.locale.name,
    path: planned.path,
    encoding: declaredEncoding(planned),
    withValues
  })
}

export function compareAll(
  candidates: Candidate[],
  previous: (path: string) => Buffer | undefined,
  maxKeyRemoval: number
): Change[] {
  const changes = candidates.map(candidate => ({
    ...candidate,
    comparison: compareCandidate(candidate, previous(candidate.planned.path), true)
  }))
  const unparseable = changes.flatMap(change => unparseableProblem(change) ?? [])
  if (unparseable.length > 0) {
    throw new SafetyError(
      `Stopped before committing: ${unparseable.join('; ')}. Phrase may have sent an error page or a cut-off file: nothing was committed; run the workflow again, and if this persists, export the locale in Phrase and check the file.`
    )
  }
  const problems = changes.flatMap(change => removalProblem(change, maxKeyRemoval) ?? [])
  if (problems.length > 0) {
    throw new SafetyError(
      `Stopped before committing: ${problems.join('; ')}. If this is intended, raise the max-key-removal input (now ${Math.round(maxKeyRemoval * 100)}%).`
    )
  }
  return changes
}

/** A download that does not parse never replaces a repository file that does. */
function unparseableProblem(change: Change): string | undefined {
  const { downloadError, previousKeyCount } = change.comparison
  if (downloadError === undefined) return undefined
  const { label } = change.planned.request
  // Parsers quote the input they choke on: keep an error page's text out of a long annotation.
  const problem =
    downloadError.length > MAX_PROBLEM_LENGTH
      ? `${downloadError.slice(0, MAX_PROBLEM_LENGTH)}…`
      : downloadError
  return `the download of ${label} is not valid ${change.planned.fileFormat} (${problem}), although the repository's file is; it would remove all ${previousKeyCount ?? 0} keys`
}

const MAX_PROBLEM_LENGTH = 200

function removalProblem(change: Change, maxKeyRemoval: number): string | undefined {
  // Document keys (a gettext header field, a Rails locale key) are not translations.
  const removed = change.comparison.keys?.removed.filter(key => !isDocumentKey(key)).length ?? 0
  const before = change.comparison.previousKeyCount ?? 0
  if (before === 0 || removed / before <= maxKeyRemoval) return undefined
  return `${change.planned.request.label} would remove ${removed} of ${before} keys (${Math.round((removed / before) * 100)}%)`
}

export function isChanged(change: Change): boolean {
  return change.comparison.status !== 'unchanged'
}

/** One log line per changed file: what a reviewer will find in it. */
export function describeChange(change: Change): string {
  const { keys, status, note } = change.comparison
  const counts = keys
    ? `+${keys.added.length} ~${keys.changed.length} −${keys.removed.length} keys`
    : 'compared by bytes'
  const extra = note ? `; ${note}` : ''
  return `${change.planned.path} (${change.planned.locale.name}): ${status === 'added' ? 'new file, ' : ''}${counts}${extra}`
}

export function toReport(change: Change): FileReport {
  return {
    path: change.planned.path,
    locale: change.planned.locale.name,
    localeCode: change.planned.locale.code,
    status: change.comparison.status === 'added' ? 'added' : 'changed',
    keys: change.comparison.keys,
    note: change.comparison.note,
    values: change.comparison.values
  }
}

/** The `encoding` download param, if any: how the file's bytes are to be read. */
export function declaredEncoding(planned: PlannedFile): string | undefined {
  const { encoding } = planned.request.params
  return typeof encoding === 'string' ? encoding : undefined
}

/** Only whitespace (after a UTF-8 byte order mark): read from the bytes, never decoding 100 MiB. */
function isBlank(content: Buffer): boolean {
  const start = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? 3 : 0
  for (let i = start; i < content.length; i++) {
    const byte = content[i]
    if (byte !== 0x20 && (byte < 0x09 || byte > 0x0d)) return false
  }
  return true
}

function expectsUtf8(planned: PlannedFile): boolean {
  const declared = (declaredEncoding(planned) ?? 'utf8').toLowerCase().replace(/[^a-z0-9]/g, '')
  return declared === 'utf8' && parserFor(planned.fileFormat) !== undefined
}
