/**
 * Diffs two parsed JSON/YAML trees without flattening them: key strings are built only for the
 * keys that differ, which makes comparing two 10,000-key files several times cheaper than
 * building and comparing two flat maps. Gives the same key names and values as `flattenTree`.
 */
import { decodeText } from './decode.js'
import { isDocumentKey, translationCount } from './document-keys.js'
import { FormatError, MAX_DEPTH, flattenTree, isPlainObject } from './flatten.js'
import { diffMaps, VALUE_CHARS, valueChars } from './map-diff.js'
import type { FormatParser, KeyDiff, ParseContext, ValuePair } from './types.js'

export type Segment = string | number

/** A parser for a tree format: `parse` flattens the tree, `diff` walks both trees. */
export function treeParser(
  parseTree: (content: string, context: ParseContext) => unknown
): FormatParser {
  return {
    parse: (content, context) => flattenTree(parseTree(content, context)),
    diff(previous, next, context) {
      try {
        return diffTrees(
          parseTree(decodeText(previous.content, context.encoding), context),
          parseTree(decodeText(next.content, context.encoding), context)
        )
      } catch {
        return undefined // the caller's full parse names the side and the problem
      }
    }
  }
}

export function diffTrees(previous: unknown, next: unknown): KeyDiff {
  const differ = new TreeDiffer()
  differ.nodes(previous, next, [])
  return differ.result()
}

/**
 * Compares trees node by node and collects the changed keys, their values and the key counts;
 * a caller may feed it the children of two maps one at a time (see tree-stream-diff.ts).
 */
export class TreeDiffer {
  private readonly diff = {
    added: [] as string[],
    changed: [] as string[],
    removed: [] as string[],
    previousKeyCount: 0,
    nextKeyCount: 0,
    values: new Map<string, ValuePair>()
  }
  /** Values of the removed keys, to pair them with added keys of the same name. */
  private readonly removedValues = new Map<string, string>()
  /** Text of the values kept so far; past VALUE_CHARS changed keys' values are not kept. */
  private keptChars = 0

  result(): KeyDiff {
    const { diff, removedValues } = this
    const paired =
      removedValues.size > 0 && diff.added.length > 0
        ? pairRenamedShapes(diff, removedValues)
        : diff
    if (this.keptChars <= VALUE_CHARS) return paired
    return { ...paired, values: undefined, valuesOmitted: true }
  }

  /**
   * Keeps a key's values while they fit VALUE_CHARS; an added key's always, which pairing
   * renamed shapes needs (and a file of mostly new keys is a new file, whose values are not kept).
   */
  private keep(key: string, pair: ValuePair): void {
    this.keptChars += valueChars(key, pair)
    if (this.keptChars <= VALUE_CHARS || pair.before === undefined) this.diff.values.set(key, pair)
  }

  nodes(a: unknown, b: unknown, path: Segment[]): void {
    if (path.length > MAX_DEPTH)
      throw new FormatError(`nesting deeper than ${MAX_DEPTH} levels at "${keyOf(path)}"`)
    const { diff } = this
    if (typeof a === 'string' && typeof b === 'string') {
      if (path.length !== 1 || !isDocumentKey(String(path[0]))) {
        diff.previousKeyCount++
        diff.nextKeyCount++
      }
      if (a !== b) {
        const key = keyOf(path)
        diff.changed.push(key)
        this.keep(key, { before: a, after: b })
      }
    } else if (isPlainObject(a) && isPlainObject(b) && (path.length === 0 || bothFilled(a, b))) {
      for (const key of Object.keys(a)) {
        path.push(key)
        if (Object.hasOwn(b, key)) this.nodes(a[key], b[key], path)
        else this.subtrees(a[key], undefined, path)
        path.pop()
      }
      for (const key of Object.keys(b)) {
        if (Object.hasOwn(a, key)) continue
        path.push(key)
        this.subtrees(undefined, b[key], path)
        path.pop()
      }
    } else if (Array.isArray(a) && Array.isArray(b) && (path.length === 0 || bothFilled(a, b))) {
      const length = Math.max(a.length, b.length)
      for (let index = 0; index < length; index++) {
        path.push(index)
        if (index < a.length && index < b.length) this.nodes(a[index], b[index], path)
        else this.subtrees(a[index], b[index], path)
        path.pop()
      }
    } else {
      this.subtrees(a, b, path)
    }
  }

  /** Rare shapes (a value became a map, a key appeared or vanished): flatten just this subtree. */
  subtrees(a: unknown, b: unknown, path: Segment[]): void {
    const prefix = keyOf(path)
    const before =
      a === undefined ? new Map<string, string>() : flattenTree(a, new Map(), prefix, path.length)
    const after =
      b === undefined ? new Map<string, string>() : flattenTree(b, new Map(), prefix, path.length)
    const { diff } = this
    diff.previousKeyCount += translationCount(before)
    diff.nextKeyCount += translationCount(after)
    const { added, changed, removed, values } = diffMaps(before, after)
    diff.added.push(...added)
    diff.changed.push(...changed)
    diff.removed.push(...removed)
    for (const key of removed) this.removedValues.set(key, before.get(key)!)
    for (const [key, pair] of values) this.keep(key, pair)
  }
}

/**
 * `{"a.b": "1"}` and `{"a": {"b": "1"}}` both flatten to the key `a.b`: one shape removed and the
 * other added is the same key, unchanged if its value is, else changed (as flattening both files
 * and comparing the maps says).
 */
function pairRenamedShapes(diff: KeyDiff, removedValues: Map<string, string>): KeyDiff {
  const values = diff.values!
  const added: string[] = []
  for (const key of diff.added) {
    const before = removedValues.get(key)
    if (before === undefined) {
      added.push(key)
      continue
    }
    removedValues.delete(key)
    const after = values.get(key)!.after!
    if (before === after) values.delete(key)
    else {
      diff.changed.push(key)
      values.set(key, { before, after })
    }
  }
  const removed = diff.removed.filter(key => removedValues.has(key))
  return { ...diff, added, removed }
}

/** Below the top, an empty map or list is a value of its own (flatten.ts): compared as one. */
function bothFilled(a: object, b: object): boolean {
  return !isEmpty(a) && !isEmpty(b)
}

export function isEmpty(object: object): boolean {
  for (const key in object) if (Object.hasOwn(object, key)) return false
  return true
}

/** The key `flattenTree` gives the value at `path`: `a.b[0].c`. */
function keyOf(path: Segment[]): string {
  let key = ''
  for (const segment of path) {
    if (typeof segment === 'number') key += `[${segment}]`
    else key += key === '' ? segment : `.${segment}`
  }
  return key
}
