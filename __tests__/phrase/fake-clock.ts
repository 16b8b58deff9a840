/**
 * A clock for tests: time moves only when the test says so, so timing logic is checked without
 * real sleeps. Timers fire in time order; promise chains run between two timers.
 */
import type { Clock } from '../../src/phrase/types.js'

interface Timer {
  at: number
  seq: number
  fire: () => void
}

/** Lets every pending promise callback and immediate run. */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise(resolve => setImmediate(resolve))
}

export class FakeClock implements Clock {
  private time: number
  private seq = 0
  private timers: Timer[] = []
  /** Every sleep requested, in order, for assertions. */
  readonly sleeps: number[] = []

  constructor(start = 1_700_000_000_000) {
    this.time = start
  }

  now(): number {
    return this.time
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise((resolve, reject) => {
      const timer: Timer = {
        at: this.time + Math.max(0, ms),
        seq: this.seq++,
        fire: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
      }
      const onAbort = () => {
        this.timers = this.timers.filter(t => t !== timer)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.timers.push(timer)
    })
  }

  pendingTimers(): number {
    return this.timers.length
  }

  /** Moves time forward by `ms`, firing the timers that fall due on the way. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms
    await flush()
    for (let next = this.nextTimer(); next && next.at <= end; next = this.nextTimer()) {
      this.fireNext(next)
      await flush()
    }
    this.time = end
    await flush()
  }

  /**
   * Jumps from timer to timer until `promise` settles. `busy` reports real I/O the code under test
   * is waiting for; time stands still until it is done, so no timeout fires early.
   */
  async runUntilSettled<T>(promise: Promise<T>, busy: () => boolean = () => false): Promise<T> {
    let settled = false
    promise.then(
      () => (settled = true),
      () => (settled = true)
    )
    for (let idleRounds = 0; ;) {
      await flush()
      if (settled) return promise
      if (busy()) {
        await new Promise(resolve => setTimeout(resolve, 1))
        continue
      }
      const next = this.nextTimer()
      if (next) {
        idleRounds = 0
        this.fireNext(next)
      } else if (++idleRounds > 200) {
        throw new Error('FakeClock: nothing scheduled and the promise is still pending')
      } else {
        await new Promise(resolve => setTimeout(resolve, 1))
      }
    }
  }

  private nextTimer(): Timer | undefined {
    let best: Timer | undefined
    for (const timer of this.timers) {
      if (!best || timer.at < best.at || (timer.at === best.at && timer.seq < best.seq))
        best = timer
    }
    return best
  }

  private fireNext(timer: Timer): void {
    this.timers = this.timers.filter(t => t !== timer)
    this.time = Math.max(this.time, timer.at)
    timer.fire()
  }
}

/**
 * A clock whose sleeps end at once (on the next turn of the event loop) while its time moves on by
 * the slept amount: for tests that talk to a real local server and must not wait for backoffs.
 */
export class InstantClock implements Clock {
  readonly sleeps: number[] = []
  constructor(private time = Date.now()) {}

  now(): number {
    return this.time
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.sleeps.push(ms)
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise(resolve =>
      setImmediate(() => {
        this.time += Math.max(0, ms)
        resolve()
      })
    )
  }
}
