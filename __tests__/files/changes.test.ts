/**
 * The safety checks of compareAll: a download that does not parse never replaces a repository
 * file that does (issue 11, item 2), for every format with a parser, and mass key removal.
 */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  candidateOnDisk,
  checkDownloads,
  compareAll,
  SafetyError,
  type Candidate
} from '../../src/changes.js'
import { SEMANTIC_FORMATS } from '../../src/files/formats/index.js'
import type { PlannedFile } from '../../src/plan.js'
import { fixture, utf8 } from './fixture.js'

/** What a CDN or proxy sends instead of the file when something is wrong on its side. */
const ERROR_PAGE = utf8(
  '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1><p>The server returned an invalid response.</p></body></html>\n'
)

function candidate(
  fileFormat: string,
  path: string,
  content: Buffer,
  params: Record<string, unknown> = {}
): Candidate {
  const planned: PlannedFile = {
    path,
    fileFormat,
    locale: { id: 'loc-de', name: 'de', code: 'de-DE', default: false },
    request: {
      label: `de (${path})`,
      projectId: 'p1',
      localeId: 'loc-de',
      params: { file_format: fileFormat, ...params }
    }
  }
  return { planned, content }
}

function stopped(
  fileFormat: string,
  previous: Buffer | undefined,
  download: Buffer,
  maxKeyRemoval = 0.5
) {
  const path = `locales/de.${fileFormat}`
  try {
    compareAll([candidate(fileFormat, path, download)], () => previous, maxKeyRemoval)
  } catch (error) {
    expect(error).toBeInstanceOf(SafetyError)
    return (error as Error).message
  }
  return undefined
}

const cut = (bytes: Buffer, at: number) => bytes.subarray(0, Math.floor(bytes.length * at))

/**
 * Per format: the repository file, and downloads that must never replace it. `parse` means the
 * run stops because the download does not parse (the message names the problem); `removal`
 * means the download parses (the format accepts it) into far fewer keys, so max-key-removal stops it.
 */
const CASES: Array<{
  format: string
  previous: string
  broken: Array<[what: string, bytes: Buffer | ((previous: Buffer) => Buffer), stop: RegExp]>
}> = [
  {
    format: 'nested_json',
    previous: 'nested_json.de.json',
    broken: [
      ['an HTML error page', ERROR_PAGE, /invalid JSON: Unexpected token '<'/],
      ['a truncated file', p => cut(p, 0.5), /invalid JSON: Unterminated string/],
      ['null', utf8('null\n'), /top level must be a JSON object/],
      ['an empty object', utf8('{}\n'), /would remove 9 of 9 keys \(100%\)/]
    ]
  },
  {
    format: 'arb',
    previous: 'arb.de.arb',
    broken: [
      ['an HTML error page', ERROR_PAGE, /invalid JSON/],
      ['a truncated file', p => cut(p, 0.7), /invalid JSON/],
      ['null', utf8('null'), /top level must be a JSON object/]
    ]
  },
  {
    format: 'go_i18n',
    previous: 'go_i18n.de.json',
    broken: [
      ['an HTML error page', ERROR_PAGE, /invalid JSON/],
      ['a truncated file', p => cut(p, 0.5), /invalid JSON/],
      ['an empty list', utf8('[]'), /would remove 3 of 3 keys/]
    ]
  },
  {
    format: 'yml',
    previous: 'yml.de.yml',
    broken: [
      ['an HTML error page', ERROR_PAGE, /the top level must be a YAML map/],
      // Cut inside a quoted value: the rest of a YAML file can be cut without a trace (next case).
      ['a file cut in a quoted value', p => utf8(p.toString().split('Zeile 1')[0]), /invalid YAML/],
      [
        'a file cut between lines',
        p => utf8(p.toString().split('\n').slice(0, 4).join('\n')),
        /would remove \d of 8 keys/
      ],
      ['null', utf8('null\n'), /would remove 8 of 8 keys/],
      ['only the locale', utf8('de:\n'), /would remove 8 of 8 keys/]
    ]
  },
  {
    format: 'yml_symfony',
    previous: 'yml_symfony.de.yml',
    broken: [
      ['an HTML error page', ERROR_PAGE, /the top level must be a YAML map/],
      ['a truncated file', p => cut(p, 0.5), /invalid YAML/],
      ['~', utf8('~\n'), /would remove 3 of 3 keys/]
    ]
  },
  {
    format: 'gettext',
    previous: 'gettext.de.po',
    broken: [
      ['an HTML error page', ERROR_PAGE, /invalid PO file: unexpected character "<" at line 1/],
      [
        'a file cut in a string',
        p => cut(p, 0.5),
        /invalid PO file: the file ends inside a string/
      ],
      ['only the header', p => utf8(p.toString().split('\n\n')[0]), /would remove 8 of 8 keys/]
    ]
  },
  {
    format: 'strings',
    previous: 'strings.de.strings',
    broken: [
      ['an HTML error page', ERROR_PAGE, /invalid \.strings file: expected a key at line 1/],
      ['a truncated file', p => cut(p, 0.5), /invalid \.strings file: unterminated string/]
    ]
  },
  {
    format: 'stringsdict',
    previous: 'stringsdict.de.stringsdict',
    broken: [
      ['an HTML error page', ERROR_PAGE, /invalid stringsdict: no <plist><dict> root/],
      ['a truncated file', p => cut(p, 0.5), /invalid stringsdict/]
    ]
  },
  {
    format: 'xml',
    previous: 'xml.de.xml',
    broken: [
      ['an HTML error page', ERROR_PAGE, /invalid Android XML: no <resources> element/],
      ['a truncated file', p => cut(p, 0.5), /invalid Android XML/],
      ['no resources', utf8('<resources/>'), /would remove 12 of 12 keys/]
    ]
  },
  {
    format: 'properties',
    previous: 'properties.de.properties',
    broken: [
      // Any text is a valid .properties file: an HTML page is recognised as one.
      [
        'an HTML error page',
        ERROR_PAGE,
        /not valid properties \(an HTML page, not a translation file\)/
      ],
      ['a truncated file', p => cut(p, 0.3), /would remove [3-5] of 5 keys/]
    ]
  },
  {
    format: 'properties_xml',
    previous: 'properties_xml.de.xml',
    broken: [
      ['an HTML error page', ERROR_PAGE, /invalid XML properties: no <properties> element/],
      ['a truncated file', p => cut(p, 0.5), /invalid XML properties/]
    ]
  },
  {
    format: 'xlf',
    previous: 'xlf.de.xlf',
    broken: [
      ['an HTML error page', ERROR_PAGE, /invalid XLIFF: no <xliff> element/],
      ['a truncated file', p => cut(p, 0.5), /invalid XLIFF/]
    ]
  },
  {
    format: 'xliff_2',
    previous: 'xliff_2.de.xliff',
    broken: [
      ['an HTML error page', ERROR_PAGE, /invalid XLIFF: no <xliff> element/],
      ['a truncated file', p => cut(p, 0.5), /invalid XLIFF/]
    ]
  }
]

describe('a download that does not parse never replaces a repository file that does', () => {
  for (const { format, previous, broken } of CASES) {
    it(`${format}: ${broken.map(([what]) => what).join(', ')}`, () => {
      const repositoryFile = fixture(previous)
      for (const [what, bytes, stop] of broken) {
        const download = typeof bytes === 'function' ? bytes(repositoryFile) : bytes
        const message = stopped(format, repositoryFile, download)
        expect({ what, message }).toEqual({ what, message: expect.stringMatching(stop) })
        expect(message).toContain(`de (locales/de.${format})`)
      }
    })
  }

  it('names the locale, the file and the parse error, and counts every key as removed', () => {
    const message = stopped('nested_json', fixture('nested_json.de.json'), ERROR_PAGE, 1)
    expect(message).toMatch(
      /^Stopped before committing: the download of de \(locales\/de\.nested_json\) is not valid nested_json \(invalid JSON: Unexpected token '<', .+\), although the repository's file is; it would remove all 9 keys\. Phrase may have sent an error page or a cut-off file/
    )
    // max-key-removal 100% does not let it through: not parsing is not a removal.
    expect(message).not.toMatch(/max-key-removal/)
    // A parser that quotes a whole error page is cut short.
    const long = stopped('gettext', fixture('gettext.de.po'), utf8(`html${'x'.repeat(5000)}\n`))
    expect(long).toMatch(/invalid PO file: .{100,}…\), although/)
    expect(long!.length).toBeLessThan(600)
  })

  it('lets a download replace a repository file that does not parse (the fix), and compares bytes when neither parses', () => {
    const brokenJson = utf8('{"a": "1",}\n')
    const [fix] = compareAll(
      [candidate('nested_json', 'de.json', fixture('nested_json.de.json'))],
      () => brokenJson,
      0.5
    )
    expect(fix.comparison).toMatchObject({ status: 'changed' })
    expect(fix.comparison.note).toMatch(/^could not parse previous file/)
    const [neither] = compareAll(
      [candidate('nested_json', 'de.json', ERROR_PAGE)],
      () => brokenJson,
      0.5
    )
    expect(neither.comparison.status).toBe('changed')
    expect(neither.comparison.note).toMatch(
      /could not parse previous file: .+; could not parse downloaded file/
    )
  })

  it('stops on a new file that does not parse, in every format with a parser (an error page)', () => {
    for (const format of SEMANTIC_FORMATS) {
      const nginx = utf8(
        '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n'
      )
      for (const page of [ERROR_PAGE, nginx]) {
        const message = stopped(format, undefined, page)
        expect({ format, message }).toEqual({
          format,
          message: expect.stringMatching(
            new RegExp(
              `^Stopped before committing: the download of de \\(locales/de\\.${format}\\) is not valid ${format} \\([^]+\\), it would be a new file\\. Phrase may have sent an error page`
            )
          )
        })
      }
    }
    // `.properties` reads anything as keys: the page is recognised as HTML before the parser.
    expect(stopped('properties', undefined, ERROR_PAGE)).toMatch(
      /not valid properties \(an HTML page, not a translation file\)/
    )
  })
})

describe('a download with no translation in it', () => {
  /** What Phrase exports for a locale nobody has translated yet, per format. */
  const EMPTY: Array<[format: string, text: string]> = [
    ['yml', 'de:\n'],
    ['yml', '---\nde: {}\n'],
    ['nested_json', '{}\n'],
    ['simple_json', ''],
    [
      'gettext',
      'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
    ],
    ['xml', '<?xml version="1.0" encoding="utf-8"?>\n<resources/>\n'],
    ['xml', '\n'],
    ['properties', '# no keys\n'],
    ['strings', ''],
    [
      'xlf',
      '<?xml version="1.0" encoding="UTF-8"?>\n<xliff version="1.2"><file source-language="en" target-language="de" datatype="plaintext" original="x"><body></body></file></xliff>\n'
    ],
    ['gettext_mo', '\uFEFF \n']
  ]

  it('as a new file: not created, one warning naming the locales', () => {
    for (const [format, text] of EMPTY) {
      const warnings: string[] = []
      const [change] = compareAll(
        [candidate(format, `locales/de.${format}`, utf8(text))],
        () => undefined,
        0.5,
        message => warnings.push(message)
      )
      expect({ format, text, status: change.comparison.status }).toEqual({
        format,
        text,
        status: 'unchanged'
      })
      expect(warnings).toEqual([
        `de (locales/de.${format}): Phrase exported no translations (a locale not translated yet?); the file is not created until it has some`
      ])
    }
  })

  it('as an existing file: every key is removed, so max-key-removal decides', () => {
    for (const [format, text] of EMPTY.filter(([format]) => format === 'yml' || format === 'xml')) {
      const previous = utf8(
        format === 'yml'
          ? 'de:\n  a: A\n  b: B\n'
          : '<resources>\n  <string name="a">A</string>\n  <string name="b">B</string>\n</resources>\n'
      )
      expect(stopped(format, previous, utf8(text))).toMatch(
        new RegExp(`de \\(locales/de\\.${format}\\) would remove 2 of 2 keys \\(100%\\)`)
      )
      const [removed] = compareAll([candidate(format, 'x', utf8(text))], () => previous, 1)
      expect(removed.comparison.keys).toEqual({ added: [], changed: [], removed: ['a', 'b'] })
    }
    // Compared by bytes: emptying the file is removing all of it.
    expect(stopped('gettext_mo', Buffer.from([0xde, 0x12, 0x04, 0x95]), utf8(''))).toMatch(
      /de \(locales\/de\.gettext_mo\) would empty the file/
    )
    expect(stopped('gettext_mo', Buffer.from([0xde, 0x12]), utf8(''), 1)).toBeUndefined()
  })

  it('warns once for many locales, and creates the others', () => {
    const warnings: string[] = []
    const changes = compareAll(
      [
        ...Array.from({ length: 12 }, (_, i) => candidate('yml', `l${i}.yml`, utf8('de:\n'))),
        candidate('yml', 'full.yml', utf8('de:\n  a: A\n'))
      ],
      () => undefined,
      0.5,
      message => warnings.push(message)
    )
    expect(changes.map(change => change.comparison.status)).toEqual([
      ...Array(12).fill('unchanged'),
      'added'
    ])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/^de \(l0\.yml\), .* and 2 more: Phrase exported no translations/)
  })
})

describe('files in the encoding download-params declares', () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1')
  const previous = latin1('home.title=Willkommen\ngreeting=Grüße\n')
  const compare = (download: Buffer) =>
    compareAll(
      [candidate('properties', 'de.properties', download, { encoding: 'ISO-8859-1' })],
      () => previous,
      0.5
    )[0].comparison

  it('reads ISO-8859-1 files as text, so their keys are compared', () => {
    expect(compare(latin1('greeting=Grüße\nhome.title=Hallo\n')).keys).toEqual({
      added: [],
      changed: ['home.title'],
      removed: []
    })
  })

  it('still refuses a download that does not parse', () => {
    expect(() =>
      compareAll(
        [candidate('nested_json', 'de.json', ERROR_PAGE, { encoding: 'ISO-8859-1' })],
        () => latin1('{"gruß": "Grüße"}'),
        0.5
      )
    ).toThrow(/de \(de\.json\) is not valid nested_json \(invalid JSON/)
  })
})

describe('max-key-removal', () => {
  const previous = utf8(
    JSON.stringify(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`k${i}`, 'v'])))
  )
  const keeping = (n: number) =>
    utf8(JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']))))

  it('stops above the limit and names the file, the counts and the input to raise', () => {
    expect(stopped('simple_json', previous, keeping(4))).toBe(
      'Stopped before committing: de (locales/de.simple_json) would remove 6 of 10 keys (60%). If this is intended, raise the max-key-removal input (now 50%).'
    )
    expect(stopped('simple_json', previous, keeping(5))).toBeUndefined()
    expect(stopped('simple_json', previous, keeping(0), 1)).toBeUndefined()
  })

  it('does not count document keys (a gettext header field) as translations', () => {
    const po = (header: string, entries: number) =>
      utf8(
        `msgid ""\nmsgstr "${header}"\n` +
          Array.from({ length: entries }, (_, i) => `\nmsgid "k${i}"\nmsgstr "v"\n`).join('')
      )
    // 2 of 4 translations (50%) and the Language header: within the limit.
    expect(stopped('gettext', po('Language: de\\n', 4), po('', 2))).toBeUndefined()
    expect(stopped('gettext', po('Language: de\\n', 4), po('', 1))).toMatch(
      /would remove 3 of 4 keys/
    )
  })
})

describe('checkDownloads', () => {
  it('refuses text that is not UTF-8 in a UTF-8 format, one line per cause, naming at most ten files', () => {
    const latin1 = (i: number) =>
      candidate('yml', `config/locales/l${i}.yml`, Buffer.from([0x64, 0x65, 0x3a, 0xe9]))
    let message = ''
    try {
      checkDownloads([
        ...Array.from({ length: 200 }, (_, i) => latin1(i)),
        candidate('yml', 'ok.yml', utf8('de:\n  a: ä\n')),
        candidate('yml', 'blank.yml', utf8('  \n'))
      ])
    } catch (error) {
      expect(error).toBeInstanceOf(SafetyError)
      message = (error as Error).message
    }
    const lines = message.split('\n')
    expect(lines).toHaveLength(2)
    expect(lines[1]).toMatch(
      /^- de \(config\/locales\/l0\.yml\), .* and 190 more: the yml file is not valid UTF-8/
    )
  })

  it('reads a download on disk a piece at a time: a character split between pieces is UTF-8', () => {
    const text = Buffer.from('de:\n  a: "Grüße, 日本, 😀"\n')
    const inPieces = (bytes: Buffer, size: number) => ({
      ...candidate('yml', 'de.yml', bytes),
      *pieces() {
        for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
      }
    })
    for (const size of [1, 2, 3, 5, 7]) {
      expect(() => checkDownloads([inPieces(text, size)])).not.toThrow()
      const broken = Buffer.concat([text, Buffer.from([0xe6, 0x97]), Buffer.from('x\n')])
      expect(() => checkDownloads([inPieces(broken, size)])).toThrow(/not valid UTF-8/)
      const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('de', 'utf16le')])
      expect(() => checkDownloads([inPieces(utf16, Math.max(size, 2))])).not.toThrow()
    }
  })

  it('reads a download on disk once while its bytes are still in memory', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'candidate-'))
    try {
      const file = path.join(dir, 'de.yml')
      writeFileSync(file, 'de:\n  a: "1"\n')
      const download = candidateOnDisk(candidate('yml', 'de.yml', Buffer.alloc(0)).planned, file)
      const first = download.content
      expect(first.toString()).toBe('de:\n  a: "1"\n')
      // Still held: the same bytes, not a second copy of them.
      expect(download.content).toBe(first)
      expect(Buffer.concat([...download.pieces!()])).toEqual(first)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
