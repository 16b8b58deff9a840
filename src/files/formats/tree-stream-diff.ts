/**
 * Compares a long download with the repository's tree while the download is read in parts
 * (yaml-parts.ts), so that its own tree is never held: each item is compared with the item of
 * the same key as it comes, and the repository's is marked as seen. The result is what
 * `diffTrees(previous, next)` gives for the whole download's tree: the same node comparisons,
 * in another order. Where the download's tree would not take the shape the parts suggest (a key
 * written twice), the answer is undefined and the caller reads the download whole.
 */
import { MAX_DEPTH, isPlainObject } from './flatten.js'
import { TreeDiffer, isEmpty, type Segment } from './tree-diff.js'
import type { KeyDiff } from './types.js'
import { setOwn, type JsMap, type PartSink } from './parts.js'

/** The repository's item that the download has had already. */
const SEEN = Symbol('seen')
/** No such key in the repository's map. */
const ABSENT = Symbol('absent')

type Tree = Record<string, unknown>

/** Files this deep are read whole: the readers' depth checks count from other places. */
const DEEP = MAX_DEPTH - 5

/**
 * A map of the download: compared item by item with the repository's map of the same key
 * (`previous`), or, where that is no map to compare item by item, built to be compared whole.
 */
type Slot =
  { path: Segment[]; previous: Tree; added: Set<string> } | { path: Segment[]; built: Tree }

export interface StreamOptions {
  /**
   * The download's keys must be the tree's keys (no reader renames them); the download's root
   * map may stand for the tree's root and one document key (a Rails file's `de:` and
   * `[locale]: de`), when `rootKey` says its only key does.
   */
  rootKey?(key: string): string | undefined
  /** A key the reader would rename: such a download is read whole. */
  renamed?(key: string): boolean
}

export class StreamedTreeDiff implements PartSink<Slot | 'raw root'> {
  private readonly differ = new TreeDiffer()
  private readonly streamed: Array<Extract<Slot, { previous: Tree }>> = []
  private readonly built: Array<{ path: Segment[]; before: unknown; tree: Tree }> = []
  private rootTaken = false

  /** `previous`: the repository's tree, which this comparison marks as it goes. */
  constructor(
    private readonly previous: Tree,
    private readonly options: StreamOptions = {}
  ) {}

  root(like: JsMap): Slot | 'raw root' | undefined {
    if (like instanceof Map) return undefined
    return this.options.rootKey ? 'raw root' : this.treeRoot()
  }

  open(parent: Slot | 'raw root', key: unknown, like: JsMap): Slot | undefined {
    if (like instanceof Map || typeof key !== 'string' || this.options.renamed?.(key))
      return undefined
    if (parent === 'raw root') return this.openRoot(key)
    if (parent.path.length >= DEEP) return undefined
    const path = [...parent.path, key]
    if ('built' in parent) {
      const tree: Tree = {}
      setOwn(parent.built, key, tree)
      return { path, built: tree }
    }
    const before = this.take(parent, key)
    if (before === SEEN) return undefined
    // Item by item only where diffTrees would compare item by item: two maps with items (an
    // opened map has them).
    if (isPlainObject(before) && !isEmpty(before)) {
      const slot = { path, previous: before, added: new Set<string>() }
      this.streamed.push(slot)
      return slot
    }
    const tree: Tree = {}
    this.built.push({ path, before, tree })
    return { path, built: tree }
  }

  add(parent: Slot | 'raw root', key: unknown, value: unknown): boolean {
    if (parent === 'raw root' || typeof key !== 'string') return false
    if (!this.plain(value, parent.path.length + 1)) return false
    if (this.options.renamed?.(key)) return false
    if ('built' in parent) {
      setOwn(parent.built, key, value)
      return true
    }
    const before = this.take(parent, key)
    if (before === SEEN) return false
    const path = [...parent.path, key]
    if (before === ABSENT) this.differ.subtrees(undefined, value, path)
    else this.differ.nodes(before, value, path)
    return true
  }

  /** The comparison, once every part was read: what the repository has and the download not. */
  result(): KeyDiff {
    for (const { path, previous } of this.streamed) {
      for (const key of Object.keys(previous)) {
        if (previous[key] !== SEEN) this.differ.subtrees(previous[key], undefined, [...path, key])
      }
    }
    for (const { path, before, tree } of this.built) {
      if (before === ABSENT) this.differ.subtrees(undefined, tree, path)
      else this.differ.nodes(before, tree, path)
    }
    return this.differ.result()
  }

  private treeRoot(): Slot {
    const slot = { path: [], previous: this.previous, added: new Set<string>() }
    this.streamed.push(slot)
    return slot
  }

  /** The download's only root key, standing for its root: compared from the tree's root. */
  private openRoot(key: string): Slot | undefined {
    const documentKey = this.rootTaken ? undefined : this.options.rootKey!(key)
    this.rootTaken = true
    if (documentKey === undefined) return undefined
    const slot = this.treeRoot()
    return this.add(slot, documentKey, key) ? slot : undefined
  }

  /** The repository's value of `key` in `slot` (SEEN: the download has it twice), now seen. */
  private take(slot: Extract<Slot, { previous: Tree }>, key: string): unknown {
    if (!Object.hasOwn(slot.previous, key)) {
      if (slot.added.has(key)) return SEEN
      slot.added.add(key)
      return ABSENT
    }
    const before = slot.previous[key]
    setOwn(slot.previous, key, SEEN)
    return before
  }

  /** No key in `value` that the reader would rename, and nothing near the depth limit. */
  private plain(value: unknown, depth: number): boolean {
    if (depth >= DEEP) return false
    if (Array.isArray(value)) return value.every(item => this.plain(item, depth + 1))
    if (!isPlainObject(value)) return !(value instanceof Map)
    return Object.entries(value).every(
      ([key, item]) => !this.options.renamed?.(key) && this.plain(item, depth + 1)
    )
  }
}
