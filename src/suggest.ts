/**
 * "Did you mean": the known names closest to what someone wrote, for error messages. A name that
 * differs only in case comes first; then, by edit distance (`leven`), names a typo away and names
 * that contain what was written or are contained in it (`json` → `nested_json`).
 */
import leven from 'leven'

/** Up to `max` of `names` close to `written`, closest first; empty when none is close. */
export function closestNames(written: string, names: readonly string[], max = 3): string[] {
  const wanted = written.trim().toLowerCase()
  if (!wanted) return []
  const typoDistance = Math.max(1, Math.floor(wanted.length / 3))
  return [...new Set(names)]
    .map(name => ({
      name,
      rank: name === written.trim() ? -1 : rank(wanted, name.toLowerCase(), typoDistance)
    }))
    .filter((entry): entry is { name: string; rank: number } => entry.rank !== undefined)
    .sort((a, b) => a.rank - b.rank || a.name.length - b.name.length || (a.name < b.name ? -1 : 1))
    .slice(0, max)
    .map(entry => entry.name)
}

/** Lower is closer; undefined: not close at all. */
function rank(wanted: string, name: string, typoDistance: number): number | undefined {
  if (name === wanted) return 0
  const distance = leven(wanted, name)
  const contains = wanted.length >= 2 && (name.includes(wanted) || wanted.includes(name))
  return contains || distance <= typoDistance ? 1 + distance : undefined
}
