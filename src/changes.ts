/**
 * Compares downloaded files with the repository's versions and applies the safety checks that stop
 * a run before it commits something a reviewer would not want: downloads that do not parse, mass
 * key removal (an empty download removes every key), text that is not valid UTF-8. A download
 * with no translation for a file the repository does not have yet is skipped with a warning.
 */
import { isUtf8 } from 'node:buffer'
import { compareSources, type FileComparison } from './files/diff.js'
import {
  asFileBytes,
  bytesOnDisk,
  piecesOf,
  withBytes,
  type FileBytes
} from './files/file-bytes.js'
import { byCause, namedList } from './named-list.js'
import { isDocumentKey } from './files/formats/document-keys.js'
import { parserFor } from './files/formats/index.js'
import { encodingKey, utf16Bom } from './files/formats/decode.js'
import type { PlannedFile } from './plan.js'
import type { FileReport } from './file-report.js'

export interface Candidate extends FileBytes {
  planned: PlannedFile
}

/** A download left where it was saved: its bytes are read when asked for, and not kept. */
export function candidateOnDisk(planned: PlannedFile, file: string): Candidate {
  return withBytes({ planned }, bytesOnDisk(file))
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
  for (const candidate of candidates) {
    const { planned } = candidate
    const { label } = planned.request
    if (expectsUtf8(planned) && !utf8OrUtf16(candidate)) {
      problems.push({
        label,
        cause: `the ${planned.fileFormat} file is not valid UTF-8 (set download-params encoding if the repository uses another)`
      })
    }
  }
  if (problems.length === 0) return
  // One line per cause: 200 files alike read as one problem, not 200.
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
  previous: Buffer | FileBytes | undefined,
  withValues = false
): FileComparison {
  const { planned } = candidate
  return compareSources(planned.fileFormat, previous && asFileBytes(previous), candidate, {
    localeName: planned.locale.name,
    path: planned.path,
    encoding: declaredEncoding(planned),
    withValues
  })
}

/**
 * Every candidate compared with its previous version; throws before anything is written when a
 * download does not parse or removes too many keys. `warn` hears of new files not created because
 * Phrase exported no translation for them (one line for all).
 */
export function compareAll(
  candidates: Candidate[],
  previous: (path: string) => Buffer | FileBytes | undefined,
  maxKeyRemoval: number,
  warn: (message: string) => void = () => undefined
): Change[] {
  const changes = candidates.map(candidate =>
    withComparison(candidate, compareCandidate(candidate, previous(candidate.planned.path), true))
  )
  const unparseable = changes.flatMap(change => unparseableProblem(change) ?? [])
  if (unparseable.length > 0) {
    throw new SafetyError(
      `Stopped before committing: ${unparseable.join('; ')}. Phrase may have sent an error page or a cut-off file: nothing was committed; run the workflow again, and if this persists, export the locale in Phrase and check the file.`
    )
  }
  const skipped = changes.filter(change => change.comparison.empty && !isChanged(change))
  if (skipped.length > 0) {
    warn(
      `${namedList(skipped.map(change => change.planned.request.label))}: Phrase exported no translations (a locale not translated yet?); the file is not created until it has some`
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

/**
 * UTF-8, or UTF-16 with its byte order mark; a file on disk is read a piece at a time (a 60 MiB
 * download read whole here stays in memory until a garbage collection happens to free it).
 */
function utf8OrUtf16(candidate: Candidate): boolean {
  let rest = Buffer.alloc(0)
  let first = true
  for (const piece of piecesOf(candidate)) {
    if (first && utf16Bom(piece)) return true
    first = false
    const bytes = rest.length > 0 ? Buffer.concat([rest, piece]) : piece
    const end = lastCharacterStart(bytes)
    if (!isUtf8(bytes.subarray(0, end))) return false
    rest = Buffer.from(bytes.subarray(end))
  }
  return isUtf8(rest)
}

/** Where a UTF-8 character that may go on in the next piece starts (the length if none does). */
function lastCharacterStart(bytes: Buffer): number {
  for (let at = bytes.length - 1; at >= Math.max(0, bytes.length - 4); at--) {
    const byte = bytes[at]
    if (byte < 0x80) return bytes.length
    if (byte >= 0xc0) return at
  }
  return bytes.length
}

/** The change keeps no copy of the bytes: a candidate on disk stays there until asked for. */
function withComparison(candidate: Candidate, comparison: FileComparison): Change {
  return withBytes({ planned: candidate.planned, comparison }, candidate)
}

/** A download that does not parse never replaces a repository file that does, nor becomes one. */
function unparseableProblem(change: Change): string | undefined {
  const { downloadError, previousKeyCount, status } = change.comparison
  if (downloadError === undefined) return undefined
  const { label } = change.planned.request
  // Parsers quote the input they choke on: keep an error page's text out of a long annotation.
  const problem =
    downloadError.length > MAX_PROBLEM_LENGTH
      ? `${downloadError.slice(0, MAX_PROBLEM_LENGTH)}…`
      : downloadError
  const consequence =
    status === 'added'
      ? 'it would be a new file'
      : `although the repository's file is; it would remove all ${previousKeyCount ?? 0} keys`
  return `the download of ${label} is not valid ${change.planned.fileFormat} (${problem}), ${consequence}`
}

const MAX_PROBLEM_LENGTH = 200

function removalProblem(change: Change, maxKeyRemoval: number): string | undefined {
  const { label } = change.planned.request
  // A file compared by bytes has no key count: emptying it is removing all of it.
  const { empty, keys, status } = change.comparison
  if (empty && status === 'changed' && keys === undefined && maxKeyRemoval < 1)
    return `${label} would empty the file (Phrase exported nothing)`
  // Document keys (a gettext header field, a Rails locale key) are not translations.
  const removed = change.comparison.keys?.removed.filter(key => !isDocumentKey(key)).length ?? 0
  const before = change.comparison.previousKeyCount ?? 0
  if (before === 0 || removed / before <= maxKeyRemoval) return undefined
  return `${label} would remove ${removed} of ${before} keys (${Math.round((removed / before) * 100)}%)`
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

function expectsUtf8(planned: PlannedFile): boolean {
  return (
    encodingKey(declaredEncoding(planned)) === 'utf8' && parserFor(planned.fileFormat) !== undefined
  )
}
