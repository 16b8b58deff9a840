/**
 * The simulator's fault plan: tests push faults at runtime, the simulator consumes them.
 *
 *   sim.faults.add({ on: 'show', status: 503 })                    // next show answers 503
 *   sim.faults.add({ on: 'create', locale: 'de', kind: 'jobError' }) // de's next job ends in `error`
 *   sim.faults.add({ on: 'cdn', kind: 'reset', times: 2 })           // two CDN fetches: socket destroyed
 *   sim.faults.add({ on: 'cdn', kind: 'bytes', size: 100 * 2 ** 20 }) // 100 MB streamed, never in memory
 *
 * `on`      which request: 'list' (locales), 'create' / 'show' (async job), 'cdn' (result.url), 'sync'
 * `locale`  only requests for this locale (name or id); list requests never match a locale fault
 * `format`  'cdn' only: only downloads of this file_format
 * `times`   how many matching requests it hits (default 1; Infinity for all)
 * `kind`    default 'status' (or 'bytes' when `bytes`/`size` is given):
 *   'status'   answer `status` (default 500) with `body` (default a JSON `{"message"}`)
 *   'reset'    destroy the socket without an answer
 *   'hang'     never answer (until `stop()`); the request stays in flight
 *   'jobError' create/show: the job ends in status `error` with `body` (or a default) as its `error`;
 *              with `jobStatus`, in that status instead (one the description does not list)
 *   'expire'   show: the job expires now (410); cdn: this and later fetches of the file answer 403
 *   'truncate' cdn/sync: Content-Length of the whole file, half of it sent, then the socket dies
 *   'empty'    cdn/sync: 200 with an empty body
 *   'bytes'    cdn/sync: 200 with `bytes` (a Buffer, or a function returning chunks to stream),
 *              or `size` bytes of generated YAML-like text, streamed
 * Faults are matched in the order they were added; the first one that matches is used.
 */

export type FaultTarget = 'create' | 'show' | 'list' | 'cdn' | 'sync'
export type FaultKind =
  'status' | 'reset' | 'hang' | 'jobError' | 'expire' | 'truncate' | 'empty' | 'bytes'

export type ByteSource = Buffer | (() => Iterable<Buffer> | AsyncIterable<Buffer>)

export interface Fault {
  on: FaultTarget
  locale?: string
  /** 'cdn': only downloads of this `file_format` (a run with several targets fetches several). */
  format?: string
  kind?: FaultKind
  status?: number
  body?: string
  times?: number
  bytes?: ByteSource
  size?: number
  /** 'jobError': the status the job ends in (default `error`). */
  jobStatus?: string
}

export interface ActiveFault extends Fault {
  kind: FaultKind
}

interface PendingFault {
  fault: ActiveFault
  remaining: number
}

export class FaultPlan {
  private pending: PendingFault[] = []

  add(fault: Fault): this {
    const kind =
      fault.kind ?? (fault.bytes !== undefined || fault.size !== undefined ? 'bytes' : 'status')
    this.pending.push({ fault: { ...fault, kind }, remaining: fault.times ?? 1 })
    return this
  }

  clear(): void {
    this.pending = []
  }

  /** Faults not yet used up. */
  get size(): number {
    return this.pending.length
  }

  /** The first fault for this request, counted as used. `locales` are the locale's id and name. */
  take(on: FaultTarget, locales: string[] = [], format?: string): ActiveFault | undefined {
    const index = this.pending.findIndex(
      entry =>
        entry.fault.on === on &&
        (entry.fault.locale === undefined || locales.includes(entry.fault.locale)) &&
        (entry.fault.format === undefined || entry.fault.format === format)
    )
    if (index < 0) return undefined
    const entry = this.pending[index]
    entry.remaining -= 1
    if (entry.remaining <= 0) this.pending.splice(index, 1)
    return entry.fault
  }
}

/** Generated text for huge-file faults: realistic-looking lines, produced chunk by chunk. */
export function* fillerChunks(size: number, chunkSize = 64 * 1024): Generator<Buffer> {
  const line = Buffer.from('  key_padding_line: "Lorem ipsum dolor sit amet, consectetur"\n')
  const chunk = Buffer.alloc(chunkSize)
  for (let offset = 0; offset < chunkSize; offset += line.length) line.copy(chunk, offset)
  for (let sent = 0; sent < size; sent += chunkSize)
    yield chunk.subarray(0, Math.min(chunkSize, size - sent))
}
