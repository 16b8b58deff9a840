/**
 * A long new file is compared and checked from its keys and values as the reader hands them over
 * (`FormatParser.visit`), without its map: the comparison lists the same keys, the checks find
 * the same problems in the same order as from the map.
 */
import { describe, expect, it } from '@jest/globals'
import { checkChange, checkComparison } from '../../src/checks/index.js'
import type { Change } from '../../src/changes.js'
import { compareFile } from '../../src/files/diff.js'
import { isDocumentKey } from '../../src/files/formats/document-keys.js'
import { parserFor } from '../../src/files/formats/index.js'
import type { PlannedFile } from '../../src/plan.js'
import { asFileBytes } from '../../src/files/file-bytes.js'

/** Every 50th value has a problem the checks name; the others are clean. */
function value(i: number): string {
  const problems = ['', '<b>fett', '{count, plural, one {# Datei}', 'Hallo %s']
  return i % 50 === 0 ? problems[(i / 50) % problems.length] : `Wert Nummer ${i} für den Text`
}

const KEYS = 12_000
const files: Record<string, { text: string; source: string }> = {
  // Over 1 MiB: JSON is read in parts.
  nested_json: {
    text: JSON.stringify({
      app: Object.fromEntries(
        Array.from({ length: KEYS }, (_, i) => [`key_${i}`, `${value(i)} ${'x'.repeat(60)}`])
      )
    }),
    source: JSON.stringify({ app: { key_150: 'Hello %d', key_0: 'Hello' } })
  },
  yml: {
    text: `de:\n  app:\n${Array.from({ length: KEYS / 4 }, (_, i) => `    key_${i}: ${JSON.stringify(value(i))}\n`).join('')}`,
    source: 'en:\n  app:\n    key_150: "Hello %d"\n    key_0: Hello\n'
  }
}

describe('a long new file, key by key', () => {
  for (const [format, { text, source }] of Object.entries(files)) {
    it(`${format}: the same keys and findings as from the file's map`, () => {
      const parser = parserFor(format)!
      const context = { localeName: 'de' }
      let visited = 0
      expect(parser.visit!(asFileBytes(Buffer.from(text)), context, () => visited++)).toBe(true)
      const map = parser.parse(text, context)
      expect(visited).toBe(map.size)

      const comparison = compareFile(format, undefined, Buffer.from(text), context)
      const keys = [...map.keys()].filter(key => !isDocumentKey(key)).sort()
      expect(comparison).toEqual({
        status: 'added',
        keys: { added: keys, changed: [], removed: [] },
        previousKeyCount: 0,
        nextKeyCount: keys.length
      })

      const planned = {
        path: `de.${format}`,
        fileFormat: format,
        locale: { name: 'de', code: 'de' },
        request: { params: {} }
      } as unknown as PlannedFile
      const change: Change = { planned, comparison, content: Buffer.from(text) }
      const file = { path: planned.path, locale: 'de' }
      const values = { get: (key: string) => ({ after: map.get(key) }) }
      const sourceMap = parser.parse(source, { localeName: 'en' })
      for (const reference of [undefined, sourceMap]) {
        const found = checkChange(change, reference)
        expect(found.length).toBeGreaterThan(keys.length / 200)
        expect(found).toEqual(checkComparison({ ...comparison, values }, reference, file))
      }
    })
  }
})
