/**
 * Strict text decoding: a translation file with broken bytes must be reported, never silently
 * "repaired" with U+FFFD (that would hide corruption and make two different files look equal).
 */
import { isUtf8 } from 'node:buffer'
import { piecesOf, type FileBytes } from '../file-bytes.js'

export class DecodeError extends Error {
  override name = 'DecodeError'
}

const utf8 = new TextDecoder('utf-8', { fatal: true })
const latin1 = new TextDecoder('latin1')
const LATIN1 = new Set(['iso88591', 'latin1'])

/** An encoding's name as compared here: `UTF-8`, `utf8` and none all read `utf8`. */
export function encodingKey(encoding: string | undefined): string {
  return (encoding ?? 'utf8').toLowerCase().replace(/[^a-z0-9]/g, '')
}

/**
 * Decodes UTF-8 (BOM stripped) or, when a UTF-16 BOM is present, UTF-16 LE/BE. With `encoding`
 * ISO-8859-1 (Phrase's `encoding` download parameter; its other values are UTF-8 and UTF-16),
 * text without a BOM is read as Latin-1, which every byte sequence is.
 */
export function decodeText(bytes: Uint8Array, encoding?: string): string {
  const bom = utf16Bom(bytes)
  if (bom) return decodeUtf16(bytes, bom)
  if (LATIN1.has(encodingKey(encoding))) return latin1.decode(bytes)
  try {
    return utf8.decode(bytes)
  } catch {
    throw new DecodeError(describeInvalidUtf8(bytes))
  }
}

/**
 * UTF-8 text read where it lies, in its bytes: a long file's scanner (json-parts.ts) looks at
 * ASCII only, which UTF-8 never uses inside another character, and decodes just the slices it
 * parses, so the file is never one string as well as its bytes.
 */
export class Utf8Text {
  readonly length: number
  private readonly bytes: Buffer

  constructor(bytes: Uint8Array) {
    this.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.length = bytes.length
  }

  /** The byte at `at` (a string's UTF-16 code unit where both are ASCII). */
  charCodeAt(at: number): number {
    return this.bytes[at]
  }

  slice(start: number, end?: number): string {
    return this.bytes.toString('utf8', start, end)
  }

  toString(): string {
    return this.bytes.toString('utf8')
  }
}

/**
 * `decodeText`'s text, left in its bytes (`Utf8Text`) when they are UTF-8 and at least
 * `minBytes` long; throws as `decodeText` does.
 */
export function textOrBytes(
  bytes: Uint8Array,
  encoding: string | undefined,
  minBytes: number
): string | Utf8Text {
  if (
    bytes.length < minBytes ||
    encodingKey(encoding) !== 'utf8' ||
    utf16Bom(bytes) ||
    !isUtf8(bytes)
  )
    return decodeText(bytes, encoding)
  return new Utf8Text(utf8Bom(bytes) ? bytes.subarray(3) : bytes)
}

/**
 * `decodeText`'s text a piece at a time (about `pieceBytes` each, or as a file on disk is read),
 * so that a long UTF-8 file is never one string, nor, on disk, one buffer; throws as
 * `decodeText` does. Other encodings come as one piece.
 */
export function* decodePieces(
  bytes: FileBytes,
  encoding?: string,
  pieceBytes = 1024 * 1024
): Generator<string> {
  const whole = () => decodeText(bytes.content, encoding)
  if (LATIN1.has(encodingKey(encoding))) return yield whole()
  const decoder = new TextDecoder('utf-8', { fatal: true })
  const decode = (piece?: Uint8Array) => {
    try {
      return piece ? decoder.decode(piece, { stream: true }) : decoder.decode()
    } catch {
      throw new DecodeError(describeInvalidUtf8(bytes.content))
    }
  }
  let first = true
  for (const piece of piecesOf(bytes, pieceBytes)) {
    // Too short to show a UTF-16 byte order mark, or showing one: the file is read whole.
    if (first && (piece.length < 2 || utf16Bom(piece))) return yield whole()
    first = false
    yield decode(piece)
  }
  yield decode()
}

/** Starts with UTF-8's byte order mark (EF BB BF). */
export function utf8Bom(bytes: Uint8Array): boolean {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
}

/** The UTF-16 flavour a byte order mark announces (Apple tools write `.strings` so). */
export function utf16Bom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be'
  return undefined
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be'): string {
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes)
  } catch {
    throw new DecodeError(`not valid ${encoding.toUpperCase()} text (despite its byte order mark)`)
  }
}

/** Names the first bad byte and its line, so a reviewer can find it in an editor. */
function describeInvalidUtf8(bytes: Uint8Array): string {
  const offset = firstInvalidUtf8Offset(bytes)
  let line = 1
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++
  const hex = bytes[offset]?.toString(16).toUpperCase().padStart(2, '0') ?? 'end of file'
  return `not valid UTF-8: byte 0x${hex} at offset ${offset} (line ${line}); is the file in another encoding?`
}

function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const lead = bytes[i]
    const length =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead <= 0xdf
          ? 2
          : lead >= 0xe0 && lead <= 0xef
            ? 3
            : lead >= 0xf0 && lead <= 0xf4
              ? 4
              : 0
    if (length === 0 || i + length > bytes.length) return i
    for (let k = 1; k < length; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return i
    const second = bytes[i + 1]
    // Overlong forms, UTF-16 surrogates and code points above U+10FFFF are invalid too.
    if (lead === 0xe0 && second < 0xa0) return i
    if (lead === 0xed && second > 0x9f) return i
    if (lead === 0xf0 && second < 0x90) return i
    if (lead === 0xf4 && second > 0x8f) return i
    i += length
  }
  return i
}
