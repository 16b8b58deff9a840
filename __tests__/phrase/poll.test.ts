import { describe, expect, it } from '@jest/globals'
import type { RateBudget } from '../../src/phrase/types.js'
import { checkDelay, checkRate, DEFAULT_PACE, PollPacer } from '../../src/phrase/poll.js'
import { FakeClock, flush } from './fake-clock.js'

const START = 1_700_000_000_000

describe('checkDelay', () => {
  it('waits at least 150 ms, and 5 % of the job’s age once that is longer', () => {
    expect(checkDelay(0)).toBe(150)
    expect(checkDelay(2000)).toBe(150)
    expect(checkDelay(3000)).toBe(150)
    expect(checkDelay(10_000)).toBe(500)
    expect(checkDelay(120_000)).toBe(6000)
  })

  it('makes a long job cost about log(duration) checks', () => {
    let age = 0
    let checks = 0
    while (age < 10 * 60_000) {
      age += checkDelay(age)
      checks++
    }
    expect(checks).toBeLessThan(150) // a check every 5 s, as Phrase's CLI does, would be 120
  })
})

const roomy: RateBudget = { roundTripMs: 50, concurrency: 4 }

describe('checkRate', () => {
  const at = (elapsedMs = 0, reserve = 0) => ({ now: START, elapsedMs, reserve })

  it('uses half of what the parallel slots carry when Phrase reported no budget', () => {
    // 4 slots at 50 ms = 80 requests per second.
    expect(checkRate(roomy, at())).toBe(40)
  })

  it('spreads what is left over at least 10 s, or twice the time checks have run', () => {
    const budget = { ...roomy, limit: 100, remaining: 60, resetAtMs: START + 200_000 }
    expect(checkRate(budget, at(0))).toBeCloseTo(6)
    expect(checkRate(budget, at(15_000))).toBeCloseTo(2)
    // Creates still to be sent come first.
    expect(checkRate(budget, at(0, 20))).toBeCloseTo(4)
    // Never more than the slots carry.
    expect(checkRate({ ...budget, limit: 1000, remaining: 1000 }, at(0))).toBe(40)
  })

  it('spends what is left before the window resets or the run must end, when that comes first', () => {
    const budget = { ...roomy, limit: 100, remaining: 20, resetAtMs: START + 2000 }
    expect(checkRate(budget, at(0))).toBeCloseTo(10)
    const later = { ...budget, resetAtMs: START + 200_000 }
    expect(checkRate(later, { ...at(0), deadlineAt: START + 4000 })).toBeCloseTo(5)
  })

  it('is 0 once the budget (less the reserve) is spent', () => {
    const budget = { ...roomy, limit: 100, remaining: 3, resetAtMs: START + 2000 }
    expect(checkRate({ ...budget, remaining: 0 }, at())).toBe(0)
    expect(checkRate(budget, at(0, 3))).toBe(0)
  })
})

/** A pacer over a budget the test sets; every turn taken is recorded with its time. */
function harness(budget: RateBudget, options: { deadlineAt?: number; reserve?: number } = {}) {
  const clock = new FakeClock(START)
  let current = budget
  const pacer = new PollPacer({
    clock,
    budget: () => current,
    reserve: () => options.reserve ?? 0,
    deadlineAt: options.deadlineAt
  })
  const turns: Array<[string, number]> = []
  const ask = (name: string, createdAt: number, since = createdAt, signal?: AbortSignal) =>
    pacer.turn(createdAt, since, signal).then(() => turns.push([name, clock.now() - START]))
  return { clock, pacer, turns, ask, setBudget: (next: RateBudget) => (current = next) }
}

describe('PollPacer', () => {
  it('gives each job its turn once its own delay passed, in the order they fall due', async () => {
    const h = harness(roomy)
    void h.ask('late', START + 100)
    void h.ask('early', START)
    await h.clock.advance(1000)
    expect(h.turns).toEqual([
      ['early', 150],
      ['late', 250]
    ])
  })

  it('keeps all checks to the rate: jobs due together go one after another, not in a burst', async () => {
    const budget = { ...roomy, limit: 100, remaining: 50, resetAtMs: START + 200_000 }
    const h = harness(budget) // 50 over 10 s: one check every 200 ms
    for (const name of ['a', 'b', 'c', 'd']) void h.ask(name, START)
    await h.clock.advance(2000)
    expect(h.turns.map(([, at]) => at)).toEqual([150, 350, 550, 750])
  })

  it('holds the checks until the reset when the budget is spent, then goes on', async () => {
    const spent = { ...roomy, limit: 100, remaining: 0, resetAtMs: START + 5000 }
    const h = harness(spent)
    void h.ask('a', START)
    await h.clock.advance(5000)
    expect(h.turns).toEqual([])
    h.setBudget({ ...roomy, limit: 100, remaining: 100, resetAtMs: START + 305_000 })
    await h.clock.advance(1000)
    expect(h.turns).toEqual([['a', 5000 + DEFAULT_PACE.resetMarginMs]])
    expect(h.clock.pendingTimers()).toBe(0)
  })

  it('plans again when an answer brings a fresh window, instead of waiting out the old plan', async () => {
    // A window just ended and the next reset is unknown: 10 left, spread over 10 s.
    const unknownReset = { ...roomy, limit: 10, remaining: 10 }
    const h = harness(unknownReset)
    void h.ask('a', START)
    void h.ask('b', START)
    await h.clock.advance(200)
    expect(h.turns).toEqual([['a', 150]])
    // a's answer says 9 are left until a reset 1 s away: b may go within ~110 ms, not 1 s later.
    h.setBudget({ ...roomy, limit: 10, remaining: 9, resetAtMs: START + 1150 })
    h.pacer.reconsider()
    await h.clock.advance(1000)
    // 9 over the 950 ms left: one every ~106 ms (the old plan: one every 1000 ms).
    expect(h.turns.map(([name]) => name)).toEqual(['a', 'b'])
    expect(h.turns[1][1]).toBeCloseTo(150 + 950 / 9, 0)
  })

  it('fails every waiting check when the budget is spent until after the deadline', async () => {
    const spent = { ...roomy, limit: 100, remaining: 0, resetAtMs: START + 120_000 }
    const h = harness(spent, { deadlineAt: START + 60_000 })
    const a = h.ask('a', START)
    const b = h.ask('b', START)
    await expect(a).rejects.toThrow(
      /spent until .* 120 s from now, but the download phase must end in 60 s/
    )
    await expect(b).rejects.toThrow(/raise `timeout`/)
    expect(h.clock.pendingTimers()).toBe(0)
  })

  it('forgets a waiting job whose signal aborts, and leaves no timer behind', async () => {
    const h = harness(roomy)
    const controller = new AbortController()
    const waiting = h.ask('a', START, START, controller.signal)
    await flush()
    controller.abort(new Error('stopped'))
    await expect(waiting).rejects.toThrow('stopped')
    expect(h.clock.pendingTimers()).toBe(0)
  })
})
