/**
 * The diff shortcuts (PO regions, tree walk) must give exactly what parsing both files into maps
 * gives. Randomised with a fixed seed, over realistic files and realistic edits.
 */
import { describe, it, expect } from '@jest/globals'
import { compareFile } from '../../src/files/diff.js'
import { translationCount } from '../../src/files/formats/document-keys.js'
import { flattenTree } from '../../src/files/formats/flatten.js'
import { parserFor, type TranslationMap } from '../../src/files/formats/index.js'
import { diffMaps } from '../../src/files/formats/map-diff.js'
import { splitPoRegions } from '../../src/files/formats/po-regions.js'
import { diffTrees } from '../../src/files/formats/tree-diff.js'
import type { KeyDiff } from '../../src/files/formats/types.js'
import { sortedDiff, utf8 } from './fixture.js'
import { random } from './random.js'
import { asFileBytes } from '../../src/files/file-bytes.js'

function fullDiff(before: TranslationMap, after: TranslationMap): KeyDiff {
  return {
    ...diffMaps(before, after),
    previousKeyCount: translationCount(before),
    nextKeyCount: translationCount(after)
  }
}

// ---- PO ----

interface Entry {
  id: string
  context?: string
  forms: string[]
  plural?: string
  comments: string[]
}

function poText(header: string[], entries: Entry[], obsolete: boolean): string {
  const blocks = [['msgid ""', 'msgstr ""', ...header.map(line => `"${line}\\n"`)].join('\n')]
  for (const entry of entries) {
    const lines = [...entry.comments]
    if (entry.context !== undefined) lines.push(`msgctxt "${entry.context}"`)
    lines.push(`msgid "${entry.id}"`)
    if (entry.plural !== undefined) {
      lines.push(`msgid_plural "${entry.plural}"`)
      entry.forms.forEach((form, index) => lines.push(`msgstr[${index}] "${form}"`))
    } else if (entry.forms[0].length > 30) {
      // Long values are wrapped, as msgcat and Phrase do.
      lines.push('msgstr ""', `"${entry.forms[0].slice(0, 20)}"`, `"${entry.forms[0].slice(20)}"`)
    } else {
      lines.push(`msgstr "${entry.forms[0]}"`)
    }
    blocks.push(lines.join('\n'))
  }
  if (obsolete) blocks.push('#~ msgid "old"\n#~ msgstr "alt"')
  return blocks.join('\n\n') + '\n'
}

function randomEntries(next: () => number, count: number): Entry[] {
  return Array.from({ length: count }, (_, i) => {
    const entry: Entry = {
      id: `key.${i}`,
      forms: [`Wert ${i}${next() < 0.2 ? ' mit einem langen Text, der umbricht' : ''}`],
      comments: []
    }
    if (next() < 0.2) entry.comments.push(`#. description ${i}`)
    if (next() < 0.3) entry.comments.push(`#: src/file${i}.js:${i}`)
    if (next() < 0.1) entry.comments.push('#, fuzzy')
    if (next() < 0.1) entry.context = `ctx ${i % 3}`
    if (next() < 0.1) {
      entry.plural = `key.${i}.plural`
      entry.forms = [`${i} one`, `${i} other`]
    }
    return entry
  })
}

function editEntries(next: () => number, entries: Entry[]): Entry[] {
  const edited = entries.map(entry => ({
    ...entry,
    forms: [...entry.forms],
    comments: [...entry.comments]
  }))
  const pick = () => Math.floor(next() * edited.length)
  const edits = 1 + Math.floor(next() * 6)
  for (let e = 0; e < edits && edited.length > 1; e++) {
    const kind = next()
    const entry = edited[pick()]
    if (kind < 0.25) entry.forms[entry.forms.length - 1] += ' (neu)'
    else if (kind < 0.35)
      entry.comments = entry.comments.map(c => c.replace(/:\d+$/, ':999')) // noise
    else if (kind < 0.45)
      entry.comments = entry.comments.includes('#, fuzzy')
        ? entry.comments.filter(c => c !== '#, fuzzy')
        : [...entry.comments, '#, fuzzy']
    else if (kind < 0.6) edited.splice(pick(), 1)
    else if (kind < 0.75)
      edited.splice(pick(), 0, { id: `new.${e}.${pick()}`, forms: ['Neu'], comments: [] })
    else if (kind < 0.85) {
      const [moved] = edited.splice(pick(), 1)
      edited.splice(pick(), 0, moved)
    } else {
      // A run of consecutive changes, longer than the look-ahead.
      const start = pick()
      for (let i = start; i < Math.min(edited.length, start + 12); i++) edited[i].forms[0] += '!'
    }
  }
  return edited
}

describe('PO regions shortcut', () => {
  const gettext = parserFor('gettext')!

  it('gives the same diff and counts as parsing both files, over 300 random edits', () => {
    const next = random(20260708)
    let shortcutsTaken = 0
    for (let round = 0; round < 300; round++) {
      const entries = randomEntries(next, 5 + Math.floor(next() * 120))
      const header = [
        'Language: de',
        'PO-Revision-Date: 2026-07-01 10:00+0000',
        'Plural-Forms: nplurals=2; plural=(n != 1);'
      ]
      const previous = utf8(poText(header, entries, next() < 0.3))
      const nextHeader =
        next() < 0.5 ? header : [header[0], 'PO-Revision-Date: 2026-07-08 17:45+0000', header[2]]
      const downloaded = utf8(poText(nextHeader, editEntries(next, entries), next() < 0.3))

      const expected = fullDiff(
        gettext.parse(previous.toString(), {}),
        gettext.parse(downloaded.toString(), {})
      )
      const shortcut = gettext.diff!(asFileBytes(previous), asFileBytes(downloaded), {})
      if (shortcut) {
        shortcutsTaken++
        expect(sortedDiff(shortcut)).toEqual(sortedDiff(expected))
      }
    }
    // The shortcut must actually be exercised, not silently skipped.
    expect(shortcutsTaken).toBeGreaterThan(280)
  })

  it('parses only the differing entries of a large file', () => {
    const entries = randomEntries(random(7), 2000)
    const previous = utf8(poText(['Language: de'], entries, false))
    const changed = entries.map(entry => ({ ...entry, forms: [...entry.forms] }))
    changed[1000].forms[0] = 'geändert'
    const regions = splitPoRegions(previous, utf8(poText(['Language: de'], changed, false)))!
    const differingBytes = regions.previous.reduce((sum, part) => sum + part.length, 0)
    expect(differingBytes).toBeLessThan(previous.length / 50)
    expect(regions.commonKeyCount).toBeGreaterThan(1900)
  })

  it('steps aside (full parse) for CRLF, a BOM and invalid UTF-8', () => {
    const text = poText(['Language: de'], randomEntries(random(3), 20), false)
    const other = text.replace('Wert 5', 'Wert fünf')
    expect(splitPoRegions(utf8(text), utf8(other))).toBeDefined()
    expect(splitPoRegions(utf8(text.replace(/\n/g, '\r\n')), utf8(other))).toBeUndefined()
    expect(splitPoRegions(utf8('\ufeff' + text), utf8(other))).toBeUndefined()
    expect(splitPoRegions(Buffer.from(other, 'latin1'), utf8(other))).toBeUndefined()
  })

  it('does not cut a comment block away from the entry it describes', () => {
    const entries = randomEntries(random(5), 30).map(entry => ({ ...entry, comments: [] }))
    const text = poText(['Language: de'], entries, false)
    // A translator comment separated from its entry by a blank line still belongs to it.
    const before = text.replace('msgid "key.15"', '# old note\n\nmsgid "key.15"')
    const after = text.replace('msgid "key.15"', '# new note\n\nmsgid "key.15"')
    expect(compareFile('gettext', utf8(before), utf8(after)).keys?.changed).toEqual(['key.15'])
  })
})

// ---- trees ----

function randomTree(next: () => number, depth: number): Record<string, unknown> {
  const tree: Record<string, unknown> = {}
  const size = 1 + Math.floor(next() * 6)
  for (let i = 0; i < size; i++) {
    const roll = next()
    tree[`k${Math.floor(next() * 8)}`] =
      depth > 0 && roll < 0.3
        ? randomTree(next, depth - 1)
        : roll < 0.4
          ? [`a${i}`, depth > 0 && next() < 0.5 ? randomTree(next, depth - 1) : 'b']
          : roll < 0.45
            ? Math.floor(next() * 3)
            : roll < 0.5
              ? {}
              : `v${Math.floor(next() * 3)}`
  }
  return tree
}

function mutate(next: () => number, tree: unknown, depth = 0): unknown {
  if (Array.isArray(tree)) {
    const roll = next()
    if (roll < 0.2) return tree.slice(1)
    if (roll < 0.4) return [...tree, next() < 0.5 ? 'extra' : { extra: 'x' }]
    return tree.map(item => mutate(next, item, depth + 1))
  }
  if (typeof tree !== 'object' || tree === null) {
    const roll = next()
    return roll < 0.15 ? `${String(tree)}!` : roll < 0.2 ? { nested: tree } : roll < 0.25 ? 1 : tree
  }
  const copy: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(tree)) {
    const roll = next()
    if (roll < 0.08) continue
    copy[key] = roll < 0.12 ? 'replaced' : mutate(next, value, depth + 1)
  }
  if (next() < 0.15) copy[`added${depth}`] = next() < 0.5 ? 'x' : randomTree(next, 1)
  return copy
}

describe('tree diff shortcut', () => {
  it('gives the same diff and counts as flattening both trees, over 500 random edits', () => {
    const next = random(42)
    for (let round = 0; round < 500; round++) {
      const before = randomTree(next, 3)
      const after = mutate(next, before)
      expect(sortedDiff(diffTrees(before, after))).toEqual(
        sortedDiff(fullDiff(flattenTree(before), flattenTree(after)))
      )
    }
  })
})
