/**
 * Downloads every requested file through Phrase's asynchronous downloads: all jobs start at once
 * (the client's limiter keeps the pace polite and sends creates first), the checks of all jobs
 * share one pace planned from the token's rate budget (poll.ts), finished files stream from the
 * CDN into a private temp directory. Before the first export, a run that cannot fit in `timeout`
 * at the token's rate limit fails at once (budget.ts). All or nothing: any failure ends in one
 * DownloadError that names each failed file and why, and no file is returned.
 */
import { setMaxListeners } from 'node:events'
import { mkdtemp, rm } from 'node:fs/promises'
import path from 'node:path'
import { AsyncAccess } from './access.js'
import { assertFitsInTimeout, RateBudgetError } from './budget.js'
import { systemClock } from './clock.js'
import { isExpired, PhraseApiError } from './errors.js'
import { downloadError, type Unfinished } from './failures.js'
import { DEFAULT_PACE, PollPacer, type PaceSettings } from './poll.js'
import { DownloadProgress } from './progress.js'
import type { Logger } from '../logger.js'
import type { Clock, DownloadedFile, DownloadJob, DownloadRequest, PhraseClient } from './types.js'

export { DownloadError, type DownloadFailure } from './failures.js'

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
  pace?: PaceSettings
  /** New jobs allowed per file after its job or link expired; default 3. */
  maxRestarts?: number
  /**
   * Length of the token's rate windows. Phrase's headers do not say it; its documentation says 5
   * minutes (the default). Tests and the benchmark model shorter ones.
   */
  rateWindowMs?: number
  /** How often the pending files are summarised in the log; default 5 s. */
  progressIntervalMs?: number
  /** Aborted by the caller when the run cannot succeed anyway (the GitHub side failed). */
  signal?: AbortSignal
}

/** Phrase ended the job in `error` (or a status the description does not know). */
class JobFailedError extends Error {}
/** Why a file was abandoned without failing itself. */
class TimedOut extends Error {}
class StoppedAfterFailure extends Error {}

/** What the files of one run share: the way to download, and the pace of status checks. */
interface Run {
  client: PhraseClient
  access: AsyncAccess
  pacer: PollPacer
  /** Files whose first create has not been answered: their creates go before any check. */
  uncreated: number
  signal: AbortSignal
  options: DownloadOptions
  clock: Clock
}

export async function downloadAll(
  client: PhraseClient,
  requests: DownloadRequest[],
  options: DownloadOptions
): Promise<DownloadedFile[]> {
  if (requests.length === 0) return []
  const clock = options.clock ?? systemClock
  const logger = options.logger
  assertFitsInTimeout(
    client.budget(),
    requests.length,
    options.timeoutMs,
    clock.now(),
    options.rateWindowMs
  )
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
  const run: Run = {
    client,
    access: new AsyncAccess(logger),
    pacer: new PollPacer({
      clock,
      budget: () => client.budget(),
      reserve: () => run.uncreated,
      deadlineAt: clock.now() + options.timeoutMs,
      pace: options.pace ?? DEFAULT_PACE
    }),
    uncreated: requests.length,
    signal: abort.signal,
    options,
    clock
  }

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
          const bytes = await downloadOne(run, request, file)
          progress.completed(index, bytes)
          return { request, file, bytes }
        } catch (error) {
          progress.failed(index)
          if (stopsEveryFile(error)) abort.abort(new StoppedAfterFailure())
          throw error
        }
      })
    )
    timers.abort()

    if (settled.some(outcome => outcome.status === 'rejected')) {
      await rm(dir, { recursive: true, force: true })
      throw downloadError(
        requests.length,
        settled.flatMap((outcome, index) => {
          if (outcome.status !== 'rejected') return []
          const label = requests[index].label
          const unfinished = unfinishedReason(outcome.reason)
          return [
            unfinished ? { label, unfinished } : { label, cause: describeCause(outcome.reason) }
          ]
        }),
        options.timeoutMs
      )
    }
    logger?.info(summaryLine(client, statsBefore, requests.length, progress.elapsed()))
    return settled.map(outcome => (outcome as PromiseFulfilledResult<DownloadedFile>).value)
  } finally {
    timers.abort()
    options.signal?.removeEventListener('abort', stop)
    logger?.endGroup()
  }
}

/** A failure that every other file would meet alike: no point in going on. */
function stopsEveryFile(error: unknown): boolean {
  return (
    (error instanceof PhraseApiError && (error.status === 401 || error.status === 403)) ||
    error instanceof RateBudgetError
  )
}

function unfinishedReason(reason: unknown): Unfinished | undefined {
  if (reason instanceof TimedOut) return 'timed out'
  if (reason instanceof StoppedAfterFailure) return 'stopped'
  return undefined
}

async function downloadOne(run: Run, request: DownloadRequest, file: string): Promise<number> {
  const { client, signal, options } = run
  const { projectId, localeId, params } = request
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const maxRestarts = options.maxRestarts ?? 3
  let counted = false
  for (let restarts = 0; ; restarts++) {
    try {
      const job = await run.access
        .start(
          refusable => client.createDownload(projectId, localeId, params, { signal: refusable }),
          signal
        )
        .finally(() => {
          if (!counted) run.uncreated--
          counted = true
          run.pacer.reconsider()
        })
      if (job === undefined) {
        return await client.downloadSync(projectId, localeId, params, file, { signal, maxBytes })
      }
      const url = await awaitResult(run, request, job)
      return await client.fetchResult(url, file, { signal, maxBytes })
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

/** Checks the job, at the pace the run allows, until Phrase reports the file's URL. */
async function awaitResult(
  run: Run,
  request: DownloadRequest,
  created: DownloadJob
): Promise<string> {
  const { client, clock, signal } = run
  const createdAt = clock.now()
  let job = created
  let sentAt = createdAt
  while (job.status === 'processing') {
    await run.pacer.turn(createdAt, sentAt, signal)
    sentAt = clock.now()
    job = await client.showDownload(request.projectId, request.localeId, job.id, { signal })
    run.pacer.reconsider()
  }
  if (job.status !== 'completed') {
    // `error`, or a status the description does not list: either way this job will not finish.
    const status = job.status === 'error' ? '' : ` (job status "${job.status}")`
    throw new JobFailedError(
      `Phrase could not export the file${status}: ${job.error?.trim() || 'no reason given'}`
    )
  }
  if (!job.result?.url)
    throw new JobFailedError('Phrase reported the job completed but gave no download link')
  return job.result.url
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
