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
import type { GitHubClient } from './octokit.js'

/** Bytes encoded at a time: a multiple of 3, so the pieces of base64 join without padding. */
const PIECE = 3 * 64 * 1024

const HEAD = '{"content":"'
const TAIL = '","encoding":"base64"}'

/** Uploads `content` as a blob and returns the sha GitHub gives it. */
export async function uploadBlob(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  content: Buffer
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
 * The content of a blob. Octokit's JSON parser (json-with-bigint) overflows the stack on a body of
 * some 25 MB, a blob of about 20 MiB, and hands back the text; V8's own parser reads it.
 */
export async function readBlob(
  client: GitHubClient,
  repository: { owner: string; repo: string },
  sha: string
): Promise<Buffer> {
  const { data } = await client.request({
    method: 'GET',
    url: '/repos/{owner}/{repo}/git/blobs/{file_sha}',
    ...repository,
    file_sha: sha,
    request: { parseSuccessResponseBody: false }
  })
  const chunks: Uint8Array[] = []
  for await (const chunk of data as AsyncIterable<Uint8Array>) chunks.push(chunk)
  const blob = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
    content: string
    encoding: string
  }
  return Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8')
}

/** The JSON body, iterable any number of times (a retry sends it again from the start). */
class Base64JsonBody {
  readonly length: number

  constructor(private readonly content: Buffer) {
    this.length = HEAD.length + Math.ceil(content.length / 3) * 4 + TAIL.length
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    yield Buffer.from(HEAD)
    for (let at = 0; at < this.content.length; at += PIECE)
      yield Buffer.from(this.content.toString('base64', at, at + PIECE), 'latin1')
    yield Buffer.from(TAIL)
  }
}
