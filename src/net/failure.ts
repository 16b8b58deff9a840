/**
 * A request that got no answer, in words a user can act on: which host, which way (proxy or
 * direct, see fetch.ts), and what happened on the wire — read from undici's error chain, where
 * fetch's `TypeError: fetch failed` carries the socket, TLS, DNS or timeout error as its cause.
 */
import { describeDestination } from './fetch.js'

/** An unknown host or a malformed address: asking again gets the same answer. */
const PERMANENT_CODES = new Set(['ENOTFOUND', 'ERR_INVALID_URL', 'ERR_INVALID_ARG_VALUE'])

export interface NetworkFailure {
  message: string
  /** Another attempt cannot help: an unknown host, an untrusted certificate, proxy credentials. */
  permanent: boolean
}

interface WireError {
  code?: string
  message: string
}

/** `timeoutMs` is the request timeout the failed request had, for the wording of a timeout. */
export function describeNetworkFailure(
  error: unknown,
  url: URL,
  timeoutMs?: number
): NetworkFailure {
  const wire = innermost(error)
  const code = wire.code ?? ''
  // undici: "Proxy response (502) !== 200 when HTTP Tunneling", "Proxy Authentication Required (407)".
  const proxyStatus = /Proxy (?:response|Authentication Required) \((\d+)\)/.exec(wire.message)?.[1]
  const seconds = timeoutMs === undefined ? '' : ` ${timeoutMs / 1000} s`
  let detail: string
  if (code === 'UND_ERR_HEADERS_TIMEOUT') detail = `no answer within${seconds || ' the timeout'}`
  else if (code === 'UND_ERR_BODY_TIMEOUT')
    detail = `the answer stalled for${seconds || ' too long'}`
  else if (proxyStatus === '407')
    detail =
      'the proxy asks for credentials (407); put them in the proxy URL, http://user:password@host:port'
  else if (proxyStatus) detail = `the proxy answered ${proxyStatus} to CONNECT ${url.host}`
  // Node reports a refused connection to every address of a host as an AggregateError without text.
  else if (!wire.message) detail = code || 'the connection failed'
  else detail = code && !wire.message.includes(code) ? `${wire.message} (${code})` : wire.message
  const certificate = isCertificateFailure(code)
  const hint = certificate ? CERTIFICATE_HINT : ''
  return {
    message: `Could not reach ${describeDestination(url)}: ${detail}${hint}`,
    permanent: PERMANENT_CODES.has(code) || certificate || proxyStatus === '407'
  }
}

/** A TLS failure that no retry mends: the runner does not trust the certificate it was shown. */
export function isCertificateFailure(code: string | undefined): boolean {
  return code !== undefined && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL/.test(code)
}

export const CERTIFICATE_HINT =
  '. If a company proxy or CA signs this certificate, point NODE_EXTRA_CA_CERTS at its PEM file in the workflow'

/** The deepest error of the cause chain: the one that names the socket or TLS failure. */
function innermost(error: unknown): WireError {
  let current: unknown = error
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | undefined)?.cause
    if (!(cause instanceof Error) && typeof (cause as WireError | undefined)?.message !== 'string')
      break
    current = cause
  }
  const found = current as { code?: unknown; message?: unknown } | undefined
  return {
    code: typeof found?.code === 'string' ? found.code : undefined,
    message: typeof found?.message === 'string' ? found.message : String(current)
  }
}
