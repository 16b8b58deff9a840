/**
 * Blob contents in and out of the Git Data API without Octokit's JSON handling of the body.
 *
 * Upload, `POST /repos/{owner}/{repo}/git/blobs`, without building the request in memory: the body
 * `{"content":"<base64>","encoding":"base64"}` is encoded piece by piece while it is sent, instead
 * of a base64 string, a JSON string and its bytes (each larger than the file) before the first
 * byte leaves. It goes through the client's own `request` (Octokit sends a `data` that is not a
 * plain object as it is), so token, User-Agent, proxy-aware fetch, timeout, retries and the
 * spacing of writes are those of every other request; the body starts afresh for each attempt.
 */
import type { FileBytes } from '../files/file-bytes.js'
import type { GitHubClient } from './octokit.js'

/** Bytes encoded at a time: a multiple of 3, so the pieces of base64 join without padding. */
const PIECE = 3 * 64 * 1024

const HEAD = '{"content":"'
const TAIL = '","encoding":"base64"}'

/**
 * A file uploaded a piece at a time from where it lies (a long download on disk); its pieces are
 * read again for a retry.
 */
export type BlobStream = Required<Pick<FileBytes, 'size' | 'pieces'>>

export function blobSize(content: Buffer | BlobStream): number {
  return Buffer.isBuffer(content) ? content.length : content.size
}

/** Uploads `content` as a blob and returns the sha GitHub gives it. */
export async function uploadBlob(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  content: Buffer | BlobStream
): Promise<string> {
  const body = new Base64JsonBody(content)
  // The untyped form: the typed route insists on a `content` string, which is what we avoid.
  const { data } = await client.request({
    method: 'POST',
    url: '/repos/{owner}/{repo}/git/blobs',
    ...repository,
    data: body,
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(body.length)
    }
  })
  return (data as { sha: string }).sha
}

/**
 * The content of a blob, asked for as raw bytes (`application/vnd.github.raw+json`, which the
 * endpoint documents): the base64 JSON would cost some five times the file on the way, and
 * Octokit's JSON parser (json-with-bigint) overflows its stack on one of about 25 MB.
 */
export async function readBlob(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  sha: string
): Promise<Buffer> {
  // The request itself is retried by the client; a body that breaks off is asked for again here.
  for (let attempt = 1; ; attempt++) {
    try {
      return await readBlobOnce(client, repository, sha)
    } catch (error) {
      if (attempt >= BODY_ATTEMPTS || (error as { status?: number }).status !== undefined)
        throw error
    }
  }
}

const BODY_ATTEMPTS = 3

async function readBlobOnce(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  sha: string
): Promise<Buffer> {
  const { data, headers } = await client.request({
    method: 'GET',
    url: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
    ...repository,
    file_sha: sha,
    headers: { accept: 'application/vnd.github.raw+json' },
    request: { parseSuccessResponseBody: false }
  })
  // A compressed body's length is not the length of what the stream gives.
  const length = headers['content-encoding'] ? Number.NaN : Number(headers['content-length'])
  const body = await readBody(data as AsyncIterable<Uint8Array>, length)
  // A server that ignores the media type answers with the JSON form: read that instead.
  if (!/^application\/json/i.test(String(headers['content-type'] ?? ''))) return body
  const blob = JSON.parse(body.toString('utf8')) as { content: string; encoding: string }
  return Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8')
}

/**
 * The whole body: copied into one buffer of the announced length as it arrives, so that a large
 * blob is not held twice (its pieces, then their concatenation); gathered when no length is given.
 */
async function readBody(stream: AsyncIterable<Uint8Array>, length: number): Promise<Buffer> {
  const body = Number.isSafeInteger(length) && length >= 0 ? Buffer.allocUnsafe(length) : undefined
  const chunks: Uint8Array[] = []
  let filled = 0
  for await (const chunk of stream) {
    if (body && chunks.length === 0 && filled + chunk.byteLength <= length) {
      body.set(chunk, filled)
      filled += chunk.byteLength
    } else chunks.push(chunk)
  }
  if (body && filled === length && chunks.length === 0) return body
  // The length was wrong or missing: what arrived, in order.
  return Buffer.concat(body ? [body.subarray(0, filled), ...chunks] : chunks)
}

/** The JSON body, iterable any number of times (a retry sends it again from the start). */
class Base64JsonBody {
  readonly length: number

  constructor(private readonly content: Buffer | BlobStream) {
    this.length = HEAD.length + Math.ceil(blobSize(content) / 3) * 4 + TAIL.length
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    yield Buffer.from(HEAD)
    const { content } = this
    // Pieces of any length: the 0–2 bytes past a multiple of 3 wait for the next piece, so the
    // pieces of base64 join without padding.
    let carry = Buffer.alloc(0)
    for (const piece of Buffer.isBuffer(content) ? [content] : content.pieces()) {
      const bytes = carry.length > 0 ? Buffer.concat([carry, piece]) : piece
      const whole = bytes.length - (bytes.length % 3)
      for (let at = 0; at < whole; at += PIECE)
        yield Buffer.from(bytes.toString('base64', at, Math.min(at + PIECE, whole)), 'latin1')
      carry = Buffer.from(bytes.subarray(whole)) // a copy: the next piece may reuse the buffer
    }
    if (carry.length > 0) yield Buffer.from(carry.toString('base64'), 'latin1')
    yield Buffer.from(TAIL)
  }
}
