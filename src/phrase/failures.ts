/**
 * The one error a failed download phase ends with. Files that failed for the same reason share a
 * line (a bad parameter or a revoked token fails 200 locales alike: one line, not 200), and no
 * line names more than a handful of files.
 */
import { namedList } from '../named-list.js'

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
  const byCause = new Map<string, string[]>()
  const timedOut: string[] = []
  const stopped: string[] = []
  for (const outcome of outcomes) {
    if ('cause' in outcome)
      byCause.set(outcome.cause, [...(byCause.get(outcome.cause) ?? []), outcome.label])
    else if (outcome.unfinished === 'timed out') timedOut.push(outcome.label)
    else stopped.push(outcome.label)
  }

  const lines: string[] = []
  if (timedOut.length > 0) {
    lines.push(
      `Downloading from Phrase timed out after ${seconds} s; unfinished: ${namedList(timedOut)}`
    )
  }
  const failed = outcomes.length - timedOut.length - stopped.length
  if (failed > 0) {
    lines.push(`Downloading from Phrase failed for ${failed} of ${total} file(s):`)
    for (const [cause, labels] of byCause) {
      const count = labels.length > 1 ? ` (${labels.length} files)` : ''
      lines.push(`- ${namedList(labels)}${count}: ${cause}`)
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
