/**
 * The Phrase Strings API as the action uses it. Every API request passes the client's one limiter
 * and the retry policy; the token goes to the API host only. A finished job's file comes from a
 * CDN on another host: fetched without the token and outside the limiter (it is not Phrase's API).
 */
import type { Logger } from '../logger.js'
import { createProxyFetch } from '../net/fetch.js'
import { systemClock } from './clock.js'
import {
  apiError,
  quoteHeader,
  PhraseApiError,
  ResultExpiredError,
  ResultFetchError,
  type RequestSubject
} from './errors.js'
import { PhraseLimiter, type Exchange, type PauseEvent } from './limiter.js'
import { appendQuery, nextPageUrl } from './query.js'
import { DEFAULT_RETRY_POLICY, withRetries, type RetryPolicy } from './retry.js'
import { createDeadline, streamToFile, toTransportError, type Deadline } from './transfer.js'
import type {
  Clock,
  DownloadJob,
  PhraseClient,
  PhraseClientStats,
  PhraseFormat,
  PhraseLocale
} from './types.js'

export interface PhraseClientOptions {
  apiUrl: string
  token: string
  userAgent: string
  maxConcurrency: number
  /** Per request, for the answer and for each pause inside a body; default 30 s. */
  requestTimeoutMs?: number
  /**
   * For the answer of the synchronous download, which renders the whole file before its first
   * byte (minutes, for a large project); default 10 min. The download phase's `timeout` still
   * bounds it; pauses inside its body keep to `requestTimeoutMs`.
   */
  renderTimeoutMs?: number
  logger?: Logger
  clock?: Clock
  retryPolicy?: RetryPolicy
  /** Margin after X-Rate-Limit-Reset before sending again; default 200 ms. */
  resetMarginMs?: number
  random?: () => number
}

/** Phrase allows 100 per page; more pages than this means something loops. */
const MAX_PAGES = 1000
/** Error bodies are read for their message only. */
const MAX_ERROR_BODY = 64 * 1024
const DEFAULT_RENDER_TIMEOUT_MS = 10 * 60_000

type BodyReader<T> = (response: Response, deadline: Deadline) => Promise<T>

interface CallOptions {
  signal?: AbortSignal
  /** Served before the other queued requests (see PhraseLimiter). */
  urgent?: boolean
  /** How long to wait for the answer's headers, when longer than the per-request timeout. */
  answerTimeoutMs?: number
}

/** Through the runner's proxy; timeouts are the client's own deadlines (transfer.ts). */
const proxyFetch = createProxyFetch()

export function createPhraseClient(options: PhraseClientOptions): PhraseClient {
  const base = new URL(options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`)
  const clock = options.clock ?? systemClock
  const timeoutMs = options.requestTimeoutMs ?? 30_000
  const policy = options.retryPolicy ?? DEFAULT_RETRY_POLICY
  const logger = options.logger
  const counters = { requests: 0, retries: 0 }
  const limiter = new PhraseLimiter({
    maxConcurrency: options.maxConcurrency,
    clock,
    resetMarginMs: options.resetMarginMs,
    random: options.random,
    onPause: event => logPause(logger, event)
  })
  const apiHeaders = {
    Authorization: `token ${options.token}`,
    'User-Agent': options.userAgent,
    Accept: 'application/json'
  }
  const redact = (text: string) => (options.token ? text.split(options.token).join('***') : text)

  const retryOptions = (signal?: AbortSignal) => ({
    clock,
    policy,
    signal,
    random: options.random,
    onRetry: (error: unknown, attempt: number, delayMs: number) => {
      counters.retries++
      logger?.debug(`retry ${attempt} in ${delayMs} ms after: ${describe(error)}`)
    }
  })

  /**
   * Runs one request under its own deadline (aborted with `signal` too) and turns what went wrong
   * on the wire into a NetworkError; errors `passes` accepts are the caller's and pass unchanged.
   */
  async function underDeadline<T>(
    url: URL,
    ms: number,
    signal: AbortSignal | undefined,
    send: (deadline: Deadline) => Promise<T>,
    passes: (error: unknown) => boolean = () => false
  ): Promise<T> {
    const deadline = createDeadline(ms, signal)
    try {
      return await send(deadline)
    } catch (error) {
      if (passes(error)) throw error
      throw toTransportError(error, url, deadline, deadline.ms, signal)
    } finally {
      deadline.clear()
    }
  }

  /** One exchange with the API host: headers, deadline, body read while the slot is held. */
  async function exchange<T>(
    url: URL,
    init: { method: string; body?: string },
    read: BodyReader<T>,
    { signal, answerTimeoutMs = timeoutMs }: CallOptions
  ): Promise<Exchange<T | undefined>> {
    counters.requests++
    const started = clock.now()
    return underDeadline(url, answerTimeoutMs, signal, async deadline => {
      const response = await proxyFetch(url, {
        method: init.method,
        headers: init.body ? { ...apiHeaders, 'Content-Type': 'application/json' } : apiHeaders,
        body: init.body,
        // Phrase does not redirect its API; following one could carry the token elsewhere.
        redirect: 'manual',
        signal: deadline.signal
      })
      logger?.debug(
        `${init.method} ${url.pathname}${url.search} → ${response.status} (${clock.now() - started} ms)`
      )
      deadline.touch(timeoutMs) // the body: no pause longer than the per-request timeout
      if (response.ok) {
        return {
          status: response.status,
          headers: response.headers,
          body: await read(response, deadline)
        }
      }
      const errorText = redact(await readLimitedText(response))
      return { status: response.status, headers: response.headers, body: undefined, errorText }
    })
  }

  /** A request through the limiter and the retry policy; throws PhraseApiError on a non-2xx. */
  function callApi<T>(
    subject: RequestSubject,
    url: URL,
    init: { method: string; body?: string },
    read: BodyReader<T>,
    options: CallOptions = {}
  ): Promise<{ body: T; headers: Exchange<T>['headers'] }> {
    const { signal, urgent } = options
    return withRetries(async () => {
      const result = await limiter.run(() => exchange(url, init, read, options), { signal, urgent })
      if (result.status >= 200 && result.status < 300) {
        return { body: result.body as T, headers: result.headers }
      }
      throw apiError(result.status, result.errorText ?? '', subject, {
        host: base.host,
        headers: result.headers
      })
    }, retryOptions(signal))
  }

  const path = (...segments: string[]) =>
    new URL(segments.map(segment => encodeURIComponent(segment)).join('/'), base)

  const readJson: BodyReader<unknown> = async response => {
    const text = await response.text()
    try {
      return JSON.parse(text) as unknown
    } catch {
      throw new Error(
        `Phrase answered ${response.status} with a body that is not JSON: ${redact(text.slice(0, 120))}`
      )
    }
  }

  return {
    async listLocales(projectId, branch, requestOptions = {}) {
      const subject: RequestSubject = {
        action: `list the locales of project "${projectId}"`,
        notFound: `project "${projectId}"`,
        scope: 'read',
        operation: 'listLocales'
      }
      let url = path('projects', projectId, 'locales')
      url.searchParams.set('per_page', '100')
      if (branch) url.searchParams.set('branch', branch)
      const seen = new Set<string>()
      const locales: PhraseLocale[] = []
      for (let page = 0; page < MAX_PAGES && !seen.has(url.href); page++) {
        seen.add(url.href)
        const { body, headers } = await callApi(subject, url, { method: 'GET' }, readJson, {
          signal: requestOptions.signal,
          urgent: true
        })
        if (!Array.isArray(body)) throw unexpected('a locale list', body)
        locales.push(...body.map(toLocale))
        const next = nextPageUrl(headers.get('link'))
        if (!next) break
        const nextUrl = new URL(next, url)
        if (nextUrl.origin !== base.origin) {
          throw new Error(
            `Phrase's next-page link points to another host (${nextUrl.host}); the token is not sent there`
          )
        }
        url = nextUrl
      }
      return locales
    },

    async listBranches(projectId, requestOptions = {}) {
      const url = path('projects', projectId, 'branches')
      url.searchParams.set('per_page', '100')
      const subject: RequestSubject = {
        action: `list the branches of project "${projectId}"`,
        notFound: `project "${projectId}"`,
        scope: 'read',
        operation: 'listBranches'
      }
      const { body } = await callApi(subject, url, { method: 'GET' }, readJson, requestOptions)
      if (!Array.isArray(body)) throw unexpected('a branch list', body)
      return body
        .filter(isRecord)
        .flatMap(branch => (typeof branch.name === 'string' ? [branch.name] : []))
    },

    async listFormats(requestOptions = {}) {
      // Public and not rate-limited (the description says so): no token, outside the limiter.
      const url = path('formats')
      const subject: RequestSubject = {
        action: 'list the file formats',
        notFound: 'the formats list',
        scope: 'read',
        operation: 'listFormats'
      }
      return withRetries(async () => {
        counters.requests++
        return underDeadline(
          url,
          timeoutMs,
          requestOptions.signal,
          async deadline => {
            const response = await proxyFetch(url, {
              headers: { 'User-Agent': options.userAgent, Accept: 'application/json' },
              redirect: 'manual',
              signal: deadline.signal
            })
            if (!response.ok)
              throw apiError(response.status, await readLimitedText(response), subject)
            const body = await readJson(response, deadline)
            if (!Array.isArray(body)) throw unexpected('a format list', body)
            return body.filter(isRecord).flatMap(toFormat)
          },
          error => error instanceof PhraseApiError
        )
      }, retryOptions(requestOptions.signal))
    },

    async createDownload(projectId, localeId, params, requestOptions = {}) {
      const url = path('projects', projectId, 'locales', localeId, 'downloads')
      const { body } = await callApi(
        downloadSubject(projectId, params, 'start a download', 'write', 'createDownload'),
        url,
        { method: 'POST', body: JSON.stringify(params) },
        readJson,
        // A create held back delays its whole job; a check held back only its answer.
        { signal: requestOptions.signal, urgent: true }
      )
      return toJob(body)
    },

    async showDownload(projectId, localeId, id, requestOptions = {}) {
      const url = path('projects', projectId, 'locales', localeId, 'downloads', id)
      const { body } = await callApi(
        downloadSubject(projectId, {}, 'check a download', 'read', 'showDownload'),
        url,
        { method: 'GET' },
        readJson,
        requestOptions
      )
      return toJob(body)
    },

    async downloadSync(projectId, localeId, params, dest, requestOptions = {}) {
      const url = path('projects', projectId, 'locales', localeId, 'download')
      appendQuery(url.searchParams, params)
      const { body } = await callApi(
        downloadSubject(projectId, params, 'download a locale', 'read', 'downloadSync'),
        url,
        { method: 'GET' },
        (response, deadline) =>
          streamToFile(response, dest, {
            maxBytes: requestOptions.maxBytes,
            onChunk: () => deadline.touch()
          }),
        {
          signal: requestOptions.signal,
          answerTimeoutMs: Math.max(timeoutMs, options.renderTimeoutMs ?? DEFAULT_RENDER_TIMEOUT_MS)
        }
      )
      return body
    },

    async fetchResult(resultUrl, dest, requestOptions = {}) {
      const url = parseResultUrl(resultUrl)
      const { signal, maxBytes } = requestOptions
      return withRetries(
        () =>
          underDeadline(
            url,
            timeoutMs,
            signal,
            async deadline => {
              // Only the User-Agent: the token never leaves the API host. A redirect is safe to follow
              // because this request carries no credential for fetch to pass on.
              const response = await proxyFetch(url, {
                headers: { 'User-Agent': options.userAgent },
                redirect: 'follow',
                signal: deadline.signal
              })
              logger?.debug(`GET result from ${url.host} → ${response.status}`)
              if (!response.ok) {
                await response.body?.cancel().catch(() => undefined)
                if (response.status === 403 || response.status === 410) {
                  throw new ResultExpiredError(
                    `the download link expired (${url.host} answered ${response.status})`
                  )
                }
                throw new ResultFetchError(
                  `the download host ${url.host} answered ${response.status}`,
                  response.status
                )
              }
              return await streamToFile(response, dest, {
                maxBytes,
                onChunk: () => deadline.touch()
              })
            },
            error => error instanceof ResultExpiredError || error instanceof ResultFetchError
          ),
        retryOptions(signal)
      )
    },

    stats(): PhraseClientStats {
      return { ...counters, throttled429: limiter.state().throttled429 }
    },

    budget: () => limiter.budget()
  }
}

/**
 * What a download request was about. The locale is left out on purpose: the caller names the
 * file, and files that fail alike then share one message (and one line of the report).
 */
function downloadSubject(
  projectId: string,
  params: Record<string, unknown>,
  verb: string,
  scope: RequestSubject['scope'],
  operation: RequestSubject['operation']
): RequestSubject {
  const where =
    typeof params.branch === 'string' && params.branch
      ? `project "${projectId}", branch "${params.branch}"`
      : `project "${projectId}"`
  return {
    action: `${verb} (${where})`,
    notFound: `the locale (or ${where})`,
    scope,
    operation
  }
}

function parseResultUrl(value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error('Phrase returned a download link that is not a URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Phrase returned a download link with an unsupported scheme (${url.protocol})`)
  }
  return url
}

async function readLimitedText(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  return text.slice(0, MAX_ERROR_BODY)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function toLocale(value: unknown): PhraseLocale {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.name !== 'string') {
    throw unexpected('a locale', value)
  }
  const locale: PhraseLocale = {
    id: value.id,
    name: value.name,
    code: typeof value.code === 'string' ? value.code : value.name
  }
  if (typeof value.default === 'boolean') locale.default = value.default
  return locale
}

function toFormat(value: Record<string, unknown>): PhraseFormat[] {
  if (typeof value.api_name !== 'string') return []
  const format: PhraseFormat = {
    apiName: value.api_name,
    name: typeof value.name === 'string' ? value.name : value.api_name,
    exportable: value.exportable !== false
  }
  if (typeof value.extension === 'string') format.extension = value.extension
  return [format]
}

function toJob(value: unknown): DownloadJob {
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.status !== 'string') {
    throw unexpected('a download job', value)
  }
  const result =
    isRecord(value.result) && typeof value.result.url === 'string'
      ? { url: value.result.url }
      : null
  const job: DownloadJob = { id: value.id, status: value.status, result }
  if (typeof value.error === 'string') job.error = value.error
  return job
}

function unexpected(what: string, value: unknown): Error {
  const shape = Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value
  return new Error(`Phrase answered with something that is not ${what} (got ${shape})`)
}

function describe(error: unknown): string {
  if (error instanceof PhraseApiError) return `HTTP ${error.status}`
  return error instanceof Error ? error.message : String(error)
}

function logPause(logger: Logger | undefined, event: PauseEvent): void {
  const seconds = (event.waitMs / 1000).toFixed(1)
  if (event.reason === 'concurrency-limit') {
    logger?.debug(
      `Phrase concurrency limit hit: ${event.concurrency} parallel request(s) from now on; pausing ${seconds} s`
    )
  } else if (event.reason === 'rate-limit') {
    const said = event.limitReason ? `, ${quoteHeader(event.limitReason)}` : ''
    logger?.info(`Phrase rate limit reached (429${said}): all requests wait ${seconds} s`)
  } else {
    logger?.info(`Phrase rate limit nearly spent: waiting ${seconds} s for the window to reset`)
  }
}
