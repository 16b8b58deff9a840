/**
 * What a value in a TranslationMap holds. Parsers keep one string per key: the text a person
 * reads, optionally followed by `\u0000` and what else changes its meaning (an attribute such as
 * Android's `formatted="false"`, an XLIFF state). Non-string scalars are `\u0000<type>:<value>`
 * (see flatten.ts), so `"1"` and `1` differ. Comparing the whole string compares meaning;
 * reports and translation checks read only the text.
 */

/** Separates the text from the meaning-bearing metadata that follows it. */
export const META_SEPARATOR = '\u0000'

/** A non-string scalar (`true`, `8`, a date, a Ruby symbol): `\u0000<type>:<value>`. */
export function typedScalar(type: string, text: string): string {
  return `${META_SEPARATOR}${type}:${text}`
}

/** The text a person reads: a typed scalar's value, or everything before the metadata. */
export function displayText(value: string): string {
  if (value.startsWith(META_SEPARATOR)) {
    // A typed scalar: `\u0000<type>:<value>`, possibly with metadata after another separator.
    const colon = value.indexOf(':')
    const end = value.indexOf(META_SEPARATOR, 1)
    return colon < 0 ? '' : value.slice(colon + 1, end < 0 ? undefined : end)
  }
  const cut = value.indexOf(META_SEPARATOR)
  return cut < 0 ? value : value.slice(0, cut)
}

/**
 * `text` with metadata attached; no metadata leaves the text as it is. Empty text is written as
 * the typed scalar `\u0000string:`, or its metadata (`state: new`) would read as a typed scalar.
 */
export function withMeta(text: string, meta: string | undefined): string {
  if (!meta) return text
  return `${text === '' ? EMPTY_TEXT : text}${META_SEPARATOR}${meta}`
}

const EMPTY_TEXT = typedScalar('string', '')
