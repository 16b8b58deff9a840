import type { TranslationMap, ValuePair } from './types.js'

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
