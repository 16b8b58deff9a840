/**
 * URL details of the Phrase API: query strings for the sync download (Rails-style nested keys, as
 * the description's `deepObject` style says) and the `Link` header's next page.
 */

/** `{ file_format: 'yml', format_options: { a: true } }` → `file_format=yml&format_options[a]=true`. */
export function appendQuery(
  search: URLSearchParams,
  params: Record<string, unknown>,
  prefix = ''
): void {
  for (const [name, value] of Object.entries(params)) {
    const key = prefix ? `${prefix}[${name}]` : name
    appendValue(search, key, value)
  }
}

function appendValue(search: URLSearchParams, key: string, value: unknown): void {
  if (value === undefined || value === null) return
  if (Array.isArray(value)) {
    for (const item of value) appendValue(search, `${key}[]`, item)
  } else if (typeof value === 'object') {
    appendQuery(search, value as Record<string, unknown>, key)
  } else {
    search.append(key, String(value))
  }
}

/** The `rel=next` target of a Link header; the live service leaves the rel value unquoted. */
export function nextPageUrl(link: string | null | undefined): string | undefined {
  if (!link) return undefined
  for (const [, target, params] of link.matchAll(/<([^>]*)>([^<]*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params)
    const values = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/)
    if (values.includes('next')) return target
  }
  return undefined
}
