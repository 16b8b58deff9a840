/**
 * Moving bytes: a response body streamed to a file (never held in memory whole), with a size cap
 * and a completeness check, and the per-request deadline that also covers a stalled body.
 */
import { createWriteStream } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { describeNetworkFailure } from '../net/failure.js'
import { describeDestination } from '../net/fetch.js'
import { NetworkError, ResultTooLargeError, TruncatedBodyError } from './errors.js'

export interface StreamOptions {
  maxBytes?: number
  /** Called for every chunk, e.g. to push an idle deadline back. */
  onChunk?: () => void
}

/** Writes the body to `dest`; returns the byte count. Rejects oversized and truncated bodies. */
export async function streamToFile(
  response: Response,
  dest: string,
  options: StreamOptions = {}
): Promise<number> {
  const { maxBytes, onChunk } = options
  const declared = declaredLength(response)
  if (maxBytes !== undefined && declared !== undefined && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined)
    throw tooLarge(maxBytes, `${declared} bytes announced`)
  }
  if (!response.body) {
    await writeFile(dest, '')
    if (declared) throw new TruncatedBodyError(`received 0 of ${declared} bytes`)
    return 0
  }
  let bytes = 0
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length
      onChunk?.()
      if (maxBytes !== undefined && bytes > maxBytes) done(tooLarge(maxBytes, 'more arrived'))
      else done(null, chunk)
    }
  })
  await pipeline(
    Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>),
    meter,
    createWriteStream(dest)
  )
  if (declared !== undefined && bytes !== declared) {
    throw new TruncatedBodyError(`received ${bytes} of ${declared} bytes`)
  }
  return bytes
}

/** Content-Length, when it counts the bytes we will see (fetch decompresses encoded bodies). */
function declaredLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding')
  if (encoding && encoding.trim().toLowerCase() !== 'identity') return undefined
  const value = response.headers.get('content-length')
  return value !== null && /^\d+$/.test(value.trim()) ? Number(value) : undefined
}

function tooLarge(maxBytes: number, detail: string): ResultTooLargeError {
  return new ResultTooLargeError(
    `the file is larger than the limit of ${formatBytes(maxBytes)} (${detail}); refusing it`
  )
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${+(bytes / 1024 / 1024).toFixed(1)} MiB`
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KiB`
  return `${bytes} B`
}

/**
 * An AbortSignal that fires when the outer signal does or when nothing happened for `ms`
 * (`touch` restarts the count). `clear` must be called: a pending timer keeps Node running.
 */
export interface Deadline {
  signal: AbortSignal
  /** Restarts the count; with `ms`, from now on counts that long. */
  touch(ms?: number): void
  clear(): void
  readonly expired: boolean
  /** The count in force. */
  readonly ms: number
}

export function createDeadline(initialMs: number, outer?: AbortSignal): Deadline {
  const controller = new AbortController()
  let expired = false
  let ms = initialMs
  let timer: NodeJS.Timeout | undefined
  const arm = () => {
    clearTimeout(timer)
    timer = setTimeout(() => {
      expired = true
      controller.abort(new Error(`no progress for ${ms} ms`))
    }, ms)
  }
  const onOuterAbort = () => controller.abort(outer?.reason)
  if (outer?.aborted) controller.abort(outer.reason)
  else {
    outer?.addEventListener('abort', onOuterAbort, { once: true })
    arm()
  }
  return {
    signal: controller.signal,
    touch: (nextMs?: number) => {
      if (nextMs !== undefined) ms = nextMs
      if (!controller.signal.aborted) arm()
    },
    clear: () => {
      clearTimeout(timer)
      outer?.removeEventListener('abort', onOuterAbort)
    },
    get expired() {
      return expired
    },
    get ms() {
      return ms
    }
  }
}

/** Codes of failures that another attempt will not fix. */
/**
 * What went wrong on the wire, worded as for every host (net/failure.ts: which host, which way,
 * what happened, the fix for a certificate or proxy credentials). The outer abort's reason passes
 * unchanged so callers see their own cancellation; our errors (size cap, truncation) and
 * file-system errors too.
 */
export function toTransportError(
  error: unknown,
  url: URL,
  deadline: Deadline,
  timeoutMs: number,
  outer?: AbortSignal
): unknown {
  if (outer?.aborted) return outer.reason
  if (deadline.expired) {
    return new NetworkError(
      `no answer from ${describeDestination(url)} for ${timeoutMs / 1000} s`,
      true,
      { cause: error }
    )
  }
  // fetch reports failures on the wire as TypeError ("fetch failed", "terminated") or with a
  // socket error code; anything else (size cap, truncation, a bad body, the local file) is ours.
  // Duck-typed: fetch's errors may come from another realm (a VM context), where instanceof fails.
  const failure =
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {}
  const onTheWire =
    failure.name === 'TypeError' || (typeof failure.code === 'string' && !('path' in failure))
  if (!onTheWire || error instanceof NetworkError) return error
  const { message, permanent } = describeNetworkFailure(error, url, timeoutMs)
  return new NetworkError(message, !permanent, { cause: error })
}
