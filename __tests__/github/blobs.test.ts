/**
 * Blob bytes in and out (issue 18 item 6a): the upload's body is encoded while it is sent, so it
 * has to be exactly the JSON GitHub parses, with the length it announces, and start afresh when
 * the retry plugin sends it again; a large blob reads back whole.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { readBlob, uploadBlob } from '../../src/github/blobs.js'
import { createGitHubClient } from '../../src/github/octokit.js'
import { gitBlobSha } from '../../src/github/repository.js'
import { startServer } from '../phrase/http-server.js'
import { FakeGitHub } from '../support/fake-github.js'
import { clientFor } from '../support/github-client.js'

let fake: FakeGitHub
beforeEach(async () => {
  fake = await FakeGitHub.start({ memory: true })
})
afterEach(() => fake.stop())

const ids = { owner: 'octo', repo: 'app' }

describe('uploadBlob', () => {
  it.each([0, 1, 2, 3, 196_608, 1_000_001])(
    'stores %i bytes exactly, in pieces that join without padding',
    async size => {
      const content = randomBytes(size)
      const sha = await uploadBlob(clientFor(fake), ids, content)
      expect(sha).toBe(gitBlobSha(content))
      // Buffer.equals: Jest's toEqual walks a megabyte byte by byte.
      expect((await fake.blob(sha)).equals(content)).toBe(true)
      const [request] = fake.requests().filter(r => r.path === '/repos/octo/app/git/blobs')
      const body = request.body as { content: string; encoding: string }
      expect(body.encoding).toBe('base64')
      expect(body.content === content.toString('base64')).toBe(true)
      expect(request.authorization).toBe(`token ${fake.token}`)
    }
  )

  it.each([
    ['odd lengths', [7, 1, 0, 2, 196_609, 5]],
    ['one piece', [300_000]],
    ['nothing', []]
  ])(
    'streams a file in pieces (%s) that share one buffer, exactly, and again for a retry',
    async (_case, lengths) => {
      const content = randomBytes(lengths.reduce((sum, n) => sum + n, 0))
      // Like a file read from disk: every piece is the same buffer, overwritten for the next one.
      const pieces = function* () {
        const shared = Buffer.alloc(Math.max(1, ...lengths))
        let at = 0
        for (const length of lengths) {
          content.copy(shared, 0, at, (at += length))
          yield shared.subarray(0, length)
        }
      }
      fake.faults.add({ method: 'POST', path: '/repos/octo/app/git/blobs', status: 502 })
      const sha = await uploadBlob(clientFor(fake), ids, { size: content.length, pieces })
      expect(sha).toBe(gitBlobSha(content))
      expect((await fake.blob(sha)).equals(content)).toBe(true)
      const uploads = fake.requests().filter(r => r.path === '/repos/octo/app/git/blobs')
      expect(uploads.map(r => r.status)).toEqual([502, 201])
    }
  )

  it('sends the whole body again after a 502 (the retry plugin resends the request)', async () => {
    fake.faults.add({ method: 'POST', path: '/repos/octo/app/git/blobs', status: 502, times: 2 })
    const content = randomBytes(500_000)
    const sha = await uploadBlob(clientFor(fake), ids, content)
    expect((await fake.blob(sha)).equals(content)).toBe(true)
    const statuses = fake
      .requests()
      .filter(r => r.path === '/repos/octo/app/git/blobs')
      .map(r => r.status)
    expect(statuses).toEqual([502, 502, 201])
  })

  it("keeps GitHub's refusal of a large blob as the error (status and message)", async () => {
    await fake.stop()
    fake = await FakeGitHub.start({ memory: true, limits: { blobBytes: 1000 } })
    const error = await uploadBlob(clientFor(fake), ids, randomBytes(1000)).catch(e => e)
    expect(error).toMatchObject({ status: 422 })
    expect((error as Error).message).toMatch(/too large to process/)
  })
})

describe('readBlob', () => {
  // A 24 MiB one, whose JSON form Octokit's parser cannot take, is read end to end in
  // __tests__/faults/paths-and-files.test.ts.
  it('reads binary bytes as they are', async () => {
    const content = randomBytes(1024 * 1024 + 1)
    const sha = await uploadBlob(clientFor(fake), ids, content)
    expect((await readBlob(clientFor(fake), ids, sha)).equals(content)).toBe(true)
  })
  it('reads the JSON form from a server that ignores the raw media type', async () => {
    const content = Buffer.from('de:\n  hello: Hallo\n')
    const sha = await uploadBlob(clientFor(fake), ids, content)
    const client = clientFor(fake)
    client.hook.before('request', options => {
      options.headers.accept = 'application/vnd.github+json'
    })
    const types: string[] = []
    client.hook.after('request', response => {
      types.push(String(response.headers['content-type']))
    })
    expect((await readBlob(client, ids, sha)).equals(content)).toBe(true)
    expect(types).toEqual([expect.stringMatching(/^application\/json/)])
  })
  it('asks again when the body breaks off (the client only retries the request)', async () => {
    let calls = 0
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/vnd.github.raw', 'Content-Length': '10' })
      // The first answer's headers arrive (the request succeeded), then its body breaks off.
      if (++calls === 1) res.write('01234', () => setTimeout(() => res.socket?.destroy(), 50))
      else res.end('0123456789')
    })
    try {
      const client = createGitHubClient({
        token: 't',
        baseUrl: server.url,
        userAgent: 'test',
        retryAfterBaseMs: 1
      })
      expect((await readBlob(client, ids, 'a'.repeat(40))).toString()).toBe('0123456789')
      expect(calls).toBe(2)
    } finally {
      await server.close()
    }
  })

  it('reads a body of unannounced length, and a compressed one, whole', async () => {
    const content = randomBytes(300_000)
    const server = await startServer((req, res) => {
      if (req.url?.endsWith('a'.repeat(40))) {
        // Chunked: no Content-Length.
        res.writeHead(200, { 'Content-Type': 'application/vnd.github.raw' })
        res.write(content.subarray(0, 100_000))
        res.end(content.subarray(100_000))
      } else {
        const gzipped = gzipSync(content)
        res.writeHead(200, {
          'Content-Type': 'application/vnd.github.raw',
          'Content-Encoding': 'gzip',
          'Content-Length': String(gzipped.length)
        })
        res.end(gzipped)
      }
    })
    try {
      const client = createGitHubClient({ token: 't', baseUrl: server.url, userAgent: 'test' })
      for (const sha of ['a'.repeat(40), 'b'.repeat(40)])
        expect((await readBlob(client, ids, sha)).equals(content)).toBe(true)
    } finally {
      await server.close()
    }
  })
})
