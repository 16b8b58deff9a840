/**
 * Waiting for a turn, as the limiter (a request slot) and the poll pacer (a status check) both
 * do: a parked caller that leaves the line when its signal aborts, and one timer that looks again
 * when the next turn can be given. Time comes from a Clock.
 */
import type { Clock } from './types.js'

export interface Turn {
  grant(): void
  fail(error: unknown): void
}

/**
 * Parks the caller: `enter` puts its turn in line; the promise settles when the turn is granted
 * or failed. An aborted signal takes the turn out of line (`leave`) and rejects with its reason.
 */
export function awaitTurn(
  signal: AbortSignal | undefined,
  enter: (turn: Turn) => void,
  leave: (turn: Turn) => void
): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  return new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      leave(turn)
      reject(signal?.reason)
    }
    const turn: Turn = {
      grant: () => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      fail: error => {
        signal?.removeEventListener('abort', onAbort)
        reject(error)
      }
    }
    signal?.addEventListener('abort', onAbort, { once: true })
    enter(turn)
  })
}

/** One timer that calls `ring` at the time last set; cleared, it keeps nothing alive. */
export class Alarm {
  private pending?: { at: number; controller: AbortController }

  constructor(
    private readonly clock: Clock,
    private readonly ring: () => void
  ) {}

  /** Rings at `at` (epoch ms), instead of any other time set before. */
  set(at: number): void {
    if (this.pending?.at === at) return
    this.clear()
    const controller = new AbortController()
    this.pending = { at, controller }
    this.clock.sleep(at - this.clock.now(), controller.signal).then(
      () => {
        if (this.pending?.controller === controller) this.pending = undefined
        this.ring()
      },
      () => undefined // cleared, or set to another time
    )
  }

  clear(): void {
    this.pending?.controller.abort()
    this.pending = undefined
  }
}
