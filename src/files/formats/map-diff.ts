import type { TranslationMap, ValuePair } from './types.js'

/**
 * Values are kept up to this much text (keys, before and after). A file whose every key changed
 * would otherwise hold all of its text twice, beside the comparison and then through the commit
 * and the pull request, which show a few hundred of them at most.
 */
export const VALUE_CHARS = 8 * 1024 * 1024

/** The text a kept value costs. */
export function valueChars(key: string, pair: ValuePair): number {
  return key.length + (pair.before?.length ?? 0) + (pair.after?.length ?? 0)
}

export interface MapDiff {
  added: string[]
  changed: string[]
  removed: string[]
  /** Values of the changed and added keys only: what reports and checks read. */
  values: Map<string, ValuePair>
}

/** Unsorted key changes between two flat maps, in one pass over each. */
export function diffMaps(before: TranslationMap, after: TranslationMap): MapDiff {
  const removed: string[] = []
  const changed: string[] = []
  const values = new Map<string, ValuePair>()
  for (const [key, value] of before) {
    const nextValue = after.get(key)
    if (nextValue === undefined) removed.push(key)
    else if (nextValue !== value) {
      changed.push(key)
      values.set(key, { before: value, after: nextValue })
    }
  }
  const added: string[] = []
  // Every key of `after` not yet matched is new; skip the second pass when there are none.
  if (after.size > before.size - removed.length) {
    for (const [key, value] of after) {
      if (before.has(key)) continue
      added.push(key)
      values.set(key, { after: value })
    }
  }
  return { added, changed, removed, values }
}
