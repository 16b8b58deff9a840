/**
 * The one place that builds Octokit: retries for GitHub's 5xx, the throttling plugin for primary and
 * secondary rate limits, and Octokit's own log routed to ours (its per-request lines go to debug).
 */
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { Octokit } from '@octokit/rest'
import { silentLogger, type Logger } from '../logger.js'

const ActionOctokit = Octokit.plugin(retry, throttling)
export type GitHubClient = InstanceType<typeof ActionOctokit>

/** 4xx answers are final: retrying them only repeats the error. 429 belongs to the throttling plugin. */
const DO_NOT_RETRY = [400, 401, 403, 404, 409, 410, 422, 429, 451]
const RATE_LIMIT_RETRIES = 2

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
   * apart (the throttling plugin's default, also 3 s before notification-triggering writes such as
   * creating a pull request). Tests pass a few milliseconds.
   */
  writeSpacingMs?: number
}

export function createGitHubClient(opts: GitHubClientOptions): GitHubClient {
  const logger = opts.logger ?? silentLogger
  const base = opts.retryAfterBaseMs ?? 1000
  const onLimit =
    (kind: string) =>
    (
      retryAfter: number,
      options: { method: string; url: string },
      _octokit: unknown,
      retryCount: number
    ) => {
      const again = retryCount < RATE_LIMIT_RETRIES
      logger.warning(
        `GitHub ${kind} rate limit hit on ${options.method} ${options.url}; ` +
          (again
            ? `retrying in ${retryAfter} s (retry ${retryCount + 1} of ${RATE_LIMIT_RETRIES})`
            : 'giving up')
      )
      return again
    }
  const spacing = opts.writeSpacingMs !== undefined ? spacedGroups(opts.writeSpacingMs) : {}
  return new ActionOctokit({
    auth: opts.token,
    baseUrl: opts.baseUrl.replace(/\/+$/, ''),
    userAgent: opts.userAgent,
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
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      ...spacing
    }
  })
}

type ThrottleGroup = NonNullable<
  NonNullable<ConstructorParameters<typeof ActionOctokit>[0]>['throttle']
>['write']

/**
 * A stand-in for a Bottleneck group with a shorter spacing. The throttling plugin only calls
 * `key(id).schedule(options, fn, ...args)` on it; jobs run one at a time, `ms` apart.
 */
function spacedGroups(ms: number): { write: ThrottleGroup; notifications: ThrottleGroup } {
  const group = () => {
    let tail: Promise<unknown> = Promise.resolve()
    let nextStart = 0
    const limiter = {
      schedule(...args: unknown[]) {
        const rest = typeof args[0] === 'function' ? args : args.slice(1)
        const [fn, ...fnArgs] = rest as [(...a: unknown[]) => Promise<unknown>, ...unknown[]]
        const run = tail.then(async () => {
          const wait = nextStart - Date.now()
          if (wait > 0) await new Promise(resolve => setTimeout(resolve, wait))
          nextStart = Date.now() + ms
          return fn(...fnArgs)
        })
        tail = run.catch(() => undefined)
        return run
      }
    }
    return { key: () => limiter } as unknown as ThrottleGroup
  }
  return { write: group(), notifications: group() }
}
