/**
 * "Did you mean …": the known names closest to a mistyped one, so an error can say what to write.
 */

/** Levenshtein distance (insertions, deletions, substitutions), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const current = [i]
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1)
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution))
    }
    previous = current
  }
  return previous[t.length]
}

/**
 * The candidates within a third of the word's length (at least 2 edits) and at most one edit
 * further than the nearest, nearest first: close enough to be the typo, and no also-rans.
 */
export function closestNames(word: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(word.length / 3))
  const near = [...new Set(candidates)]
    .map(name => ({ name, distance: editDistance(word, name) }))
    .filter(({ distance }) => distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.name.localeCompare(b.name))
  const best = near[0]?.distance ?? 0
  return near
    .filter(({ distance }) => distance <= best + 1)
    .slice(0, max)
    .map(({ name }) => name)
}

/** ` (did you mean "a" or "b"?)`, or nothing when no name is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const close = closestNames(word, candidates)
  if (close.length === 0) return ''
  const quoted = close.map(name => `"${name}"`)
  const list =
    quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`
  return ` (did you mean ${list}?)`
}
