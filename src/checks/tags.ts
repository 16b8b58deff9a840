/**
 * HTML/XML tags in a translation: every opened tag closed in order (void elements such as `<br>`
 * need no closing tag), and the same tag names as the source. Numbered tags (`<0>…</0>`, as
 * react-i18next's Trans uses) count as tags too.
 */
import type { Problem } from './types.js'

const TAG = /<(\/?)([A-Za-z][\w:.-]*|\d+)(?:\s[^<>]*?)?(\/?)>/g
const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'source',
  'track',
  'wbr'
])

export interface TagSummary {
  /** Lower-cased names of the opening (and void/self-closing) tags. */
  names: Set<string>
  /** What breaks the nesting, e.g. "`<b>` not closed"; empty when balanced. */
  unbalanced: Problem[]
}

const NO_TAGS: TagSummary = { names: new Set(), unbalanced: [] }

export function tagSummary(text: string): TagSummary {
  if (!text.includes('<')) return NO_TAGS
  const names = new Set<string>()
  const open: string[] = []
  const unbalanced: Problem[] = []
  for (const [, closing, rawName, selfClosing] of text.matchAll(TAG)) {
    const name = rawName.toLowerCase()
    if (closing) {
      const at = open.lastIndexOf(name)
      if (at < 0) {
        unbalanced.push({
          check: 'tags',
          message: 'closing tag without an opening one',
          token: `</${name}>`
        })
        continue
      }
      for (const unclosed of open.splice(at).slice(1)) {
        unbalanced.push({ check: 'tags', message: 'tag not closed', token: `<${unclosed}>` })
      }
    } else {
      names.add(name)
      if (!selfClosing && !VOID.has(name)) open.push(name)
    }
  }
  for (const unclosed of open)
    unbalanced.push({ check: 'tags', message: 'tag not closed', token: `<${unclosed}>` })
  return { names, unbalanced }
}

/**
 * Unbalanced tags (unless the source has a flaw of its own) and tag names unlike the source's;
 * without a source (undefined) only the nesting is checked.
 */
export function tagProblems(translation: TagSummary, source: TagSummary | undefined): Problem[] {
  const problems: Problem[] = []
  if ((source?.unbalanced.length ?? 0) === 0) problems.push(...translation.unbalanced)
  if (source === undefined) return problems
  const have = translation.names
  for (const name of source.names)
    if (!have.has(name))
      problems.push({ check: 'tags', message: 'tag missing', token: `<${name}>` })
  for (const name of have)
    if (!source.names.has(name))
      problems.push({ check: 'tags', message: 'tag not in the source', token: `<${name}>` })
  return problems
}
