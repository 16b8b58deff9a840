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
import { diffMaps } from '../../src/files/formats/map-diff.js'
import { TreeBuilder } from '../../src/files/formats/parts.js'
import type { KeyDiff } from '../../src/files/formats/types.js'
import { nestedJsonModel } from './models/json.js'
import { Rng } from './random.js'

const TINY = 8
const entries = (map: Map<string, string>) => [...map].sort(([a], [b]) => (a < b ? -1 : 1))
const sorted = (diff: KeyDiff | undefined) =>
  diff && {
    added: [...diff.added].sort(),
    changed: [...diff.changed].sort(),
    removed: [...diff.removed].sort(),
    previousKeyCount: diff.previousKeyCount,
    nextKeyCount: diff.nextKeyCount,
    values: [...(diff.values ?? [])].sort(([a], [b]) => (a < b ? -1 : 1))
  }
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
      const builder = new TreeBuilder()
      const read = readJsonInParts(text, builder, TINY)
      expect(read).toEqual({ parts: true })
      expect({ text, tree: ordered(builder.tree) }).toEqual({
        text,
        tree: ordered(JSON.parse(text))
      })
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
      const whole = sorted({
        ...diffMaps(a, b),
        previousKeyCount: translationCount(a),
        nextKeyCount: translationCount(b)
      })
      const read = jsonDiff(Buffer.from(first), Buffer.from(second), context, TINY)
      expect({ round, edit: edit.name, diff: sorted(read) }).toEqual({
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
})
