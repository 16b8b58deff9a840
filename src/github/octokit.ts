/**
 * The one place that builds the GitHub client: @actions/github's `getOctokit` (token, REST
 * methods, the runner's orchestration id in the User-Agent) with
 * - our proxy-aware fetch (src/net/fetch.ts) and a per-request timeout,
 * - plugin-retry for 5xx answers and network failures, plugin-throttling for rate limits and the
 *   spacing of writes, plugin-request-log for one debug line per request,
 * - network failures worded (host, proxy) and rate-limit waits bounded.
 */
import { getOctokit } from '@actions/github'
import type { Octokit } from '@octokit/core'
import { requestLog } from '@octokit/plugin-request-log'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck/light.js'
import { Response } from 'undici'
import { silentLogger, type Logger } from '../logger.js'
import { createProxyFetch, type Fetch } from '../net/fetch.js'
import { describeNetworkFailure } from '../net/failure.js'

export type GitHubClient = ReturnType<typeof getOctokit>

/** 4xx answers are final: retrying them only repeats the error. 429 belongs to the throttling plugin. */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451]
const RATE_LIMIT_RETRIES = 2

/**
 * GitHub ends any REST request it cannot serve within 10 s with a timeout answer
 * (https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#timeouts), so
 * a healthy GitHub has answered long before 30 s; the margin is for a slow proxy and for large
 * blobs, whose body only has to keep flowing. With the retry plugin's 3 retries a dead connection
 * costs at most about 2 minutes instead of undici's 300 s four times over.
 */
export const GITHUB_REQUEST_TIMEOUT_MS = 30_000

/**
 * The longest rate-limit wait worth sitting out. GitHub asks to wait at least a minute after a
 * secondary limit without Retry-After; a primary limit resets once an hour, and a run that would
 * wait for that fails at once with the reset time instead (a scheduled run comes again anyway).
 */
export const MAX_RATE_LIMIT_WAIT_S = 120

export interface GitHubClientOptions {
  token: string
  baseUrl: string
  userAgent: string
  logger?: Logger
  /**
   * Milliseconds per unit of back-off: the retry plugin waits (n+1)² units after the n-th 5xx, the
   * throttling plugin waits Retry-After (seconds) units. Default 1000; tests pass 1.
   */
  retryAfterBaseMs?: number
  /**
   * Spacing of write requests. GitHub asks integrations to send writes one at a time, a second
   * apart: the throttling plugin's default (3 s before notification-triggering writes such as
   * creating a pull request). Local test doubles pass 0 or a few milliseconds.
   */
  writeSpacingMs?: number
  /** Per request, for the answer and for every pause in its body; default GITHUB_REQUEST_TIMEOUT_MS. */
  requestTimeoutMs?: number
}

export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  const logger = opts.logger ?? silentLogger
  const base = opts.retryAfterBaseMs ?? 1000
  const timeoutMs = opts.requestTimeoutMs ?? GITHUB_REQUEST_TIMEOUT_MS
  const spacing =
    opts.writeSpacingMs === undefined
      ? {}
      : { write: spacedGroup(opts.writeSpacingMs), notifications: spacedGroup(opts.writeSpacingMs) }
  return getOctokit(
    opts.token,
    {
      baseUrl: opts.baseUrl.replace(/\/+$/, ''),
      userAgent: opts.userAgent,
      request: { fetch: wholeBodies(createProxyFetch({ timeoutMs })) },
      log: {
        // Octokit's debug/info lines describe every request (with options objects): debug only.
        debug: (message: string) => logger.debug(message),
        info: (message: string) => logger.debug(message),
        warn: (message: string) => logger.warning(message),
        // Failed requests are logged here and thrown too; the thrown error is what we report.
        error: (message: string) => logger.debug(message)
      },
      retry: { doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: base },
      throttle: {
        retryAfterBaseValue: base,
        onRateLimit: onLimit('primary', logger),
        onSecondaryRateLimit: onLimit('secondary', logger),
        ...spacing
      }
    },
    // First, so its error hook sees every attempt before the retry plugin decides on it.
    networkFailures(timeoutMs),
    requestLog,
    retry,
    throttling
  )
}

function onLimit(kind: 'primary' | 'secondary', logger: Logger) {
  return (
    retryAfter: number,
    options: { method: string; url: string },
    _octokit: unknown,
    retryCount: number
  ): boolean => {
    const where = `${options.method} ${options.url}`
    if (retryAfter > MAX_RATE_LIMIT_WAIT_S) {
      // The error that follows names the reset time (errors.ts).
      logger.debug(`GitHub ${kind} rate limit on ${where}: ${retryAfter} s is too long to wait`)
      return false
    }
    const again = retryCount < RATE_LIMIT_RETRIES
    logger.warning(
      `GitHub ${kind} rate limit hit on ${where}; ` +
        (again
          ? `retrying in ${retryAfter} s (retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES})`
          : 'giving up')
    )
    return again
  }
}

/** A write group of the throttling plugin (a Bottleneck group, as it makes its own) with another spacing. */
function spacedGroup(ms: number): Bottleneck.Group {
  return new Bottleneck.Group({ maxConcurrent: 1, minTime: ms })
}

interface UnansweredRequest extends Error {
  status: number
  response?: unknown
  request?: { url?: string }
}

/**
 * Octokit reports a request that got no answer as status 500 with fetch's terse message. Say
 * instead which host could not be reached and how (proxy or direct), and let the retry plugin
 * skip failures another attempt cannot fix (unknown host, untrusted certificate).
 */
function networkFailures(timeoutMs: number) {
  return (octokit: Octokit) => {
    octokit.hook.error('request', (error, options) => {
      const failure = error as UnansweredRequest
      if (failure.response === undefined && failure.request?.url && failure.cause) {
        const described = describeNetworkFailure(
          failure.cause,
          new URL(failure.request.url),
          timeoutMs
        )
        failure.message = described.message
        if (described.permanent) options.request = { ...options.request, retries: 0 }
      }
      throw error
    })
  }
}

/**
 * Reads each body before Octokit sees the response: Octokit turns a body that breaks off (or stalls
 * past the timeout) into empty data, where we want a failed request that is retried. Raw blobs,
 * which their reader streams, are the exception.
 */
function wholeBodies(fetch: Fetch): Fetch {
  return (async (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) => {
    const response = await fetch(input, init)
    // A raw blob is streamed by its reader (blobs.ts), who sees a body that breaks off itself.
    if (RAW_MEDIA_TYPE.test(new Headers(init?.headers).get('accept') ?? '')) return response
    const body = NULL_BODY_STATUSES.has(response.status) ? null : await response.arrayBuffer()
    const whole = new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers
    })
    Object.defineProperty(whole, 'url', { value: response.url })
    return whole
  }) as unknown as Fetch
}

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])
const RAW_MEDIA_TYPE = /^application\/vnd\.github(\.v3)?\.raw/
