/**
 * Rails `yml` is read as Rails reads it: with Ruby's Psych, YAML 1.1 scalars of its own. The
 * expected values follow ruby/psych lib/psych/scalar_scanner.rb (`tokenize`) and its tests
 * (test/psych/test_scalar_scanner.rb); I18n loads files with `YAML.unsafe_load_file(…,
 * symbolize_names: true)`, so string and symbol keys are one key.
 */
import { describe, expect, it } from '@jest/globals'
import { compareFile } from '../../src/files/diff.js'
import { parserFor } from '../../src/files/formats/index.js'
import { psychScalar } from '../../src/files/formats/psych-scalars.js'
import { displayText } from '../../src/files/formats/value.js'
import { utf8 } from './fixture.js'

const rails = (text: string) =>
  Object.fromEntries(parserFor('yml')!.parse(text, { localeName: 'de' }))
const compare = (before: string, after: string) =>
  compareFile('yml', utf8(before), utf8(after), { localeName: 'de' })

describe('Psych scalars', () => {
  const cases: Array<[source: string, ruby: string]> = [
    // booleans: yes/no/on/off in any case, not y/n
    ['yes', '\u0000boolean:true'],
    ['Yes', '\u0000boolean:true'],
    ['ON', '\u0000boolean:true'],
    ['true', '\u0000boolean:true'],
    ['no', '\u0000boolean:false'],
    ['Off', '\u0000boolean:false'],
    ['FALSE', '\u0000boolean:false'],
    ['y', 'y'],
    ['n', 'n'],
    ['yess', 'yess'],
    // nil
    ['', '\u0000object:null'],
    ['~', '\u0000object:null'],
    ['null', '\u0000object:null'],
    ['NULL', '\u0000object:null'],
    ['nil', 'nil'],
    // integers: octal with a leading 0, commas and underscores, base 60
    ['010', '\u0000integer:8'],
    ['10', '\u0000integer:10'],
    ['08', '08'],
    ['0x1F', '\u0000integer:31'],
    ['0b101', '\u0000integer:5'],
    ['0o17', '0o17'],
    ['+1', '\u0000integer:1'],
    ['-1', '\u0000integer:-1'],
    ['123,456,789', '\u0000integer:123456789'],
    ['1_2,3,4_5,6_789', '\u0000integer:123456789'],
    ['0_,,,1_2,_34567', '\u0000integer:342391'],
    ['0x12_,34,_56,_789abcdef__', '\u0000integer:81985529216486895'],
    ['12345678901234567890', '\u0000integer:12345678901234567890'],
    ['190:20:30', '\u0000integer:685230'],
    ['12:30', '\u0000integer:45000'],
    ['00:00:00:00:00', '00:00:00:00:00'],
    ['_100', '_100'],
    ['100_', '100_'],
    ['450D', '450D'],
    ['1e3', '1e3'],
    ['0x_,_', '0x_,_'],
    // floats
    ['1.2', '\u0000float:1.2'],
    ['1.0', '\u0000float:1.0'],
    ['1.', '\u0000float:1.0'],
    ['0.E+0', '\u0000float:0.0'],
    ['1,000.5', '\u0000float:1000.5'],
    ['190:20:30.15', '\u0000float:685230.15'],
    ['.inf', '\u0000float:Infinity'],
    ['-.Inf', '\u0000float:-Infinity'],
    ['.NaN', '\u0000float:NaN'],
    ['.', '.'],
    ['+.', '+.'],
    // symbols (I18n symbol links), dates and times
    [':foo', '\u0000symbol:foo'],
    [':"foo bar"', '\u0000symbol:foo bar'],
    ['2000-1-31', '\u0000date:2000-01-31'],
    ['2000-11-31', '2000-11-31'],
    ['2000-15-01', '2000-15-01'],
    ['2001-12-15T02:59:43.1Z', '\u0000time:2001-12-15T02:59:43.1Z'],
    ['2001-12-14t21:59:43.10-05:00', '\u0000time:2001-12-15T02:59:43.1Z'],
    ['2001-12-14 21:59:43.10 -5', '\u0000time:2001-12-15T02:59:43.1Z'],
    ['2011-02-24 11:17:06 -0800', '\u0000time:2011-02-24T19:17:06Z'],
    ['2001-12-15 2:59:43.10', '\u0000time:2001-12-15T02:59:43.1 local'],
    ['2001-12-15T02:59:73.1Z', '2001-12-15T02:59:73.1Z'],
    ['2001-92-14 21:59:43.10 -5', '2001-92-14 21:59:43.10 -5'],
    // ordinary text
    ['Hallo %{name}', 'Hallo %{name}'],
    ['Über', 'Über']
  ]

  it('resolves plain scalars as Psych does', () => {
    for (const [source, ruby] of cases)
      expect({ source, value: psychScalar(source) }).toEqual({ source, value: ruby })
  })

  it('shows typed values as their text', () => {
    expect(displayText(psychScalar('010'))).toBe('8')
    expect(displayText(psychScalar('yes'))).toBe('true')
  })
})

describe('Rails YAML compared as Rails reads it', () => {
  it('quoted scalars stay strings: yes and "yes" differ, yes and true do not', () => {
    expect(compare('de:\n  confirm: "yes"\n', 'de:\n  confirm: yes\n').keys?.changed).toEqual([
      'confirm'
    ])
    expect(compare('de:\n  confirm: yes\n', 'de:\n  confirm: true\n').status).toBe('unchanged')
    expect(compare('de:\n  a: y\n', 'de:\n  a: "y"\n').status).toBe('unchanged')
    expect(compare('de:\n  a: |-\n    on\n', "de:\n  a: 'on'\n").status).toBe('unchanged')
  })

  it('numbers keep their Ruby meaning: 010 is 8, 1 is not 1.0, 12:30 is not "12:30"', () => {
    expect(compare('de:\n  n: 10\n', 'de:\n  n: 010\n').keys?.changed).toEqual(['n'])
    expect(compare('de:\n  n: 8\n', 'de:\n  n: 010\n').status).toBe('unchanged')
    expect(compare('de:\n  n: 1\n', 'de:\n  n: 1.0\n').keys?.changed).toEqual(['n'])
    expect(compare('de:\n  t: "12:30"\n', 'de:\n  t: 12:30\n').keys?.changed).toEqual(['t'])
  })

  it('a key Psych reads as another type is another key: no: is false, not "no"', () => {
    expect(rails('de:\n  answers:\n    no: Nein\n    "yes": Ja\n    1: eins\n')).toEqual({
      '[locale]': 'de',
      'answers.!!bool false': 'Nein',
      'answers.yes': 'Ja',
      'answers.!!int 1': 'eins'
    })
    expect(compare('de:\n  "no": Nein\n', 'de:\n  no: Nein\n').keys).toEqual({
      added: ['!!bool false'],
      changed: [],
      removed: ['no']
    })
    // Norwegian's `no:` top key is `false` to Rails: not a locale, so nothing is stripped.
    expect(rails('no:\n  a: b\n')).toEqual({ '!!bool false.a': 'b' })
  })

  it('symbol keys are string keys to I18n; symbol values (links) are not strings', () => {
    expect(compare('de:\n  foo: Hallo\n', 'de:\n  :foo: Hallo\n').status).toBe('unchanged')
    expect(compare('de:\n  a: ":b"\n', 'de:\n  a: :b\n').keys?.changed).toEqual(['a'])
  })

  it('a file moved to another locale key with the same keys is a change of [locale]', () => {
    const comparison = compare('de:\n  a: Hallo\n  b: Welt\n', 'de-DE:\n  a: Hallo\n  b: Welt\n')
    expect(comparison).toEqual({
      status: 'changed',
      keys: { added: [], changed: ['[locale]'], removed: [] },
      previousKeyCount: 2,
      nextKeyCount: 2
    })
    // The same through the full parse (as when the shortcut steps aside).
    expect(rails('de-DE:\n  a: Hallo\n')).toEqual({ '[locale]': 'de-DE', a: 'Hallo' })
  })

  it('keeps YAML merge keys working', () => {
    expect(rails('de:\n  base: &base\n    a: A\n  copy:\n    <<: *base\n    b: B\n')).toEqual({
      '[locale]': 'de',
      'base.a': 'A',
      'copy.a': 'A',
      'copy.b': 'B'
    })
  })
})
