import { describe, it, expect } from '@jest/globals'
import { checkDownloads } from '../../src/changes.js'
import { compareFile } from '../../src/files/diff.js'
import { parserFor } from '../../src/files/formats/index.js'
import { crlf, fixture, fixtureText, utf8 } from './fixture.js'

const planned = (fileFormat: string, path: string) => ({
  path,
  fileFormat,
  locale: { id: 'de', name: 'de', code: 'de' },
  request: { label: `de (${path})`, projectId: 'p', localeId: 'de', params: {} }
})

const parseStrings = (text: string) => Object.fromEntries(parserFor('strings')!.parse(text, {}))

describe('iOS .strings', () => {
  it('reads quoted and unquoted keys, escapes and comments', () => {
    expect(parseStrings(fixtureText('strings.de.strings'))).toEqual({
      'home.title': 'Willkommen',
      'home.subtitle': 'Schön, dass du da bist',
      quote: 'Er sagte "Hallo"\nund ging.',
      backslash: 'C:\\Pfad',
      unicode: 'été ☃',
      unquoted_key: 'Wert',
      spaced: 'Abstand',
      url: 'https://example.com/a//b',
      same: 'same'
    })
  })

  it("decodes the remaining escapes: octal, \\t, \\r, \\' and surrogate pairs", () => {
    expect(parseStrings('"k" = "\\101\\t\\r\\\'\\UD83D\\UDE00";')).toEqual({ k: "A\t\r'😀" })
  })

  it('ignores comments, spacing and escape spelling; sees real changes', () => {
    expect(
      compareFile('strings', fixture('strings.de.strings'), fixture('strings.de.changed.strings'))
    ).toEqual({
      status: 'changed',
      keys: { added: ['new.key'], changed: ['home.title'], removed: [] },
      previousKeyCount: 9,
      nextKeyCount: 10
    })
    expect(
      compareFile('strings', fixture('strings.de.strings'), crlf(fixture('strings.de.strings')))
        .status
    ).toBe('unchanged')
  })

  it('reads UTF-16 with a byte order mark, as Xcode writes it, and passes the download check', () => {
    const utf16 = (text: string, littleEndian = true) => {
      const le = Buffer.from(`\uFEFF${text}`, 'utf16le')
      return littleEndian ? le : Buffer.from(le).swap16()
    }
    const text = fixtureText('strings.de.strings')
    expect(compareFile('strings', fixture('strings.de.strings'), utf16(text)).status).toBe(
      'unchanged'
    )
    expect(compareFile('strings', utf16(text, false), utf16(text)).status).toBe('unchanged')
    const changed = compareFile('strings', utf16(text), utf16(text.replace('Willkommen', 'Hallo')))
    expect(changed.keys?.changed).toEqual(['home.title'])
    expect(() =>
      checkDownloads([
        { planned: planned('strings', 'de.lproj/Localizable.strings'), content: utf16(text) }
      ])
    ).not.toThrow()
  })

  it('names the problem and its line when a file does not parse', () => {
    const failures: Array<[string, RegExp]> = [
      ['"a" = "b";\n"c" = "d"\n"e" = "f";', /expected ";" but found """ at line 3/],
      ['"a" = "b";\n/* never closed', /unterminated \/\* comment at line 2/],
      ['"a" = "b;\n', /unterminated string at line 1/],
      ['"a" = ;', /expected a value at line 1/],
      ['"a" = "\\U"', /\\U without hex digits/]
    ]
    for (const [text, message] of failures) {
      const note = compareFile('strings', fixture('strings.de.strings'), utf8(text)).note
      expect(note).toMatch(/^could not parse downloaded file: invalid \.strings file: /)
      expect(note).toMatch(message)
    }
  })
})

describe('.stringsdict', () => {
  it('flattens plural rules to key.variable.form', () => {
    expect(
      Object.fromEntries(
        parserFor('stringsdict')!.parse(fixtureText('stringsdict.de.stringsdict'), {})
      )
    ).toEqual({
      'songs_count.NSStringLocalizedFormatKey': '%#@songs@',
      'songs_count.songs.NSStringFormatSpecTypeKey': 'NSStringPluralRuleType',
      'songs_count.songs.NSStringFormatValueTypeKey': 'd',
      'songs_count.songs.one': '%d Lied',
      'songs_count.songs.other': '%d Lieder & mehr',
      'files_count.NSStringLocalizedFormatKey': '%#@files@',
      'files_count.files.NSStringFormatSpecTypeKey': 'NSStringPluralRuleType',
      'files_count.files.NSStringFormatValueTypeKey': 'd',
      'files_count.files.zero': 'Keine Dateien',
      'files_count.files.one': 'Eine Datei',
      'files_count.files.other': '%d Dateien'
    })
  })

  it('sees a changed and a removed plural form, and nothing when only layout changes', () => {
    const original = fixture('stringsdict.de.stringsdict')
    expect(
      compareFile('stringsdict', original, fixture('stringsdict.de.changed.stringsdict')).keys
    ).toEqual({
      added: [],
      changed: ['songs_count.songs.one'],
      removed: ['files_count.files.zero']
    })
    const reindented = utf8(original.toString().replace(/^ +/gm, '\t').replace('&amp;', '&#38;'))
    expect(compareFile('stringsdict', original, reindented).status).toBe('unchanged')
  })

  it('rejects a plist whose dict does not alternate keys and values', () => {
    const broken = utf8('<plist><dict><key>a</key><key>b</key><string>x</string></dict></plist>')
    expect(compareFile('stringsdict', fixture('stringsdict.de.stringsdict'), broken).note).toMatch(
      /does not alternate <key> and value/
    )
    expect(
      compareFile('stringsdict', fixture('stringsdict.de.stringsdict'), utf8('<plist><dict>')).note
    ).toMatch(/invalid stringsdict/)
  })
})
