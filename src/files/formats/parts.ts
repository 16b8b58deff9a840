/**
 * What reading a long file in parts (yaml-parts.ts, json-parts.ts) hands on: items of maps, in
 * document order, to a sink that builds the file's tree (`TreeBuilder`), its TranslationMap
 * (flat-stream.ts) or compares it with another tree as it comes (tree-stream-diff.ts).
 */

/** A map read as a JS object or, with `mapAsMap`, as a Map. */
export type JsMap = Record<string, unknown> | Map<unknown, unknown>

/**
 * Where the parts go, in document order; `TreeBuilder` makes the tree of the whole document, a
 * comparison may compare them as they come (tree-stream-diff.ts). A false or undefined answer:
 * read the file whole.
 */
export interface PartSink<Slot> {
  /** The root map, a JS object or a Map like `like`. */
  root(like: JsMap): Slot | undefined
  /** The map (with items) of the item `key` of `parent`, read in parts from now on. */
  open(parent: Slot, key: unknown, like: JsMap): Slot | undefined
  /** A complete item of `parent`. */
  add(parent: Slot, key: unknown, value: unknown): boolean
}

/**
 * Puts the parts together into the tree of the whole document. `duplicates`: `last`, a key that
 * comes again replaces its value where it first came (as a JS object or Map does); `whole`: the
 * file is read whole.
 */
export class TreeBuilder implements PartSink<JsMap> {
  tree: JsMap | undefined

  constructor(private readonly duplicates: 'last' | 'whole' = 'last') {}

  root(like: JsMap): JsMap {
    return (this.tree = emptyLike(like))
  }

  open(parent: JsMap, key: unknown, like: JsMap): JsMap | undefined {
    const map = emptyLike(like)
    return this.add(parent, key, map) ? map : undefined
  }

  add(target: JsMap, key: unknown, value: unknown): boolean {
    const known = target instanceof Map ? target.has(key) : Object.hasOwn(target, key as string)
    if (known && this.duplicates === 'whole') return false
    if (target instanceof Map) target.set(key, value)
    else setOwn(target, key as string, value)
    return true
  }
}

export function isJsMap(value: unknown): value is JsMap {
  if (value instanceof Map) return true
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function emptyLike(map: JsMap): JsMap {
  return map instanceof Map ? new Map() : {}
}

export function entriesOf(map: JsMap): Array<[unknown, unknown]> {
  return map instanceof Map ? [...map] : Object.entries(map)
}

/** `object[key] = value`, also for a key named `__proto__` (data, not the prototype). */
export function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true
  })
}
