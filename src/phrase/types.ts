/** The shapes the rest of the action sees of Phrase: locales, async download jobs, the client. */

export interface PhraseLocale {
  id: string
  name: string
  code: string
  default?: boolean
}

/**
 * The description lists `processing`, `completed` and `error`; any other status Phrase may send
 * is kept as it came, and ends the download as failed.
 */
export type DownloadStatus = 'processing' | 'completed' | 'error' | (string & {})

export interface DownloadJob {
  id: string
  status: DownloadStatus
  result?: { url: string } | null
  error?: string
}

/** An entry of `GET /formats`: what `file_format` may say. */
export interface PhraseFormat {
  /** The value of `file_format`, e.g. `yml`, `nested_json`. */
  apiName: string
  name: string
  /** File extension, e.g. `po` for `gettext`. */
  extension?: string
  exportable: boolean
}

export interface DownloadRequest {
  /** For logs and errors, e.g. "de (config/locales/de.yml)"; unique per request. */
  label: string
  projectId: string
  localeId: string
  /** Create-download body: file_format, branch, tags, format_options, … */
  params: Record<string, unknown>
}

export interface DownloadedFile {
  request: DownloadRequest
  /** Path of a temporary file holding the downloaded bytes. */
  file: string
  bytes: number
}

/** Time as the scheduling code sees it; tests inject a fake one so no test really sleeps. */
export interface Clock {
  /** Milliseconds since the UNIX epoch (compared with Phrase's X-Rate-Limit-Reset). */
  now(): number
  /** Resolves after `ms`; rejects with the signal's reason once it is aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

/** Per-call options; every method accepts them as its last argument. */
export interface RequestOptions {
  /** Aborts the call, including a wait in the limiter or between retries. */
  signal?: AbortSignal
  /** For calls that write a file: refuse a body larger than this many bytes. */
  maxBytes?: number
}

export interface PhraseClientStats {
  /** Requests sent to the Phrase API (retries and re-sends after 429 included; CDN not). */
  requests: number
  /** 429 answers received (rate or concurrency limit). */
  throttled429: number
  /** Requests repeated after a 5xx, 408 or network error (API and CDN). */
  retries: number
}

export interface PhraseClient {
  /** Every locale of a project; follows the `Link: rel=next` pages. */
  listLocales(projectId: string, branch?: string, options?: RequestOptions): Promise<PhraseLocale[]>
  /** Names of a project's branches (the first 100). */
  listBranches(projectId: string, options?: RequestOptions): Promise<string[]>
  /** Every file format Phrase knows (a public endpoint: sent without the token). */
  listFormats(options?: RequestOptions): Promise<PhraseFormat[]>
  /** Starts an async download (the live service answers 202, the description 201). */
  createDownload(
    projectId: string,
    localeId: string,
    params: Record<string, unknown>,
    options?: RequestOptions
  ): Promise<DownloadJob>
  showDownload(
    projectId: string,
    localeId: string,
    id: string,
    options?: RequestOptions
  ): Promise<DownloadJob>
  /** The synchronous endpoint (needs only the `read` scope); writes `dest`, returns its size. */
  downloadSync(
    projectId: string,
    localeId: string,
    params: Record<string, unknown>,
    dest: string,
    options?: RequestOptions
  ): Promise<number>
  /** Fetches a finished job's `result.url` (a CDN, never with the token); returns the size. */
  fetchResult(url: string, dest: string, options?: RequestOptions): Promise<number>
  stats(): PhraseClientStats
  /** What the token may still spend, as Phrase's latest answer said (X-Rate-Limit-*). */
  budget(): RateBudget
}

/** What the token may still spend, as the latest answers said; for planning, not for gating. */
export interface RateBudget {
  /** X-Rate-Limit-Limit of the latest window seen (undefined: Phrase sent no rate headers yet). */
  limit?: number
  /** Requests left in the current window, those in flight already counted as spent. */
  remaining?: number
  /** When the current window ends (epoch ms); undefined once it has ended. */
  resetAtMs?: number
  /** Typical time one API request holds its slot (moving average), in ms. */
  roundTripMs: number
  /** Parallel requests allowed now (lowered after a concurrency 429). */
  concurrency: number
}
