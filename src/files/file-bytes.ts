/**
 * A file's bytes as a run holds them: in memory, or on disk where a download or a long file of the
 * base lies. A file on disk is read when asked for and not kept, whole or a piece at a time, so
 * that no step holds a 60 MiB file longer than it reads it.
 */
import { closeSync, openSync, readFileSync, readSync, statSync } from 'node:fs'

export interface FileBytes {
  /** The bytes whole; a file on disk is read anew on every access: keep them only while needed. */
  readonly content: Buffer
  /** The bytes a piece at a time, in one reused buffer (a file on disk): keep none of them. */
  pieces?(): Iterable<Buffer>
  /** How many bytes there are, where known without reading them (a file on disk). */
  readonly size?: number
}

const PIECE_BYTES = 1024 * 1024

/**
 * The file at `file`, read when asked for. A read while an earlier one is still in memory (not
 * yet collected) shares it: every step reading a 60 MiB file anew would leave a copy per step
 * until the garbage collector got round to them. `written`: the bytes just written there, shared
 * in the same way.
 */
export function bytesOnDisk(file: string, written?: Buffer): FileBytes & { size: number } {
  let last = written && new WeakRef(written)
  return {
    size: statSync(file).size,
    get content() {
      const bytes = last?.deref() ?? readFileSync(file)
      last = new WeakRef(bytes)
      return bytes
    },
    *pieces() {
      const piece = Buffer.allocUnsafe(PIECE_BYTES)
      const fd = openSync(file, 'r')
      try {
        for (let read; (read = readSync(fd, piece, 0, piece.length, null)) > 0;)
          yield piece.subarray(0, read)
      } finally {
        closeSync(fd)
      }
    }
  }
}

export function asFileBytes(bytes: Buffer | FileBytes): FileBytes {
  return Buffer.isBuffer(bytes) ? { content: bytes, size: bytes.length } : bytes
}

export function sizeOf(bytes: FileBytes): number {
  return bytes.size ?? bytes.content.length
}

/** The bytes in order: from disk as they are read, from memory in slices of `pieceBytes`. */
export function* piecesOf(bytes: FileBytes, pieceBytes = PIECE_BYTES): Iterable<Buffer> {
  if (bytes.pieces) return yield* bytes.pieces()
  const { content } = bytes
  for (let at = 0; at < content.length; at += pieceBytes)
    yield content.subarray(at, at + pieceBytes)
}

/** `fields` with the bytes of `bytes`, still read only when asked for (never copied here). */
export function withBytes<T extends object>(fields: T, bytes: FileBytes): T & FileBytes {
  return {
    ...fields,
    get content() {
      return bytes.content
    },
    size: bytes.size,
    ...(bytes.pieces ? { pieces: () => bytes.pieces!() } : {})
  }
}
