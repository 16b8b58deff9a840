import { describe, expect, it } from '@jest/globals'
import {
  assertFitsInTimeout,
  RATE_WINDOW_MS,
  RateBudgetError,
  requestsWithin,
  timeToSend
} from '../../src/phrase/budget.js'
import type { RateBudget } from '../../src/phrase/types.js'

const NOW = 1_700_000_000_000
const budget = (remaining: number, resetInMs: number, limit = 100): RateBudget => ({
  limit,
  remaining,
  resetAtMs: NOW + resetInMs,
  roundTripMs: 50,
  concurrency: 4
})

describe('requestsWithin', () => {
  it('counts what is left, and a full window for every reset that falls in the time', () => {
    expect(requestsWithin(budget(30, 60_000), NOW, 59_000)).toBe(30)
    expect(requestsWithin(budget(30, 60_000), NOW, 61_000)).toBe(130)
    expect(requestsWithin(budget(30, 60_000), NOW, 60_000 + RATE_WINDOW_MS)).toBe(230)
  })

  it('counts windows of another length when told (Phrase documents 5 minutes)', () => {
    expect(requestsWithin(budget(30, 1000, 20), NOW, 10_000, 2000)).toBe(30 + 20 * 5)
  })

  it('is unlimited as long as Phrase sent no rate headers', () => {
    expect(requestsWithin({ roundTripMs: 50, concurrency: 4 }, NOW, 1000)).toBe(Infinity)
  })
})

describe('timeToSend', () => {
  it('is 0 with room, else the wait until the window that holds the last request opens', () => {
    expect(timeToSend(budget(30, 60_000), NOW, 30)).toBe(0)
    expect(timeToSend(budget(30, 60_000), NOW, 31)).toBe(60_000)
    expect(timeToSend(budget(30, 60_000), NOW, 131)).toBe(60_000 + RATE_WINDOW_MS)
  })
})

describe('assertFitsInTimeout', () => {
  it('passes when a create and a check per file fit', () => {
    expect(() => assertFitsInTimeout(budget(60, 200_000), 30, 60_000, NOW)).not.toThrow()
    expect(() => assertFitsInTimeout(budget(10, 30_000), 30, 60_000, NOW)).not.toThrow()
  })

  it('says how many minutes the files need and what timeout to write', () => {
    const error = (() => {
      try {
        assertFitsInTimeout(budget(39, 200_000), 100, 300_000, NOW)
      } catch (caught) {
        return caught as Error
      }
    })()
    expect(error).toBeInstanceOf(RateBudgetError)
    // 200 needed: 39 now, 100 at +200 s, the last 61 at +500 s; a minute for the work → 10 minutes.
    expect(error?.message).toBe(
      'Phrase allows this token 100 requests per 5 minutes and 39 are left in this window, resetting ' +
        'in 200 s; 100 file(s) need at least 200 requests (a create and a status check each), so this ' +
        'run needs about 10 minutes: raise `timeout` to 600 (seconds; it is 300), or pull fewer locales per run.'
    )
  })
})
