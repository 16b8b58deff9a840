/**
 * Placeholders a translation must keep: printf (`%s`, `%1$s`, `%d`, iOS `%@`, `%lld`, Android
 * `%1$s`), Ruby/Rails (`%{name}`, `%<name>s`), i18next (`{{name}}`) and ICU/simple braces
 * (`{name}`, `{0}`). Positional and sequential printf forms are compared by argument number, so a
 * translation may reorder `%s %s` as `%2$s %1$s`.
 */
import type { Problem } from './types.js'

/** One alternative per syntax; `%%` is matched only to be skipped (a literal percent sign). */
const PLACEHOLDER = new RegExp(
  [
    '%%',
    '%\\{([\\w.-]+)\\}',
    '%<([\\w.-]+)>[-+#0]*\\d*(?:\\.\\d+)?[a-zA-Z]',
    // No space flag: "50 % de réduction" is prose, not `% d`.
    "%(?:(\\d+)\\$)?[-+#0']*(?:\\d+|\\*)?(?:\\.(?:\\d+|\\*))?(hh|h|ll|l|L|q|j|z|t)?([diouxXeEfFgGaAcsp@])",
    '\\{\\{\\s*-?\\s*([\\w.]+)[^{}]*\\}\\}',
    '\\{\\s*([\\p{L}\\p{N}_][\\p{L}\\p{N}_.-]*)\\s*\\}'
  ].join('|'),
  'gu'
)

/** Normalised placeholder → as first written. */
export type Placeholders = Map<string, string>

/**
 * The placeholders of `text`. With `icuNames` (the text parsed as ICU) the brace forms come from
 * the parsed arguments instead, so the words inside `one {item}` are not taken for placeholders.
 */
export function placeholders(text: string, icuNames?: Set<string>): Placeholders {
  const found: Placeholders = new Map()
  if (icuNames) for (const name of icuNames) found.set(`{${name}}`, `{${name}}`)
  if (!text.includes('%') && (icuNames || !text.includes('{'))) return found
  let sequential = 0
  for (const match of text.matchAll(PLACEHOLDER)) {
    const [written, ruby, rubyFormat, position, length, conversion, i18next, brace] = match
    let normal: string | undefined
    if (ruby !== undefined) normal = `%{${ruby}}`
    else if (rubyFormat !== undefined) normal = `%<${rubyFormat}>`
    else if (conversion !== undefined)
      normal = `%${position ?? ++sequential}$${length ?? ''}${conversion}`
    else if (i18next !== undefined && !icuNames) normal = `{{${i18next}}}`
    else if (brace !== undefined && !icuNames) normal = `{${brace}}`
    if (normal !== undefined && !found.has(normal)) found.set(normal, written)
  }
  return found
}

/**
 * Placeholders the translation lost or gained. `allowMissing`: plural forms such as `one` may
 * say "1 item" without the count, so only gained placeholders count there.
 */
export function placeholderProblems(
  translation: Placeholders,
  source: Placeholders,
  allowMissing = false
): Problem[] {
  const problems: Problem[] = []
  if (!allowMissing) {
    for (const [normal, written] of source) {
      if (!translation.has(normal))
        problems.push({ check: 'placeholders', message: 'placeholder missing', token: written })
    }
  }
  for (const [normal, written] of translation) {
    if (!source.has(normal))
      problems.push({
        check: 'placeholders',
        message: 'placeholder not in the source',
        token: written
      })
  }
  return problems
}
