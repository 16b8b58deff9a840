/**
 * A long JSON file read in parts (json-parts.ts) gives the map and the comparison the whole file
 * gives, and a file `JSON.parse` refuses is refused with its words. Parts of a few characters,
 * so every object of the randomised files is read in parts.
 */
import { describe, expect, it } from '@jest/globals'
import { translationCount } from '../../src/files/formats/document-keys.js'
import { flattenTree } from '../../src/files/formats/flatten.js'
import { jsonDiff, jsonMap, jsonParser } from '../../src/files/formats/json.js'
import { readJsonInParts } from '../../src/files/formats/json-parts.js'
import { DecodeError, Utf8Text, decodeText, textOrBytes } from '../../src/files/formats/decode.js'
import { diffMaps } from '../../src/files/formats/map-diff.js'
import { TreeBuilder } from '../../src/files/formats/parts.js'
import { nestedJsonModel } from './models/json.js'
import { Rng } from './random.js'
import { sortedDiff } from './fixture.js'
import { asFileBytes } from '../../src/files/file-bytes.js'

const TINY = 8
const entries = (map: Map<string, string>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1))
/** Maps as lists of entries, so that key order counts in a comparison. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered)
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).map(([k, v]) => [k, ordered(v)])
  return value
}

describe('JSON read in parts', () => {
  it('builds the tree JSON.parse builds, key order, duplicates and __proto__ included', () => {
    const rng = new Rng(20261209)
    const texts = [
      '{"b": {"x": 1, "y": [1, {"z": "w"}]}, "2": "two", "a": "one", "b": {"only": true}}',
      '{"__proto__": {"polluted": "yes"}, "k": "v", "1": {"x": "y"}, "k": "again"}',
      ' \n{"long": {"a": "1", "b": "2", "c": "3", "d": "4", "e": {"f": "5"}}, "t": null} \n'
    ]
    for (let round = 0; round < 100; round++)
      texts.push(nestedJsonModel.render(nestedJsonModel.generate(rng), rng))
    for (const text of texts) {
      // As a string, and as UTF-8 bytes read where they lie.
      for (const source of [text, new Utf8Text(Buffer.from(text))]) {
        const builder = new TreeBuilder()
        const read = readJsonInParts(source, builder, TINY)
        expect(read).toEqual({ parts: true })
        expect({ text, tree: ordered(builder.tree) }).toEqual({
          text,
          tree: ordered(JSON.parse(text))
        })
      }
    }
  })

  it('gives the map and the comparison of the whole files', () => {
    const rng = new Rng(20261210)
    const context = { localeName: 'de' }
    for (let round = 0; round < 150; round++) {
      const doc = nestedJsonModel.generate(rng)
      const first = nestedJsonModel.render(doc, rng)
      const edit = rng.pick(nestedJsonModel.edits)
      const second = nestedJsonModel.render(edit.apply(structuredClone(doc), rng) ?? doc, rng)
      const [a, b] = [first, second].map(text => flattenTree(JSON.parse(text)))
      expect(entries(jsonMap(first, TINY))).toEqual(entries(a))
      const whole = sortedDiff({
        ...diffMaps(a, b),
        previousKeyCount: translationCount(a),
        nextKeyCount: translationCount(b)
      })
      const read = jsonDiff(
        asFileBytes(Buffer.from(first)),
        asFileBytes(Buffer.from(second)),
        context,
        TINY
      )
      expect({ round, edit: edit.name, diff: sortedDiff(read) }).toEqual({
        round,
        edit: edit.name,
        diff: whole
      })
    }
  })

  it('refuses what JSON.parse refuses, with its words, and reads odd files whole', () => {
    const bad = [
      '{"a": "1", "b": "2",}',
      '{"a": "1" "b": "2"}',
      '{"a": "1", "b": "\\x"}',
      '{"a": {"b": "1", "c": "2"}',
      '{"a": "1"} trailing',
      '{"a": "1",\u00a0"b": "2"}',
      '{"a": "1", b: "2"}'
    ]
    for (const text of bad) {
      let whole = ''
      try {
        JSON.parse(text)
      } catch (error) {
        whole = `invalid JSON: ${(error as Error).message}`
      }
      expect({ text, error: whole }).not.toEqual({ text, error: '' })
      expect(() => jsonMap(text, TINY)).toThrow(whole)
      // In bytes, the same outcome: the same refusal, or read whole by the same JSON.parse.
      const outcome = (source: string | Utf8Text) => {
        try {
          return readJsonInParts(source, new TreeBuilder(), TINY)
        } catch (error) {
          return (error as Error).message
        }
      }
      expect(outcome(new Utf8Text(Buffer.from(text)))).toEqual(outcome(text))
    }
    // Integers beyond 2^53, a list at the top: read whole, as before.
    expect(entries(jsonMap('{"n": 9007199254740993, "m": {"a": "1", "b": "2"}}', TINY))).toEqual(
      entries(jsonParser.parse('{"n": 9007199254740993, "m": {"a": "1", "b": "2"}}', {}))
    )
    expect(entries(jsonMap('[{"a": "1"}, {"b": "2"}]', TINY))).toEqual([
      ['[0].a', '1'],
      ['[1].b', '2']
    ])
  })

  it('reads a long UTF-8 file in its bytes, never decoded whole, as decodeText reads it', () => {
    const text = `{"a": {${Array.from({ length: 20_000 }, (_, i) => `"k${i}": "Übersetzung ${i} ✓"`).join(', ')}}}`
    const bytes = Buffer.from(`\ufeff${text}`)
    const read = textOrBytes(bytes, undefined, 1024)
    expect(read).toBeInstanceOf(Utf8Text)
    expect(read.toString()).toBe(decodeText(bytes))
    expect(read.slice(6, 10)).toBe(decodeText(bytes).slice(6, 10))
    // Short files, other encodings and broken bytes: decodeText's answer, or its refusal.
    expect(textOrBytes(bytes, undefined, bytes.length + 1)).toBe(decodeText(bytes))
    expect(textOrBytes(bytes, 'ISO-8859-1', 1024)).toBe(decodeText(bytes, 'ISO-8859-1'))
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    expect(textOrBytes(utf16, 'UTF-8', 1024)).toBe(text)
    const broken = Buffer.concat([bytes, Buffer.from([0xc3, 0x28])])
    expect(() => textOrBytes(broken, undefined, 1024)).toThrow(DecodeError)
  })

  it('compares long files in bytes as it compares their text, integers beyond 2^53 included', () => {
    const file = (big: string, value: string) =>
      Buffer.from(
        `{"n": ${big}, "m": {${Array.from({ length: 40_000 }, (_, i) => `"k${i}": "${i === 7 ? value : `Wert ${i} für ✓`}"`).join(', ')}}}`
      )
    // Integers beyond 2^53 send the file to the whole reading; small ones leave it in parts.
    for (const [first, second] of [
      ['9007199254740993', '9007199254740992'],
      ['1', '2']
    ]) {
      const before = file(first, 'sieben')
      const after = file(second, 'Sieben')
      expect(before.length).toBeGreaterThan(1024 * 1024)
      const diff = jsonDiff(asFileBytes(before), asFileBytes(after), { localeName: 'de' })
      expect(sortedDiff(diff)).toEqual(
        sortedDiff({
          ...diffMaps(jsonMap(before.toString()), jsonMap(after.toString())),
          previousKeyCount: 40_001,
          nextKeyCount: 40_001
        })
      )
      expect(diff?.changed.sort()).toEqual(['m.k7', 'n'])
    }
    const after = file('1', 'Sieben')
    const visited: string[] = []
    expect(jsonParser.visit!(asFileBytes(after), {}, key => visited.push(key))).toBe(true)
    expect(visited).toEqual([...jsonMap(after.toString()).keys()])
  })
})
