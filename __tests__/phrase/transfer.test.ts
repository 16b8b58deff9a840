import { describe, expect, it, jest } from '@jest/globals'
import { NetworkError, ResultTooLargeError } from '../../src/phrase/errors.js'
import { createDeadline, formatBytes, toTransportError } from '../../src/phrase/transfer.js'

const fetchFailed = (code: string) =>
  Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error(code), { code }) })

const API = new URL('https://api.phrase.com/v2/projects')

describe('toTransportError', () => {
  it('marks resets as worth a retry and an unknown host as not', () => {
    const deadline = createDeadline(10_000)
    const reset = toTransportError(fetchFailed('ECONNRESET'), API, deadline, 10_000)
    const unknown = toTransportError(
      fetchFailed('ENOTFOUND'),
      new URL('https://api.phrase.con/v2'),
      deadline,
      10_000
    )
    deadline.clear()
    expect(reset).toBeInstanceOf(NetworkError)
    expect((reset as NetworkError).transient).toBe(true)
    // Worded as every unreachable host is (net/failure.ts): the host, the way, what happened.
    expect((reset as Error).message).toMatch(/^Could not reach api\.phrase\.com\b.*: ECONNRESET$/)
    expect((unknown as NetworkError).transient).toBe(false)
  })

  it('says how to trust a company CA when the certificate is not trusted, and does not retry', () => {
    const deadline = createDeadline(10_000)
    const untrusted = toTransportError(
      fetchFailed('UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
      new URL('https://cdn.phrase.com/x.yml'),
      deadline,
      10_000
    )
    deadline.clear()
    expect((untrusted as NetworkError).transient).toBe(false)
    expect((untrusted as Error).message).toMatch(
      /^Could not reach cdn\.phrase\.com\b.*NODE_EXTRA_CA_CERTS/
    )
  })

  it('does not retry a proxy that asks for credentials, and says where they go', () => {
    const deadline = createDeadline(10_000)
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: new Error('Proxy response (407) !== 200 when HTTP Tunneling')
    })
    const error = toTransportError(refused, API, deadline, 10_000)
    deadline.clear()
    expect((error as NetworkError).transient).toBe(false)
    expect((error as Error).message).toMatch(/asks for credentials \(407\).*user:password@/)
  })

  it("passes the caller's abort reason and our own errors through unchanged", () => {
    const outer = new AbortController()
    const reason = new Error('phase timed out')
    outer.abort(reason)
    const deadline = createDeadline(10_000, outer.signal)
    expect(deadline.signal.aborted).toBe(true)
    expect(toTransportError(fetchFailed('ECONNRESET'), API, deadline, 10_000, outer.signal)).toBe(
      reason
    )
    const tooLarge = new ResultTooLargeError('big')
    expect(toTransportError(tooLarge, API, createDeadline(1), 1)).toBe(tooLarge)
  })
})

describe('createDeadline', () => {
  it('aborts after a quiet period, and touch() pushes it back', () => {
    jest.useFakeTimers()
    try {
      const deadline = createDeadline(40)
      for (let i = 0; i < 8; i++) {
        jest.advanceTimersByTime(10)
        deadline.touch()
      }
      expect(deadline.signal.aborted).toBe(false)
      jest.advanceTimersByTime(39)
      expect(deadline.signal.aborted).toBe(false)
      jest.advanceTimersByTime(1)
      expect(deadline.signal.aborted).toBe(true)
      expect(deadline.expired).toBe(true)
      deadline.clear()
    } finally {
      jest.useRealTimers()
    }
  })

  it('leaves no timer running once cleared', () => {
    jest.useFakeTimers()
    try {
      const deadline = createDeadline(40)
      deadline.clear()
      expect(jest.getTimerCount()).toBe(0)
    } finally {
      jest.useRealTimers()
    }
  })
})

describe('formatBytes', () => {
  it('uses binary units', () => {
    expect([512, 2048, 1536, 200 * 1024 * 1024].map(formatBytes)).toEqual([
      '512 B',
      '2 KiB',
      '1.5 KiB',
      '200 MiB'
    ])
  })
})
