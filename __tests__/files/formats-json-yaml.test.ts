import { describe, it, expect } from '@jest/globals'
import { compareFile } from '../../src/files/diff.js'
import { parserFor } from '../../src/files/formats/index.js'
import { displayText } from '../../src/files/formats/value.js'
import { fixture, fixtureText, utf8 } from './fixture.js'

const parse = (format: string, text: string, localeName?: string) =>
  Object.fromEntries(parserFor(format)!.parse(text, { localeName }))

describe('JSON formats', () => {
  it('flattens nested keys with dots and arrays with [i]', () => {
    expect(parse('nested_json', fixtureText('nested_json.de.json'))).toEqual({
      'app.title': 'Meine App',
      'app.greeting': 'Hallo, {{name}}!',
      'app.empty': '',
      'cart.items_one': '{{count}} Artikel',
      'cart.items_other': '{{count}} Artikel',
      'errors[0]': 'Unbekannter Fehler',
      'errors[1]': 'Netzwerkfehler',
      'settings.notifications.email': 'E-Mail-Benachrichtigungen',
      'settings.notifications.push': 'Push-Benachrichtigungen'
    })
  })

  it('keeps dotted keys of simple JSON as they are', () => {
    expect(Object.keys(parse('simple_json', fixtureText('simple_json.de.json')))).toEqual([
      'app.title',
      'app.greeting',
      'cart.items'
    ])
  })

  it('treats reordered keys and different indentation as unchanged', () => {
    expect(
      compareFile(
        'nested_json',
        fixture('nested_json.de.json'),
        fixture('nested_json.de.reordered.json')
      )
    ).toEqual({
      status: 'unchanged',
      keys: { added: [], changed: [], removed: [] },
      previousKeyCount: 9,
      nextKeyCount: 9
    })
  })

  it('lists exactly the keys added, changed (including a plural form) and removed', () => {
    expect(
      compareFile(
        'nested_json',
        fixture('nested_json.de.json'),
        fixture('nested_json.de.changed.json')
      ).keys
    ).toEqual({
      added: ['app.farewell'],
      changed: ['app.title', 'cart.items_other'],
      removed: ['errors[1]', 'settings.notifications.push']
    })
  })

  it('counts a type change ("1" → 1, "null" → null) as a change', () => {
    const comparison = compareFile(
      'simple_json',
      utf8('{"a": "1", "b": "null", "c": "x"}'),
      utf8('{"a": 1, "b": null, "c": "x"}')
    )
    expect(comparison.keys?.changed).toEqual(['a', 'b'])
  })

  it('names keys under a value that became a map', () => {
    const comparison = compareFile(
      'nested_json',
      utf8('{"a": "x", "b": {"c": "1"}}'),
      utf8('{"a": {"one": "x", "other": "y"}, "b": "1"}')
    )
    expect(comparison.keys).toEqual({
      added: ['a.one', 'a.other', 'b'],
      changed: [],
      removed: ['a', 'b.c']
    })
    expect(comparison).toMatchObject({ previousKeyCount: 2, nextKeyCount: 3 })
  })

  it('handles a "__proto__" key as an ordinary key', () => {
    const comparison = compareFile(
      'nested_json',
      utf8('{"a": "1"}'),
      utf8('{"a": "1", "__proto__": {"x": "y"}}')
    )
    expect(comparison.keys?.added).toEqual(['__proto__.x'])
  })

  it('rejects a top level that is not an object, and absurd nesting', () => {
    const previous = utf8('{"a": "1"}')
    expect(compareFile('nested_json', previous, utf8('"just a string"')).note).toMatch(
      /top level must be a JSON object/
    )
    const deep = utf8('{"a":'.repeat(150) + '"x"' + '}'.repeat(150))
    expect(compareFile('nested_json', previous, deep).note).toMatch(
      /nesting deeper than 100 levels/
    )
    const stackBuster = utf8('['.repeat(1_000_000) + ']'.repeat(1_000_000))
    expect(compareFile('nested_json', previous, stackBuster).note).toMatch(
      /^could not parse downloaded file: /
    )
  })

  it('ARB: keeps @key metadata, ignores @@last_modified', () => {
    const arb = fixtureText('arb.de.arb')
    expect(parse('arb', arb)).toMatchObject({
      '@@locale': 'de',
      appTitle: 'Meine App',
      '@appTitle.description': 'Title shown in the app bar',
      '@itemCount.placeholders.count.type': 'int'
    })
    expect(parse('arb', arb)).not.toHaveProperty(['@@last_modified'])
    const touched = utf8(arb.replace('2026-07-01T10:00:00.000Z', '2026-07-08T17:45:00.000Z'))
    expect(compareFile('arb', fixture('arb.de.arb'), touched).status).toBe('unchanged')
    const described = utf8(arb.replace('Title shown in the app bar', 'Title in the app bar'))
    expect(compareFile('arb', fixture('arb.de.arb'), described).keys?.changed).toEqual([
      '@appTitle.description'
    ])
  })

  it('go-i18n: keys by id, so reordered entries are unchanged; plural forms are keys', () => {
    const text = fixtureText('go_i18n.de.json')
    expect(parse('go_i18n', text)).toEqual({
      app_title: 'Meine App',
      'item_count.one': '{{.Count}} Artikel',
      'item_count.other': '{{.Count}} Artikel'
    })
    const entries = JSON.parse(text) as unknown[]
    const reordered = utf8(JSON.stringify([...entries].reverse(), null, 2))
    expect(compareFile('go_i18n', fixture('go_i18n.de.json'), reordered).status).toBe('unchanged')
    const changed = utf8(
      text.replace('"other": "{{.Count}} Artikel"', '"other": "{{.Count}} Artikel (mehrere)"')
    )
    expect(compareFile('go_i18n', fixture('go_i18n.de.json'), changed).keys?.changed).toEqual([
      'item_count.other'
    ])
    expect(
      compareFile('go_i18n', fixture('go_i18n.de.json'), utf8('[{"translation": "x"}]')).note
    ).toMatch(/entry 0 has no string "id"/)
  })
})

describe('YAML formats', () => {
  it('strips the Rails locale key so keys match across locales', () => {
    const de = parse('yml', fixtureText('yml.de.yml'), 'de')
    const en = parse('yml', fixtureText('yml.en.yml'), 'en')
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort())
    expect(de).toMatchObject({
      'activerecord.models.user.one': 'Benutzer',
      'date.abbr_day_names[1]': 'Mo',
      hello: 'Hallo %{name}',
      quoted: 'Zeile 1\nZeile 2'
    })
  })

  it('strips a top key equal to the locale name even when it does not look like a code', () => {
    expect(parse('yml', 'German:\n  a: b\n', 'german')).toEqual({ '[locale]': 'German', a: 'b' })
    expect(parse('yml', 'navigation:\n  a: b\n', 'de')).toEqual({ 'navigation.a': 'b' })
  })

  it('lists exact key changes in a Rails file (a plural form, an array item, a type change)', () => {
    expect(
      compareFile('yml', fixture('yml.de.yml'), fixture('yml.de.changed.yml'), { localeName: 'de' })
        .keys
    ).toEqual({
      added: ['goodbye'],
      changed: ['activerecord.models.user.one', 'count'],
      removed: ['date.abbr_day_names[2]']
    })
  })

  it('treats re-quoting and reordering as unchanged', () => {
    const requoted = utf8(
      "de:\n  hello: 'Hallo %{name}'\n  count: 3\n  quoted: |-\n    Zeile 1\n    Zeile 2\n"
    )
    const original = utf8(
      '---\nde:\n  quoted: "Zeile 1\\nZeile 2"\n  count: 3\n  hello: Hallo %{name}\n'
    )
    expect(compareFile('yml', original, requoted).status).toBe('unchanged')
  })

  it('keeps every top-level key of Symfony files', () => {
    expect(parse('yml_symfony', fixtureText('yml_symfony.de.yml'))).toEqual({
      'messages.welcome': 'Willkommen',
      'messages.logout': 'Abmelden',
      'validators.required': 'Dieses Feld ist erforderlich.'
    })
  })

  it('refuses an alias bomb, a cyclic alias and several documents', () => {
    const previous = fixture('yml_symfony.de.yml')
    const laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for (const name of 'bcdefgh')
      laughs.push(
        `${name}: &${name} [${Array(9)
          .fill(`*${String.fromCharCode(name.charCodeAt(0) - 1)}`)
          .join(',')}]`
      )
    expect(compareFile('yml_symfony', previous, utf8(laughs.join('\n'))).note).toMatch(
      /^could not parse downloaded file: invalid YAML: .*alias/i
    )
    expect(compareFile('yml_symfony', previous, utf8('a: &x\n  b: *x\n')).note).toMatch(
      /the alias \*x is inside its own anchor/
    )
    expect(compareFile('yml_symfony', previous, utf8('a: 1\n---\nb: 2\n')).note).toMatch(
      /multiple documents/
    )
  })

  it('keeps a "__proto__" key as data, and tells typed keys from string keys (Symfony: PHP array keys)', () => {
    expect(parse('yml', 'de:\n  __proto__:\n    x: y\n', 'de')).toEqual({
      '[locale]': 'de',
      '__proto__.x': 'y'
    })
    expect([...parserFor('yml_symfony')!.parse('__proto__: x\n', {})]).toEqual([['__proto__', 'x']])
    expect(parse('yml_symfony', 'a:\n  true: x\n  "true": y\n  1: z\n  ~: n\n')).toEqual({
      'a.!!bool true': 'x',
      'a.true': 'y',
      'a.1': 'z',
      'a.!!null': 'n'
    })
    expect(compareFile('yml_symfony', utf8('"1": x\n'), utf8('1: x\n')).status).toBe('unchanged')
  })

  it('treats an empty Rails locale as no keys', () => {
    expect(parse('yml', 'de:\n', 'de')).toEqual({ '[locale]': 'de' })
    expect(parse('yml', '', 'de')).toEqual({})
    expect(compareFile('yml', utf8('de:\n'), utf8('de: ~\n'))).toMatchObject({
      status: 'unchanged',
      previousKeyCount: 0
    })
  })
})

describe('what flattening alone would lose', () => {
  const json = (text: string) => utf8(text)

  it('an empty map or list inside a file is a value: {"b": {}} is not {}', () => {
    expect(
      compareFile('nested_json', json('{"a": "1", "b": {}}'), json('{"a": "1"}')).keys
    ).toEqual({
      added: [],
      changed: [],
      removed: ['b']
    })
    expect(compareFile('nested_json', json('{"l": []}'), json('{"l": ["x"]}')).keys).toEqual({
      added: ['l[0]'],
      changed: [],
      removed: ['l']
    })
    expect(displayText(parserFor('nested_json')!.parse('{"b": {}, "l": []}', {}).get('b')!)).toBe(
      '{}'
    )
    expect(
      compareFile('yml', utf8('de:\n  b: {}\n'), utf8('de:\n  b: []\n')).keys?.changed
    ).toEqual(['b'])
  })

  it('integers above 2^53 are read exactly (JSON and Symfony YAML)', () => {
    expect(
      compareFile('nested_json', json('{"n": 9007199254740993}'), json('{"n": 9007199254740992}'))
        .keys?.changed
    ).toEqual(['n'])
    // Digits inside strings are text, and stay as they are.
    expect(
      parse('nested_json', '{"s": "12345678901234567890", "n": -12345678901234567890}')
    ).toEqual({
      s: '12345678901234567890',
      n: '\u0000number:-12345678901234567890'
    })
    expect(
      compareFile('yml_symfony', utf8('n: 9007199254740993\n'), utf8('n: 9007199254740992\n')).keys
        ?.changed
    ).toEqual(['n'])
  })

  it('a dotted key and the same path nested are one key: unchanged with the same value, else changed', () => {
    expect(compareFile('nested_json', json('{"a.b": "1"}'), json('{"a": {"b": "1"}}')).status).toBe(
      'unchanged'
    )
    expect(
      compareFile('nested_json', json('{"a.b": "1"}'), json('{"a": {"b": "2"}}')).keys
    ).toEqual({
      added: [],
      changed: ['a.b'],
      removed: []
    })
  })

  it('aliases may not expand a file far beyond its own size', () => {
    const anchor = Array.from({ length: 2_000 }, (_, i) => `  k${i}: v`).join('\n')
    const bomb = `base: &b\n${anchor}\n${Array.from({ length: 99 }, (_, i) => `c${i}: *b`).join('\n')}\n`
    expect(compareFile('yml_symfony', utf8('x: 1\n'), utf8(bomb)).note).toMatch(
      /invalid YAML: aliases expand the document from 4102 to 400300 nodes/
    )
    // A Rails locale that merges another one whole is fine.
    const merged = `en: &en\n${anchor.replace(/^/gm, '  ')}\nen-GB:\n  <<: *en\n`
    expect(parserFor('yml_symfony')!.parse(merged, {}).size).toBe(4_000)
  })

  it('a key written twice: Psych (Rails) keeps the last value, Symfony refuses the file', () => {
    expect(parse('yml', 'de:\n  a: 1\n  a: zwei\n', 'de')).toEqual({ '[locale]': 'de', a: 'zwei' })
    expect(() => parse('yml_symfony', 'a: 1\nb: 2\na: 3\n')).toThrow(
      'invalid YAML: duplicate key "a" at line 3'
    )
  })
})
