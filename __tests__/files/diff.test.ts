import { describe, it, expect } from '@jest/globals'
import { compareFile, sameText } from '../../src/files/diff.js'
import { gettextParser } from '../../src/files/formats/gettext.js'
import { SEMANTIC_FORMATS, parserFor, type FormatParser } from '../../src/files/formats/index.js'
import { arbParser, goI18nParser, jsonParser } from '../../src/files/formats/json.js'
import { propertiesParser, propertiesXmlParser } from '../../src/files/formats/properties.js'
import { stringsParser } from '../../src/files/formats/strings.js'
import { stringsdictParser } from '../../src/files/formats/stringsdict.js'
import { androidXmlParser } from '../../src/files/formats/xml-android.js'
import { symfonyXliffParser, xliffParser } from '../../src/files/formats/xliff.js'
import { railsYamlParser, yamlParser } from '../../src/files/formats/yaml.js'
import { crlf, fixture, utf8, withoutFinalNewline } from './fixture.js'

describe('compareFile: fast path and new files', () => {
  it('calls identical bytes unchanged without parsing them', () => {
    // Invalid JSON on both sides: a parse would add a note; identical bytes must not get that far.
    const broken = utf8('{ "not": json')
    expect(compareFile('nested_json', broken, Buffer.from(broken))).toEqual({ status: 'unchanged' })
  })

  it('lists every key of a new file as added, with counts', () => {
    expect(compareFile('nested_json', undefined, utf8('{"b": "2", "a": {"c": "1"}}'))).toEqual({
      status: 'added',
      keys: { added: ['a.c', 'b'], changed: [], removed: [] },
      previousKeyCount: 0,
      nextKeyCount: 2
    })
  })

  it('lists the translations of a new file, not its document keys', () => {
    expect(compareFile('yml', undefined, utf8('de:\n  a: b\n'), { localeName: 'de' })).toEqual({
      status: 'added',
      keys: { added: ['a'], changed: [], removed: [] },
      previousKeyCount: 0,
      nextKeyCount: 1
    })
    expect(
      compareFile(
        'gettext',
        undefined,
        utf8('msgid ""\nmsgstr "Language: de\\n"\n\nmsgid "a"\nmsgstr "A"\n')
      ).keys?.added
    ).toEqual(['a'])
  })

  it('marks a new file of a byte-compared format as added without keys', () => {
    expect(compareFile('gettext_mo', undefined, Buffer.from([0xde, 0x12, 0x04, 0x95]))).toEqual({
      status: 'added'
    })
  })

  it('notes a new file that does not parse', () => {
    const comparison = compareFile('nested_json', undefined, utf8('{"a": '))
    expect(comparison.status).toBe('added')
    expect(comparison.keys).toBeUndefined()
    expect(comparison.note).toMatch(/^could not parse downloaded file: invalid JSON/)
  })
})

describe('compareFile: semantic formats', () => {
  it('treats a CRLF-only rewrite and a missing final newline as unchanged', () => {
    const original = fixture('nested_json.de.json')
    expect(compareFile('nested_json', original, crlf(original)).status).toBe('unchanged')
    expect(compareFile('nested_json', original, withoutFinalNewline(original)).status).toBe(
      'unchanged'
    )
    expect(compareFile('yml', fixture('yml.de.yml'), crlf(fixture('yml.de.yml'))).status).toBe(
      'unchanged'
    )
  })

  it('treats an added UTF-8 byte order mark as unchanged', () => {
    const original = fixture('strings.de.strings')
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), original])
    expect(compareFile('strings', original, withBom)).toMatchObject({
      status: 'unchanged',
      nextKeyCount: 9
    })
  })

  it('reads UTF-16 files (with a byte order mark) as text', () => {
    const text = fixture('strings.de.strings').toString('utf8')
    const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const utf16be = Buffer.from(utf16le)
    utf16be.swap16()
    expect(compareFile('strings', fixture('strings.de.strings'), utf16le).status).toBe('unchanged')
    expect(compareFile('strings', utf16le, utf16be).status).toBe('unchanged')
    const changed = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from(text.replace('Willkommen', 'Hallo'), 'utf16le')
    ])
    expect(compareFile('strings', utf16le, changed).keys?.changed).toEqual(['home.title'])
  })

  it('reports counts along with the key lists', () => {
    const comparison = compareFile(
      'nested_json',
      fixture('nested_json.de.json'),
      fixture('nested_json.de.changed.json')
    )
    expect(comparison).toMatchObject({ status: 'changed', previousKeyCount: 9, nextKeyCount: 8 })
  })
})

describe('compareFile: when a side does not parse', () => {
  const valid = utf8('{"a": "1", "b": {"c": "2"}}\n')

  it('marks a download that does not parse, where the repository file does, as removing every key', () => {
    const comparison = compareFile('nested_json', valid, utf8('{"a": "1", "b": {"c'))
    expect(comparison).toEqual({
      status: 'changed',
      keys: { added: [], changed: [], removed: ['a', 'b.c'] },
      previousKeyCount: 2,
      nextKeyCount: 0,
      note: expect.stringMatching(/^could not parse downloaded file: invalid JSON: .+/),
      downloadError: expect.stringMatching(/^invalid JSON: Unterminated string/)
    })
  })

  it('names the YAML problem of a download', () => {
    const comparison = compareFile('yml', utf8('en:\n  a: b\n'), utf8('en:\n  a: [b\n'))
    expect(comparison.downloadError).toMatch(/^invalid YAML: /)
    expect(comparison.keys?.removed).toEqual(['[locale]', 'a'])
    expect(comparison.previousKeyCount).toBe(1)
  })

  it('compares bytes, with a note, when only the repository file is broken (the download fixes it)', () => {
    const comparison = compareFile('nested_json', utf8('{"a": "1",}\n'), valid)
    expect(comparison.status).toBe('changed')
    expect(comparison.keys).toBeUndefined()
    expect(comparison.downloadError).toBeUndefined()
    expect(comparison.note).toMatch(/^could not parse previous file: invalid JSON: .+/)
    expect(comparison.note).not.toMatch(/downloaded/)
  })

  it('compares bytes when neither parses, names both, and still ignores line endings', () => {
    const broken = utf8('{"a": \n')
    const comparison = compareFile('nested_json', broken, crlf(broken))
    expect(comparison.status).toBe('unchanged')
    expect(comparison.downloadError).toBeUndefined()
    expect(comparison.note).toMatch(
      /^could not parse previous file: .+; could not parse downloaded file: .+/
    )
    expect(compareFile('nested_json', broken, utf8('{"b": \n')).status).toBe('changed')
  })

  it('treats bytes that are not UTF-8 in a UTF-8 format as a parse failure naming the byte and line', () => {
    // Line 1 is 29 bytes; on line 2 the ü (0xFC in Latin-1) follows 9 bytes.
    const latin1 = Buffer.from('"home.title" = "Willkommen";\n"x" = "Gr\u00fc\u00dfe";\n', 'latin1')
    const comparison = compareFile('strings', fixture('strings.de.strings'), latin1)
    expect(comparison.status).toBe('changed')
    expect(comparison.keys).toBeUndefined()
    // Text in another encoding is unread, not broken: download-params may declare `encoding`.
    expect(comparison.downloadError).toBeUndefined()
    expect(comparison.note).toBe(
      'could not parse downloaded file: not valid UTF-8: byte 0xFC at offset 38 (line 2); is the file in another encoding?'
    )
  })

  it('rejects overlong and surrogate UTF-8 sequences', () => {
    for (const bad of [
      [0xc0, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80]
    ]) {
      const bytes = Buffer.concat([utf8('{"a": "'), Buffer.from(bad), utf8('"}')])
      expect(compareFile('nested_json', valid, bytes).note).toMatch(
        /not valid UTF-8: byte 0x[0-9A-F]{2} at offset 7 \(line 1\)/
      )
    }
  })
})

describe('compareFile: formats without a parser', () => {
  it('compares bytes after normalising CRLF, the final newline and a BOM', () => {
    const text = utf8('line one\nline two\n')
    expect(compareFile('csv', text, utf8('line one\r\nline two\r\n\n'))).toEqual({
      status: 'unchanged'
    })
    expect(compareFile('csv', text, utf8('\ufeffline one\nline two'))).toEqual({
      status: 'unchanged'
    })
    expect(compareFile('csv', text, utf8('line one\nline 2\n'))).toEqual({ status: 'changed' })
  })

  it('keeps line endings significant in binary files', () => {
    const binary = Buffer.from([0xde, 0x12, 0x04, 0x95, 0x00, 0x0d, 0x0a])
    const lf = Buffer.from([0xde, 0x12, 0x04, 0x95, 0x00, 0x0a])
    expect(compareFile('gettext_mo', binary, lf)).toEqual({ status: 'changed' })
  })

  it('sameText keeps a CR that is not part of a CRLF', () => {
    expect(sameText(utf8('a\rb'), utf8('a\nb'))).toBe(false)
    expect(sameText(utf8('a\r\nb\r\n'), utf8('a\nb'))).toBe(true)
  })
})

describe('format registry', () => {
  /** Every Phrase format with a parser, and which one: written out, not derived from the registry. */
  const EXPECTED: Record<string, FormatParser> = {
    simple_json: jsonParser,
    nested_json: jsonParser,
    json: jsonParser,
    i18next: jsonParser,
    i18next_4: jsonParser,
    react_simple_json: jsonParser,
    react_nested_json: jsonParser,
    angular_translate: jsonParser,
    chrome_json: jsonParser,
    go_i18n: goI18nParser,
    arb: arbParser,
    yml: railsYamlParser,
    yml_symfony: yamlParser,
    yml_symfony2: yamlParser,
    yaml: yamlParser,
    gettext: gettextParser,
    gettext_template: gettextParser,
    strings: stringsParser,
    stringsdict: stringsdictParser,
    xml: androidXmlParser,
    properties: propertiesParser,
    properties_xml: propertiesXmlParser,
    xlf: xliffParser,
    xliff: xliffParser,
    xliff_2: xliffParser,
    symfony_xliff: symfonyXliffParser
  }

  it('maps each format to its parser, and no other format to one', () => {
    for (const [format, parser] of Object.entries(EXPECTED)) {
      expect({ format, same: parserFor(format) === parser }).toEqual({ format, same: true })
    }
    expect([...SEMANTIC_FORMATS].sort()).toEqual(Object.keys(EXPECTED).sort())
    for (const format of ['gettext_mo', 'csv', 'xlsx', 'resx', 'ts', 'plist', 'php_array']) {
      expect(parserFor(format)).toBeUndefined()
    }
    expect(parserFor(' Nested_JSON ')).toBe(jsonParser)
  })
})
