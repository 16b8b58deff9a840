import { describe, expect, it } from '@jest/globals'
import { silentLogger } from '../../src/logger.js'
import { TREE_BODY_BUDGET, writeTree, type NewFile } from '../../src/github/tree-writer.js'
import { gitBlobSha } from '../../src/github/repository.js'
import {
  assertBlobWritesFit,
  blobWrites,
  MAX_BLOB_WRITES,
  WriteBudgetError
} from '../../src/github/write-budget.js'

const utf16 = (text: string) =>
  Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])

describe('blobWrites', () => {
  it('counts what the tree writer uploads separately: not UTF-8, or too large to go inline', async () => {
    const files = [
      { path: 'a.yml', content: Buffer.from('a: 1\n') },
      { path: 'de.strings', content: utf16('"a" = "b";\n') },
      { path: 'copy.strings', content: utf16('"a" = "b";\n') }, // the same blob: one upload
      { path: 'big.json', content: Buffer.from(`"${'x'.repeat(TREE_BODY_BUDGET)}"`) },
      // Small enough in bytes, but JSON escaping makes the entry too large for a request.
      { path: 'quotes.json', content: Buffer.from('"'.repeat(TREE_BODY_BUDGET / 2 + 10)) }
    ]
    const writes = blobWrites(files)
    expect(writes).toEqual({
      count: 3,
      notUtf8: ['de.strings', 'copy.strings'],
      large: ['big.json', 'quotes.json']
    })
    // The estimate is the writer's own rule: it uploads exactly these.
    const uploaded: string[] = []
    await writeTree(
      {
        createTree: async () => 'tree',
        createBlob: async (file: NewFile) => {
          uploaded.push(file.path)
          return file.sha
        }
      },
      'base',
      files.map(file => ({ ...file, mode: '100644' as const, sha: gitBlobSha(file.content) }))
    )
    expect(uploaded).toEqual(['de.strings', 'big.json', 'quotes.json'])
  })

  it('counts a file streamed from disk (too long for a request) as one upload, and uploads it', async () => {
    const long = Buffer.from(`"${'x'.repeat(TREE_BODY_BUDGET)}"`)
    const streamed = {
      path: 'long.json',
      sha: gitBlobSha(long),
      stream: { size: long.length, pieces: () => [long] }
    }
    expect(blobWrites([streamed, { path: 'a.yml', content: Buffer.from('a: 1\n') }])).toEqual({
      count: 1,
      notUtf8: [],
      large: ['long.json']
    })
    const uploaded: string[] = []
    const inline: string[] = []
    await writeTree(
      {
        createTree: async (_base, entries) => {
          inline.push(...entries.flatMap(entry => ('content' in entry ? [entry.path] : [])))
          return 'tree'
        },
        createBlob: async (file: NewFile) => {
          uploaded.push(`${file.path} ${file.stream?.size}`)
          return file.sha
        }
      },
      'base',
      [
        { ...streamed, mode: '100644' },
        { path: 'a.yml', content: Buffer.from('a: 1\n'), mode: '100644', sha: 'x' }
      ]
    )
    expect(uploaded).toEqual([`long.json ${long.length}`])
    expect(inline).toEqual(['a.yml'])
  })
})

describe('assertBlobWritesFit', () => {
  const many = (count: number) => ({
    count,
    notUtf8: Array.from({ length: count }, (_, i) => `i18n/l${i}.strings`),
    large: []
  })

  it('lets a run through up to the limit, saying how long many uploads take', () => {
    const said: string[] = []
    assertBlobWritesFit(many(MAX_BLOB_WRITES), { ...silentLogger, info: m => said.push(m) })
    expect(said).toEqual([
      expect.stringMatching(/^400 files go up as separate blobs \(not UTF-8: .*: about 7 minute/)
    ])
  })

  it('stops before the first write past it, naming the files and the ways around', () => {
    const stop = () => assertBlobWritesFit(many(MAX_BLOB_WRITES + 1), silentLogger)
    expect(stop).toThrow(WriteBudgetError)
    expect(stop).toThrow(
      /^Stopped before writing anything: this commit needs 401 separate blob uploads \(not UTF-8: i18n\/l0\.strings, i18n\/l1\.strings, i18n\/l2\.strings and 398 more\), and GitHub allows about 500 content-creating requests an hour.*encoding: UTF-8.*a matrix of jobs/
    )
  })
})
