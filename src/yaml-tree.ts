/**
 * Where things are in a parsed YAML document, for messages that name the line: follows aliases and
 * merge keys, so a key that came from `<<: *defaults` is reported where it is written.
 */
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type Pair
} from 'yaml'

/** A parsed document and its line positions. */
export class YamlTree {
  constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
    readonly fileName: string
  ) {}

  at(node: Node | null | undefined): string {
    const offset = node?.range?.[0]
    return offset === undefined
      ? this.fileName
      : `${this.fileName}:${this.lines.linePos(offset).line}`
  }

  /** The key node of `key` in a mapping node, merged in or not. */
  keyNode(map: Node | null | undefined, key: string): Node | undefined {
    return this.pair(map, key)?.key as Node | undefined
  }

  /** The value node of `key` in a mapping node, merged in or not, aliases followed. */
  child(map: Node | null | undefined, key: string): Node | undefined {
    return this.resolve(this.pair(map, key)?.value as Node | undefined)
  }

  private pair(map: Node | null | undefined, key: string): Pair | undefined {
    const resolved = this.resolve(map)
    if (!isMap(resolved)) return undefined
    // The last of a key written twice is the one read (yaml.v2, as the Phrase CLI reads it).
    const own = resolved.items.findLast(pair => isScalar(pair.key) && pair.key.value === key)
    if (own) return own
    for (const source of this.mergeSources(resolved.items)) {
      const found = this.pair(source, key)
      if (found) return found
    }
    return undefined
  }

  item(seq: Node | undefined, index: number): Node | undefined {
    const resolved = this.resolve(seq)
    return isSeq(resolved) ? this.resolve(resolved.items[index] as Node) : undefined
  }

  private resolve(node: Node | null | undefined): Node | undefined {
    if (isAlias(node)) return (node.resolve(this.doc) as Node | undefined) ?? undefined
    return node ?? undefined
  }

  private *mergeSources(pairs: Array<{ key: unknown; value: unknown }>): Generator<Node> {
    for (const pair of pairs) {
      if (!isScalar(pair.key) || typeof pair.key.value !== 'symbol') continue
      const value = this.resolve(pair.value as Node)
      if (isSeq(value)) for (const item of value.items) yield this.resolve(item as Node) as Node
      else if (value) yield value
    }
  }
}
