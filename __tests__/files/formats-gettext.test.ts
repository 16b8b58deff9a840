import { describe, it, expect } from '@jest/globals'
import { compareFile } from '../../src/files/diff.js'
import { parserFor } from '../../src/files/formats/index.js'
import { crlf, fixture, fixtureText, utf8 } from './fixture.js'

const parse = (text: string) => Object.fromEntries(parserFor('gettext')!.parse(text, {}))

describe('gettext', () => {
  it('keys entries by msgid, msgctxt|msgid and msgid[n]; keeps only meaningful header fields', () => {
    expect(parse(fixtureText('gettext.de.po'))).toEqual({
      '[header] Language': 'de',
      '[header] Plural-Forms': 'nplurals=2; plural=(n != 1);',
      'home.title': 'Willkommen\u0000#. Shown on the home screen',
      'home.subtitle': 'Schön, dass du da bist\u0000#, fuzzy',
      'menu|Open': 'Öffnen',
      'door state|Open': 'Offen',
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
        added: ['menu|Close'],
        changed: ['[header] Plural-Forms', 'cart.items[1]', 'home.subtitle', 'untranslated'],
        removed: ['door state|Open']
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
    expect(comparison.downloadError).toBe('invalid PO file: keyword "garbage" unknown at line 3')
    expect(comparison.keys?.removed).toHaveLength(10)
    const fixed = compareFile('gettext', broken, fixture('gettext.de.po'))
    expect(fixed.status).toBe('changed')
    expect(fixed.keys).toBeUndefined()
    expect(fixed.note).toMatch(/^could not parse previous file: /)
  })
})

/**
 * The PO reader against GNU gettext's msgfmt (gettext-tools po-lex.c, po-gram-gen.y): what it
 * reads, what it refuses and with which words.
 */
describe('PO syntax as msgfmt reads it', () => {
  it.each<[string, string, Record<string, string>]>([
    [
      'keywords and strings are tokens: several on a line, strings continued on the next',
      'msgid "a" msgstr "b"\nmsgid\n  "c"\nmsgstr "d" "e"\n"f"\n',
      { a: 'b', c: 'def' }
    ],
    [
      'escapes: \\n \\t \\b \\r \\f \\v \\a \\\\ \\" octal and hex',
      'msgid "e"\nmsgstr "\\n\\t\\b\\r\\f\\v\\a\\\\\\"\\101\\x42"\n',
      { e: '\n\t\b\r\f\v\u0007\\"AB' }
    ],
    [
      'a backslash at the end of a line continues the string',
      'msgid "a"\nmsgstr "one \\\ntwo"\n',
      { a: 'one two' }
    ],
    [
      'comments: translator, extracted and flags are kept, references and previous ids are not',
      '# mine\n#. extracted\n#: src/a.c:1\n#| msgid "old"\n#,fuzzy\nmsgid "a"\nmsgstr "b"\n',
      { a: 'b\u0000#, fuzzy\n# mine\n#. extracted' }
    ],
    [
      'an obsolete entry (#~) is dropped with the comments above it',
      '# gone\n#~ msgid "old"\n#~ msgstr "alt"\nmsgid "a"\nmsgstr "b"\n',
      { a: 'b' }
    ],
    [
      'msgctxt "" is a context of its own, apart from none',
      'msgid "Open"\nmsgstr "Öffnen"\n\nmsgctxt ""\nmsgid "Open"\nmsgstr "Auf"\n',
      { Open: 'Öffnen', '|Open': 'Auf' }
    ],
    [
      'plural forms, with spaces inside the brackets',
      'msgid "n"\nmsgid_plural "ns"\nmsgstr [ 0 ] "eins"\nmsgstr[1] "viele"\n',
      { 'n[0]': 'eins\u0000msgid_plural ns', 'n[1]': 'viele\u0000msgid_plural ns' }
    ],
    [
      'a message defined twice keeps the last definition',
      'msgid "dup"\nmsgstr "first"\nmsgid "dup"\nmsgstr "second"\n',
      { dup: 'second' }
    ],
    ['CRLF line ends', 'msgid "a"\r\nmsgstr "b"\r\n# c\r\n', { a: 'b' }]
  ])('reads %s', (_, text, expected) => {
    expect(parse(text)).toEqual(expected)
  })

  it.each<[string, string, string]>([
    ['single quotes', "msgid 'a'\nmsgstr 'b'\n", 'msgid without a string at line 1'],
    [
      'a line end inside a string',
      'msgid "a"\nmsgstr "two\nlines"\n',
      'end-of-line within string at line 2'
    ],
    [
      'a comment inside an entry',
      'msgid "a"\n# note\nmsgstr "b"\n',
      'comment inside an entry at line 2'
    ],
    ['an unknown escape', 'msgid "a"\nmsgstr "\\q"\n', 'invalid control sequence at line 2'],
    ['an unknown keyword', 'msgid "a"\nmsgtxt "b"\n', 'keyword "msgtxt" unknown at line 2'],
    [
      'plural forms out of order',
      'msgid "n"\nmsgid_plural "ns"\nmsgstr[1] "viele"\nmsgstr[0] "eins"\n',
      'first plural form has nonzero index at line 3'
    ],
    [
      'a skipped plural form',
      'msgid "n"\nmsgid_plural "ns"\nmsgstr[0] "eins"\nmsgstr[2] "viele"\n',
      'plural form has wrong index at line 4'
    ],
    [
      'msgstr[0] without msgid_plural',
      'msgid "n"\nmsgstr[0] "x"\n',
      "missing 'msgid_plural' section at line 2"
    ],
    [
      'msgstr after msgid_plural',
      'msgid "n"\nmsgid_plural "ns"\nmsgstr "x"\n',
      "missing 'msgstr[]' section at line 3"
    ],
    [
      'a domain directive',
      'domain "app"\nmsgid "a"\nmsgstr "b"\n',
      'a "domain" directive (one file per domain is expected) at line 1'
    ],
    // What only a cut-off download looks like.
    [
      'an entry without msgstr',
      'msgid "a"\nmsgstr "A"\n\nmsgid "no msgstr"\n',
      'entry without msgstr at line 5'
    ],
    [
      'a msgid without msgstr',
      'msgid "a"\nmsgid "b"\nmsgstr "B"\n',
      'msgid without msgstr at line 2'
    ],
    [
      'the end inside a string',
      'msgid "a"\nmsgstr "A"\n\nmsgid "b"\nmsgstr "cut',
      'the file ends inside a string at line 5'
    ],
    ['a lone context', 'msgctxt "only a context"\n', 'entry without msgstr at line 2']
  ])('refuses %s', (_, text, message) => {
    expect(() => parse(text)).toThrow(`invalid PO file: ${message}`)
  })
})

describe('gettext keys with a context', () => {
  it('are named context|msgid, readable in a pull request', () => {
    const none = 'msgid "Open"\nmsgstr "Öffnen"\n'
    const empty = 'msgctxt ""\nmsgid "Open"\nmsgstr "Öffnen"\n'
    expect(compareFile('gettext', utf8(none), utf8(empty)).keys).toEqual({
      added: ['|Open'],
      changed: [],
      removed: ['Open']
    })
    const plural =
      'msgctxt "cart"\nmsgid "item"\nmsgid_plural "items"\nmsgstr[0] "a"\nmsgstr[1] "b"\n'
    expect(Object.keys(parse(plural))).toEqual(['cart|item[0]', 'cart|item[1]'])
  })
})
