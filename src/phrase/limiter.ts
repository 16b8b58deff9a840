/**
 * The one gate every Phrase API request of a client passes through. It keeps three promises to
 * Phrase: at most `maxConcurrency` requests in flight; no request sent once the rate window is
 * spent (it reads X-Rate-Limit-* on every answer and waits for the reset instead); and after a 429
 * every queued request pauses, not only the refused one. Pure scheduling: time comes from a Clock.
 */
import { Alarm, awaitTurn, type Turn } from './turns.js'
import type { Clock, RateBudget } from './types.js'

export interface HeadersLike {
  get(name: string): string | null
}

/** One request/response round, body already consumed; the slot is held until it settles. */
export interface Exchange<T> {
  status: number
  headers: HeadersLike
  body: T
  /** The body of an error answer, read to tell a concurrency 429 from a rate 429. */
  errorText?: string
}

export type PauseReason = 'rate-limit' | 'concurrency-limit' | 'window-spent'

export interface PauseEvent {
  reason: PauseReason
  waitMs: number
  /** The concurrency cap after the event (lowered after a concurrency 429). */
  concurrency: number
  /** What Phrase said was exceeded (X-Rate-Limit-Reason of the 429), when it said it. */
  limitReason?: string
}

export interface LimiterOptions {
  maxConcurrency: number
  clock: Clock
  /** Extra wait after X-Rate-Limit-Reset: the header has whole seconds, clocks drift a little. */
  resetMarginMs?: number
  /** How often one request may be re-sent after a 429 before its 429 is returned. */
  max429Resends?: number
  random?: () => number
  onPause?: (event: PauseEvent) => void
}

export interface LimiterState {
  inFlight: number
  queued: number
  concurrency: number
  pausedUntil: number
  window?: { resetAtMs: number; remaining: number; limit?: number }
  throttled429: number
}

interface Waiter extends Turn {
  urgent: boolean
}

export interface RunOptions {
  signal?: AbortSignal
  /** Served before every request that is not urgent (a job's create before another's check). */
  urgent?: boolean
}

/** Successes at a lowered cap after which one more parallel request is tried again. */
const SUCCESSES_BEFORE_RAISING_CAP = 20
/** Until a request was timed: a cautious guess for a request to Phrase from a CI runner. */
const INITIAL_ROUND_TRIP_MS = 150
/** Weight of the newest round trip in the moving average. */
const ROUND_TRIP_WEIGHT = 0.2
/**
 * A Date header has whole seconds: a smaller difference to our clock is noise, a larger one means
 * the runner's clock is off (a self-hosted runner without time sync), and Phrase's reset times are
 * moved onto our clock by that much.
 */
const CLOCK_SKEW_TOLERANCE_MS = 2000

export class PhraseLimiter {
  private readonly clock: Clock
  private readonly maxConcurrency: number
  private readonly resetMarginMs: number
  private readonly max429Resends: number
  private readonly random: () => number
  private readonly onPause?: (event: PauseEvent) => void

  private concurrency: number
  private inFlight = 0
  private readonly queue: Waiter[] = []
  private window?: { resetAtMs: number; remaining: number; limit?: number }
  private lastLimit?: number
  private roundTripMs = INITIAL_ROUND_TRIP_MS
  private announcedHoldFor?: number
  private pausedUntil = 0
  /** How far Phrase's clock is ahead of ours (its answers' Date); 0 within the tolerance. */
  private clockSkewMs = 0
  private consecutive429 = 0
  private successesAtCap = 0
  private throttled429 = 0
  private readonly alarm: Alarm

  constructor(options: LimiterOptions) {
    if (!Number.isInteger(options.maxConcurrency) || options.maxConcurrency < 1) {
      throw new RangeError(
        `maxConcurrency must be a positive integer, got ${options.maxConcurrency}`
      )
    }
    this.clock = options.clock
    this.maxConcurrency = options.maxConcurrency
    this.concurrency = options.maxConcurrency
    this.resetMarginMs = options.resetMarginMs ?? 200
    this.max429Resends = options.max429Resends ?? 10
    this.random = options.random ?? Math.random
    this.onPause = options.onPause
    this.alarm = new Alarm(this.clock, () => this.pump())
  }

  /**
   * Runs one exchange when the limits allow it; re-sends it after a 429 (once the pause is over)
   * up to `max429Resends` times, then returns the last 429 for the caller to report.
   */
  async run<T>(
    exchange: () => Promise<Exchange<T>>,
    options: RunOptions = {}
  ): Promise<Exchange<T>> {
    const { signal, urgent = false } = options
    for (let resends = 0; ; resends++) {
      // A re-sent request keeps its place at the head of the queue.
      await this.acquire(signal, resends > 0, urgent)
      let result: Exchange<T>
      const sentAt = this.clock.now()
      try {
        result = await exchange()
      } catch (error) {
        this.release()
        throw error
      }
      this.timeRoundTrip(this.clock.now() - sentAt)
      this.observe(result.headers)
      if (result.status !== 429) {
        this.onAnswered()
        this.release()
        return result
      }
      this.onThrottled(result)
      this.release()
      if (resends >= this.max429Resends) return result
    }
  }

  state(): LimiterState {
    return {
      inFlight: this.inFlight,
      queued: this.queue.length,
      concurrency: this.concurrency,
      pausedUntil: this.pausedUntil,
      window: this.window && { ...this.window },
      throttled429: this.throttled429
    }
  }

  /** The budget as the latest answers reported it; see RateBudget. */
  budget(): RateBudget {
    const now = this.clock.now()
    const window =
      this.window && now < this.window.resetAtMs + this.resetMarginMs ? this.window : undefined
    return {
      limit: window?.limit ?? this.lastLimit,
      // A window that ended gave way to a fresh one: the whole limit, as far as we know.
      remaining: window ? Math.max(0, window.remaining - this.inFlight) : this.lastLimit,
      resetAtMs: window?.resetAtMs,
      roundTripMs: this.roundTripMs,
      concurrency: this.concurrency
    }
  }

  private timeRoundTrip(ms: number): void {
    this.roundTripMs += ROUND_TRIP_WEIGHT * (Math.max(1, ms) - this.roundTripMs)
  }

  private acquire(signal: AbortSignal | undefined, first: boolean, urgent: boolean): Promise<void> {
    return awaitTurn(
      signal,
      turn => {
        const waiter: Waiter = Object.assign(turn, { urgent })
        if (first) this.queue.unshift(waiter)
        else if (urgent) {
          // Behind the other urgent ones, ahead of everything else.
          const firstOrdinary = this.queue.findIndex(other => !other.urgent)
          this.queue.splice(firstOrdinary < 0 ? this.queue.length : firstOrdinary, 0, waiter)
        } else this.queue.push(waiter)
        this.pump()
      },
      turn => {
        const index = this.queue.indexOf(turn as Waiter)
        if (index >= 0) this.queue.splice(index, 1)
        this.pump()
      }
    )
  }

  private release(): void {
    this.inFlight--
    this.pump()
  }

  /** Grants slots while the limits allow; otherwise sets one timer for when they will. */
  private pump(): void {
    while (this.queue.length > 0 && this.inFlight < this.concurrency) {
      const now = this.clock.now()
      const until = this.holdUntil(now)
      if (until > now) {
        this.alarm.set(until)
        return
      }
      this.inFlight++
      this.queue.shift()!.grant()
    }
    // Nobody waits: drop the timer so a finished run leaves nothing that keeps the process alive.
    if (this.queue.length === 0) this.alarm.clear()
  }

  private holdUntil(now: number): number {
    let until = this.pausedUntil
    const window = this.window
    if (window) {
      const windowEnd = window.resetAtMs + this.resetMarginMs
      if (now >= windowEnd) {
        this.window = undefined
      } else if (window.remaining - this.inFlight <= 0) {
        // Each request in flight will use one of the remaining ones: sending more would be refused.
        until = Math.max(until, windowEnd)
        if (this.announcedHoldFor !== window.resetAtMs) {
          this.announcedHoldFor = window.resetAtMs
          this.announce('window-spent', windowEnd - now)
        }
      }
    }
    return until
  }

  private observe(headers: HeadersLike): void {
    this.observeClock(headers)
    const remaining = integerHeader(headers, 'X-Rate-Limit-Remaining')
    const reset = integerHeader(headers, 'X-Rate-Limit-Reset')
    if (remaining === undefined || reset === undefined) return
    // The reset is a time on Phrase's clock: on ours it comes earlier or later by the skew.
    const resetAtMs = reset * 1000 - this.clockSkewMs
    if (resetAtMs + this.resetMarginMs <= this.clock.now()) return // an answer from a past window
    const limit = integerHeader(headers, 'X-Rate-Limit-Limit')
    if (limit !== undefined) this.lastLimit = limit
    const window = this.window
    if (!window || resetAtMs > window.resetAtMs) {
      this.window = { resetAtMs, remaining, limit }
    } else if (resetAtMs === window.resetAtMs) {
      // Answers may arrive out of order; the lowest count is the latest.
      window.remaining = Math.min(window.remaining, remaining)
    }
  }

  private observeClock(headers: HeadersLike): void {
    const serverMs = Date.parse(headers.get('Date') ?? '')
    if (!Number.isFinite(serverMs)) return
    const skew = serverMs - this.clock.now()
    this.clockSkewMs = Math.abs(skew) >= CLOCK_SKEW_TOLERANCE_MS ? skew : 0
  }

  private onAnswered(): void {
    this.consecutive429 = 0
    if (
      this.concurrency < this.maxConcurrency &&
      ++this.successesAtCap >= SUCCESSES_BEFORE_RAISING_CAP
    ) {
      this.concurrency++
      this.successesAtCap = 0
    }
  }

  private onThrottled(result: Exchange<unknown>): void {
    this.throttled429++
    this.consecutive429++
    const now = this.clock.now()
    const remaining = integerHeader(result.headers, 'X-Rate-Limit-Remaining')
    const limitReason = result.headers.get('X-Rate-Limit-Reason') ?? undefined
    const concurrencyRefusal =
      /concurren/i.test(`${limitReason ?? ''} ${result.errorText ?? ''}`) ||
      (remaining !== undefined && remaining > 0)
    if (concurrencyRefusal) {
      // Someone else uses this token's slots too: use one fewer, and step back briefly (the rate
      // window's reset may be minutes away and has nothing to do with it).
      this.concurrency = Math.max(1, Math.min(this.concurrency, this.inFlight) - 1)
      this.successesAtCap = 0
      this.pauseFor(this.backoff(250, 4000), now, 'concurrency-limit', limitReason)
      return
    }
    const window = this.window
    if (window) window.remaining = 0
    const windowEnd = window ? window.resetAtMs + this.resetMarginMs : 0
    // Without a usable reset time, back off exponentially instead of asking again at once.
    const wait = windowEnd > now ? windowEnd - now : this.backoff(1000, 30_000)
    this.pauseFor(wait, now, 'rate-limit', limitReason)
  }

  private pauseFor(waitMs: number, now: number, reason: PauseReason, limitReason?: string): void {
    if (now + waitMs <= this.pausedUntil) return
    this.pausedUntil = now + waitMs
    this.announce(reason, waitMs, limitReason)
  }

  /** "Equal jitter": at least half the exponential bound, so a retry never comes at once. */
  private backoff(baseMs: number, maxMs: number): number {
    const bound = Math.min(maxMs, baseMs * 2 ** (this.consecutive429 - 1))
    return Math.round(bound / 2 + (this.random() * bound) / 2)
  }

  private announce(reason: PauseReason, waitMs: number, limitReason?: string): void {
    this.onPause?.({
      reason,
      waitMs,
      concurrency: this.concurrency,
      ...(limitReason ? { limitReason } : {})
    })
  }
}

function integerHeader(headers: HeadersLike, name: string): number | undefined {
  const value = headers.get(name)
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined
  return Number(value)
}
