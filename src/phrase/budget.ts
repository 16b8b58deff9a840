/**
 * Whether the downloads can fit in `timeout` at the token's rate limit, decided before the first
 * export from what the locale list's answer said (X-Rate-Limit-*): better to say at once that a
 * run needs twenty minutes than to fail after ten with nothing.
 *
 * Phrase documents 1,000 requests per 5 minutes per user in fixed windows, and the headers give
 * the limit, what is left and when the window ends, but not the window's length: that is the
 * documented 5 minutes (https://developers.phrase.com/en/api/strings/pagination, "Rate Limiting").
 */
import type { RateBudget } from './types.js'

export const RATE_WINDOW_MS = 5 * 60_000

/** The fewest requests a file can cost: its create and one status check. */
export const MIN_REQUESTS_PER_FILE = 2

/** The run cannot finish within `timeout` at the token's rate limit. */
export class RateBudgetError extends Error {
  override name = 'RateBudgetError'
}

/** How many requests the token may send from `now` until `now + ms`, counting windows that open. */
export function requestsWithin(
  budget: RateBudget,
  now: number,
  ms: number,
  windowMs = RATE_WINDOW_MS
): number {
  const { limit, remaining, resetAtMs } = budget
  if (limit === undefined || remaining === undefined) return Infinity
  if (resetAtMs === undefined || resetAtMs >= now + ms) return remaining
  return remaining + limit * (1 + Math.floor((now + ms - resetAtMs) / windowMs))
}

/** How long until the token may have sent `requests` requests (0 when the window has room). */
export function timeToSend(
  budget: RateBudget,
  now: number,
  requests: number,
  windowMs = RATE_WINDOW_MS
): number {
  const { limit, remaining, resetAtMs } = budget
  if (limit === undefined || remaining === undefined || requests <= remaining) return 0
  if (limit <= 0) return Infinity
  const windows = Math.ceil((requests - remaining) / limit)
  const firstReset = resetAtMs ?? now
  return Math.max(0, firstReset - now) + (windows - 1) * windowMs
}

/**
 * Fails when `files` downloads cannot get their fewest requests within `timeoutMs`; the message
 * says how long they need and what to write instead.
 */
export function assertFitsInTimeout(
  budget: RateBudget,
  files: number,
  timeoutMs: number,
  now: number,
  windowMs = RATE_WINDOW_MS
): void {
  const needed = files * MIN_REQUESTS_PER_FILE
  if (needed <= requestsWithin(budget, now, timeoutMs, windowMs)) return
  const waitMs = timeToSend(budget, now, needed, windowMs)
  // The last window opens after `waitMs`; its requests and the exports need a little more.
  const minutes = Math.max(1, Math.ceil((waitMs + 60_000) / 60_000))
  const resetIn =
    budget.resetAtMs === undefined ? '' : `, resetting in ${secondsFrom(now, budget.resetAtMs)} s`
  throw new RateBudgetError(
    `Phrase allows this token ${budget.limit} requests per ${describeWindow(windowMs)} and ${budget.remaining} ` +
      `${budget.remaining === 1 ? 'is' : 'are'} left ` +
      `in this window${resetIn}; ${files} file(s) need at least ${needed} requests ` +
      `(a create and a status check each), so this run needs about ${minutes} minutes: ` +
      `raise \`timeout\` to ${minutes * 60} (seconds; it is ${Math.round(timeoutMs / 1000)}), ` +
      'or pull fewer locales per run.'
  )
}

/** The budget is spent until a reset that comes after the download phase must end. */
export function spentPastDeadline(
  budget: RateBudget,
  now: number,
  deadline: number
): RateBudgetError {
  const resetAt = budget.resetAtMs ?? now + RATE_WINDOW_MS
  const minutes = Math.max(1, Math.ceil((resetAt - now + 60_000) / 60_000))
  return new RateBudgetError(
    `Phrase's rate limit for this token (${budget.limit ?? '?'} requests per 5 minutes) is spent until ` +
      `${new Date(resetAt).toISOString()}, ${secondsFrom(now, resetAt)} s from now, but the download ` +
      `phase must end in ${secondsFrom(now, deadline)} s; the unfinished files need about ${minutes} ` +
      `more minutes: raise \`timeout\`, or pull fewer locales per run.`
  )
}

function describeWindow(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} minutes` : `${ms / 1000} s`
}

function secondsFrom(now: number, at: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000))
}
