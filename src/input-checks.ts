/**
 * Checks for values that were pasted in the wrong shape — a web-app link for a project ID, a
 * timeout with a unit, a clear-text API URL — each with a message that says what to write instead.
 * Pure: `name` is the input or config key the value came from.
 */

export class InputShapeError extends Error {
  override name = 'InputShapeError'
}

/** A Phrase project ID is 32 hexadecimal characters (Project settings → API). */
const ID_IN_TEXT = /(?:^|[^0-9a-f])([0-9a-f]{32})(?![0-9a-f])/i

export function checkProjectId(value: string, name: string): string {
  const trimmed = value.trim()
  if (/^https?:\/\//i.test(trimmed)) {
    // Web-app links carry the account and project slugs; the API needs the ID.
    const id = ID_IN_TEXT.exec(trimmed)?.[1]
    const fix = id
      ? `write the project ID instead: ${id}`
      : 'write the project ID instead, from Project settings → API in Phrase Strings (32 hexadecimal characters)'
    throw new InputShapeError(`${name}: "${trimmed}" is a link, not a project ID; ${fix}`)
  }
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$/.test(trimmed)) {
    throw new InputShapeError(
      `${name}: "${trimmed}" is an environment variable reference, which neither the Phrase CLI nor this action expands; set the project-id input, e.g. project-id: \${{ secrets.PHRASE_PROJECT_ID }}`
    )
  }
  return trimmed
}

const UNITS: Array<[RegExp, number]> = [
  [/^(ms|msecs?|milliseconds?)$/i, 0.001],
  [/^(s|secs?|seconds?)$/i, 1],
  [/^(m|mins?|minutes?)$/i, 60],
  [/^(h|hrs?|hours?)$/i, 3600]
]

/**
 * `timeout` is a number of seconds; `10m`, `90 s` or `1h` get an error that gives the number.
 * Text without a known unit is left to the caller's plain number check.
 */
export function checkTimeoutUnit(text: string, name: string): void {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]+)$/i.exec(text.trim())
  if (!match) return
  const factor = UNITS.find(([unit]) => unit.test(match[2]))?.[1]
  if (factor === undefined) return
  const seconds = Math.max(1, Math.round(Number(match[1]) * factor))
  throw new InputShapeError(
    `${name}: "${text.trim()}" has a unit, but ${name} is a number of seconds; write ${seconds}`
  )
}

/**
 * The Phrase token travels in the Authorization header of every API request: plain `http://` is
 * refused unless the host is this machine (127.0.0.0/8, ::1, localhost), as in tests.
 */
export function checkTokenUrl(url: URL, name: string): void {
  if (url.protocol !== 'http:' || isLoopback(url.hostname)) return
  throw new InputShapeError(
    `${name}: "${url.origin}" would send the Phrase token in clear text; use https://${url.host} (plain http:// is accepted only for a loopback address such as 127.0.0.1)`
  )
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/^\[|\]$/g, '')
  if (host === 'localhost' || host === '::1') return true
  // 127.0.0.0/8; the URL parser has already turned shorthand forms (127.1, 0x7f.1) into four parts.
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}
