/**
 * An in-memory PhraseClient for orchestration tests: jobs take virtual time on a FakeClock and each
 * locale can be scripted to fail in the ways the live service does.
 */
import { writeFile } from 'node:fs/promises'
import { apiError, ResultExpiredError, type RequestSubject } from '../../src/phrase/errors.js'
import type { RateBudget } from '../../src/phrase/types.js'
import type { FakeClock } from './fake-clock.js'
import type {
  DownloadJob,
  PhraseClient,
  PhraseClientStats,
  PhraseFormat,
  PhraseLocale,
  RequestOptions
} from '../../src/phrase/types.js'

export interface LocaleScript {
  durationMs?: number
  content?: string
  /** The job ends with status `error` and this text. */
  jobError?: string
  /** So many status checks answer 410 Gone (each ends its job). */
  expiredShows?: number
  /** So many CDN fetches find the link expired. */
  expiredFetches?: number
  /** createDownload answers this HTTP status with this message. */
  createStatus?: { status: number; message: string }
  /** The sync download answers this HTTP status with this message. */
  syncStatus?: { status: number; message: string }
  /** The CDN fetch never ends unless aborted. */
  hangingFetch?: boolean
  /** Once done, the job reports this status (instead of `completed`) with `jobError` as its error. */
  finalStatus?: string
}

/**
 * Phrase's rate limit as the client would report it (fixed windows on the fake clock, every API
 * request counted). Requests over the limit are counted in `overLimit`: a test asserts none.
 */
export interface FakeRateLimit {
  limit: number
  windowMs: number
  /** Round trip the budget reports (the limiter's measurement); default 50 ms. */
  roundTripMs?: number
  concurrency?: number
}

export interface Call {
  op: 'create' | 'show' | 'fetch' | 'sync'
  localeId: string
  at: number
  maxBytes?: number
}

const subject: RequestSubject = {
  action: 'start a download',
  notFound: 'locale',
  scope: 'write',
  operation: 'createDownload'
}

export class FakePhrase implements PhraseClient {
  readonly calls: Call[] = []
  readonly signals: AbortSignal[] = []
  /** File writes in progress: the clock must not move meanwhile. */
  io = 0
  private jobs = new Map<string, { localeId: string; createdAt: number }>()
  private jobCount = 0

  constructor(
    private readonly clock: FakeClock,
    private readonly scripts: Record<string, LocaleScript>,
    private readonly options: { writeScope?: boolean; rateLimit?: FakeRateLimit } = {}
  ) {}

  /** API requests sent while the window had nothing left. */
  overLimit = 0
  private window = { start: 0, count: 0 }

  busy = () => this.io > 0

  async listLocales(): Promise<PhraseLocale[]> {
    this.spend()
    return Object.keys(this.scripts).map(id => ({ id, name: id, code: id }))
  }

  async listBranches(): Promise<string[]> {
    this.spend()
    return []
  }

  async listFormats(): Promise<PhraseFormat[]> {
    return [{ apiName: 'yml', name: 'Ruby/Rails YAML', exportable: true }]
  }

  budget(): RateBudget {
    const rate = this.options.rateLimit
    const base = { roundTripMs: rate?.roundTripMs ?? 50, concurrency: rate?.concurrency ?? 4 }
    if (!rate) return base
    const window = this.currentWindow(rate)
    return {
      ...base,
      limit: rate.limit,
      remaining: Math.max(0, rate.limit - window.count),
      resetAtMs: window.start + rate.windowMs
    }
  }

  async createDownload(
    _projectId: string,
    localeId: string,
    _params: Record<string, unknown>,
    options: RequestOptions = {}
  ): Promise<DownloadJob> {
    this.enter('create', localeId, options)
    const script = this.script(localeId)
    if (script.createStatus) {
      throw apiError(
        script.createStatus.status,
        JSON.stringify({ message: script.createStatus.message }),
        subject
      )
    }
    if (this.options.writeScope === false) {
      throw apiError(
        403,
        JSON.stringify({ message: 'Forbidden: token lacks the write scope' }),
        subject
      )
    }
    const id = `job${++this.jobCount}`
    this.jobs.set(id, { localeId, createdAt: this.clock.now() })
    return { id, status: 'processing' }
  }

  async showDownload(
    _projectId: string,
    localeId: string,
    id: string,
    options: RequestOptions = {}
  ): Promise<DownloadJob> {
    this.enter('show', localeId, options)
    const script = this.script(localeId)
    const job = this.jobs.get(id)
    if (!job || job.localeId !== localeId) throw new Error(`unknown job ${id} for ${localeId}`)
    if ((script.expiredShows ?? 0) > 0) {
      script.expiredShows!--
      this.jobs.delete(id)
      throw apiError(410, '', { ...subject, operation: 'showDownload' })
    }
    if (this.clock.now() - job.createdAt < (script.durationMs ?? 1000))
      return { id, status: 'processing' }
    if (script.finalStatus) return { id, status: script.finalStatus, error: script.jobError }
    if (script.jobError) return { id, status: 'error', error: script.jobError }
    return { id, status: 'completed', result: { url: `https://cdn.example/${id}?sig=x` } }
  }

  async fetchResult(url: string, dest: string, options: RequestOptions = {}): Promise<number> {
    const id = new URL(url).pathname.slice(1)
    const localeId = this.jobs.get(id)?.localeId ?? '?'
    this.enter('fetch', localeId, options)
    const script = this.script(localeId)
    if (script.hangingFetch) {
      return new Promise((_resolve, reject) =>
        options.signal?.addEventListener('abort', () => reject(options.signal?.reason), {
          once: true
        })
      )
    }
    if ((script.expiredFetches ?? 0) > 0) {
      script.expiredFetches!--
      throw new ResultExpiredError('the download link expired (cdn answered 403)')
    }
    return this.write(localeId, dest)
  }

  async downloadSync(
    _projectId: string,
    localeId: string,
    _params: Record<string, unknown>,
    dest: string,
    options: RequestOptions = {}
  ): Promise<number> {
    this.enter('sync', localeId, options)
    const status = this.script(localeId).syncStatus
    if (status) {
      throw apiError(status.status, JSON.stringify({ message: status.message }), {
        ...subject,
        operation: 'downloadSync'
      })
    }
    return this.write(localeId, dest)
  }

  stats(): PhraseClientStats {
    return {
      requests: this.calls.filter(c => c.op !== 'fetch').length,
      throttled429: 0,
      retries: 0
    }
  }

  count(op: Call['op'], localeId?: string): number {
    return this.calls.filter(c => c.op === op && (!localeId || c.localeId === localeId)).length
  }

  private async write(localeId: string, dest: string): Promise<number> {
    const content = this.script(localeId).content ?? `${localeId}: content\n`
    this.io++
    try {
      await writeFile(dest, content)
    } finally {
      this.io--
    }
    return Buffer.byteLength(content)
  }

  private enter(op: Call['op'], localeId: string, options: RequestOptions): void {
    options.signal?.throwIfAborted()
    if (options.signal) this.signals.push(options.signal)
    this.calls.push({ op, localeId, at: this.clock.now(), maxBytes: options.maxBytes })
    if (op !== 'fetch') this.spend()
  }

  /** Another client of the same token spends what is left of the current window. */
  spendWindowElsewhere(): void {
    const rate = this.options.rateLimit
    if (rate) this.currentWindow(rate).count = rate.limit
  }

  private spend(): void {
    const rate = this.options.rateLimit
    if (!rate) return
    const window = this.currentWindow(rate)
    if (window.count >= rate.limit) this.overLimit++
    window.count++
  }

  private currentWindow(rate: FakeRateLimit): { start: number; count: number } {
    const start = Math.floor(this.clock.now() / rate.windowMs) * rate.windowMs
    if (this.window.start !== start) this.window = { start, count: 0 }
    return this.window
  }

  private script(localeId: string): LocaleScript {
    const script = this.scripts[localeId]
    if (!script) throw new Error(`no script for ${localeId}`)
    return script
  }
}
