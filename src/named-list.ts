/**
 * Lists of names in messages stay short: a project with 200 locales must not print 200 names
 * on one line (nor 200 lines) when one cause explains them all.
 */

/** Names listed in one line before "and N more". */
export const NAMED_FILES = 10

/** `a, b, c and 7 more`: at most `max` names, then the count of the rest. */
export function namedList(names: string[], max = NAMED_FILES): string {
  if (names.length <= max) return names.join(', ')
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`
}

/** Groups `items` by the text `causeOf` gives, in first-seen order: one entry per cause. */
export function byCause<T>(items: T[], causeOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const cause = causeOf(item)
    groups.set(cause, [...(groups.get(cause) ?? []), item])
  }
  return groups
}
