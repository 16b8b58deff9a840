/**
 * Flattens parsed JSON/YAML trees into `a.b.c` / `list[0]` keys, so nesting and key order stop
 * mattering and every translation can be named in a change summary.
 */
import type { TranslationMap } from './types.js'
import { typedScalar } from './value.js'

/** Deeper than any real translation file; stops cyclic YAML anchors and hostile input. */
export const MAX_DEPTH = 100

export class FormatError extends Error {
  override name = 'FormatError'
}

export function flattenTree(
  tree: unknown,
  map: TranslationMap = new Map(),
  prefix = '',
  depth = 0
): TranslationMap {
  visit(tree, prefix, depth, map)
  return map
}

function visit(value: unknown, key: string, depth: number, map: TranslationMap): void {
  if (depth > MAX_DEPTH)
    throw new FormatError(`nesting deeper than ${MAX_DEPTH} levels at "${key}"`)
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) visit(value[i], `${key}[${i}]`, depth + 1, map)
  } else if (isPlainObject(value)) {
    for (const child of Object.keys(value)) {
      visit(value[child], key === '' ? child : `${key}.${child}`, depth + 1, map)
    }
  } else {
    map.set(key, scalarValue(value))
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  )
}

/**
 * Strings stand for themselves; other scalars get a prefix that no translation contains, so a
 * change from `"1"` to `1` or from `"null"` to `null` still counts as a change.
 */
export function scalarValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Date) return typedScalar('date', value.toISOString())
  return typedScalar(typeof value, String(value))
}
