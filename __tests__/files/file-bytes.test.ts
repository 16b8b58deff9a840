/**
 * Files on disk (downloads, the base's long files) are read a piece at a time where a reader can:
 * a long Rails file is compared with another without either being held whole, and gives what the
 * comparison of the two buffers gives.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { compareFile, compareSources } from '../../src/files/diff.js'
import { bytesOnDisk, type FileBytes } from '../../src/files/file-bytes.js'
import { decodePieces, decodeText } from '../../src/files/formats/decode.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'file-bytes-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** `bytes` in a file, and how often its bytes were read whole. */
function onDisk(name: string, bytes: Buffer): { source: FileBytes; wholeReads: () => number } {
  const file = path.join(dir, name)
  writeFileSync(file, bytes)
  const disk = bytesOnDisk(file)
  let reads = 0
  const source: FileBytes = {
    size: disk.size,
    get content() {
      reads++
      return disk.content
    },
    pieces: () => disk.pieces!()
  }
  return { source, wholeReads: () => reads }
}

/** Pieces of `sizes` bytes in turn, each copied into one reused buffer, as a file is read. */
function inReusedPieces(bytes: Buffer, sizes: number[]): FileBytes {
  return {
    content: bytes,
    size: bytes.length,
    *pieces() {
      const piece = Buffer.alloc(Math.max(...sizes))
      for (let at = 0, turn = 0; at < bytes.length; turn++) {
        const length = bytes.copy(piece, 0, at, at + sizes[turn % sizes.length])
        at += length
        yield piece.subarray(0, length)
      }
    }
  }
}

/** A Rails file of about `bytes` bytes; `edit` changes every 500th value. */
function railsFile(bytes: number, edit: boolean): Buffer {
  const lines = ['de:\n  app:\n']
  for (let i = 0, length = 0; length < bytes; i++) {
    const value = edit && i % 500 === 0 ? `Geändert ${i}` : `Wert ${i} – ${'x'.repeat(i % 40)}`
    const line = `    key_${i}: "${value}"\n`
    lines.push(line)
    length += line.length
  }
  return Buffer.from(lines.join(''))
}

describe('compareSources: files on disk', () => {
  const context = { localeName: 'de', path: 'config/locales/de.yml', withValues: true }

  it('compares long Rails files a piece at a time, as compareFile compares their bytes', () => {
    const [before, after] = [railsFile(1_200_000, false), railsFile(1_200_000, true)]
    const base = onDisk('base.yml', before)
    const download = onDisk('download.yml', after)
    const compared = compareSources('yml', base.source, download.source, context)
    expect(compared).toEqual(compareFile('yml', before, after, context))
    expect(compared.keys?.changed.length).toBeGreaterThan(40)
    expect([base.wholeReads(), download.wholeReads()]).toEqual([0, 0])
  })

  it('finds two files of the same bytes unchanged without reading either whole', () => {
    const bytes = railsFile(1_200_000, false)
    const [a, b] = [onDisk('a.yml', bytes), onDisk('b.yml', bytes)]
    expect(compareSources('yml', a.source, b.source, context)).toEqual({ status: 'unchanged' })
    expect([a.wholeReads(), b.wholeReads()]).toEqual([0, 0])
  })

  it('reads a new file on disk in pieces too: its keys, or that it is blank', () => {
    const bytes = railsFile(1_200_000, false)
    const download = onDisk('new.yml', bytes)
    const compared = compareSources('yml', undefined, download.source, context)
    expect(compared).toEqual(compareFile('yml', undefined, bytes, context))
    expect(compared.keys?.added.length).toBeGreaterThan(20_000)
    const blank = onDisk('blank.yml', Buffer.from(' \n'.repeat(600_000)))
    expect(compareSources('yml', undefined, blank.source, context)).toEqual({
      status: 'unchanged',
      empty: true
    })
    expect([download.wholeReads(), blank.wholeReads()]).toEqual([0, 0])
  })
})

describe('decodePieces: pieces as a file is read', () => {
  const text = Buffer.from(`\ufeffde:\n  a: "Grüße, 日本, 😀"\n`.repeat(200))

  it('gives the text decodeText gives, whatever the pieces split', () => {
    for (const sizes of [[3], [5, 7], [4, 1, 2], [1000]])
      expect([...decodePieces(inReusedPieces(text, sizes))].join('')).toBe(decodeText(text))
  })

  it('refuses broken UTF-8 with the words of decodeText, and reads UTF-16 whole', () => {
    const broken = Buffer.concat([text, Buffer.from([0xe6, 0x97, 0x0a])])
    expect(() => decodeText(broken)).toThrow(/not valid UTF-8: byte 0xE6/)
    const message = (() => {
      try {
        decodeText(broken)
      } catch (error) {
        return (error as Error).message
      }
    })()
    expect(() => [...decodePieces(inReusedPieces(broken, [5, 7]))]).toThrow(message)
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('de:\n  a: ü\n', 'utf16le')
    ])
    expect([...decodePieces(inReusedPieces(utf16, [5]))].join('')).toBe('de:\n  a: ü\n')
  })
})
