import { describe, it, expect } from '@jest/globals'
import { compareFile } from '../../src/files/diff.js'
import { entriesToMap, readEntriesWithLibrary } from '../../src/files/formats/gettext.js'
import { parserFor } from '../../src/files/formats/index.js'
import { readPo, UnusualPoSyntax } from '../../src/files/formats/po-reader.js'
import { crlf, fixture, fixtureText, utf8 } from './fixture.js'

const parse = (text: string) => Object.fromEntries(parserFor('gettext')!.parse(text, {}))

describe('gettext', () => {
  it('keys entries by msgid, msgctxt\\u0004msgid and msgid[n]; keeps only meaningful header fields', () => {
    expect(parse(fixtureText('gettext.de.po'))).toEqual({
      '[header] Language': 'de',
      '[header] Plural-Forms': 'nplurals=2; plural=(n != 1);',
      'home.title': 'Willkommen\u0000#. Shown on the home screen',
      'home.subtitle': 'Schön, dass du da bist\u0000#, fuzzy',
      'menu\u0004Open': 'Öffnen',
      'door state\u0004Open': 'Offen',
      'cart.items[0]': '%d Artikel\u0000#, c-format\nmsgid_plural cart.items',
      'cart.items[1]': '%d Artikel\u0000#, c-format\nmsgid_plural cart.items',
      long: 'Eine lange Zeile mit "Anführungszeichen",\neinem Tab\tund einem Backslash \\.\u0000# Keep the quotes',
      untranslated: ''
    })
  })

  it('treats a new PO-Revision-Date (and other header or reference churn) as unchanged', () => {
    const before = fixture('gettext.de.po')
    const after = fixture('gettext.de.revision-date.po')
    expect(before.equals(after)).toBe(false)
    expect(compareFile('gettext', before, after)).toEqual({
      status: 'unchanged',
      keys: { added: [], changed: [], removed: [] },
      // Eight entries; the two header fields are document keys, not counted as translations.
      previousKeyCount: 8,
      nextKeyCount: 8
    })
  })

  it('treats CRLF line endings as unchanged', () => {
    expect(
      compareFile('gettext', fixture('gettext.de.po'), crlf(fixture('gettext.de.po'))).status
    ).toBe('unchanged')
  })

  it('lists exact changes: plural form, fuzzy flag, Plural-Forms, context entries', () => {
    expect(
      compareFile('gettext', fixture('gettext.de.po'), fixture('gettext.de.changed.po'))
    ).toEqual({
      status: 'changed',
      keys: {
        added: ['menu\u0004Close'],
        changed: ['[header] Plural-Forms', 'cart.items[1]', 'home.subtitle', 'untranslated'],
        removed: ['door state\u0004Open']
      },
      previousKeyCount: 8,
      nextKeyCount: 8
    })
  })

  it('counts a reordered flag list and an obsolete entry as noise', () => {
    const po = 'msgid ""\nmsgstr "Language: de\\n"\n\n#, fuzzy, c-format\nmsgid "a"\nmsgstr "A"\n'
    const same =
      'msgid ""\nmsgstr "Language: de\\n"\n\n#, c-format, fuzzy\nmsgid "a"\nmsgstr "A"\n\n#~ msgid "gone"\n#~ msgstr "Weg"\n'
    expect(compareFile('gettext', utf8(po), utf8(same)).status).toBe('unchanged')
  })

  it('reads templates (.pot): msgid_plural and extracted comments are part of the value', () => {
    const pot = fixtureText('gettext.messages.pot')
    expect(parse(pot)).toEqual({
      '[header] Plural-Forms': 'nplurals=INTEGER; plural=EXPRESSION;',
      'home.title': '\u0000string:\u0000#. Shown on the home screen',
      'cart.items[0]': '\u0000string:\u0000msgid_plural cart.items',
      'cart.items[1]': '\u0000string:\u0000msgid_plural cart.items'
    })
    const renamedPlural = utf8(
      pot.replace('msgid_plural "cart.items"', 'msgid_plural "cart.items.other"')
    )
    expect(
      compareFile('gettext_template', fixture('gettext.messages.pot'), renamedPlural).keys?.changed
    ).toEqual(['cart.items[0]', 'cart.items[1]'])
  })

  it('refuses a download that does not parse when the repository file does; bytes when only the repository file is broken', () => {
    const broken = utf8('msgid "a"\nmsgstr "A"\ngarbage here\n')
    const comparison = compareFile('gettext', fixture('gettext.de.po'), broken)
    expect(comparison.downloadError).toMatch(
      /^invalid PO file: .*Invalid key name "garbage" at line 3/
    )
    expect(comparison.keys?.removed).toHaveLength(10)
    const fixed = compareFile('gettext', broken, fixture('gettext.de.po'))
    expect(fixed.status).toBe('changed')
    expect(fixed.keys).toBeUndefined()
    expect(fixed.note).toMatch(/^could not parse previous file: /)
  })
})

describe('fast PO reader', () => {
  const sameAsLibrary = (text: string) => {
    expect(entriesToMap(readPo(text))).toEqual(entriesToMap(readEntriesWithLibrary(text)))
  }

  it('gives the same maps as gettext-parser on the fixtures', () => {
    for (const name of [
      'gettext.de.po',
      'gettext.de.changed.po',
      'gettext.de.revision-date.po',
      'gettext.messages.pot'
    ]) {
      sameAsLibrary(fixtureText(name))
      sameAsLibrary(fixtureText(name).replace(/\n/g, '\r\n'))
    }
  })

  it('gives the same maps on tricky but well-formed input', () => {
    sameAsLibrary(
      [
        '# translator comment',
        '#',
        '#. extracted one',
        '#. extracted two',
        '#: a.c:1 b.c:2',
        '#,fuzzy',
        '#| msgid "previous"',
        'msgctxt "context"',
        'msgid "with context"',
        'msgstr "x"',
        '',
        '',
        '   msgid "indented" ',
        '\tmsgstr "escapes \\a \\\\ \\" \\t \\r \\n"',
        'msgid "two forms"',
        'msgid_plural ""',
        'msgstr[0] ""',
        '"continued"',
        'msgstr[1] "b"',
        '# comment above an obsolete entry',
        '#~ msgid "old"',
        '#~ msgstr "alt"',
        '#~| msgid "older"',
        'msgid "dup"',
        'msgstr "first"',
        'msgid "dup"',
        'msgstr "second"',
        '# trailing comment without an entry'
      ].join('\n')
    )
  })

  it('hands unusual syntax to gettext-parser instead of guessing', () => {
    const unusual = [
      "msgid 'single quotes'\nmsgstr 'x'\n",
      'msgid "a"\nmsgstr "spans\ntwo lines"\n',
      'msgid "a" msgstr "same line"\n',
      'msgid "a"\n# comment between\nmsgstr "b"\n',
      '#~\nmsgid "a"\nmsgstr "b"\n'
    ]
    for (const text of unusual) {
      expect(() => readPo(text)).toThrow(UnusualPoSyntax)
      // The parser still reads them, through the library.
      expect(() => parserFor('gettext')!.parse(text, {})).not.toThrow()
    }
    expect(parse("msgid 'single quotes'\nmsgstr 'x'\n")).toEqual({ 'single quotes': 'x' })
  })

  it('refuses what only a cut-off file looks like: no msgstr, the end inside a string', () => {
    const cutOff: Array<[string, RegExp]> = [
      ['msgid "a"\nmsgstr "A"\n\nmsgid "no msgstr"\n', /entry without msgstr at line 5/],
      ['msgid "a"\nmsgid "b"\nmsgstr "B"\n', /msgid without msgstr at line 2/],
      [
        'msgid "a"\nmsgstr "A"\n\nmsgid "b"\nmsgstr "cut',
        /the file ends inside a string at line 5/
      ],
      ['msgctxt "only a context"\n', /entry without msgstr/]
    ]
    for (const [text, message] of cutOff) {
      expect(() => parserFor('gettext')!.parse(text, {})).toThrow(message)
    }
  })
})

describe('gettext meaning the library would lose', () => {
  it('reads plural forms by their index, not their order', () => {
    const inOrder = 'msgid "n"\nmsgid_plural "ns"\nmsgstr[0] "eins"\nmsgstr[1] "viele"\n'
    const swapped = 'msgid "n"\nmsgid_plural "ns"\nmsgstr[1] "viele"\nmsgstr[0] "eins"\n'
    const exchanged = 'msgid "n"\nmsgid_plural "ns"\nmsgstr[0] "viele"\nmsgstr[1] "eins"\n'
    expect(parse(swapped)).toEqual(parse(inOrder))
    expect(compareFile('gettext', utf8(inOrder), utf8(swapped)).status).toBe('unchanged')
    expect(compareFile('gettext', utf8(inOrder), utf8(exchanged)).keys?.changed).toEqual([
      'n[0]',
      'n[1]'
    ])
    // A continuation line extends the form it follows.
    expect(parse('msgid "n"\nmsgid_plural "ns"\nmsgstr[1] "a"\n"b"\nmsgstr[0] "c"\n')).toEqual({
      'n[0]': 'c\u0000msgid_plural ns',
      'n[1]': 'ab\u0000msgid_plural ns'
    })
  })

  it('tells msgctxt "" from no context', () => {
    const none = 'msgid "Open"\nmsgstr "Öffnen"\n'
    const empty = 'msgctxt ""\nmsgid "Open"\nmsgstr "Öffnen"\n'
    expect(Object.keys(parse(empty))).toEqual(['\u0004Open'])
    expect(compareFile('gettext', utf8(none), utf8(empty)).keys).toEqual({
      added: ['\u0004Open'],
      changed: [],
      removed: ['Open']
    })
    // Both may stand in one file without overwriting each other.
    expect(parse(none + '\n' + empty)).toEqual({ Open: 'Öffnen', '\u0004Open': 'Öffnen' })
  })

  it('refuses the library fallback when it would drop an empty context or reorder forms', () => {
    const unusual = "msgid 'single quotes'\nmsgstr 'x'\n\n"
    expect(() => parse(unusual + 'msgctxt ""\nmsgid "Open"\nmsgstr "Öffnen"\n')).toThrow(
      /an empty msgctxt at line 4/
    )
    expect(() =>
      parse(unusual + 'msgid "n"\nmsgid_plural "ns"\nmsgstr[1] "viele"\nmsgstr[0] "eins"\n')
    ).toThrow(/plural forms out of order at line 6/)
    // A context continued on the next line is not empty.
    expect(parse(unusual + 'msgctxt ""\n"menu"\nmsgid "Open"\nmsgstr "Öffnen"\n')).toHaveProperty([
      'menu\u0004Open'
    ])
  })
})
