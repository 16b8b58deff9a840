/**
 * When and how long to wait before repeating a failed request: 5xx, 408 and network failures are
 * worth another try; a 4xx is an answer and repeating it changes nothing. 429 is not handled here
 * (the limiter owns it, because it concerns every queued request, not just this one).
 */
import { NetworkError, PhraseApiError, ResultFetchError, TruncatedBodyError } from './errors.js'
import type { Clock } from './types.js'

export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number
  baseDelayMs: number
  maxDelayMs: number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 400,
  maxDelayMs: 8000
}

export function isRetryableStatus(status: number): boolean {
  return status === 408 || (status >= 500 && status <= 599)
}

export function isRetryableError(error: unknown): boolean {
  if (error instanceof NetworkError) return error.transient
  if (error instanceof TruncatedBodyError) return true
  if (error instanceof PhraseApiError || error instanceof ResultFetchError) {
    return isRetryableStatus(error.status)
  }
  return false
}

/**
 * "Full jitter": a random wait between 0 and the exponential bound, so clients that failed together
 * do not come back together. `attempt` counts from 1 (the wait after the first failure).
 */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const bound = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1))
  return Math.floor(random() * bound)
}

export interface RetryOptions {
  clock: Clock
  policy?: RetryPolicy
  signal?: AbortSignal
  random?: () => number
  isRetryable?: (error: unknown) => boolean
  onRetry?: (error: unknown, attempt: number, delayMs: number) => void
}

/** Runs `operation` until it succeeds, fails for good, or the attempts are used up. */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  options: RetryOptions
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY_POLICY
  const retryable = options.isRetryable ?? isRetryableError
  const random = options.random ?? Math.random
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation(attempt)
    } catch (error) {
      // An aborted run must stop at once, whatever the failure looked like.
      if (options.signal?.aborted || attempt >= policy.maxAttempts || !retryable(error)) throw error
      const delay = backoffDelay(attempt, policy, random)
      options.onRetry?.(error, attempt, delay)
      await options.clock.sleep(delay, options.signal)
    }
  }
}
