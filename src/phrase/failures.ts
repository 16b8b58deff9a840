/**
 * The one error a failed download phase ends with. Files that failed for the same reason share a
 * line (a bad parameter or a revoked token fails 200 locales alike: one line, not 200), and no
 * line names more than a handful of files.
 */
import { byCause, namedList } from '../named-list.js'

export interface DownloadFailure {
  label: string
  cause: string
}

export class DownloadError extends Error {
  override name = 'DownloadError'
  constructor(
    message: string,
    readonly failures: DownloadFailure[]
  ) {
    super(message)
  }
}

/** Why a file ended unfinished, if it did not fail itself. */
export type Unfinished = 'timed out' | 'stopped'

/** The outcome of every file that did not download, in request order, as one error. */
export function downloadError(
  total: number,
  outcomes: Array<{ label: string; cause: string } | { label: string; unfinished: Unfinished }>,
  timeoutMs: number
): DownloadError {
  const seconds = Math.round(timeoutMs / 1000)
  const failed = outcomes.flatMap(outcome => ('cause' in outcome ? [outcome] : []))
  const unfinished = (why: Unfinished) =>
    outcomes.flatMap(outcome =>
      'unfinished' in outcome && outcome.unfinished === why ? [outcome.label] : []
    )
  const timedOut = unfinished('timed out')
  const stopped = unfinished('stopped')

  const lines: string[] = []
  if (timedOut.length > 0) {
    lines.push(
      `Downloading from Phrase timed out after ${seconds} s; unfinished: ${namedList(timedOut)}`
    )
  }
  if (failed.length > 0) {
    lines.push(`Downloading from Phrase failed for ${failed.length} of ${total} file(s):`)
    for (const [cause, files] of byCause(failed, file => file.cause)) {
      const count = files.length > 1 ? ` (${files.length} files)` : ''
      lines.push(`- ${namedList(files.map(file => file.label))}${count}: ${cause}`)
    }
  }
  if (stopped.length > 0) {
    lines.push(`Stopped after that failure, not finished: ${namedList(stopped)}`)
  }

  const failures: DownloadFailure[] = outcomes.map(outcome =>
    'cause' in outcome
      ? outcome
      : {
          label: outcome.label,
          cause:
            outcome.unfinished === 'timed out'
              ? `timed out after ${seconds} s`
              : 'stopped after another file failed'
        }
  )
  return new DownloadError(lines.join('\n'), failures)
}
