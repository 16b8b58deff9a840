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
      previousKeyCount: 10,
      nextKeyCount: 10
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
      previousKeyCount: 10,
      nextKeyCount: 10
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
      'home.title': '\u0000#. Shown on the home screen',
      'cart.items[0]': '\u0000msgid_plural cart.items',
      'cart.items[1]': '\u0000msgid_plural cart.items'
    })
    const renamedPlural = utf8(
      pot.replace('msgid_plural "cart.items"', 'msgid_plural "cart.items.other"')
    )
    expect(
      compareFile('gettext_template', fixture('gettext.messages.pot'), renamedPlural).keys?.changed
    ).toEqual(['cart.items[0]', 'cart.items[1]'])
  })

  it('falls back to bytes with a note when a file does not parse', () => {
    const broken = utf8('msgid "a"\nmsgstr "A"\ngarbage here\n')
    const comparison = compareFile('gettext', fixture('gettext.de.po'), broken)
    expect(comparison.keys).toBeUndefined()
    expect(comparison.note).toMatch(
      /^could not parse downloaded file: invalid PO file: .*Invalid key name "garbage" at line 3/
    )
    expect(compareFile('gettext', broken, fixture('gettext.de.po')).note).toMatch(
      /^could not parse previous file: /
    )
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
        'msgctxt ""',
        'msgid "empty context"',
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
      'msgid "no msgstr"\n',
      '#~\nmsgid "a"\nmsgstr "b"\n'
    ]
    for (const text of unusual) {
      expect(() => readPo(text)).toThrow(UnusualPoSyntax)
      // The parser still reads them, through the library.
      expect(() => parserFor('gettext')!.parse(text, {})).not.toThrow()
    }
    expect(parse("msgid 'single quotes'\nmsgstr 'x'\n")).toEqual({ 'single quotes': 'x' })
  })
})
