/**
 * Safe GFM pieces for text that comes from remote services (locale names, keys, translations):
 * nothing in them can add markup, HTML, a comment that swallows the rest, or an @-mention.
 */

/**
 * A code span that is safe in a GFM table cell or list item: `|` escaped (GFM honours `\|` inside
 * spans), line breaks shown as ↵ (a raw newline would end the row), and a backtick fence longer
 * than any run of backticks in the text. `<` needs nothing: inside a code span it is never HTML.
 */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r\n|\r|\n/g, '↵').replace(/\|/g, '\\|')
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map(run => run.length))
  const fence = '`'.repeat(longestRun + 1)
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat.trim() === '' ? ' ' : ''
  return `${fence}${pad}${flat}${pad}${fence}`
}

/**
 * Plain text inside a table cell (inline markdown only): markup characters are backslash-escaped,
 * and `@` gets a zero-width space so a remote name can never mention someone.
 */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*_[\]<>&|~]/g, '\\$&')
    .replace(/@/g, '@\u200B')
}

/** At most `max` characters (code points), with … when cut. */
export function shorten(text: string, max: number): string {
  if (text.length <= max) return text
  const chars = Array.from(text)
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text
}

export function plural(count: number, word: string, words = `${word}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? word : words}`
}

/** A block folded behind a one-line summary; the summary is our own words, never remote text. */
export function folded(summary: string, body: string): string {
  return `<details><summary>${summary}</summary>\n\n${body}\n\n</details>`
}

// ---- spans of the change report: translations, keys and locale names, shortened ----

export function oldNewText(before: string, after: string): string {
  return before === after
    ? 'text unchanged, attributes changed'
    : `${textSpan(before)} → ${textSpan(after)}`
}

/** A translation as a reviewer reads it: shortened, in a code span (so nothing in it is markup). */
export function textSpan(text: string): string {
  return text === '' ? '*(empty)*' : codeSpan(shorten(text, 60))
}

export function keySpan(key: string): string {
  return codeSpan(shorten(key, 80))
}

export function localeSpan(locale: string): string {
  return codeSpan(shorten(locale, 40))
}

/** 12,345 (toLocaleString is slow enough to matter over thousands of table cells). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+$)/g, ',')
}
