import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createGitHubClient } from '../../src/github/octokit.js'
import { silentLogger } from '../../src/logger.js'

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
}

type Reply = { status: number; headers?: Record<string, string>; body: unknown }

/** A scripted server: each path answers with its queue of replies, the last one repeating. */
class ScriptedServer {
  readonly seen: Seen[] = []
  private readonly scripts = new Map<string, Reply[]>()
  private readonly server = http.createServer((req, res) => {
    this.seen.push({ method: req.method!, url: req.url!, headers: req.headers })
    req.resume()
    req.on('end', () => {
      const queue = this.scripts.get(`${req.method} ${req.url}`) ?? [
        { status: 404, body: { message: 'Not Found' } }
      ]
      const reply = queue.length > 1 ? queue.shift()! : queue[0]
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
      res.end(JSON.stringify(reply.body))
    })
  })

  async start(): Promise<string> {
    await new Promise<void>(resolve => this.server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
  }
  script(route: string, ...replies: Reply[]): void {
    this.scripts.set(route, replies)
  }
  count(route: string): number {
    return this.seen.filter(s => `${s.method} ${s.url}` === route).length
  }
  stop(): Promise<void> {
    return new Promise(resolve => this.server.close(() => resolve()))
  }
}

const server = new ScriptedServer()
let baseUrl = ''
const warnings: string[] = []
const client = () =>
  createGitHubClient({
    token: 'gh-test-token',
    baseUrl,
    userAgent: 'phrase-pull-test/1.0',
    logger: { ...silentLogger, warning: message => void warnings.push(message) },
    retryAfterBaseMs: 1,
    writeSpacingMs: 1
  })

beforeAll(async () => {
  baseUrl = await server.start()
})
afterAll(() => server.stop())

const repoBody = { default_branch: 'main' }

describe('createGitHubClient', () => {
  it('sends the token and our User-Agent to the given base URL', async () => {
    server.script('GET /repos/o/ua', { status: 200, body: repoBody })
    const { data } = await client().rest.repos.get({ owner: 'o', repo: 'ua' })
    expect(data.default_branch).toBe('main')
    const request = server.seen.find(s => s.url === '/repos/o/ua')!
    expect(request.headers.authorization).toBe('token gh-test-token')
    expect(request.headers['user-agent']).toMatch(/^phrase-pull-test\/1\.0 /)
  })

  it('retries 5xx answers', async () => {
    server.script(
      'GET /repos/o/flaky',
      { status: 502, body: { message: 'Bad Gateway' } },
      { status: 503, body: { message: 'Unavailable' } },
      { status: 200, body: repoBody }
    )
    const { data } = await client().rest.repos.get({ owner: 'o', repo: 'flaky' })
    expect(data.default_branch).toBe('main')
    expect(server.count('GET /repos/o/flaky')).toBe(3)
  })

  it.each([404, 422])('does not retry %i', async status => {
    const route = `GET /repos/o/final-${status}`
    server.script(route, { status, body: { message: 'No' } })
    await expect(
      client().rest.repos.get({ owner: 'o', repo: `final-${status}` })
    ).rejects.toMatchObject({ status })
    expect(server.count(route)).toBe(1)
  })

  it('waits out a primary rate limit and retries at most twice, warning each time', async () => {
    warnings.length = 0
    const limited: Reply = {
      status: 403,
      headers: {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000))
      },
      body: { message: 'API rate limit exceeded' }
    }
    server.script('GET /repos/o/primary', limited, { status: 200, body: repoBody })
    await expect(client().rest.repos.get({ owner: 'o', repo: 'primary' })).resolves.toMatchObject({
      status: 200
    })
    expect(server.count('GET /repos/o/primary')).toBe(2)
    expect(warnings).toEqual([
      expect.stringMatching(/primary rate limit hit on GET .*retry 1 of 2/)
    ])

    warnings.length = 0
    server.script('GET /repos/o/always-limited', limited)
    await expect(
      client().rest.repos.get({ owner: 'o', repo: 'always-limited' })
    ).rejects.toMatchObject({ status: 403 })
    expect(server.count('GET /repos/o/always-limited')).toBe(3)
    expect(warnings).toHaveLength(3)
    expect(warnings[2]).toMatch(/giving up/)
  })

  it('retries a secondary rate limit after Retry-After', async () => {
    warnings.length = 0
    server.script(
      'POST /repos/o/secondary/git/blobs',
      {
        status: 403,
        headers: { 'retry-after': '1' },
        body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' }
      },
      { status: 201, body: { sha: 'abc', url: 'u' } }
    )
    const { data } = await client().rest.git.createBlob({
      owner: 'o',
      repo: 'secondary',
      content: 'x'
    })
    expect(data.sha).toBe('abc')
    expect(server.count('POST /repos/o/secondary/git/blobs')).toBe(2)
    expect(warnings[0]).toMatch(/secondary rate limit/)
  })

  it('spaces write requests one after another when asked', async () => {
    server.script('POST /repos/o/spaced/git/blobs', { status: 201, body: { sha: 'abc', url: 'u' } })
    const spaced = createGitHubClient({
      token: 't',
      baseUrl,
      userAgent: 'ua',
      writeSpacingMs: 40,
      retryAfterBaseMs: 1
    })
    const started = Date.now()
    await Promise.all(
      [1, 2, 3].map(() => spaced.rest.git.createBlob({ owner: 'o', repo: 'spaced', content: 'x' }))
    )
    // Three writes, 40 ms apart: at least two gaps.
    expect(Date.now() - started).toBeGreaterThanOrEqual(75)
    expect(server.count('POST /repos/o/spaced/git/blobs')).toBe(3)
  })
})
