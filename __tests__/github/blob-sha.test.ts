import { describe, expect, it } from '@jest/globals'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { gitBlobSha } from '../../src/github/repository.js'

const run = promisify(execFile)

describe('gitBlobSha', () => {
  it('matches git hash-object for text, empty, CRLF, UTF-8 and binary content', async () => {
    const samples = [
      Buffer.from(''),
      Buffer.from('de:\n  hello: Hallo\n'),
      Buffer.from('a=b\r\nc=d\r\n'),
      Buffer.from('emoji 😀 und Umlaute äöü\n', 'utf8'),
      Buffer.from('\ufeffbom', 'utf16le'),
      randomBytes(70_000)
    ]
    const dir = await mkdtemp(path.join(os.tmpdir(), 'blob-sha-'))
    try {
      const files = await Promise.all(
        samples.map(async (content, i) => {
          const file = path.join(dir, `sample-${i}`)
          await writeFile(file, content)
          return file
        })
      )
      // --no-filters: hash the bytes as they are, whatever the local git attributes say.
      const { stdout } = await run('git', ['hash-object', '--no-filters', ...files])
      expect(samples.map(gitBlobSha)).toEqual(stdout.trim().split('\n'))
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
