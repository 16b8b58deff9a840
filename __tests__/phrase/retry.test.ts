import { describe, expect, it } from '@jest/globals'
import {
  NetworkError,
  PhraseApiError,
  ResultFetchError,
  ResultTooLargeError,
  TruncatedBodyError
} from '../../src/phrase/errors.js'
import {
  backoffDelay,
  isRetryableError,
  isRetryableStatus,
  withRetries
} from '../../src/phrase/retry.js'
import { FakeClock } from './fake-clock.js'

const policy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 }
const apiError = (status: number) => new PhraseApiError(`HTTP ${status}`, status, 'showDownload')

describe('retry policy', () => {
  it('retries 5xx and 408, never other 4xx', () => {
    for (const status of [500, 502, 503, 504, 408]) expect(isRetryableStatus(status)).toBe(true)
    for (const status of [400, 401, 403, 404, 410, 422, 429])
      expect(isRetryableStatus(status)).toBe(false)
  })

  it('retries transient network failures and truncated bodies, not permanent failures', () => {
    expect(isRetryableError(new NetworkError('reset', true))).toBe(true)
    expect(isRetryableError(new NetworkError('unknown host', false))).toBe(false)
    expect(isRetryableError(new TruncatedBodyError('short'))).toBe(true)
    expect(isRetryableError(apiError(503))).toBe(true)
    expect(isRetryableError(apiError(404))).toBe(false)
    expect(isRetryableError(new ResultFetchError('cdn', 502))).toBe(true)
    expect(isRetryableError(new ResultTooLargeError('big'))).toBe(false)
    expect(isRetryableError(new Error('bug'))).toBe(false)
  })

  it('waits a random share of an exponentially growing, capped bound (full jitter)', () => {
    const top = () => 0.999999
    expect([1, 2, 3, 4, 5].map(a => backoffDelay(a, policy, top))).toEqual([99, 199, 399, 799, 999])
    expect(backoffDelay(3, policy, () => 0)).toBe(0)
    expect(backoffDelay(3, policy, () => 0.5)).toBe(200)
  })
})

describe('withRetries', () => {
  it('repeats a transient failure after the backoff and returns the eventual result', async () => {
    const clock = new FakeClock()
    let calls = 0
    const result = withRetries(
      async () => {
        calls++
        if (calls < 3) throw apiError(503)
        return 'ok'
      },
      { clock, policy, random: () => 0.5 }
    )
    await expect(clock.runUntilSettled(result)).resolves.toBe('ok')
    expect(calls).toBe(3)
    expect(clock.sleeps).toEqual([50, 100])
  })

  it('gives up after maxAttempts with the last error', async () => {
    const clock = new FakeClock()
    let calls = 0
    const retried: number[] = []
    const result = withRetries(
      async () => {
        calls++
        throw new NetworkError(`reset ${calls}`, true)
      },
      { clock, policy, random: () => 0, onRetry: (_e, attempt) => retried.push(attempt) }
    )
    await expect(clock.runUntilSettled(result)).rejects.toThrow('reset 4')
    expect(calls).toBe(4)
    expect(retried).toEqual([1, 2, 3])
  })

  it('does not repeat an answer such as 404', async () => {
    const clock = new FakeClock()
    let calls = 0
    const result = withRetries(
      async () => {
        calls++
        throw apiError(404)
      },
      { clock, policy }
    )
    await expect(clock.runUntilSettled(result)).rejects.toThrow('HTTP 404')
    expect(calls).toBe(1)
  })

  it('stops waiting when the signal aborts', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    let calls = 0
    const result = withRetries(
      async () => {
        calls++
        throw apiError(500)
      },
      { clock, policy, random: () => 0.9, signal: controller.signal }
    )
    const caught = result.catch(error => error)
    await clock.advance(10)
    controller.abort(new Error('run cancelled'))
    expect(((await caught) as Error).message).toBe('run cancelled')
    expect(calls).toBe(1)
    expect(clock.pendingTimers()).toBe(0)
  })
})
