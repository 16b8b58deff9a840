/**
 * What the log shows while files download: one line per finished file and a periodic summary
 * of what is still pending, never a line per status check.
 */
import { namedList } from '../named-list.js'
import { formatBytes } from './transfer.js'
import type { Logger } from '../logger.js'
import type { Clock } from './types.js'

/** Pending labels named in a summary before "+N more". */
const NAMED_PENDING = 5

export class DownloadProgress {
  private readonly pending = new Set<number>()
  private done = 0

  constructor(
    private readonly labels: string[],
    private readonly clock: Clock,
    private readonly logger?: Logger,
    private readonly startedAt = clock.now()
  ) {
    labels.forEach((_, index) => this.pending.add(index))
  }

  completed(index: number, bytes: number): void {
    this.pending.delete(index)
    this.done++
    this.logger?.info(`${this.labels[index]}: ${formatBytes(bytes)} after ${this.elapsed()} s`)
  }

  failed(index: number): void {
    this.pending.delete(index)
  }

  summary(): string {
    const names = namedList(
      [...this.pending].map(index => this.labels[index]),
      NAMED_PENDING
    )
    const pending = this.pending.size > 0 ? `; pending: ${names}` : ''
    return `${this.done}/${this.labels.length} done after ${this.elapsed()} s${pending}`
  }

  /** Logs the summary every `intervalMs` until `signal` aborts. */
  async report(intervalMs: number, signal: AbortSignal): Promise<void> {
    try {
      for (;;) {
        await this.clock.sleep(intervalMs, signal)
        this.logger?.info(this.summary())
      }
    } catch {
      // stopped
    }
  }

  elapsed(): string {
    return ((this.clock.now() - this.startedAt) / 1000).toFixed(1)
  }
}
