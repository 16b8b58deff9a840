/**
 * compareFile with `withValues`: the values behind the changed and added keys, which the PR body
 * (old → new text) and the translation checks read. Every path that compares two files must give
 * them: the tree-walk and PO-region shortcuts and the full parse.
 */
import { describe, expect, it } from '@jest/globals'
import { compareFile, type FileComparison } from '../../src/files/diff.js'
import { VALUE_CHARS } from '../../src/files/formats/map-diff.js'
import { utf8 } from './fixture.js'

function valuesOf(comparison: FileComparison): Record<string, unknown> {
  const keys = comparison.keys!
  return Object.fromEntries(
    [...keys.changed, ...keys.added].map(key => [key, comparison.values?.get(key)])
  )
}

describe('compareFile withValues', () => {
  it('gives before and after of changed keys and the value of added keys (JSON tree walk)', () => {
    const before = utf8('{"a": {"b": "old", "c": "same"}, "gone": "x"}')
    const after = utf8('{"a": {"b": "new", "c": "same"}, "d": {"e": "added"}}')
    const comparison = compareFile('nested_json', before, after, { withValues: true })
    expect(comparison.keys).toEqual({ added: ['d.e'], changed: ['a.b'], removed: ['gone'] })
    expect(valuesOf(comparison)).toEqual({
      'a.b': { before: 'old', after: 'new' },
      'd.e': { after: 'added' }
    })
    // Only what the report and the checks read: unchanged and removed keys have no entry.
    expect(comparison.values?.get('a.c')).toBeUndefined()
    expect(comparison.values?.get('gone')).toBeUndefined()
  })

  it('gives the values from the PO-region shortcut', () => {
    const po = (hello: string, extra = '') =>
      utf8(
        `msgid ""\nmsgstr ""\n"Language: de\\n"\n\nmsgid "hello"\nmsgstr "${hello}"\n\nmsgid "bye"\nmsgstr "Tschüss"\n${extra}`
      )
    const comparison = compareFile(
      'gettext',
      po('Hallo'),
      po('Servus', '\nmsgid "new"\nmsgstr "Neu"\n'),
      { withValues: true }
    )
    expect(comparison.keys).toEqual({ added: ['new'], changed: ['hello'], removed: [] })
    expect(valuesOf(comparison)).toEqual({
      hello: { before: 'Hallo', after: 'Servus' },
      new: { after: 'Neu' }
    })
  })

  it('gives the values from a full parse (a format without a shortcut)', () => {
    const comparison = compareFile('properties', utf8('a=1\nb=2\n'), utf8('a=one\nb=2\nc=3\n'), {
      withValues: true
    })
    expect(valuesOf(comparison)).toEqual({ a: { before: '1', after: 'one' }, c: { after: '3' } })
  })

  it('leaves values out unless asked, and for unchanged and new files', () => {
    const before = utf8('{"a": "1"}')
    expect(compareFile('nested_json', before, utf8('{"a": "2"}')).values).toBeUndefined()
    expect(
      compareFile('nested_json', before, utf8('{ "a": "1" }'), { withValues: true }).values
    ).toBeUndefined()
    // A new file's values are its content: the checks parse it themselves, one file at a time.
    expect(
      compareFile('nested_json', undefined, utf8('{"x": "Hi"}'), { withValues: true }).values
    ).toBeUndefined()
  })

  it('keeps no values past VALUE_CHARS of text, and still names every changed key', () => {
    const count = Math.ceil(VALUE_CHARS / 8) + 1
    const values = (text: string, repeat: number) =>
      Array.from({ length: 4 }, (_, i) => [`k${i}`, text.repeat(repeat)])
    // The tree walk: `a.b` moves from a flat key to a nested one with the same text, no change.
    const json = (text: string, repeat: number, nested: boolean) =>
      utf8(
        JSON.stringify({
          ...Object.fromEntries(values(text, repeat)),
          ...(nested ? { a: { b: 'same' } } : { 'a.b': 'same' })
        })
      )
    // The full parse of a format without a shortcut.
    const properties = (text: string, repeat: number) =>
      utf8(
        values(text, repeat)
          .map(([key, value]) => `${key}=${value}\n`)
          .join('')
      )
    const options = { withValues: true }
    const within = compareFile(
      'nested_json',
      json('a', 1000, false),
      json('b', 1000, true),
      options
    )
    expect(within.values?.get('k0')?.after).toBe('b'.repeat(1000))
    for (const past of [
      compareFile('nested_json', json('a', count, false), json('b', count, true), options),
      compareFile('properties', properties('a', count), properties('b', count), options)
    ]) {
      expect(past.keys).toEqual({ added: [], changed: ['k0', 'k1', 'k2', 'k3'], removed: [] })
      expect(past.values).toBeUndefined()
    }
  })
})
