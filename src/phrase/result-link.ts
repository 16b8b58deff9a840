/**
 * The download link of a finished export (`result.url`) and the hosts it leads to. Phrase hands
 * it over; what answers it may be a CDN, a proxy or anything a redirect names, so:
 * - every hop must be https (or plain http to this machine: tests, a local proxy);
 * - the token goes to Phrase's API domain only, and only after a refusal there: the link is
 *   signed and normally needs none. The Phrase CLI sends `Authorization: Bearer <token>` with it
 *   (phrase-cli cmd/internal/pull.go, downloadExportedLocale); whether the live link needs that is
 *   undocumented, so a 401/403 from Phrase's domain is asked once more with the token;
 * - the link is valid for 15 minutes (the API description says so): a refusal seconds after the
 *   export finished is a refusal, not an expiry, and starting a new job would only repeat it.
 */
import type { Fetch } from '../net/fetch.js'

/** How long Phrase keeps a finished export's link valid (API description, `result.url`). */
export const LINK_VALIDITY_MS = 15 * 60_000

/** Redirects followed before giving up (fetch's own limit is 20; a signed link needs one or two). */
const MAX_HOPS = 5

/**
 * Registrable domains (the Public Suffix List's "eTLD+1": `com` is the public suffix) whose
 * hosts are Phrase's: api.phrase.com and api.us.app.phrase.com both belong to phrase.com. For an
 * `api-url` elsewhere (a proxy, a test server) the token goes to that exact host and port only.
 */
const PHRASE_DOMAINS = ['phrase.com', 'phraseapp.com']

export function parseResultUrl(value: string): URL {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new Error('Phrase returned a download link that is not a URL')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`Phrase returned a download link with an unsupported scheme (${url.protocol})`)
  }
  assertSafeHop(url, 'Phrase returned a download link')
  return url
}

/** https, or http to this machine only: the file must not travel readable (or alterable) by others. */
function assertSafeHop(url: URL, what: string): void {
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url.hostname))) return
  throw new Error(
    `${what} to ${url.protocol}//${url.host}: only https is accepted (plain http only to this machine); refusing to download`
  )
}

function isLoopback(hostname: string): boolean {
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(hostname)
}

/**
 * Whether the token may go to `url`: the API's own host and port, or (for Phrase's hosts) any
 * https host of the same registrable domain.
 */
export function tokenScope(apiBase: URL): (url: URL) => boolean {
  const domain = PHRASE_DOMAINS.find(
    d => apiBase.hostname === d || apiBase.hostname.endsWith(`.${d}`)
  )
  return url =>
    url.host === apiBase.host ||
    (domain !== undefined &&
      url.protocol === 'https:' &&
      (url.hostname === domain || url.hostname.endsWith(`.${domain}`)))
}

export interface LinkRequest {
  fetch: Fetch
  headers: Record<string, string>
  signal: AbortSignal
  /** The Authorization header for hops `mayCarryToken` allows; absent: no hop gets one. */
  authorization?: string
  mayCarryToken: (url: URL) => boolean
}

/** GETs the link, following redirects hop by hop so each hop is checked (and the token kept in scope). */
export async function getLink(
  link: URL,
  request: LinkRequest
): Promise<{ response: Response; url: URL }> {
  let url = link
  for (let hop = 0; ; hop++) {
    const withToken = request.authorization !== undefined && request.mayCarryToken(url)
    const response = await request.fetch(url, {
      headers: withToken
        ? { ...request.headers, Authorization: request.authorization! }
        : request.headers,
      redirect: 'manual',
      signal: request.signal
    })
    const location = response.headers.get('location')
    if (response.status < 300 || response.status >= 400 || location === null)
      return { response, url }
    await response.body?.cancel().catch(() => undefined)
    if (hop >= MAX_HOPS) throw new Error(`the download link redirected more than ${MAX_HOPS} times`)
    url = new URL(location, url)
    assertSafeHop(url, `the download link (${link.host}) redirected`)
  }
}

/** The first `max` bytes of a body as text (an error's message), never more: the host is not trusted. */
export async function readStart(response: Response, max = 4096): Promise<string> {
  const reader = response.body?.getReader()
  if (!reader) return ''
  const chunks: Uint8Array[] = []
  let length = 0
  try {
    while (length < max) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      length += value.length
    }
  } catch {
    // What arrived is enough to word the error.
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8')
}

/**
 * Whether a 401/403 means the link expired: it is older than Phrase keeps links, or the host says
 * so (S3: "Request has expired"). `body` is the start of the answer.
 */
export function isExpiredRefusal(ageMs: number, body: string): boolean {
  return ageMs >= LINK_VALIDITY_MS || /expired/i.test(body)
}
