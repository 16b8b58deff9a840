/**
 * A YAML file read in parts (yaml-parts.ts) gives the very tree, key order included, that the
 * whole document gives; where a part could mean something else, the file is read whole. Parts of
 * one item, so every look at the parser's stack composes what is complete.
 */
import { describe, expect, it } from '@jest/globals'
import { parseDocument } from 'yaml'
import { duplicateKeys } from '../../src/files/formats/yaml-document.js'
import { FlatStream } from '../../src/files/formats/flat-stream.js'
import {
  readYamlInParts,
  yamlTreeInParts,
  type YamlPartOptions
} from '../../src/files/formats/yaml-parts.js'
import { decodePieces, decodeText } from '../../src/files/formats/decode.js'
import { translationCount } from '../../src/files/formats/document-keys.js'
import { diffMaps } from '../../src/files/formats/map-diff.js'
import { diffTrees } from '../../src/files/formats/tree-diff.js'
import {
  RAILS_YAML,
  SYMFONY_YAML,
  railsDiff,
  railsMap,
  railsYamlParser
} from '../../src/files/formats/yaml.js'
import { railsModel, symfonyModel } from './models/yaml.js'
import { Rng } from './random.js'
import { sortedDiff } from './fixture.js'
import { cpuRatio } from '../support/cpu-ratio.js'
import { asFileBytes } from '../../src/files/file-bytes.js'

const RAILS: YamlPartOptions = {
  read: RAILS_YAML,
  duplicates: 'last',
  check: () => true,
  partItems: 1,
  lookEvery: 1
}
const SYMFONY: YamlPartOptions = {
  read: SYMFONY_YAML,
  duplicates: 'whole',
  check: doc => duplicateKeys(doc).length === 0,
  partItems: 1,
  lookEvery: 1
}

/** Maps as lists of entries, so that key order counts in a comparison. */
function ordered(value: unknown): unknown {
  if (value instanceof Map) return ['Map', [...value].map(([k, v]) => [k, ordered(v)])]
  if (Array.isArray(value)) return value.map(ordered)
  if (typeof value === 'object' && value !== null)
    return ['Object', Object.entries(value).map(([k, v]) => [k, ordered(v)])]
  return value
}

function whole(text: string, options: YamlPartOptions): unknown {
  const doc = parseDocument(text, options.read)
  expect(doc.errors).toEqual([])
  return ordered(doc.toJS(options.read))
}

function inParts(text: string, options: YamlPartOptions): unknown {
  const read = yamlTreeInParts(text, options)
  // The text in pieces of a few characters, lexed as they come, reads the same.
  const pieces = yamlTreeInParts(piecesOf(text, 5), options)
  expect(pieces && ordered(pieces.tree)).toEqual(read && ordered(read.tree))
  return read && ordered(read.tree)
}

function* piecesOf(text: string, size: number): Generator<string> {
  for (let at = 0; at < text.length; at += size) yield text.slice(at, at + size)
}

/** `count` keys of one map, each `key_<i>: "<value>"`, under `de:` and `app:`. */
function railsFile(count: number, line: (i: number) => string): string {
  return `de:\n  app:\n${Array.from({ length: count }, (_, i) => `    ${line(i)}\n`).join('')}`
}

describe('YAML read in parts', () => {
  it('gives the tree of the whole document for the randomised Rails and Symfony files', () => {
    const rng = new Rng(20261206)
    for (let round = 0; round < 150; round++) {
      const rails = railsModel.render(railsModel.generate(rng), rng)
      expect({ round, tree: inParts(rails, RAILS) }).toEqual({ round, tree: whole(rails, RAILS) })
      const symfony = symfonyModel.render(symfonyModel.generate(rng), rng)
      expect({ round, tree: inParts(symfony, SYMFONY) }).toEqual({
        round,
        tree: whole(symfony, SYMFONY)
      })
    }
  })

  it('reads maps inside maps in parts, with comments, block scalars and lists between items', () => {
    const sections = Array.from({ length: 6 }, (_, s) => {
      const keys = Array.from({ length: 5 }, (_, k) =>
        k === 2
          ? `    list_${k}:\n      - "a ${s}"\n      - b\n`
          : k === 3
            ? `    text_${k}: |\n      line one ${s}\n      line two\n    # a comment\n`
            : `    key_${k}: "Wert ${s}.${k}"\n`
      )
      return `  section_${s}:\n${keys.join('')}    deeper:\n      inner:\n        a: 1\n        b: yes\n`
    })
    const text = `---\n# Phrase export\nde:\n${sections.join('')}  last: done\n`
    expect(inParts(text, RAILS)).toEqual(whole(text, RAILS))
    expect(inParts(text, { ...RAILS, partItems: 3, lookEvery: 2 })).toEqual(whole(text, RAILS))
  })

  it('keeps the first place and the last value of a Rails key written again in a later part', () => {
    const text = railsFile(40, i => (i === 30 ? 'key_3: "again"' : `key_${i}: "Wert ${i}"`))
    const tree = inParts(text, RAILS)
    expect(tree).toEqual(whole(text, RAILS))
    expect(JSON.stringify(tree)).toContain('["key_3","again"]')
  })

  it('reads the file whole where a part could mean something else', () => {
    const keys = (count: number) => railsFile(count, i => `key_${i}: "Wert ${i}"`)
    const cases = {
      anchor: `${keys(10)}    copy: &value "x"\n    again: *value\n`,
      'merge key': `${keys(10)}    <<: { merged: "x" }\n`,
      'second document': `${keys(10)}---\nfr:\n  app: {}\n`,
      directive: `%YAML 1.1\n---\n${keys(10)}`,
      error: `${keys(10)}    bad: "unclosed\n`,
      'Symfony key written again in a later part': `app:\n${Array.from({ length: 20 }, (_, i) => `  key_${i % 15}: x\n`).join('')}`
    }
    for (const [name, text] of Object.entries(cases))
      expect({
        name,
        read: yamlTreeInParts(text, name.startsWith('Symfony') ? SYMFONY : RAILS)
      }).toEqual({
        name,
        read: undefined
      })
  })

  it('drops what it composed from the syntax tree: a long map is never held whole', () => {
    // The parser's stack is looked at every line: its innermost map never holds more than the
    // items of one part and the two it keeps.
    const text = railsFile(5000, i => `key_${i}: "Wert ${i}"`)
    let most = 0
    const options: YamlPartOptions = {
      ...RAILS,
      partItems: 50,
      check: doc => {
        most = Math.max(most, JSON.stringify(doc.toJS()).length)
        return true
      }
    }
    expect(inParts(text, options)).toEqual(whole(text, RAILS))
    expect(most).toBeLessThan(text.length / 20)
  })
})

describe('a Rails download compared in parts', () => {
  const context = { localeName: 'de' }
  /** What comparing the two whole trees gives. */
  const whole = (a: string, b: string) => sortedDiff(diffTrees(railsTree(a), railsTree(b)))
  const railsTree = (text: string) => {
    const map = new Map<string, string>()
    // The reader's own tree, through the public parse: flattened, then compared as maps.
    for (const [key, value] of railsYamlParser.parse(text, context)) map.set(key, value)
    return Object.fromEntries(map)
  }
  const inParts = (a: string, b: string, partItems = 1) =>
    sortedDiff(
      railsDiff(asFileBytes(Buffer.from(a)), asFileBytes(Buffer.from(b)), context, {
        partItems,
        lookEvery: 1
      })
    )

  it('gives what comparing the whole trees gives, for the randomised Rails files and edits', () => {
    const rng = new Rng(20261207)
    let answered = 0
    for (let round = 0; round < 200; round++) {
      const doc = railsModel.generate(rng)
      const first = railsModel.render(doc, rng)
      const edit = rng.pick(railsModel.edits)
      const edited = edit.apply(structuredClone(doc), rng) ?? doc
      const second = railsModel.render(edited, rng)
      const read = inParts(first, second)
      // Keys Rails renames (`:sym:`, `true:`) make the download be read whole.
      if (read === undefined) continue
      answered++
      const [a, b] = [first, second].map(text => railsYamlParser.parse(text, context))
      const flat = sortedDiff({
        ...diffMaps(a, b),
        previousKeyCount: translationCount(a),
        nextKeyCount: translationCount(b)
      })
      expect({ round, edit: edit.name, read: { ...read, values: [] } }).toEqual({
        round,
        edit: edit.name,
        read: { ...flat, values: [] }
      })
    }
    expect(answered).toBeGreaterThan(30)
  })

  it('names the changed, added and removed keys of a long file and their values', () => {
    const section = (name: string, count: number, value: (i: number) => string) =>
      `  ${name}:\n${Array.from({ length: count }, (_, i) => `    key_${i}: "${value(i)}"\n`).join('')}`
    const before = `de:\n${section('app', 300, i => `Wert ${i}`)}${section('old', 40, i => `alt ${i}`)}  title: Titel\n  list:\n    - a\n    - b\n`
    const after = `de:\n${section('app', 320, i => (i % 97 === 0 ? `Neu ${i}` : `Wert ${i}`))}${section('new', 40, i => `neu ${i}`)}  title:\n    short: Titel\n  list:\n    - a\n    - c\n`
    const expected = whole(before, after)
    expect(expected!.changed.length).toBeGreaterThan(3)
    for (const partItems of [1, 7, 50]) expect(inParts(before, after, partItems)).toEqual(expected)
  })

  it('reads the download whole when it writes a key twice or a key Rails renames', () => {
    const file = (extra: string) =>
      `de:\n  app:\n${Array.from({ length: 20 }, (_, i) => `    key_${i}: "Wert ${i}"\n`).join('')}${extra}`
    const before = file('')
    expect(inParts(before, file('    key_3: "again"\n'))).toBeUndefined()
    expect(inParts(before, file('    :sym: "Symbol"\n'))).toBeUndefined()
    expect(inParts(before, file('    yes: "typed"\n'))).toBeUndefined()
    expect(inParts(before, file('  other: "x"\n'))).toEqual(whole(before, file('  other: "x"\n')))
  })
})

describe('a Rails file flattened in parts', () => {
  const context = { localeName: 'de' }
  const entries = (map: Map<string, string>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1))
  const tiny = { partItems: 1, lookEvery: 1 }

  it('gives the map of the whole file, or reads it whole', () => {
    const rng = new Rng(20261208)
    let inParts = 0
    for (let round = 0; round < 150; round++) {
      const text = railsModel.render(railsModel.generate(rng), rng)
      // Small files are read whole with the default parts: the map of the whole document.
      const whole = entries(railsYamlParser.parse(text, context))
      expect({ round, map: entries(railsMap(text, context, tiny)) }).toEqual({ round, map: whole })
      // How often the parts answered (keys Rails renames make the file be read whole).
      const flat = new FlatStream({
        rootKey: key => (key === 'de' ? '[locale]' : undefined),
        renamed: key => key.startsWith('\u0000')
      })
      const read = readYamlInParts(text, RAILS, flat)
      if (read && 'parts' in read) inParts++
    }
    expect(inParts).toBeGreaterThan(15)
  })

  it('flattens a long file with sections, lists, empty maps and a key written twice', () => {
    const keys = (count: number) =>
      Array.from({ length: count }, (_, i) => `    key_${i}: "Wert ${i}"\n`).join('')
    const text = `de:\n  app:\n${keys(50)}    empty: {}\n    list:\n      - a\n      - b\n  more:\n${keys(30)}  title: Titel\n`
    const whole = entries(railsYamlParser.parse(text, context))
    expect(whole.length).toBeGreaterThan(80)
    expect(entries(railsMap(text, context, tiny))).toEqual(whole)
    const twice = text.replace('    key_7: "Wert 7"', '    key_3: "again"')
    expect(entries(railsMap(twice, context, tiny))).toEqual(
      entries(railsYamlParser.parse(twice, context))
    )
  })
})

describe('YAML text in pieces, in linear time', () => {
  // A block scalar or a line longer than many pieces is fed to the lexer in doubling lengths: a
  // feed per piece would read it again from its start each time, some 500 times at 1,000 pieces.
  it.each([
    ['a block scalar', `de:\n  text: |\n${'    Zeile\n'.repeat(100_000)}`],
    ['one long line', `de:\n  text: "${'Wort '.repeat(200_000)}"\n`]
  ])(
    '%s of 1 MB in pieces of 1,000 characters costs about what the whole text costs',
    (_, text) => {
      const whole = () => yamlTreeInParts(text, RAILS)
      const inPieces = () => yamlTreeInParts(piecesOf(text, 1000), RAILS)
      expect(cpuRatio(whole, inPieces, { runs: 2, over: ratio => ratio >= 3 })).toBeLessThan(3)
    }
  )
})

describe('decodePieces', () => {
  it('gives the text decodeText gives, characters split between pieces included', () => {
    const text = `\ufeff${'Grüße 日本 😀 '.repeat(300)}`
    const bytes = Buffer.from(text)
    for (const size of [1, 2, 3, 7, 1000])
      expect([...decodePieces(asFileBytes(bytes), undefined, size)].join('')).toBe(
        decodeText(bytes)
      )
  })
  it('refuses bytes that are not UTF-8 with the words of decodeText', () => {
    const bytes = Buffer.concat([
      Buffer.from('de:\n  a: b\n'.repeat(50)),
      Buffer.from([0xe9, 0x0a])
    ])
    let whole = ''
    try {
      decodeText(bytes)
    } catch (error) {
      whole = (error as Error).message
    }
    expect(whole).toMatch(/not valid UTF-8: byte 0xE9/)
    expect(() => [...decodePieces(asFileBytes(bytes), undefined, 16)]).toThrow(whole)
  })
})
