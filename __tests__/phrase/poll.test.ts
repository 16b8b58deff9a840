import { describe, expect, it } from '@jest/globals'
import {
  checksUntilDone,
  DEFAULT_POLL_SCHEDULE,
  nextCheckAt,
  pollDelay
} from '../../src/phrase/poll.js'

describe('pollDelay', () => {
  it('checks soon after the create', () => {
    expect(pollDelay(0)).toBeGreaterThanOrEqual(150)
    expect(pollDelay(0)).toBeLessThanOrEqual(250)
  })

  it('grows by 1.5–2× per check until it reaches a cap of 2–3 s, then stays there', () => {
    const delays = Array.from({ length: 20 }, (_, i) => pollDelay(i))
    const cap = Math.max(...delays)
    expect(cap).toBeGreaterThanOrEqual(2000)
    expect(cap).toBeLessThanOrEqual(3000)
    for (let i = 1; i < delays.length; i++) {
      if (delays[i] === cap) {
        expect(delays.slice(i).every(d => d === cap)).toBe(true)
        break
      }
      const growth = delays[i] / delays[i - 1]
      expect(growth).toBeGreaterThanOrEqual(1.5 - 0.01)
      expect(growth).toBeLessThanOrEqual(2 + 0.01)
    }
  })

  it('follows a custom schedule', () => {
    const schedule = { firstDelayMs: 100, growth: 2, maxDelayMs: 500 }
    expect([0, 1, 2, 3, 4].map(i => pollDelay(i, schedule))).toEqual([100, 200, 400, 500, 500])
  })
})

describe('nextCheckAt', () => {
  const schedule = { firstDelayMs: 100, growth: 2, maxDelayMs: 1000 }

  it('keeps to the schedule from the create, so round trips do not add up', () => {
    // Created (answered) at 0; each check's answer takes 30 ms.
    const first = nextCheckAt(0, 0, 0, schedule)
    const second = nextCheckAt(first, 1, first + 30, schedule)
    const third = nextCheckAt(second, 2, second + 30, schedule)
    expect([first, second, third]).toEqual([100, 300, 700])
  })

  it('does not fire checks in a burst after falling behind', () => {
    // The previous check was due at 300 but its answer came at 5000 (held for the rate limit).
    expect(nextCheckAt(300, 2, 5000, schedule)).toBe(5000 + 200)
  })
})

describe('checksUntilDone', () => {
  it('counts the checks a job needs under a simple schedule', () => {
    const schedule = { firstDelayMs: 100, growth: 2, maxDelayMs: 1000 }
    // Checks are sent at 100, 300, 700, 1500 ms after the create was answered.
    expect(checksUntilDone(50, 0, schedule)).toBe(1)
    expect(checksUntilDone(100, 0, schedule)).toBe(1)
    expect(checksUntilDone(101, 0, schedule)).toBe(2)
    expect(checksUntilDone(1400, 0, schedule)).toBe(4)
  })

  it('keeps a download of a 0.5–3 s job at ≤ 8 Phrase requests on average (create included)', () => {
    const durations = Array.from({ length: 26 }, (_, i) => 500 + i * 100)
    const requests = durations.map(d => 1 + checksUntilDone(d, 60))
    const average = requests.reduce((a, b) => a + b, 0) / requests.length
    expect(average).toBeLessThanOrEqual(8)
    expect(Math.max(...requests)).toBeLessThanOrEqual(8)
  })

  it('counts the round trips of the create and the checks', () => {
    const schedule = { firstDelayMs: 100, growth: 2, maxDelayMs: 1000 }
    // The job starts 50 ms after the create is sent and ends at 350; checks reach Phrase at
    // 100 + 100 + 50 = 250 and 100 + 300 + 50 = 450.
    expect(checksUntilDone(300, 100, schedule)).toBe(2)
    expect(checksUntilDone(100, 100, schedule)).toBe(1)
  })

  it('notices a finished 0.5–3 s job far sooner than a fixed 5 s interval', () => {
    const lagOf = (duration: number) => {
      const checks = checksUntilDone(duration, 0)
      let sentAt = 0
      for (let i = 0; i < checks; i++) sentAt = nextCheckAt(sentAt, i, sentAt)
      return sentAt - duration
    }
    const durations = Array.from({ length: 26 }, (_, i) => 500 + i * 100)
    const lags = durations.map(lagOf)
    expect(lags.every(lag => lag >= 0)).toBe(true)
    // A job is never seen later than its own duration again (nor than the cap), and on average
    // well under a second late; a fixed 5 s interval is 2.5 s late on average.
    durations.forEach((d, i) =>
      expect(lags[i]).toBeLessThanOrEqual(Math.min(d, DEFAULT_POLL_SCHEDULE.maxDelayMs))
    )
    expect(lags.reduce((a, b) => a + b, 0) / lags.length).toBeLessThan(800)
  })
})
