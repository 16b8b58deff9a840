/**
 * Checks one translated text against the source locale's text of the same key: empty, ICU,
 * placeholders, tags. Plural forms are matched to the source's forms: a language has forms the
 * source lacks (`few`, `many`), and a `one` form may say "1 item" without the count.
 */
import { emptyProblems } from './empty.js'
import { icuArguments, icuProblems, looksLikeIcu, parseIcu, type IcuParse } from './icu.js'
import { placeholderProblems, placeholders } from './placeholders.js'
import { tagProblems, tagSummary } from './tags.js'
import type { Problem } from './types.js'

/** `cart.items.one`, `items_one` (i18next), `msgid[0]` (gettext plural forms). */
const PLURAL_KEY = /^(.*?)(\.|_)(zero|one|two|few|many|other)$|^(.*)\[(\d+)\]$/

export interface PluralForm {
  /** The same plural in the `other` form (gettext: form 1), where the source has most words. */
  otherKey: string
  /** Forms other than `other` may drop placeholders ("1 item", "一件"). */
  mayDropPlaceholders: boolean
}

export function pluralForm(key: string): PluralForm | undefined {
  const match = PLURAL_KEY.exec(key)
  if (!match) return undefined
  if (match[3] !== undefined)
    return { otherKey: `${match[1]}${match[2]}other`, mayDropPlaceholders: match[3] !== 'other' }
  return { otherKey: `${match[4]}[1]`, mayDropPlaceholders: match[5] === '0' }
}

/** The source text a key is checked against: the same key, or its plural's `other` form. */
export function sourceTextFor(
  key: string,
  source: (key: string) => string | undefined
): { text: string | undefined; mayDropPlaceholders: boolean } {
  const plural = pluralForm(key)
  const text = source(key) ?? (plural ? source(plural.otherKey) : undefined)
  return { text, mayDropPlaceholders: plural?.mayDropPlaceholders ?? false }
}

/** Every locale's text of a key meets the same source text: parse it once (a bounded cache). */
const sourceParses = new Map<string, IcuParse>()
const MAX_CACHED_PARSES = 5_000

function parseSource(text: string): IcuParse {
  let parsed = sourceParses.get(text)
  if (!parsed) {
    if (sourceParses.size >= MAX_CACHED_PARSES) sourceParses.clear()
    parsed = parseIcu(text)
    sourceParses.set(text, parsed)
  }
  return parsed
}

/** Problems of `text`; without a source only what needs none (ICU syntax, tag nesting). */
export function textProblems(
  text: string,
  source: string | undefined,
  mayDropPlaceholders = false
): Problem[] {
  const empty = emptyProblems(text, source)
  if (text.trim() === '') return empty

  const problems: Problem[] = []
  let names: Set<string> | undefined
  let sourceNames: Set<string> | undefined
  let comparable = source !== undefined
  if (looksLikeIcu(text) || (source !== undefined && looksLikeIcu(source))) {
    const parsed = parseIcu(text)
    const sourceParsed = source !== undefined ? parseSource(source) : undefined
    problems.push(...icuProblems(parsed, sourceParsed))
    // A message that does not parse has no arguments to compare; that finding says enough.
    if ('ast' in parsed) names = icuArguments(parsed.ast).names
    else comparable = false
    if (sourceParsed && 'ast' in sourceParsed) sourceNames = icuArguments(sourceParsed.ast).names
    else comparable = false
  }
  if (comparable && source !== undefined) {
    problems.push(
      ...placeholderProblems(
        placeholders(text, names),
        placeholders(source, sourceNames),
        mayDropPlaceholders
      )
    )
  }
  problems.push(
    ...tagProblems(tagSummary(text), source !== undefined ? tagSummary(source) : undefined)
  )
  return problems
}
