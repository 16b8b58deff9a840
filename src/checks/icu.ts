/**
 * ICU MessageFormat: a message that does not parse, or whose plural/select arguments differ from
 * the source's. Parsed with @formatjs/icu-messageformat-parser, and only where the text looks like
 * ICU (an argument with a type), so plain text with braces is never judged as ICU.
 */
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser'
import type { Problem } from './types.js'

const ICU_LIKE =
  /\{\s*[\p{L}\p{N}_.-]+\s*,\s*(?:plural|selectordinal|select|number|date|time)\s*[,}]/u

export function looksLikeIcu(text: string): boolean {
  return text.includes(',') && ICU_LIKE.test(text)
}

export type IcuParse = { ast: MessageFormatElement[] } | { error: string }

/** Tags are left to the tag check: `ignoreTag` reads `<b>` as text. */
export function parseIcu(text: string): IcuParse {
  try {
    return { ast: parse(text, { ignoreTag: true }) }
  } catch (error) {
    return { error: describeError(error, text.length) }
  }
}

interface ParseLocation {
  start?: { offset?: number }
  end?: { offset?: number }
}

/**
 * Where the problem is, in characters counted from 1. A missing closing brace is reported by the
 * parser at the argument it fails to close (its start) and at the place the brace was expected
 * (its end): the message names both, the place first. MISSING_OTHER_CLAUSE at offset 31 → "missing
 * other clause at character 32".
 */
function describeError(error: unknown, length: number): string {
  const kind = error instanceof Error ? error.message : String(error)
  const words = kind.toLowerCase().replace(/_/g, ' ')
  const { start, end } = (error as { location?: ParseLocation }).location ?? {}
  if (start?.offset === undefined) return words
  const from = start.offset + 1
  const to = end?.offset ?? start.offset
  if (/CLOSING_BRACE$/.test(kind)) {
    const where = to >= length ? 'at the end' : `at character ${to + 1}`
    return `"}" missing ${where}, to close the argument that opens at character ${from}`
  }
  return to > start.offset
    ? `${words} at characters ${from}–${to}`
    : `${words} at character ${from}`
}

type ComplexType = 'plural' | 'selectordinal' | 'select'

/** Every argument name in the message (any depth), and the kind of each plural/select one. */
export function icuArguments(ast: MessageFormatElement[]): {
  names: Set<string>
  complex: Map<string, ComplexType>
} {
  const names = new Set<string>()
  const complex = new Map<string, ComplexType>()
  const visit = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      switch (element.type) {
        case TYPE.argument:
        case TYPE.number:
        case TYPE.date:
        case TYPE.time:
          names.add(element.value)
          break
        case TYPE.plural:
        case TYPE.select:
          names.add(element.value)
          complex.set(
            element.value,
            element.type === TYPE.select
              ? 'select'
              : element.pluralType === 'ordinal'
                ? 'selectordinal'
                : 'plural'
          )
          for (const option of Object.values(element.options)) visit(option.value)
          break
        case TYPE.tag:
          visit(element.children)
          break
      }
    }
  }
  visit(ast)
  return { names, complex }
}

/** Plural/select arguments that went missing, appeared, or changed kind. */
export function icuProblems(translation: IcuParse, source: IcuParse | undefined): Problem[] {
  if ('error' in translation)
    return [{ check: 'icu', message: `ICU message does not parse: ${translation.error}` }]
  if (!source || 'error' in source) return []
  const want = icuArguments(source.ast).complex
  const have = icuArguments(translation.ast).complex
  const problems: Problem[] = []
  for (const [name, kind] of want) {
    const found = have.get(name)
    if (!found) problems.push({ check: 'icu', message: `${kind} argument missing`, token: name })
    else if (found !== kind)
      problems.push({ check: 'icu', message: `${kind} argument became ${found}`, token: name })
  }
  for (const [name, kind] of have) {
    if (!want.has(name))
      problems.push({ check: 'icu', message: `${kind} argument not in the source`, token: name })
  }
  return problems
}
