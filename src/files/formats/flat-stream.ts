/**
 * Flattens a long file while it is read in parts (yaml-parts.ts): each part's items go straight
 * into the TranslationMap, and no tree of the whole file is held. The map is the one
 * `flattenTree` gives for the whole file's tree, as long as no key comes twice: a key written
 * twice in one map, or two keys that flatten to one name, make the file be read whole.
 */
import { MAX_DEPTH, flattenTree, isPlainObject } from './flatten.js'
import type { TranslationMap } from './types.js'
import type { JsMap, PartSink } from './parts.js'

/** A map of the file: the key its items are flattened under, and the keys it has had. */
interface Slot {
  prefix: string
  depth: number
  keys: Set<string>
}

/** Files this deep are read whole: the readers' depth checks count from other places. */
const DEEP = MAX_DEPTH - 5

export interface FlatStreamOptions {
  /**
   * The tree's root map may be the file's only root key and one document key (a Rails file's
   * `de:` and `[locale]: de`), when `rootKey` says so for that key.
   */
  rootKey?(key: string): string | undefined
  /** A key the reader would rename: such a file is read whole. */
  renamed?(key: string): boolean
  /** Hears each key and value instead of the map, which then stays empty (only names are kept). */
  visit?(key: string, value: string): void
}

export class FlatStream implements PartSink<Slot | 'raw root'> {
  readonly map: TranslationMap = new Map()
  /** With `visit`: the keys so far, to tell a key that comes twice. */
  private readonly names = new Set<string>()
  private rootTaken = false

  constructor(private readonly options: FlatStreamOptions = {}) {}

  root(like: JsMap): Slot | 'raw root' | undefined {
    if (like instanceof Map) return undefined
    return this.options.rootKey ? 'raw root' : { prefix: '', depth: 0, keys: new Set() }
  }

  open(parent: Slot | 'raw root', key: unknown, like: JsMap): Slot | undefined {
    if (like instanceof Map || typeof key !== 'string' || this.options.renamed?.(key))
      return undefined
    if (parent === 'raw root') return this.openRoot(key)
    if (!this.claim(parent, key) || parent.depth >= DEEP) return undefined
    return { prefix: join(parent.prefix, key), depth: parent.depth + 1, keys: new Set() }
  }

  add(parent: Slot | 'raw root', key: unknown, value: unknown): boolean {
    if (parent === 'raw root' || typeof key !== 'string' || !this.claim(parent, key)) return false
    if (this.options.renamed?.(key) || !this.plain(value, parent.depth + 1)) return false
    const entries = flattenTree(value, new Map(), join(parent.prefix, key), parent.depth + 1)
    for (const [name, text] of entries) if (!this.emit(name, text)) return false
    return true
  }

  private emit(name: string, text: string): boolean {
    const { visit } = this.options
    if (!visit) {
      if (this.map.has(name)) return false
      this.map.set(name, text)
      return true
    }
    if (this.names.has(name)) return false
    this.names.add(name)
    visit(name, text)
    return true
  }

  private openRoot(key: string): Slot | undefined {
    const documentKey = this.rootTaken ? undefined : this.options.rootKey!(key)
    this.rootTaken = true
    if (documentKey === undefined || !this.emit(documentKey, key)) return undefined
    return { prefix: '', depth: 0, keys: new Set([documentKey]) }
  }

  /** The first item of this key in its map; a second one: read the file whole. */
  private claim(slot: Slot, key: string): boolean {
    if (slot.keys.has(key)) return false
    slot.keys.add(key)
    return true
  }

  /** No key in `value` that the reader would rename, and nothing near the depth limit. */
  private plain(value: unknown, depth: number): boolean {
    if (depth >= DEEP) return false
    if (Array.isArray(value)) return value.every(item => this.plain(item, depth + 1))
    if (!isPlainObject(value)) return true
    return Object.entries(value).every(
      ([key, item]) => !this.options.renamed?.(key) && this.plain(item, depth + 1)
    )
  }
}

/** The flattened name of `key` under `prefix` (flatten.ts). */
function join(prefix: string, key: string): string {
  return prefix === '' ? key : `${prefix}.${key}`
}
