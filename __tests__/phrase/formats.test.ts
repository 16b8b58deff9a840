import { describe, expect, it } from '@jest/globals'
import { assertExportableFormats, FileFormatError } from '../../src/phrase/formats.js'
import type { PhraseFormat } from '../../src/phrase/types.js'

const known: PhraseFormat[] = [
  { apiName: 'yml', name: 'Ruby/Rails YAML', extension: 'yml', exportable: true },
  { apiName: 'nested_json', name: 'Nested JSON', extension: 'json', exportable: true },
  { apiName: 'simple_json', name: 'Simple JSON', extension: 'json', exportable: true },
  { apiName: 'gettext', name: 'Gettext', extension: 'po', exportable: true },
  { apiName: 'xlsx', name: 'Excel', extension: 'xlsx', exportable: false }
]

const problem = (wanted: string[]) => {
  try {
    assertExportableFormats(known, wanted)
  } catch (error) {
    expect(error).toBeInstanceOf(FileFormatError)
    return (error as Error).message
  }
  return undefined
}

describe('assertExportableFormats', () => {
  it('accepts formats Phrase exports', () => {
    expect(problem(['yml', 'nested_json', 'yml'])).toBeUndefined()
  })

  it('names an unknown format once, with the closest valid names', () => {
    const message = problem(['jsn', 'jsn', 'yml'])
    expect(message?.split('\n')).toEqual([
      'Phrase has no file format "jsn" (the file-format input, or params.file_format in the config); ' +
        'did you mean "nested_json", "simple_json"? Phrase\'s names are the api_name values of GET /formats.'
    ])
  })

  it('takes a file extension as a hint (po → gettext), and says so when nothing is close', () => {
    expect(problem(['po'])).toMatch(/did you mean "gettext"\?/)
    expect(problem(['android'])).toMatch(
      /^Phrase has no file format "android" \(.*\)\. Phrase's names/
    )
  })

  it('refuses a format Phrase can import but not export', () => {
    expect(problem(['xlsx'])).toBe('Phrase can import the file format "xlsx" but not export it.')
  })

  it('gives each bad format its own line', () => {
    expect(problem(['jsn', 'xlsx'])?.split('\n')).toHaveLength(2)
  })
})
