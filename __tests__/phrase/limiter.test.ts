import { describe, expect, it } from '@jest/globals'
import { PhraseLimiter, type Exchange, type PauseEvent } from '../../src/phrase/limiter.js'
import { FakeClock, flush } from './fake-clock.js'

const START = 1_700_000_000_000 // a whole second, so X-Rate-Limit-Reset maps exactly

/** Rate-limit headers for a window that resets `inMs` after START. */
function rate(remaining: number, inMs: number, limit = 100): Record<string, string> {
  return {
    'X-Rate-Limit-Limit': String(limit),
    'X-Rate-Limit-Remaining': String(remaining),
    'X-Rate-Limit-Reset': String((START + inMs) / 1000)
  }
}

/** A limiter whose requests the test answers by hand. */
function harness(maxConcurrency: number, options: { max429Resends?: number } = {}) {
  const clock = new FakeClock(START)
  const pauses: PauseEvent[] = []
  const limiter = new PhraseLimiter({
    maxConcurrency,
    clock,
    resetMarginMs: 200,
    random: () => 0,
    onPause: event => pauses.push(event),
    ...options
  })
  const started: string[] = []
  const waiting = new Map<string, (exchange: Exchange<string>) => void>()
  let peak = 0

  function send(name: string, signal?: AbortSignal, urgent = false): Promise<Exchange<string>> {
    return limiter.run(
      () =>
        new Promise<Exchange<string>>(resolve => {
          started.push(name)
          waiting.set(name, resolve)
          peak = Math.max(peak, waiting.size)
        }),
      { signal, urgent }
    )
  }

  async function answer(
    name: string,
    status = 200,
    headers: Record<string, string> = {},
    errorText?: string
  ) {
    const resolve = waiting.get(name)
    if (!resolve) throw new Error(`${name} is not in flight`)
    waiting.delete(name)
    resolve({ status, headers: new Headers(headers), body: name, errorText })
    await flush()
  }

  return {
    clock,
    limiter,
    started,
    send,
    answer,
    pauses,
    inFlight: () => [...waiting.keys()],
    peak: () => peak
  }
}

describe('PhraseLimiter concurrency', () => {
  it('keeps at most maxConcurrency requests in flight and serves them in order', async () => {
    const h = harness(2)
    const results = ['a', 'b', 'c', 'd', 'e'].map(name => h.send(name))
    await flush()
    expect(h.started).toEqual(['a', 'b'])
    await h.answer('a')
    expect(h.started).toEqual(['a', 'b', 'c'])
    await h.answer('c')
    await h.answer('b')
    expect(h.started).toEqual(['a', 'b', 'c', 'd', 'e'])
    await h.answer('d')
    await h.answer('e')
    expect((await Promise.all(results)).map(r => r.body)).toEqual(['a', 'b', 'c', 'd', 'e'])
    expect(h.peak()).toBe(2)
  })

  it('frees the slot when the exchange throws', async () => {
    const clock = new FakeClock(START)
    const limiter = new PhraseLimiter({ maxConcurrency: 1, clock })
    await expect(limiter.run(() => Promise.reject(new Error('socket hang up')))).rejects.toThrow(
      'socket hang up'
    )
    const ok = await limiter.run(async () => ({
      status: 200,
      headers: new Headers(),
      body: 'fine'
    }))
    expect(ok.body).toBe('fine')
    expect(limiter.state().inFlight).toBe(0)
  })

  it('rejects a queued request whose signal aborts and serves the rest', async () => {
    const h = harness(1)
    const a = h.send('a')
    const controller = new AbortController()
    const b = h.send('b', controller.signal)
    const c = h.send('c')
    await flush()
    controller.abort(new Error('cancelled'))
    await expect(b).rejects.toThrow('cancelled')
    await h.answer('a')
    expect(h.started).toEqual(['a', 'c'])
    await h.answer('c')
    await Promise.all([a, c])
  })

  it('serves urgent requests (creates) before the others, in their own order', async () => {
    const h = harness(1)
    void h.send('check1')
    void h.send('check2')
    void h.send('create1', undefined, true)
    void h.send('create2', undefined, true)
    await flush()
    for (const name of ['check1', 'create1', 'create2', 'check2']) await h.answer(name)
    expect(h.started).toEqual(['check1', 'create1', 'create2', 'check2'])
  })
})

describe('PhraseLimiter budget', () => {
  it('reports the window as the answers said, minus the requests in flight, and a fresh one after the reset', async () => {
    const h = harness(4)
    expect(h.limiter.budget()).toMatchObject({ limit: undefined, remaining: undefined })
    void h.send('a')
    await flush()
    await h.clock.advance(40)
    await h.answer('a', 200, rate(70, 3000, 100))
    void h.send('b')
    await flush()
    expect(h.limiter.budget()).toEqual({
      limit: 100,
      remaining: 69,
      resetAtMs: START + 3000,
      roundTripMs: expect.any(Number),
      concurrency: 4
    })
    await h.answer('b', 200, rate(69, 3000, 100))
    await h.clock.advance(3200)
    expect(h.limiter.budget()).toMatchObject({ limit: 100, remaining: 100, resetAtMs: undefined })
  })

  it('learns the round trip from the requests it times', async () => {
    const h = harness(1)
    const initial = h.limiter.budget().roundTripMs
    for (let i = 0; i < 30; i++) {
      void h.send(`r${i}`)
      await flush()
      await h.clock.advance(20)
      await h.answer(`r${i}`)
    }
    expect(initial).toBeGreaterThan(100)
    expect(h.limiter.budget().roundTripMs).toBeGreaterThanOrEqual(20)
    expect(h.limiter.budget().roundTripMs).toBeLessThan(25)
  })
})

describe('PhraseLimiter rate window', () => {
  it('holds new requests once the remaining budget is used by requests in flight, until reset + margin', async () => {
    const h = harness(4)
    const first = h.send('a')
    await flush()
    await h.answer('a', 200, rate(2, 2000))
    await first
    for (const name of ['b', 'c', 'd']) void h.send(name)
    await flush()
    // Two remain and b, c will use them: d would be refused.
    expect(h.started).toEqual(['a', 'b', 'c'])
    await h.answer('b', 200, rate(1, 2000))
    await h.answer('c', 200, rate(0, 2000))
    await h.clock.advance(2199)
    expect(h.started).toEqual(['a', 'b', 'c'])
    await h.clock.advance(1)
    expect(h.started).toEqual(['a', 'b', 'c', 'd'])
    expect(h.pauses).toEqual([{ reason: 'window-spent', waitMs: 2200, concurrency: 4 }])
    await h.answer('d', 200, rate(99, 4000))
    expect(h.clock.pendingTimers()).toBe(0)
  })

  it('lets requests go as soon as an answer reports a fresh window', async () => {
    const h = harness(4)
    void h.send('a')
    void h.send('b')
    await flush()
    await h.answer('a', 200, rate(1, 1000))
    void h.send('c')
    await flush()
    expect(h.started).toEqual(['a', 'b']) // b uses the last one
    await h.answer('b', 200, rate(59, 61_000)) // the window turned over meanwhile
    expect(h.started).toEqual(['a', 'b', 'c'])
    await h.answer('c')
  })

  it('keeps the lowest remaining count of a window when answers arrive out of order', async () => {
    const h = harness(4)
    for (const name of ['a', 'b', 'c']) void h.send(name)
    await flush()
    await h.answer('b', 200, rate(5, 2000))
    await h.answer('a', 200, rate(7, 2000))
    expect(h.limiter.state().window?.remaining).toBe(5)
    await h.answer('c', 200, rate(90, -5000)) // a window long gone
    expect(h.limiter.state().window).toEqual({ resetAtMs: START + 2000, remaining: 5, limit: 100 })
  })
})

describe('PhraseLimiter 429', () => {
  it('pauses every queued request until the reset after a rate 429, then re-sends the refused one first', async () => {
    const h = harness(2)
    const a = h.send('a')
    void h.send('b')
    void h.send('c')
    await flush()
    await h.answer('a', 429, rate(0, 3000), '{"message":"Rate limit exceeded"}')
    expect(h.started).toEqual(['a', 'b']) // c is held although a slot is free
    await h.answer('b', 200, rate(0, 3000))
    await h.clock.advance(3199)
    expect(h.started).toEqual(['a', 'b'])
    await h.clock.advance(1)
    expect(h.started).toEqual(['a', 'b', 'a', 'c'])
    expect(h.pauses[0]).toEqual({ reason: 'rate-limit', waitMs: 3200, concurrency: 2 })
    await h.answer('a', 200, rate(98, 63_000))
    expect((await a).status).toBe(200)
    expect(h.limiter.state().throttled429).toBe(1)
  })

  it('backs off exponentially with jitter when a 429 has no usable reset', async () => {
    const h = harness(1)
    const a = h.send('a')
    await flush()
    await h.answer('a', 429)
    expect(h.limiter.state().pausedUntil - h.clock.now()).toBe(500) // half of 1 s, random = 0
    await h.clock.advance(500)
    await h.answer('a', 429)
    expect(h.limiter.state().pausedUntil - h.clock.now()).toBe(1000)
    await h.clock.advance(1000)
    await h.answer('a', 200)
    expect((await a).status).toBe(200)
    expect(h.started).toEqual(['a', 'a', 'a'])
  })

  it('treats "Concurrency limit exceeded" as a crowded token: one slot fewer and a short pause, not the window', async () => {
    const h = harness(4)
    const names = ['a', 'b', 'c', 'd']
    names.forEach(name => void h.send(name))
    await flush()
    await h.answer('a', 429, rate(50, 300_000), '{"message":"Concurrency limit exceeded"}')
    expect(h.limiter.state().concurrency).toBe(3)
    expect(h.pauses[0].reason).toBe('concurrency-limit')
    expect(h.pauses[0].waitMs).toBeLessThan(1000)
    await h.clock.advance(h.pauses[0].waitMs)
    expect(h.started).toEqual(['a', 'b', 'c', 'd']) // three still in flight = the new cap
    await h.answer('b', 200, rate(49, 300_000))
    expect(h.started).toEqual(['a', 'b', 'c', 'd', 'a'])
    expect(h.inFlight().length).toBe(3)
  })

  it('tries one more parallel request again after a run of successes', async () => {
    const h = harness(2)
    void h.send('x')
    void h.send('y')
    await flush()
    await h.answer('x', 429, {}, 'Concurrency limit exceeded')
    expect(h.limiter.state().concurrency).toBe(1)
    await h.clock.advance(1000)
    await h.answer('y')
    await h.answer('x')
    for (let i = 0; i < 20; i++) {
      void h.send(`n${i}`)
      await flush()
      await h.answer(`n${i}`)
    }
    expect(h.limiter.state().concurrency).toBe(2)
  })

  it('returns the 429 once a request was re-sent max429Resends times', async () => {
    const h = harness(1, { max429Resends: 2 })
    const a = h.send('a')
    for (let i = 0; i < 3; i++) {
      await flush()
      await h.answer('a', 429, rate(0, 1000 * (i + 1)))
      await h.clock.advance(1200)
    }
    expect((await a).status).toBe(429)
    expect(h.started).toEqual(['a', 'a', 'a'])
    expect(h.limiter.state().throttled429).toBe(3)
  })

  it('leaves no timer behind when the last waiting request is cancelled during a pause', async () => {
    const h = harness(1)
    const controller = new AbortController()
    const a = h.send('a', controller.signal)
    await flush()
    await h.answer('a', 429, rate(0, 60_000))
    expect(h.clock.pendingTimers()).toBe(1) // the wake-up at the reset
    controller.abort(new Error('timeout'))
    await expect(a).rejects.toThrow('timeout')
    await flush()
    expect(h.clock.pendingTimers()).toBe(0)
    expect(h.limiter.state()).toMatchObject({ inFlight: 0, queued: 0 })
  })
})

describe('PhraseLimiter and what the answers say about the limits', () => {
  it("times a spent window's reset on Phrase's clock (Date), when the runner's clock is off", async () => {
    const h = harness(1)
    // Phrase's clock is 90 s ahead of the runner's: its reset 3 s from its now is 3 s from ours.
    const phraseNow = START + 90_000
    const headers = {
      ...rate(0, 93_000),
      Date: new Date(phraseNow).toUTCString()
    }
    const a = h.send('a')
    await flush()
    await h.answer('a', 429, headers, '{"message":"Rate limit exceeded"}')
    expect(h.pauses[0]).toMatchObject({ reason: 'rate-limit', waitMs: 3200 })
    void a
  })

  it('ignores a Date within its one-second resolution of our clock', async () => {
    const h = harness(1)
    const a = h.send('a')
    await flush()
    await h.answer('a', 429, { ...rate(0, 3000), Date: new Date(START + 1500).toUTCString() })
    expect(h.pauses[0].waitMs).toBe(3200)
    void a
  })

  it('passes X-Rate-Limit-Reason on, and a concurrency reason lowers the cap instead of waiting for the window', async () => {
    const h = harness(2)
    void h.send('a')
    void h.send('b')
    await flush()
    await h.answer('a', 429, { ...rate(0, 60_000), 'X-Rate-Limit-Reason': 'concurrency' })
    expect(h.pauses[0]).toMatchObject({ reason: 'concurrency-limit', limitReason: 'concurrency' })
    expect(h.limiter.state().concurrency).toBe(1)
    await h.answer('b', 429, { ...rate(0, 60_000), 'X-Rate-Limit-Reason': 'rate' })
    expect(h.pauses[1]).toMatchObject({ reason: 'rate-limit', limitReason: 'rate' })
  })
})
