import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { KeyDiff } from '../../src/files/formats/types.js'

const FIXTURES = fileURLToPath(new URL('../fixtures/formats/', import.meta.url))

/** A fixture file as bytes, exactly as it would be read from a repository. */
export function fixture(name: string): Buffer {
  return readFileSync(FIXTURES + name)
}

export function fixtureText(name: string): string {
  return fixture(name).toString('utf8')
}

export const crlf = (bytes: Buffer): Buffer =>
  Buffer.from(bytes.toString('utf8').replace(/\n/g, '\r\n'))
export const withoutFinalNewline = (bytes: Buffer): Buffer =>
  Buffer.from(bytes.toString('utf8').replace(/\n+$/, ''))
export const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8')

/** A key diff with its lists in sorted order, to compare two ways of reaching it. */
export function sortedDiff(diff: KeyDiff | undefined) {
  return (
    diff && {
      added: [...diff.added].sort(),
      changed: [...diff.changed].sort(),
      removed: [...diff.removed].sort(),
      previousKeyCount: diff.previousKeyCount,
      nextKeyCount: diff.nextKeyCount,
      // Reports and translation checks read these: both ways must name the same values.
      values: [...(diff.values ?? [])].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    }
  )
}
