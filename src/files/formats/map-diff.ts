import type { TranslationMap } from './types.js'

export interface MapDiff {
  added: string[]
  changed: string[]
  removed: string[]
}

/** Unsorted key changes between two flat maps, in one pass over each. */
export function diffMaps(before: TranslationMap, after: TranslationMap): MapDiff {
  const removed: string[] = []
  const changed: string[] = []
  for (const [key, value] of before) {
    const nextValue = after.get(key)
    if (nextValue === undefined) removed.push(key)
    else if (nextValue !== value) changed.push(key)
  }
  const added: string[] = []
  // Every key of `after` not yet matched is new; skip the second pass when there are none.
  if (after.size > before.size - removed.length) {
    for (const key of after.keys()) if (!before.has(key)) added.push(key)
  }
  return { added, changed, removed }
}
