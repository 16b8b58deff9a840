/**
 * When to check an async download again. Phrase's CLI checks every 5 s, which adds up to 5 s to a
 * file whose job takes 0.5–3 s; checking every 100 ms would spend the token's rate budget
 * (1,000 requests per 5 minutes, some tokens 100) on nothing. So the checks of all jobs share one
 * pace, planned from what the token may still spend (X-Rate-Limit-*) and what the connection
 * carries (parallel slots ÷ round trip):
 *
 * - a job is checked no sooner than `minDelayMs` after its last check, and no more often than a
 *   share of its age: a long job costs few requests (about log(duration) checks);
 * - all checks together keep to a rate: half of what the slots carry, and no more than the
 *   budget left (less the creates still to send) spread over a horizon that grows with the run;
 *   with room, checks come every few hundred ms, and the fewer jobs are left, the more often each
 *   is checked; with a tight budget they spread out; with none left they wait for the reset.
 *
 * Pure scheduling: time comes from a Clock, the budget from the limiter.
 */
import { spentPastDeadline } from './budget.js'
import type { RateBudget } from './types.js'
import { Alarm, awaitTurn, type Turn } from './turns.js'
import type { Clock } from './types.js'

export interface PaceSettings {
  /** No job is checked sooner than this after its create was answered or its last check sent. */
  minDelayMs: number
  /** …nor sooner than this share of its age (time since its create was answered). */
  ageShare: number
  /** Share of the slots' capacity (concurrency ÷ round trip) the checks may use. */
  throughputShare: number
  /** The budget left is spread over at least this long… */
  minHorizonMs: number
  /** …or this multiple of the time checks have been running, whichever is longer. */
  horizonFactor: number
  /** Wait after the window's reset before checking again, once the budget was spent. */
  resetMarginMs: number
}

/**
 * 150 ms, measured: against 250 ms the bench's 30 locales finish ~0.15 s sooner (the last job is
 * seen sooner), at the price of more checks for a few locales (10: 12 instead of 8 per locale).
 */
export const DEFAULT_PACE: PaceSettings = {
  minDelayMs: 150,
  ageShare: 0.05,
  throughputShare: 0.5,
  minHorizonMs: 10_000,
  horizonFactor: 2,
  resetMarginMs: 250
}

/** The earliest a job may be checked again, `ageMs` after its create was answered. */
export function checkDelay(ageMs: number, pace: PaceSettings = DEFAULT_PACE): number {
  return Math.round(Math.max(pace.minDelayMs, pace.ageShare * Math.max(0, ageMs)))
}

export interface RateContext {
  now: number
  /** How long checks have been running (since the pacer started). */
  elapsedMs: number
  /** Requests still needed for other work that goes first (creates not yet answered). */
  reserve: number
  /** When checks must be over (epoch ms): budget left then is of no use. */
  deadlineAt?: number
}

/** Checks per second all jobs together may send now; 0 when the budget is spent until the reset. */
export function checkRate(
  budget: RateBudget,
  context: RateContext,
  pace: PaceSettings = DEFAULT_PACE
): number {
  const throughput =
    (pace.throughputShare * budget.concurrency * 1000) / Math.max(1, budget.roundTripMs)
  if (budget.remaining === undefined) return throughput // no rate headers: the limiter copes
  const spendable = budget.remaining - context.reserve
  if (spendable <= 0) return 0
  const until = (at: number | undefined) =>
    at === undefined ? Infinity : Math.max(1, at - context.now)
  // What is left when the window resets, or when the run must end, is of no use: spend it before.
  const horizon = Math.min(
    until(budget.resetAtMs),
    until(context.deadlineAt),
    Math.max(pace.minHorizonMs, pace.horizonFactor * context.elapsedMs)
  )
  return Math.min(throughput, (spendable * 1000) / horizon)
}

export interface PacerOptions {
  clock: Clock
  budget: () => RateBudget
  /** Requests to keep for work that must go first (see RateContext.reserve). */
  reserve?: () => number
  /** When checks must be over: a budget spent until a later reset fails every waiting check. */
  deadlineAt?: number
  pace?: PaceSettings
}

interface Waiter extends Turn {
  due: number
}

/**
 * Hands out turns to check a job: each job asks with the earliest time it may check, turns go to
 * the earliest due at no more than `checkRate`, so checks never come in a burst.
 */
export class PollPacer {
  private readonly clock: Clock
  private readonly pace: PaceSettings
  private readonly startedAt: number
  private readonly waiters: Waiter[] = []
  private lastTurnAt = -Infinity
  private readonly alarm: Alarm

  constructor(private readonly options: PacerOptions) {
    this.clock = options.clock
    this.pace = options.pace ?? DEFAULT_PACE
    this.startedAt = this.clock.now()
    this.alarm = new Alarm(this.clock, () => this.pump())
  }

  /**
   * Resolves when a job may be checked: its create was answered at `createdAt`, its last check
   * was sent at `since` (or `since` is `createdAt`). Counting from the send, not the answer, keeps
   * round trips from adding up; a check is never sent before the previous one was answered.
   */
  turn(createdAt: number, since: number, signal?: AbortSignal): Promise<void> {
    const due = since + checkDelay(since - createdAt, this.pace)
    return awaitTurn(
      signal,
      turn => {
        this.waiters.push(Object.assign(turn, { due }))
        this.pump()
      },
      turn => {
        const index = this.waiters.indexOf(turn as Waiter)
        if (index >= 0) this.waiters.splice(index, 1)
        this.pump()
      }
    )
  }

  /**
   * An answer brought news (a fresh rate window, a create off the reserve): plan the next turn
   * again, or a turn planned while the budget was unknown would wait for nothing.
   */
  reconsider(): void {
    this.pump()
  }

  /** The rate checks may go at now (for logs and tests). */
  rate(): number {
    const now = this.clock.now()
    return checkRate(
      this.options.budget(),
      {
        now,
        elapsedMs: now - this.startedAt,
        reserve: this.options.reserve?.() ?? 0,
        deadlineAt: this.options.deadlineAt
      },
      this.pace
    )
  }

  private pump(): void {
    while (this.waiters.length > 0) {
      const now = this.clock.now()
      const next = this.waiters.reduce((a, b) => (b.due < a.due ? b : a))
      const rate = this.rate()
      let at: number
      if (rate > 0) at = Math.max(next.due, this.lastTurnAt + 1000 / rate)
      else {
        // Spent: look again when the window resets (or in a while, if Phrase did not say when).
        const budget = this.options.budget()
        at = (budget.resetAtMs ?? now + this.pace.minHorizonMs) + this.pace.resetMarginMs
        const deadline = this.options.deadlineAt
        if (deadline !== undefined && budget.resetAtMs !== undefined && at > deadline) {
          const error = spentPastDeadline(budget, now, deadline)
          for (const waiter of this.waiters.splice(0)) waiter.fail(error)
          break
        }
      }
      if (at > now) {
        this.alarm.set(at)
        return
      }
      this.waiters.splice(this.waiters.indexOf(next), 1)
      this.lastTurnAt = now
      next.grant()
    }
    this.alarm.clear()
  }
}
