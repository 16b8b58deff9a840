import type { Problem } from './types.js'

/** A translation left empty (or blank) where the source says something. */
export function emptyProblems(translation: string, source: string | undefined): Problem[] {
  if (translation.trim() !== '' || source === undefined || source.trim() === '') return []
  return [{ check: 'empty', message: 'empty translation; the source has text' }]
}
