/**
 * The changes of a pull request seen by key across locales: a key removed from every locale is one
 * change, not thirty, and a key removed from one locale alone stands out. Files are grouped into
 * families (one path template: `config/locales/<locale>.yml`); within a family each key and kind of
 * change (removed, changed, added) is grouped with the other keys that changed in exactly the same
 * locales. Pure: the report renders what this decides.
 */
import type { FileReport } from './file-report.js'

export type Kind = 'removed' | 'changed' | 'added'
export const KINDS: Kind[] = ['removed', 'changed', 'added']

/**
 * How widely a group's change spread over its family's changed files: `all` of them, `almost` all
 * (90 % or more), `few` (10 % or less, at least one), `some` in between.
 */
export type Spread = 'all' | 'almost' | 'some' | 'few'

export interface KeyGroup {
  family: string
  kind: Kind
  keys: string[]
  /** The files (one per locale) with this change, in the family's order. */
  files: FileReport[]
  /** Changed files in the family. */
  total: number
  /**
   * Locales of the family's changed files without this change: named only where a report names
   * them (`almost`, `some`), else empty.
   */
  without: string[]
  spread: Spread
}

export interface KeyView {
  /** Path templates of the families with changed files (new ones aside), in order of appearance. */
  families: string[]
  /** Groups a reviewer should see first: partial removals, exceptions, one-locale changes. */
  unusual: KeyGroup[]
  /** Groups shared by every locale, or by a fair share of them. */
  common: KeyGroup[]
  /** Changed files alone in their family: nothing to compare them with. */
  alone: Set<FileReport>
  /** New files by family. */
  created: Map<string, FileReport[]>
  /** Files an earlier run wrote that this run did not download. */
  carried: FileReport[]
  /** Files without a key-level diff. */
  whole: FileReport[]
  /** The family of each file with keys. */
  familyOf: Map<FileReport, string>
}

export const LOCALE_PLACEHOLDER = '<locale>'

/**
 * The path with its locale's name and code replaced by `<locale>`: what the files of one target
 * share. Only whole words are replaced (`en` in `content/en.yml`, not in `content`).
 */
export function familyOf(file: Pick<FileReport, 'path' | 'locale' | 'localeCode'>): string {
  const names = [file.localeCode, file.locale]
    .filter((name): name is string => !!name)
    .sort((a, b) => b.length - a.length)
  let path = file.path
  for (const name of names) path = replaceWord(path, name, LOCALE_PLACEHOLDER)
  return path
}

/** Linear: indexOf steps, no pattern built from remote text. */
function replaceWord(text: string, word: string, by: string): string {
  let out = ''
  let from = 0
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    if (at < from) continue
    const before = text[at - 1]
    const after = text[at + word.length]
    if (isWordChar(before) || isWordChar(after)) continue
    out += text.slice(from, at) + by
    from = at + word.length
  }
  return out + text.slice(from)
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char)
}

export function keyView(files: FileReport[]): KeyView {
  const view: KeyView = {
    families: [],
    unusual: [],
    common: [],
    alone: new Set(),
    created: new Map(),
    carried: [],
    whole: [],
    familyOf: new Map()
  }
  const byFamily = new Map<string, FileReport[]>()
  for (const file of files) {
    if (file.carriedFrom !== undefined) view.carried.push(file)
    else if (!file.keys) view.whole.push(file)
    else {
      const family = familyOf(file)
      view.familyOf.set(file, family)
      if (file.status === 'added') {
        const created = view.created.get(family) ?? []
        view.created.set(family, [...created, file])
      } else byFamily.set(family, [...(byFamily.get(family) ?? []), file])
    }
  }
  view.families = [...byFamily.keys()]
  const unusual: Array<{ group: KeyGroup; rank: number }> = []
  for (const [family, members] of byFamily) {
    if (members.length === 1) {
      view.alone.add(members[0])
      continue
    }
    for (const group of familyGroups(family, members)) {
      const rank = unusualRank(group)
      if (rank === undefined) view.common.push(group)
      else unusual.push({ group, rank })
    }
  }
  view.unusual = unusual
    .sort((a, b) => a.rank - b.rank || b.group.keys.length - a.group.keys.length)
    .map(entry => entry.group)
  view.common.sort(
    (a, b) =>
      KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind) ||
      b.files.length - a.files.length ||
      b.keys.length - a.keys.length
  )
  return view
}

/**
 * Where an unusual group goes among the others (lower first); undefined for a common group.
 * A removal that not every locale shares comes first: keys that Phrase left out of one export
 * (an emptied translation) look exactly like that. Then the locales a shared change skipped, then
 * changes and additions in a few locales only.
 */
export function unusualRank(group: KeyGroup): number | undefined {
  switch (group.spread) {
    case 'all':
      return undefined
    case 'almost':
      return 1
    case 'some':
      return group.kind === 'removed' ? 0 : undefined
    case 'few':
      return group.kind === 'removed' ? 0 : group.kind === 'changed' ? 3 : 4
  }
}

function familyGroups(family: string, members: FileReport[]): KeyGroup[] {
  // (kind, key) → indexes of the files that have it; insertion order keeps the files' key order.
  const where = new Map<string, number[]>()
  members.forEach((file, index) => {
    for (const kind of KINDS) {
      for (const key of file.keys![kind]) {
        const id = `${kind}\0${key}`
        const list = where.get(id)
        if (list) list.push(index)
        else where.set(id, [index])
      }
    }
  })
  const groups = new Map<string, KeyGroup>()
  for (const [id, indexes] of where) {
    const split = id.indexOf('\0')
    const kind = id.slice(0, split) as Kind
    const key = id.slice(split + 1)
    const signature = `${kind}\0${indexes.join(',')}`
    const group = groups.get(signature)
    if (group) {
      group.keys.push(key)
      continue
    }
    const spread = spreadOf(indexes.length, members.length)
    const present = new Set(indexes)
    const without =
      spread === 'almost' || spread === 'some'
        ? members.filter((_, index) => !present.has(index)).map(file => file.locale)
        : []
    groups.set(signature, {
      family,
      kind,
      keys: [key],
      files: indexes.map(index => members[index]),
      total: members.length,
      without,
      spread
    })
  }
  return [...groups.values()]
}

export function spreadOf(count: number, total: number): Spread {
  if (count === total) return 'all'
  if (count >= Math.ceil(total * 0.9)) return 'almost'
  if (count <= Math.max(1, Math.floor(total / 10))) return 'few'
  return 'some'
}
