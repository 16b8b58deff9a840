import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

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
