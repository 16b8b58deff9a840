/**
 * Downloads every requested file through Phrase's asynchronous downloads: all jobs start at once
 * (the client's limiter keeps the pace polite), each is polled on a schedule that starts fast,
 * finished files stream from the CDN into a private temp directory. All or nothing: any failure
 * ends in one DownloadError that names each failed file and why, and no file is returned.
 */
import { setMaxListeners } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { systemClock } from './clock.js'
import { isExpired, isMissingWriteScope, PhraseApiError } from './errors.js'
import { DEFAULT_POLL_SCHEDULE, nextCheckAt, type PollSchedule } from './poll.js'
import { DownloadProgress } from './progress.js'
import type { Logger } from '../logger.js'
import type { Clock, DownloadedFile, DownloadRequest, PhraseClient } from './types.js'

/** GitHub refuses files over 100 MiB: a larger download could never be committed. */
export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024

export interface DownloadOptions {
  /** For the whole phase; unfinished work is aborted when it runs out. */
  timeoutMs: number
  /** Where the files go (in a fresh subdirectory); the caller removes it. */
  tempDir: string
  /** Per file; default 100 MiB. */
  maxBytes?: number
  logger?: Logger
  clock?: Clock
  pollSchedule?: PollSchedule
  /** New jobs allowed per file after its job or link expired; default 3. */
  maxRestarts?: number
  /** How often the pending files are summarised in the log; default 5 s. */
  progressIntervalMs?: number
  /** Aborted by the caller when the run cannot succeed anyway (the GitHub side failed). */
  signal?: AbortSignal
}

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

/** Phrase finished the job with status `error`. */
class JobFailedError extends Error {}
/** Why a file was abandoned without failing itself. */
class TimedOut extends Error {}
class StoppedAfterFailure extends Error {}

/** Shared by all files of a run: whether async downloads turned out to be forbidden. */
interface RunState {
  sync: boolean
}

export async function downloadAll(
  client: PhraseClient,
  requests: DownloadRequest[],
  options: DownloadOptions
): Promise<DownloadedFile[]> {
  if (requests.length === 0) return []
  const clock = options.clock ?? systemClock
  const logger = options.logger
  const dir = await mkdtemp(path.join(options.tempDir, 'phrase-downloads-'))
  const abort = new AbortController()
  // Every waiting request listens on this one signal; hundreds of files are normal, not a leak.
  setMaxListeners(0, abort.signal)
  const stop = () => abort.abort(new StoppedAfterFailure())
  if (options.signal?.aborted) stop()
  options.signal?.addEventListener('abort', stop, { once: true })
  const timers = new AbortController()
  const statsBefore = client.stats()
  const progress = new DownloadProgress(
    requests.map(request => request.label),
    clock,
    logger
  )
  const state: RunState = { sync: false }

  logger?.startGroup(
    `Downloading ${requests.length} file${requests.length === 1 ? '' : 's'} from Phrase`
  )
  try {
    clock.sleep(options.timeoutMs, timers.signal).then(
      () => abort.abort(new TimedOut()),
      () => undefined
    )
    void progress.report(options.progressIntervalMs ?? 5000, timers.signal)

    const settled = await Promise.allSettled(
      requests.map(async (request, index) => {
        // Generated names only: labels and ids come from a remote service.
        const file = path.join(dir, `${String(index + 1).padStart(4, '0')}.download`)
        try {
          const bytes = await downloadOne(client, request, file, state, abort.signal, options)
          progress.completed(index, bytes)
          return { request, file, bytes }
        } catch (error) {
          progress.failed(index)
          // A bad token or a missing permission fails every other file the same way.
          if (error instanceof PhraseApiError && (error.status === 401 || error.status === 403)) {
            abort.abort(new StoppedAfterFailure())
          }
          throw error
        }
      })
    )
    timers.abort()

    const failed = settled.some(outcome => outcome.status === 'rejected')
    if (failed) {
      await rm(dir, { recursive: true, force: true })
      throw downloadError(requests, settled, options.timeoutMs)
    }
    logger?.info(summaryLine(client, statsBefore, requests.length, progress.elapsed()))
    return settled.map(outcome => (outcome as PromiseFulfilledResult<DownloadedFile>).value)
  } finally {
    timers.abort()
    options.signal?.removeEventListener('abort', stop)
    logger?.endGroup()
  }
}

async function downloadOne(
  client: PhraseClient,
  request: DownloadRequest,
  file: string,
  state: RunState,
  signal: AbortSignal,
  options: DownloadOptions
): Promise<number> {
  const { projectId, localeId, params } = request
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const maxRestarts = options.maxRestarts ?? 3
  for (let restarts = 0; ; restarts++) {
    try {
      if (!state.sync) {
        const url = await runJob(client, request, signal, options).catch(error => {
          if (!isMissingWriteScope(error)) throw error
          switchToSync(state, error, options.logger)
          return undefined
        })
        if (url !== undefined) return await client.fetchResult(url, file, { signal, maxBytes })
      }
      return await client.downloadSync(projectId, localeId, params, file, { signal, maxBytes })
    } catch (error) {
      if (!isExpired(error) || signal.aborted) throw error
      if (restarts >= maxRestarts) {
        throw new Error(
          `the download expired ${restarts + 1} times before it could be fetched (${describeCause(error)})`
        )
      }
      options.logger?.debug(`${request.label}: ${describeCause(error)}; starting a new job`)
    }
  }
}

/** Creates the job and polls it until Phrase reports the file's URL. */
async function runJob(
  client: PhraseClient,
  request: DownloadRequest,
  signal: AbortSignal,
  options: DownloadOptions
): Promise<string> {
  const { projectId, localeId } = request
  const clock = options.clock ?? systemClock
  const schedule = options.pollSchedule ?? DEFAULT_POLL_SCHEDULE
  let job = await client.createDownload(projectId, localeId, request.params, { signal })
  let due = clock.now()
  for (let check = 0; job.status !== 'completed' && job.status !== 'error'; check++) {
    due = nextCheckAt(due, check, clock.now(), schedule)
    await clock.sleep(due - clock.now(), signal)
    job = await client.showDownload(projectId, localeId, job.id, { signal })
  }
  if (job.status === 'error') {
    throw new JobFailedError(
      `Phrase could not export the file: ${job.error?.trim() || 'no reason given'}`
    )
  }
  if (!job.result?.url)
    throw new JobFailedError('Phrase reported the job completed but gave no download link')
  return job.result.url
}

function switchToSync(state: RunState, refusal: unknown, logger?: Logger): void {
  if (state.sync) return
  state.sync = true
  const said =
    refusal instanceof PhraseApiError && refusal.serverMessage ? `: ${refusal.serverMessage}` : ''
  logger?.warning(
    `Phrase refused to start an asynchronous download (403${said}). Asynchronous downloads need a token ` +
      'with the `write` scope; this run falls back to the slower synchronous download endpoint. Give the ' +
      'token the `write` scope for faster pulls.'
  )
}

function downloadError(
  requests: DownloadRequest[],
  settled: PromiseSettledResult<DownloadedFile>[],
  timeoutMs: number
): DownloadError {
  const failures: DownloadFailure[] = []
  const unfinished: string[] = []
  const stopped: string[] = []
  settled.forEach((outcome, index) => {
    if (outcome.status !== 'rejected') return
    const label = requests[index].label
    if (outcome.reason instanceof TimedOut) unfinished.push(label)
    else if (outcome.reason instanceof StoppedAfterFailure) stopped.push(label)
    else failures.push({ label, cause: describeCause(outcome.reason) })
  })

  const lines: string[] = []
  if (unfinished.length > 0) {
    lines.push(
      `Downloading from Phrase timed out after ${Math.round(timeoutMs / 1000)} s; unfinished: ${unfinished.join(', ')}`
    )
  }
  if (failures.length > 0) {
    lines.push(
      `Downloading from Phrase failed for ${failures.length} of ${requests.length} file(s):`
    )
    // Files that failed for the same reason share a line (a bad parameter fails them all alike).
    const byCause = new Map<string, string[]>()
    for (const { label, cause } of failures)
      byCause.set(cause, [...(byCause.get(cause) ?? []), label])
    for (const [cause, labels] of byCause) lines.push(`- ${labels.join(', ')}: ${cause}`)
  }
  if (stopped.length > 0)
    lines.push(`Stopped after that failure, not finished: ${stopped.join(', ')}`)
  return new DownloadError(lines.join('\n'), [
    ...failures,
    ...unfinished.map(label => ({
      label,
      cause: `timed out after ${Math.round(timeoutMs / 1000)} s`
    })),
    ...stopped.map(label => ({ label, cause: 'stopped after another file failed' }))
  ])
}

function describeCause(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function summaryLine(
  client: PhraseClient,
  before: ReturnType<PhraseClient['stats']>,
  files: number,
  elapsed: string
): string {
  const after = client.stats()
  const requests = after.requests - before.requests
  return (
    `${files} file(s) in ${elapsed} s; ${requests} Phrase request(s) (${(requests / files).toFixed(1)} per file), ` +
    `${after.throttled429 - before.throttled429} answered 429, ${after.retries - before.retries} retried`
  )
}
