/**
 * What the `yaml` package leaves to its caller on hostile input, in linear time:
 * - duplicate keys: its own check compares each key with every earlier key of its map, which
 *   takes seconds at 10,000 keys and minutes at 100,000, so it is turned off and done here;
 * - alias expansion: its `maxAliasCount` counts aliases relative to the aliases inside each
 *   anchor, not the anchor's size, so 99 aliases of a 10,000-key map pass and expand to a
 *   million keys. Here nodes are counted with each anchor measured once.
 */
import {
  isAlias,
  isCollection,
  isPair,
  isScalar,
  visit,
  type Document,
  type Node,
  type Scalar
} from 'yaml'

/** Options for `parseDocument`: no quadratic duplicate-key check (see `duplicateKeys`). */
export const LINEAR_PARSE = { uniqueKeys: false } as const

/** The second (and later) key of each name in a map, in document order. */
export function duplicateKeys(doc: Document): Scalar[] {
  const duplicates: Scalar[] = []
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>()
      for (const { key } of map.items) {
        if (!isScalar(key) || typeof key.value === 'symbol' || key.value === '<<') continue
        if (seen.has(key.value)) duplicates.push(key)
        else seen.add(key.value)
      }
    }
  })
  return duplicates
}

/** Aliases may add this many nodes, or as many as the document has itself if that is more. */
const MAX_ALIAS_NODES = 100_000

export class AliasExpansionError extends Error {
  override name = 'AliasExpansionError'
}

export function checkAliasExpansion(doc: Document): void {
  const sizes = new Map<Node, number>()
  const inProgress = new Set<Node>()
  // An alias names the last anchor of its name before it: the walk is in document order.
  const anchors = new Map<string, Node>()
  let own = 0
  const size = (node: unknown, counted: boolean): number => {
    if (isAlias(node)) {
      const target = anchors.get(node.source)
      if (!target) return 1
      if (inProgress.has(target))
        throw new AliasExpansionError(`the alias *${node.source} is inside its own anchor`)
      return 1 + (sizes.get(target) ?? measure(target, false))
    }
    if (isScalar(node)) {
      if (counted) own++
      if (node.anchor) anchors.set(node.anchor, node)
      return 1
    }
    if (isCollection(node)) return measure(node, counted)
    return 0
  }
  const measure = (node: Node, counted: boolean): number => {
    const known = sizes.get(node)
    if (known !== undefined) return known
    inProgress.add(node)
    if (isCollection(node) && node.anchor) anchors.set(node.anchor, node)
    let total = 1
    if (counted) own++
    if (isCollection(node)) {
      for (const item of node.items) {
        if (isPair(item)) total += size(item.key, counted) + size(item.value, counted)
        else total += size(item, counted)
      }
    }
    inProgress.delete(node)
    sizes.set(node, total)
    return total
  }
  const expanded = size(doc.contents, true)
  if (expanded - own > Math.max(MAX_ALIAS_NODES, own)) {
    throw new AliasExpansionError(
      `aliases expand the document from ${own} to ${expanded} nodes (at most ${Math.max(MAX_ALIAS_NODES, own)} more are read)`
    )
  }
}
