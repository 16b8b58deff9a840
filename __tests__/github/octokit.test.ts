import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { describeFailure } from '../../src/github/errors.js'
import { createGitHubClient, MAX_RATE_LIMIT_WAIT_S } from '../../src/github/octokit.js'
import { silentLogger, type Logger } from '../../src/logger.js'
import { FakeGitHub } from '../support/fake-github.js'
import { startProxyDouble } from '../support/proxy-double.js'

interface Seen {
  method: string
  url: string
  headers: http.IncomingHttpHeaders
}

type Reply = { status: number; headers?: Record<string, string>; body: unknown } | 'hang'

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
      if (reply === 'hang') return // never answers
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
    this.server.closeAllConnections()
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

  it('gives a request that gets no answer a bounded time, and says so after the retries', async () => {
    server.script('GET /repos/o/silent', 'hang')
    const error = await createGitHubClient({
      token: 't',
      baseUrl,
      userAgent: 'ua',
      retryAfterBaseMs: 1,
      requestTimeoutMs: 200
    })
      .rest.repos.get({ owner: 'o', repo: 'silent' })
      .catch((e: unknown) => e)
    expect(server.count('GET /repos/o/silent')).toBe(4) // the first try and 3 retries
    expect(describeFailure(error, 'read o/silent').message).toBe(
      `Could not read o/silent. Could not reach ${new URL(baseUrl).host}: no answer within 0.2 s`
    )
  })
})

/** GitHub's rate-limit answers come from the fake (github-rate-limits.ts), on a clock we step. */
describe('createGitHubClient and rate limits', () => {
  let gh: FakeGitHub
  let offsetMs = 0
  const limitWarnings: string[] = []
  /** Each warning announces a wait; the fake's clock moves on by that much, nobody sleeps. */
  const logger: Logger = {
    ...silentLogger,
    warning: message => {
      limitWarnings.push(message)
      offsetMs += Number(/retrying in (\d+) s/.exec(message)?.[1] ?? 0) * 1000
    }
  }
  const github = () =>
    createGitHubClient({
      token: gh.token,
      baseUrl: gh.apiUrl,
      userAgent: 'ua',
      logger,
      retryAfterBaseMs: 1,
      writeSpacingMs: 0
    })
  const repoReads = () => gh.requests().filter(r => r.path === `/repos/${gh.owner}/${gh.repo}`)
  const readRepo = () => github().rest.repos.get({ owner: gh.owner, repo: gh.repo })

  beforeEach(async () => {
    offsetMs = 0
    limitWarnings.length = 0
    gh = await FakeGitHub.start({ memory: true, now: () => Date.now() + offsetMs })
  })
  afterEach(() => gh.stop())

  it('waits for a primary limit that resets soon, then goes on', async () => {
    gh.rateLimits.exhaust(60)
    await expect(readRepo()).resolves.toMatchObject({ status: 200 })
    expect(repoReads().map(r => r.status)).toEqual([403, 200])
    expect(limitWarnings).toEqual([
      expect.stringMatching(/primary rate limit hit on GET .*retrying in 6\d s \(retry 1 of 2\)/)
    ])
  })

  it.each([403, 429] as const)(
    'fails at once with the reset time when a primary limit (%i) resets later than the run waits',
    async status => {
      gh.rateLimits.exhaust(3600, status)
      const reset = new Date(Number(gh.rateLimits.headers()['X-RateLimit-Reset']) * 1000)
      const error = await readRepo().catch((e: unknown) => e)
      expect(repoReads()).toHaveLength(1)
      expect(limitWarnings).toEqual([])
      expect(describeFailure(error, 'read the repository').message).toContain(
        `GitHub answered ${status}: API rate limit exceeded for installation ID 1. The API rate limit of the github-token is spent until ${reset.toISOString().slice(11, 19)} UTC (in 60 min)`
      )
    }
  )

  it('gives up a primary limit after two waits that did not help', async () => {
    gh.rateLimits.exhaust(30)
    const nothingChanges: Logger = { ...logger, warning: m => void limitWarnings.push(m) }
    const error = await createGitHubClient({
      token: gh.token,
      baseUrl: gh.apiUrl,
      userAgent: 'ua',
      logger: nothingChanges,
      retryAfterBaseMs: 1
    })
      .rest.repos.get({ owner: gh.owner, repo: gh.repo })
      .catch((e: unknown) => e)
    expect(repoReads()).toHaveLength(3)
    expect(limitWarnings).toHaveLength(3)
    expect(limitWarnings[2]).toMatch(/giving up/)
    expect(describeFailure(error, 'read').message).toMatch(
      /rate limit of the github-token is spent/
    )
  })

  it('waits out a secondary limit for its Retry-After', async () => {
    gh.rateLimits.tripSecondary(30)
    const { data } = await github().rest.git.createBlob({
      owner: gh.owner,
      repo: gh.repo,
      content: 'x'
    })
    expect(data.sha).toMatch(/^[0-9a-f]{40}$/)
    expect(limitWarnings).toEqual([
      expect.stringMatching(/secondary rate limit hit on POST .*retrying in 30 s/)
    ])
  })

  it('fails at once when a secondary limit asks for a longer wait than the run allows', async () => {
    const seconds = MAX_RATE_LIMIT_WAIT_S + 480
    gh.rateLimits.tripSecondary(seconds, { status: 429 })
    const error = await readRepo().catch((e: unknown) => e)
    expect(repoReads()).toHaveLength(1)
    expect(describeFailure(error, 'read the repository').message).toMatch(
      new RegExp(`secondary rate limit asks to slow down \\(retry after ${seconds} s\\)`)
    )
  })
})

describe('createGitHubClient and the network', () => {
  const saved = { ...process.env }
  afterEach(() => {
    for (const name of [
      'HTTP_PROXY',
      'HTTPS_PROXY',
      'NO_PROXY',
      'http_proxy',
      'https_proxy',
      'no_proxy'
    ])
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
  })

  it('reaches a GitHub that only the proxy can resolve', async () => {
    server.script('GET /repos/o/proxied', { status: 200, body: repoBody })
    const proxy = await startProxyDouble({ hosts: { 'github.test': baseUrl } })
    try {
      process.env.HTTP_PROXY = proxy.url
      const { data } = await createGitHubClient({
        token: 't',
        baseUrl: 'http://github.test',
        userAgent: 'ua'
      }).rest.repos.get({ owner: 'o', repo: 'proxied' })
      expect(data.default_branch).toBe('main')
      expect(proxy.for('github.test')).toEqual([
        expect.objectContaining({ kind: 'forward', path: '/repos/o/proxied', status: 200 })
      ])
    } finally {
      await proxy.stop()
    }
  })

  it('says that an unknown host could not be reached, and does not retry it', async () => {
    const debug: string[] = []
    const error = await createGitHubClient({
      token: 't',
      baseUrl: 'http://github.invalid/api/v3',
      userAgent: 'ua',
      logger: { ...silentLogger, debug: m => void debug.push(m) }
    })
      .rest.repos.get({ owner: 'o', repo: 'r' })
      .catch((e: unknown) => e)
    expect(describeFailure(error, 'read the repository o/r').message).toBe(
      'Could not read the repository o/r. Could not reach github.invalid (no HTTP_PROXY set): getaddrinfo ENOTFOUND github.invalid'
    )
    // One line per attempt from the request log: no retry of what a retry cannot fix.
    expect(debug.filter(line => line.startsWith('GET /repos/o/r - 500'))).toHaveLength(1)
  })
})
