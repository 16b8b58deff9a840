/**
 * Errors of the Phrase side, each with a message a user can act on. Messages are built from what
 * the caller asked for and what Phrase answered; never from request headers (the token).
 */

/** What a request was about, so an error can say which project or locale Phrase did not know. */
export interface RequestSubject {
  /** Short verb phrase, e.g. "list the locales of project p1". */
  action: string
  /** What a 404 means, e.g. `project "p1"` or `locale "de" in project "p1"`. */
  notFound: string
  /** The token scope the endpoint needs. */
  scope: 'read' | 'write'
  operation:
    | 'listLocales'
    | 'listBranches'
    | 'listFormats'
    | 'createDownload'
    | 'showDownload'
    | 'downloadSync'
}

export class PhraseApiError extends Error {
  override name = 'PhraseApiError'
  constructor(
    message: string,
    readonly status: number,
    readonly operation: RequestSubject['operation'],
    /** Phrase's own `message`, if it sent one. */
    readonly serverMessage?: string
  ) {
    super(message)
  }
}

/** The request never got a complete answer (reset, refused, per-request timeout, …). */
export class NetworkError extends Error {
  override name = 'NetworkError'
  constructor(
    message: string,
    /** False for failures a retry cannot fix, such as an unknown host. */
    readonly transient: boolean,
    options?: { cause?: unknown }
  ) {
    super(message, options)
  }
}

/** Fewer bytes arrived than Content-Length announced: the transfer broke off, try again. */
export class TruncatedBodyError extends Error {
  override name = 'TruncatedBodyError'
}

export class ResultTooLargeError extends Error {
  override name = 'ResultTooLargeError'
}

/** The CDN no longer serves a finished job's file (403/410 once its signed URL expired). */
export class ResultExpiredError extends Error {
  override name = 'ResultExpiredError'
}

/** Any other failure of the CDN fetch, with its HTTP status (5xx and 408 are retried). */
export class ResultFetchError extends Error {
  override name = 'ResultFetchError'
  constructor(
    message: string,
    readonly status: number
  ) {
    super(message)
  }
}

interface ErrorBody {
  message?: unknown
  errors?: Array<{ resource?: unknown; field?: unknown; message?: unknown }>
}

/**
 * Phrase keeps EU and US accounts apart: a token is unknown (401) at the other data centre. The
 * hint names the other one when the request went to one of them (`host`: the API host).
 */
function dataCentreHint(host: string | undefined): string {
  if (host === 'api.phrase.com')
    return ' This is the EU data centre (the default): accounts in the US data centre need api-url: https://api.us.app.phrase.com/v2.'
  if (host === 'api.us.app.phrase.com')
    return ' This is the US data centre: accounts in the EU data centre use the default api-url, https://api.phrase.com/v2.'
  return ''
}

/** Turns a non-2xx answer into the message the user will read. */
export function apiError(
  status: number,
  bodyText: string,
  subject: RequestSubject,
  /** Where the answer came from: the host (for the data-centre hint) and its headers. */
  answer: { host?: string; headers?: { get(name: string): string | null } } = {}
): PhraseApiError {
  const body = parseErrorBody(bodyText)
  const said = typeof body.message === 'string' ? body.message.trim() : undefined
  const fromPhrase = said ? ` Phrase said: "${truncate(said)}"` : ''
  let message: string
  switch (status) {
    case 400:
      message = `Phrase rejected the request to ${subject.action} (400 Bad Request): ${truncate(said ?? (bodyText.trim() || 'no reason given'))}`
      break
    case 401:
      message = `Phrase rejected the API token (401 Unauthorized): it is invalid, expired or revoked. Check the api-token input.${dataCentreHint(answer.host)}`
      break
    case 403:
      message =
        `Phrase refused to ${subject.action} (403 Forbidden): the token lacks the \`${subject.scope}\` scope` +
        `${subject.scope === 'write' ? ' (asynchronous downloads need it)' : ''}, or its user may not access this project.${fromPhrase}`
      break
    case 404:
      message = `Phrase: ${subject.notFound} not found (404), or the token's user cannot see it.`
      break
    case 410:
      message = `Phrase: the download job has expired (410 Gone).`
      break
    case 422:
      message = `Phrase rejected the request to ${subject.action} (422): ${describeFieldErrors(body) ?? truncate(said ?? 'invalid parameters')}`
      break
    case 429: {
      // "Indicates which limit was exceeded (only present on 429 responses)":
      // https://developers.phrase.com/en/api/strings/rate-limiting
      const reason = answer.headers?.get('X-Rate-Limit-Reason')
      const which = reason
        ? `Phrase says the limit exceeded is ${quoteHeader(reason)} (X-Rate-Limit-Reason)`
        : 'rate or concurrency limit'
      message = `Phrase kept refusing the request to ${subject.action} with 429 Too Many Requests (${which}).`
      break
    }
    default:
      message = `Phrase answered ${status} to the request to ${subject.action}.${fromPhrase}`
  }
  return new PhraseApiError(message, status, subject.operation, said)
}

/**
 * A 403 on creating an async download: Phrase's answer to a token without the `write` scope,
 * worded differently over time, so any 403 there counts. The sync endpoint needs only `read`;
 * a real access problem shows again as its own 403 there.
 */
export function isMissingWriteScope(error: unknown): boolean {
  return (
    error instanceof PhraseApiError && error.status === 403 && error.operation === 'createDownload'
  )
}

/** The job or its file is gone; a new job will do. */
export function isExpired(error: unknown): boolean {
  return (
    error instanceof ResultExpiredError || (error instanceof PhraseApiError && error.status === 410)
  )
}

function describeFieldErrors(body: ErrorBody): string | undefined {
  if (!Array.isArray(body.errors) || body.errors.length === 0) return undefined
  return body.errors
    .map(e => {
      const field = [e.resource, e.field].filter(p => typeof p === 'string' && p).join('.')
      const text = typeof e.message === 'string' ? e.message : 'is invalid'
      return truncate(field ? `${field}: ${text}` : text)
    })
    .join('; ')
}

function parseErrorBody(text: string): ErrorBody {
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed && typeof parsed === 'object' ? (parsed as ErrorBody) : {}
  } catch {
    return {}
  }
}

/** A header value as it may appear in a message: printable, short, quoted. */
export function quoteHeader(value: string): string {
  return JSON.stringify(truncate(value.replace(/[^\x20-\x7e]/g, ''), 100))
}

function truncate(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
