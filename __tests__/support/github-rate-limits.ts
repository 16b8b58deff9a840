/**
 * GitHub's REST API rate limits as the fake GitHub answers them, after
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api:
 * - Primary: `limit` requests per hour (5,000 for a user token; GITHUB_TOKEN: 1,000 per
 *   repository). Every answer carries x-ratelimit-limit / -remaining / -used / -reset (UTC epoch
 *   seconds) / -resource. Once spent, requests get 403 (or 429) "API rate limit exceeded" with
 *   x-ratelimit-remaining: 0 until the reset; "you should not retry your request until after" it.
 * - Secondary (bursts, concurrency, content creation): 403 or 429 with a message that names a
 *   secondary rate limit; with a retry-after header (seconds) when GitHub sends one, else the
 *   client should wait at least a minute. The fake refuses until that time has passed.
 * - Content creation, when a test turns it on (`limitContent`): "no more than 80
 *   content-generating requests per minute and no more than 500 content-generating requests per
 *   hour"; the next write trips the secondary limit.
 */

/** GitHub's documented limits on content-generating requests (see above). */
export const CONTENT_LIMITS = { perMinute: 80, perHour: 500 }

export interface RateLimitRefusal {
  status: 403 | 429
  headers: Record<string, string | number>
  body: { message: string; documentation_url: string }
}

const HOUR_S = 3600
const DOCS = 'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api'

export class GitHubRateLimits {
  private used = 0
  private resetAt: number
  private exhausted?: { status: 403 | 429 }
  private secondary?: { status: 403 | 429; until: number; retryAfter: boolean }
  private contentLimits?: { perMinute: number; perHour: number }
  private writes: number[] = []

  constructor(
    readonly limit: number,
    /** Epoch milliseconds; tests inject a clock to step past a reset without waiting. */
    private readonly now: () => number = Date.now
  ) {
    this.resetAt = Math.ceil(now() / 1000 / HOUR_S) * HOUR_S
  }

  /** Counts one request and returns GitHub's refusal when a limit applies to it. */
  take(requestId: string): RateLimitRefusal | undefined {
    this.roll()
    const nowMs = this.now()
    if (this.secondary && nowMs < this.secondary.until) {
      const wait = Math.ceil((this.secondary.until - nowMs) / 1000)
      return {
        status: this.secondary.status,
        headers: this.secondary.retryAfter ? { 'Retry-After': wait } : {},
        body: {
          message: `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`,
          documentation_url: `${DOCS}#about-secondary-rate-limits`
        }
      }
    }
    if (this.used >= this.limit) {
      return {
        status: this.exhausted?.status ?? 403,
        headers: {},
        body: {
          message: 'API rate limit exceeded for installation ID 1.',
          documentation_url: `${DOCS}#about-primary-rate-limits`
        }
      }
    }
    this.used += 1
    return undefined
  }

  /**
   * Counts one content-generating request (a write) against `limits` when they are on; a write
   * over them trips the secondary limit for a minute and is refused.
   */
  takeContent(requestId: string): RateLimitRefusal | undefined {
    if (!this.contentLimits) return undefined
    const nowMs = this.now()
    this.writes = this.writes.filter(at => at > nowMs - HOUR_S * 1000)
    const lastMinute = this.writes.filter(at => at > nowMs - 60_000).length
    if (
      lastMinute >= this.contentLimits.perMinute ||
      this.writes.length >= this.contentLimits.perHour
    ) {
      this.tripSecondary(60, { retryAfter: false })
      return this.take(requestId)
    }
    this.writes.push(nowMs)
    return undefined
  }

  /** From now on writes count against GitHub's content-creation limits (default CONTENT_LIMITS). */
  limitContent(limits = CONTENT_LIMITS): void {
    this.contentLimits = limits
  }

  /** Content-generating requests counted in the last hour. */
  get contentWrites(): number {
    return this.writes.length
  }

  /** The x-ratelimit-* headers of every answer. */
  headers(): Record<string, string | number> {
    this.roll()
    return {
      'X-RateLimit-Limit': this.limit,
      'X-RateLimit-Remaining': Math.max(0, this.limit - this.used),
      'X-RateLimit-Used': this.used,
      'X-RateLimit-Reset': this.resetAt,
      'X-RateLimit-Resource': 'core'
    }
  }

  /** The `GET /rate_limit` body. */
  json(): Record<string, unknown> {
    this.roll()
    const core = {
      limit: this.limit,
      used: this.used,
      remaining: Math.max(0, this.limit - this.used),
      reset: this.resetAt
    }
    const search = { limit: 30, used: 0, remaining: 30, reset: this.resetAt }
    return { resources: { core, search }, rate: core }
  }

  /** Spends the primary limit: every request is refused until `resetInS` seconds from now. */
  exhaust(resetInS: number, status: 403 | 429 = 403): void {
    this.used = this.limit
    this.resetAt = Math.ceil(this.now() / 1000) + resetInS
    this.exhausted = { status }
  }

  /**
   * Trips a secondary limit: requests are refused for `seconds`, with a retry-after header saying
   * so unless `retryAfter` is false (then a client should wait at least a minute).
   */
  tripSecondary(seconds: number, options: { status?: 403 | 429; retryAfter?: boolean } = {}): void {
    this.secondary = {
      status: options.status ?? 403,
      until: this.now() + seconds * 1000,
      retryAfter: options.retryAfter ?? true
    }
  }

  /** A new window after the reset. */
  private roll(): void {
    const nowS = this.now() / 1000
    if (nowS < this.resetAt) return
    this.used = 0
    this.exhausted = undefined
    this.resetAt = Math.ceil(nowS / HOUR_S) * HOUR_S
    if (this.resetAt <= nowS) this.resetAt += HOUR_S
  }
}
