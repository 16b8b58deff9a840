/**
 * A Phrase Strings API v2 simulator for tests, the demo and the benchmark: async locale downloads
 * as stateful jobs, a CDN on another port for `result.url`, rate-limit windows, the 4-request
 * concurrency limit and a runtime fault plan (see phrase-faults.ts). Responses follow the official
 * description plus the live-service differences listed in specs/phrase/README.md (202 on create,
 * no `result` while processing, 410 after expiry, unquoted `rel=next`, 429 without Retry-After).
 *
 * Job state is computed from the clock when asked, so the simulator runs no timers of its own.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { FaultPlan, fillerChunks, type ActiveFault } from './phrase-faults.js'
import { encodeText, findFormat, formatList, renderLocaleFile } from './phrase-render.js'
import {
  queryRecord,
  readBody,
  safeDecode,
  sendJson,
  startLocalServer,
  type LocalServer
} from './http-util.js'

export { FaultPlan } from './phrase-faults.js'
export type { Fault, FaultKind, FaultTarget } from './phrase-faults.js'

export interface SimLocale {
  id: string
  name: string
  code: string
  default?: boolean
}

export interface SimProject {
  locales: SimLocale[]
  /** locale name → key → translation */
  translations: Record<string, Record<string, string>>
  /** tag → keys carrying it */
  tags?: Record<string, string[]>
  /**
   * Phrase branches by name: each a copy of the project with locales of its own (own ids).
   * Addressed as on the live service: the `branch` query of the locale list and the sync
   * download, the `branch` field of a create; a job, once created, is shown by its id alone.
   */
  branches?: Record<string, SimBranch>
}

export type SimBranch = Omit<SimProject, 'branches'>

export interface SimulatorOptions {
  /** Default write: ['phrase-test-token']. Read tokens get 403 on async create, work on sync. */
  tokens?: { write?: string[]; read?: string[] }
  projects: Record<string, SimProject>
  /** How long a job stays `processing` (default 200 ms); Infinity = never completes. */
  jobDurationMs?: number | ((localeName: string, attempt: number) => number)
  /** Added to every API and CDN response (default 0). */
  latencyMs?: number
  /** Fixed wall-clock windows per token; default 1000 per 300000 ms. */
  rateLimit?: { limit: number; windowMs: number }
  /** Requests in flight per token before 429 `Concurrency limit exceeded` (default 4). */
  concurrencyLimit?: number
  /** After completion, show answers 410 and the CDN 403 (default 15 min). */
  resultTtlMs?: number
  /** `Link: <…>; rel="next"` instead of the live service's `rel=next` (default false). */
  linkRelQuoted?: boolean
  /** Status of a successful create (default 202, the live behaviour; the description says 201). */
  createStatus?: 201 | 202
  /** Clock in epoch ms (default Date.now); inject one to step through windows and job states. */
  now?: () => number
  /** Base URL clients use, e.g. a Prism proxy in front (default `apiUrl`); `Link` points there. */
  publicApiUrl?: string
  /** Origin of `result.url` links (default `cdnUrl`), e.g. a host name only a proxy resolves. */
  publicCdnUrl?: string
}

export interface SimRequest {
  method: string
  /** Path as received, without the query. */
  path: string
  query: Record<string, string>
  /** Parsed JSON body of a create. */
  body?: unknown
  /** ms since the simulator started (arrival). */
  at: number
  /** 0 when no complete answer was sent (reset, hang, truncate). */
  status: number
  authorization?: string
  userAgent?: string
}

export interface CdnRequest {
  path: string
  authorization: string | undefined
  at: number
  status: number
}

export interface SimStats {
  requests: SimRequest[]
  apiRequestCount: number
  cdnRequests: CdnRequest[]
  count429: number
  /** Most API requests of one token in flight at once, counting those then refused with 429. */
  peakConcurrency: number
  jobsCreated: number
  perLocale: Record<string, { creates: number; shows: number; syncs: number }>
}

interface Job {
  id: string
  projectId: string
  branch?: string
  locale: SimLocale
  params: Record<string, unknown>
  createdAt: number
  /** When it leaves `processing`; Infinity for never. */
  doneAt: number
  file: Buffer
  fileName: string
  signature: string
  errorMessage?: string
  /** The status a failed job ends in (default `error`). */
  failedStatus?: string
  expired: boolean
}

interface Caller {
  token: string
  canWrite: boolean
}

type Route =
  | { op: 'formats' }
  | { op: 'list'; projectId: string }
  | { op: 'branches'; projectId: string }
  | { op: 'create'; projectId: string; localeRef: string }
  | { op: 'show'; projectId: string; localeRef: string; jobId: string }
  | { op: 'sync'; projectId: string; localeRef: string }

const JSON_TYPE = 'application/json; charset=utf-8'
const DEFAULT_WRITE_TOKEN = 'phrase-test-token'
const LOCALE_TIMESTAMP = Date.UTC(2024, 0, 15, 9, 30)

export class PhraseSimulator {
  readonly apiUrl: string
  readonly cdnUrl: string
  readonly faults = new FaultPlan()
  /** Where `Link` headers point: set it when a proxy sits between the client and the simulator. */
  publicApiUrl: string
  /** Where `result.url` points: set it when clients reach the CDN by another name. */
  publicCdnUrl: string

  private readonly projects: Record<string, SimProject>
  private readonly jobs = new Map<string, Job>()
  private readonly attempts = new Map<string, number>()
  private readonly windows = new Map<string, { start: number; count: number }>()
  private readonly inFlight = new Map<string, number>()
  /** The simulator's clock when it started (epoch ms): request times (`at`) count from it. */
  readonly startedAt: number
  private readonly now: () => number
  private lastRevision = 0
  private statsData: SimStats = emptyStats()

  private constructor(
    private readonly options: SimulatorOptions,
    private readonly api: LocalServer,
    private readonly cdn: LocalServer
  ) {
    this.projects = structuredClone(options.projects)
    this.now = options.now ?? Date.now
    this.startedAt = this.now()
    this.apiUrl = `${api.origin}/v2`
    this.cdnUrl = cdn.origin
    this.publicApiUrl = options.publicApiUrl ?? this.apiUrl
    this.publicCdnUrl = options.publicCdnUrl ?? this.cdnUrl
  }

  static async start(options: SimulatorOptions): Promise<PhraseSimulator> {
    // The handlers need the instance, the instance needs both servers: late-bind the instance.
    const bound: { sim?: PhraseSimulator } = {}
    const [api, cdn] = await Promise.all([
      startLocalServer((req, res) => bound.sim?.handleApi(req, res)),
      startLocalServer((req, res) => bound.sim?.handleCdn(req, res))
    ])
    bound.sim = new PhraseSimulator(options, api, cdn)
    return bound.sim
  }

  /** The live project: tests change translations, locales or tags between runs. */
  project(id: string): SimProject {
    const project = this.projects[id]
    if (!project) throw new Error(`no simulated project ${id}`)
    return project
  }

  stats(): SimStats {
    return structuredClone(this.statsData)
  }

  resetStats(): void {
    this.statsData = emptyStats()
  }

  async stop(): Promise<void> {
    await Promise.all([this.api.stop(), this.cdn.stop()])
  }

  // ---- API host -------------------------------------------------------------------------------

  private async handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const entry: SimRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: queryRecord(url),
      at: this.now() - this.startedAt,
      status: 0,
      authorization: req.headers.authorization,
      userAgent: req.headers['user-agent']
    }
    this.statsData.requests.push(entry)
    this.statsData.apiRequestCount += 1
    res.on('finish', () => {
      entry.status = res.statusCode
      if (res.statusCode === 429) this.statsData.count429 += 1
    })

    const route = matchRoute(entry.method, url.pathname)
    const token = route?.op === 'formats' ? undefined : this.authenticate(req.headers.authorization)
    const latency = this.api.delay(this.options.latencyMs ?? 0)
    if (token) this.enterFlight(token.token, res)
    const headers = this.rateHeaders(token?.token, route !== undefined && token !== undefined)
    await latency
    if (this.api.stopped) return

    if (!req.headers['user-agent'])
      return sendJson(res, 400, { message: 'A User-Agent header is required' }, headers)
    if (!route) return sendJson(res, 404, { message: 'Not Found' }, headers)
    if (route.op === 'formats') return sendJson(res, 200, formatList, headers)
    if (!token) return sendJson(res, 401, { message: 'Unauthorized' }, headers)
    if (Number(headers['X-Rate-Limit-Remaining']) < 0) {
      headers['X-Rate-Limit-Remaining'] = 0
      return sendJson(res, 429, { message: 'Rate limit exceeded' }, headers)
    }
    headers['X-Rate-Limit-Remaining'] = Math.max(0, Number(headers['X-Rate-Limit-Remaining']))
    if ((this.inFlight.get(token.token) ?? 0) > (this.options.concurrencyLimit ?? 4))
      return sendJson(res, 429, { message: 'Concurrency limit exceeded' }, headers)

    const project = this.projects[route.projectId]
    if (!project) return sendJson(res, 404, { message: 'Not Found' }, headers)
    if (route.op === 'branches')
      return this.sendPage(res, url, Object.keys(project.branches ?? {}), branchJson, headers)
    if (route.op === 'show')
      return this.showJob(res, route.projectId, safeDecode(route.localeRef), route.jobId, headers)

    const body = route.op === 'create' ? await readJson(req) : undefined
    if (route.op === 'create') entry.body = body === INVALID_JSON ? '<invalid JSON>' : body
    // The branch is a query parameter of the list and the sync download, a field of a create.
    const branch = route.op === 'create' ? branchField(body) : url.searchParams.get('branch')
    const view = branch ? project.branches?.[branch] : project
    if (!view) return sendJson(res, 404, { message: 'Not Found' }, headers)
    if (route.op === 'list') return this.listLocales(req, res, url, view, headers)

    const locale = findLocale(view, safeDecode(route.localeRef))
    if (!locale) return sendJson(res, 404, { message: 'Not Found' }, headers)
    const counters = this.localeCounters(locale.name)
    if (route.op === 'create') {
      counters.creates += 1
      return this.createJob(res, route.projectId, view, locale, token, body, headers)
    }
    counters.syncs += 1
    return this.syncDownload(res, url, view, locale, headers)
  }

  private authenticate(header: string | undefined): Caller | undefined {
    if (!header) return undefined
    const [scheme, value = ''] = header.trim().split(/\s+/, 2)
    let candidates: string[] = []
    if (scheme.toLowerCase() === 'token') candidates = [value]
    else if (scheme.toLowerCase() === 'basic') {
      // `curl -u TOKEN`: the token is the user name (or the password, with any user name).
      const decoded = Buffer.from(value, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      candidates = colon < 0 ? [decoded] : [decoded.slice(0, colon), decoded.slice(colon + 1)]
    }
    const write = this.options.tokens?.write ?? [DEFAULT_WRITE_TOKEN]
    const read = this.options.tokens?.read ?? []
    for (const candidate of candidates) {
      if (write.includes(candidate)) return { token: candidate, canWrite: true }
      if (read.includes(candidate)) return { token: candidate, canWrite: false }
    }
    return undefined
  }

  private enterFlight(token: string, res: ServerResponse): void {
    const count = (this.inFlight.get(token) ?? 0) + 1
    this.inFlight.set(token, count)
    this.statsData.peakConcurrency = Math.max(this.statsData.peakConcurrency, count)
    res.on('close', () => this.inFlight.set(token, (this.inFlight.get(token) ?? 1) - 1))
  }

  /** Rate headers; counts the request when `count`. Remaining may be negative: over the limit. */
  private rateHeaders(token: string | undefined, count: boolean): Record<string, string | number> {
    const { limit, windowMs } = this.options.rateLimit ?? { limit: 1000, windowMs: 300_000 }
    const now = this.now()
    const start = Math.floor(now / windowMs) * windowMs
    let window = token ? this.windows.get(token) : undefined
    if (!window || window.start !== start) window = { start, count: 0 }
    if (token && count) {
      window.count += 1
      this.windows.set(token, window)
    }
    return {
      'X-Rate-Limit-Limit': limit,
      'X-Rate-Limit-Remaining': limit - window.count,
      'X-Rate-Limit-Reset': Math.ceil((start + windowMs) / 1000)
    }
  }

  private localeCounters(name: string): SimStats['perLocale'][string] {
    return (this.statsData.perLocale[name] ??= { creates: 0, shows: 0, syncs: 0 })
  }

  private async listLocales(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    project: SimBranch,
    headers: Record<string, string | number>
  ): Promise<void> {
    const fault = this.faults.take('list')
    if (fault && (await this.sendFault(req, res, fault, 'api', headers))) return
    this.sendPage(res, url, project.locales, locale => localeJson(project, locale), headers)
  }

  /** One page of a list, with the live service's `Link` and `Pagination` headers. */
  private sendPage<T>(
    res: ServerResponse,
    url: URL,
    all: T[],
    toJson: (item: T) => unknown,
    headers: Record<string, string | number>
  ): void {
    const page = positiveInt(url.searchParams.get('page'), 1)
    const requested = positiveInt(url.searchParams.get('per_page'), 25)
    if (page === undefined || requested === undefined)
      return sendJson(res, 400, { message: 'page and per_page must be positive integers' }, headers)
    const perPage = Math.min(requested, 100)
    const total = all.length
    const pages = Math.max(1, Math.ceil(total / perPage))
    const items = all.slice((page - 1) * perPage, page * perPage)

    const base = `${this.publicApiUrl.replace(/\/$/, '')}${url.pathname.replace(/^\/v2(?=\/)/, '')}`
    const rel = (name: string) => (this.options.linkRelQuoted ? `rel="${name}"` : `rel=${name}`)
    const link = (target: number, name: string) => {
      const query = new URLSearchParams(url.searchParams)
      query.set('page', String(target))
      query.set('per_page', String(perPage))
      return `<${base}?${query}>; ${rel(name)}`
    }
    const links = [link(1, 'first')]
    if (page > 1) links.push(link(page - 1, 'prev'))
    if (page < pages) links.push(link(page + 1, 'next'))
    links.push(link(pages, 'last'))
    const pagination: Record<string, number> = {
      total_count: total,
      total_pages_count: pages,
      current_page: page,
      current_per_page: perPage
    }
    if (page > 1) pagination.previous_page = page - 1
    if (page < pages) pagination.next_page = page + 1

    sendJson(res, 200, items.map(toJson), {
      ...headers,
      Link: links.join(', '),
      Pagination: JSON.stringify(pagination)
    })
  }

  private async createJob(
    res: ServerResponse,
    projectId: string,
    project: SimBranch,
    locale: SimLocale,
    caller: Caller,
    body: unknown,
    headers: Record<string, string | number>
  ): Promise<void> {
    if (!caller.canWrite)
      return sendJson(
        res,
        403,
        { message: 'Forbidden: asynchronous downloads need an access token with the write scope' },
        headers
      )
    if (body === INVALID_JSON || typeof body !== 'object' || body === null || Array.isArray(body))
      return sendJson(res, 400, { message: 'The request body must be a JSON object' }, headers)
    const params = body as Record<string, unknown>
    const problem = validateFormat(params.file_format)
    if (problem) return sendJson(res, 422, problem, headers)

    const fault = this.faults.take('create', [locale.id, locale.name])
    if (
      fault &&
      fault.kind !== 'jobError' &&
      (await this.sendFault(res.req, res, fault, 'api', headers))
    )
      return

    const key = `${projectId}\u0000${locale.name}`
    const attempt = (this.attempts.get(key) ?? 0) + 1
    this.attempts.set(key, attempt)
    const duration =
      typeof this.options.jobDurationMs === 'function'
        ? this.options.jobDurationMs(locale.name, attempt)
        : (this.options.jobDurationMs ?? 200)
    const createdAt = this.now()
    const job: Job = {
      id: randomHex(16),
      projectId,
      branch: branchField(params),
      locale,
      params: { ...params, locale_id: locale.id },
      createdAt,
      doneAt: createdAt + duration,
      file: this.render(project, locale, params),
      fileName: `${locale.name}.${findFormat(String(params.file_format))?.extension ?? 'txt'}`,
      signature: randomHex(32),
      errorMessage:
        fault?.kind === 'jobError' ? (fault.body ?? defaultJobError(locale)) : undefined,
      failedStatus: fault?.kind === 'jobError' ? fault.jobStatus : undefined,
      expired: false
    }
    this.jobs.set(job.id, job)
    this.statsData.jobsCreated += 1
    sendJson(res, this.options.createStatus ?? 202, this.jobJson(job), headers)
  }

  private async showJob(
    res: ServerResponse,
    projectId: string,
    localeRef: string,
    jobId: string,
    headers: Record<string, string | number>
  ): Promise<void> {
    const job = this.jobs.get(safeDecode(jobId))
    const locale = job?.locale
    if (
      !job ||
      !locale ||
      job.projectId !== projectId ||
      ![locale.id, locale.name].includes(localeRef)
    )
      return sendJson(res, 404, { message: 'Not Found' }, headers)
    this.localeCounters(locale.name).shows += 1
    const fault = this.faults.take('show', [locale.id, locale.name])
    if (fault?.kind === 'jobError') {
      job.errorMessage = fault.body ?? defaultJobError(locale)
      job.failedStatus = fault.jobStatus
      job.doneAt = Math.min(job.doneAt, this.now())
    } else if (fault?.kind === 'expire') job.expired = true
    else if (fault && (await this.sendFault(res.req, res, fault, 'api', headers))) return

    if (this.isExpired(job))
      return sendJson(
        res,
        410,
        { message: 'This download has expired, please start a new one' },
        headers
      )
    sendJson(res, 200, this.jobJson(job), headers)
  }

  private async syncDownload(
    res: ServerResponse,
    url: URL,
    project: SimBranch,
    locale: SimLocale,
    headers: Record<string, string | number>
  ): Promise<void> {
    const params: Record<string, unknown> = queryRecord(url)
    // The description lists no 422 for this operation: the live service answers 400.
    const problem = validateFormat(params.file_format)
    if (problem) return sendJson(res, 400, { message: problem.errors[0].message }, headers)
    params.include_empty_translations = params.include_empty_translations === 'true'
    const file = this.render(project, locale, params)
    const fault = this.faults.take('sync', [locale.id, locale.name])
    if (fault && (await this.sendFault(res.req, res, fault, 'api', headers, file))) return
    const extension = findFormat(String(params.file_format))?.extension ?? 'txt'
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'application/octet-stream',
      'Content-Disposition': `attachment; filename="${locale.name}.${extension}"`,
      'Content-Length': file.length
    })
    res.end(file)
  }

  private jobJson(job: Job): Record<string, unknown> {
    const state =
      job.doneAt > this.now()
        ? 'processing'
        : job.errorMessage
          ? (job.failedStatus ?? 'error')
          : 'completed'
    const json: Record<string, unknown> = {
      id: job.id,
      status: state,
      params: job.params,
      created_at: iso(job.createdAt)
    }
    if (state === 'completed')
      json.result = {
        url: `${this.publicCdnUrl}/exports/${job.id}/${encodeURIComponent(job.fileName)}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=${Math.round((this.options.resultTtlMs ?? 900_000) / 1000)}&X-Amz-Signature=${job.signature}`
      }
    if (job.errorMessage && state !== 'processing') json.error = job.errorMessage
    if (state !== 'processing') json.completed_at = iso(job.doneAt)
    return json
  }

  private isExpired(job: Job): boolean {
    return job.expired || this.now() > job.doneAt + (this.options.resultTtlMs ?? 15 * 60_000)
  }

  private render(project: SimBranch, locale: SimLocale, params: Record<string, unknown>): Buffer {
    const all = project.translations[locale.name] ?? {}
    const tags =
      typeof params.tags === 'string' && params.tags !== '' ? params.tags.split(',') : undefined
    const tagged = tags && new Set(tags.flatMap(tag => project.tags?.[tag.trim()] ?? []))
    const includeEmpty = params.include_empty_translations === true
    const translations = Object.fromEntries(
      Object.entries(all).filter(
        ([key, value]) => (!tagged || tagged.has(key)) && (includeEmpty || value !== '')
      )
    )
    // Every gettext export gets its own revision date (minute precision): a minute apart at least.
    if (params.file_format === 'gettext')
      this.lastRevision = Math.max(this.now(), this.lastRevision + 60_000)
    const text = renderLocaleFile(String(params.file_format), {
      localeName: locale.name,
      localeCode: locale.code,
      translations,
      revisionDate: new Date(Math.max(this.lastRevision, this.now()))
    })
    return encodeText(text, typeof params.encoding === 'string' ? params.encoding : undefined)
  }

  // ---- CDN host -------------------------------------------------------------------------------

  private async handleCdn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const entry: CdnRequest = {
      path: `${url.pathname}${url.search}`,
      authorization: req.headers.authorization,
      at: this.now() - this.startedAt,
      status: 0
    }
    this.statsData.cdnRequests.push(entry)
    res.on('finish', () => (entry.status = res.statusCode))
    await this.cdn.delay(this.options.latencyMs ?? 0)
    if (this.cdn.stopped) return

    const [, prefix, jobId] = url.pathname.split('/')
    const job = prefix === 'exports' ? this.jobs.get(jobId) : undefined
    if (!job || url.searchParams.get('X-Amz-Signature') !== job.signature)
      return sendS3Error(res, 403, 'AccessDenied', 'Access Denied')
    if (job.doneAt > this.now() || job.errorMessage)
      return sendS3Error(res, 404, 'NoSuchKey', 'The specified key does not exist.')
    const fault = this.faults.take(
      'cdn',
      [job.locale.id, job.locale.name],
      String(job.params.file_format)
    )
    if (fault?.kind === 'expire') job.expired = true
    else if (fault && (await this.sendFault(req, res, fault, 'cdn', {}, job.file))) return
    if (this.isExpired(job)) return sendS3Error(res, 403, 'AccessDenied', 'Request has expired')
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': job.file.length,
      ETag: `"${job.signature.slice(0, 32)}"`
    })
    res.end(job.file)
  }

  // ---- faults ---------------------------------------------------------------------------------

  /** Answers (or withholds the answer) as the fault says; false when the fault changes nothing here. */
  private async sendFault(
    req: IncomingMessage,
    res: ServerResponse,
    fault: ActiveFault,
    host: 'api' | 'cdn',
    headers: Record<string, string | number>,
    file?: Buffer
  ): Promise<boolean> {
    switch (fault.kind) {
      case 'status': {
        const status = fault.status ?? 500
        if (fault.body === undefined && host === 'cdn')
          sendS3Error(res, status, 'InternalError', 'We encountered an internal error.')
        else if (fault.body === undefined)
          sendJson(res, status, { message: `Simulated ${status} error` }, headers)
        else {
          res.writeHead(status, {
            ...headers,
            'Content-Type': looksLikeJson(fault.body) ? JSON_TYPE : 'text/plain; charset=utf-8',
            'Content-Length': Buffer.byteLength(fault.body)
          })
          res.end(fault.body)
        }
        return true
      }
      case 'reset':
        req.socket.destroy()
        return true
      case 'hang':
        return true
      case 'truncate': {
        const whole = file ?? Buffer.from('{"message":"truncated"}')
        res.writeHead(200, {
          ...headers,
          'Content-Type': 'application/octet-stream',
          'Content-Length': whole.length
        })
        res.write(whole.subarray(0, Math.floor(whole.length / 2)), () => res.destroy())
        return true
      }
      case 'empty':
        res.writeHead(200, {
          ...headers,
          'Content-Type': 'application/octet-stream',
          'Content-Length': 0
        })
        res.end()
        return true
      case 'bytes':
        await streamBytes(res, fault, headers)
        return true
      default:
        return false
    }
  }
}

// ---- helpers ----------------------------------------------------------------------------------

const INVALID_JSON = Symbol('invalid json')

async function readJson(req: IncomingMessage): Promise<unknown> {
  const raw = (await readBody(req)).toString('utf8')
  if (raw.trim() === '') return {}
  try {
    return JSON.parse(raw) as unknown
  } catch {
    return INVALID_JSON
  }
}

function matchRoute(method: string, pathname: string): Route | undefined {
  // Accept the path with and without `/v2`: Prism matches operations without the base path.
  const path = pathname.replace(/^\/v2(?=\/)/, '')
  if (method === 'GET' && path === '/formats') return { op: 'formats' }
  let m = /^\/projects\/([^/]+)\/locales\/?$/.exec(path)
  if (m && method === 'GET') return { op: 'list', projectId: safeDecode(m[1]) }
  m = /^\/projects\/([^/]+)\/branches\/?$/.exec(path)
  if (m && method === 'GET') return { op: 'branches', projectId: safeDecode(m[1]) }
  m = /^\/projects\/([^/]+)\/locales\/([^/]+)\/downloads\/?$/.exec(path)
  if (m && method === 'POST') return { op: 'create', projectId: safeDecode(m[1]), localeRef: m[2] }
  m = /^\/projects\/([^/]+)\/locales\/([^/]+)\/downloads\/([^/]+)$/.exec(path)
  if (m && method === 'GET')
    return { op: 'show', projectId: safeDecode(m[1]), localeRef: m[2], jobId: m[3] }
  m = /^\/projects\/([^/]+)\/locales\/([^/]+)\/download$/.exec(path)
  if (m && method === 'GET') return { op: 'sync', projectId: safeDecode(m[1]), localeRef: m[2] }
  return undefined
}

function findLocale(project: SimBranch, ref: string): SimLocale | undefined {
  return (
    project.locales.find(locale => locale.id === ref) ?? project.locales.find(l => l.name === ref)
  )
}

function validateFormat(
  value: unknown
):
  | { message: string; errors: Array<{ resource: string; field: string; message: string }> }
  | undefined {
  if (typeof value === 'string' && findFormat(value)) return undefined
  const message =
    value === undefined || value === ''
      ? "can't be blank"
      : `'${String(value)}' is not a valid file format`
  return {
    message: 'Validation Failed',
    errors: [{ resource: 'LocaleDownload', field: 'file_format', message }]
  }
}

/** The `branch` field of a create's body, if it names one. */
function branchField(body: unknown): string | undefined {
  const value = (body as { branch?: unknown } | undefined)?.branch
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A branch as the description's `branch` schema has it. */
function branchJson(name: string): Record<string, unknown> {
  return {
    name,
    base: null,
    state: 'success',
    created_at: iso(LOCALE_TIMESTAMP),
    updated_at: iso(LOCALE_TIMESTAMP),
    child_branches: []
  }
}

function localeJson(project: SimBranch, locale: SimLocale): Record<string, unknown> {
  const source = project.locales.find(candidate => candidate.default) ?? project.locales[0]
  const json: Record<string, unknown> = {
    id: locale.id,
    name: locale.name,
    code: locale.code,
    default: locale.default ?? false,
    main: false,
    rtl: /^(ar|he|fa|ur)\b/.test(locale.code),
    plural_forms: ['one', 'other'],
    ordinal_plural_forms: ['one', 'two', 'few', 'other'],
    created_at: iso(LOCALE_TIMESTAMP),
    updated_at: iso(LOCALE_TIMESTAMP)
  }
  if (source && source.id !== locale.id)
    json.source_locale = { id: source.id, name: source.name, code: source.code }
  return json
}

function defaultJobError(locale: SimLocale): string {
  return `Export of locale ${locale.name} failed: internal rendering error`
}

function positiveInt(value: string | null, fallback: number): number | undefined {
  if (value === null || value === '') return fallback
  const number = Number(value)
  return Number.isInteger(number) && number >= 1 ? number : undefined
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex')
}

function looksLikeJson(text: string): boolean {
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}

function sendS3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${code}</Code><Message>${message}</Message><RequestId>${randomHex(8).toUpperCase()}</RequestId></Error>`
  res.writeHead(status, {
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(body)
  })
  res.end(body)
}

async function streamBytes(
  res: ServerResponse,
  fault: ActiveFault,
  headers: Record<string, string | number>
): Promise<void> {
  const base = { ...headers, 'Content-Type': 'application/octet-stream' }
  if (Buffer.isBuffer(fault.bytes)) {
    res.writeHead(200, { ...base, 'Content-Length': fault.bytes.length })
    res.end(fault.bytes)
    return
  }
  const chunks = fault.bytes ? fault.bytes() : fillerChunks(fault.size ?? 0)
  res.writeHead(200, fault.bytes ? base : { ...base, 'Content-Length': fault.size ?? 0 })
  for await (const chunk of chunks) {
    if (res.destroyed) return
    // Respect back-pressure: a client that stops reading must not make us buffer 100 MB.
    if (!res.write(chunk)) await drainedOrClosed(res)
  }
  res.end()
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

function emptyStats(): SimStats {
  return {
    requests: [],
    apiRequestCount: 0,
    cdnRequests: [],
    count429: 0,
    peakConcurrency: 0,
    jobsCreated: 0,
    perLocale: {}
  }
}
