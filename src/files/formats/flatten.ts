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
    if (value.length === 0 && key !== '') map.set(key, EMPTY_LIST)
    for (let i = 0; i < value.length; i++) visit(value[i], `${key}[${i}]`, depth + 1, map)
  } else if (isPlainObject(value)) {
    const children = Object.keys(value)
    if (children.length === 0 && key !== '') map.set(key, EMPTY_MAP)
    for (const child of children) {
      visit(value[child], key === '' ? child : `${key}.${child}`, depth + 1, map)
    }
  } else {
    map.set(key, scalarValue(value))
  }
}

/**
 * An empty map or list inside a file is a value of its own (`{"b": {}}` is not `{}`): i18next
 * returns the object, Rails the empty Hash. The whole file being empty is no key.
 */
const EMPTY_MAP = typedScalar('map', '{}')
const EMPTY_LIST = typedScalar('list', '[]')

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
  // A YAML or JSON integer too large for a double, read exactly.
  if (typeof value === 'bigint') return typedScalar('number', String(value))
  return typedScalar(typeof value, String(value))
}
