import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { createPhraseClient, type PhraseClientOptions } from '../../src/phrase/client.js'
import {
  NetworkError,
  PhraseApiError,
  ResultExpiredError,
  ResultFetchError,
  ResultTooLargeError
} from '../../src/phrase/errors.js'
import { LINK_VALIDITY_MS, tokenScope } from '../../src/phrase/result-link.js'
import { silentLogger } from '../../src/logger.js'
import { InstantClock } from './fake-clock.js'
import { json, startServer, type TestServer } from './http-server.js'

const TOKEN = 'tok-3a1b9f0c5e'
const USER_AGENT = 'phrase-pull-test/1.0'

let api: TestServer
let cdn: TestServer
let dir: string

beforeEach(async () => {
  api = await startServer()
  cdn = await startServer()
  dir = await mkdtemp(path.join(os.tmpdir(), 'phrase-client-test-'))
})

afterEach(async () => {
  await Promise.all([api.close(), cdn.close(), rm(dir, { recursive: true, force: true })])
})

function client(options: Partial<PhraseClientOptions> = {}) {
  const clock = new InstantClock()
  return {
    clock,
    phrase: createPhraseClient({
      apiUrl: api.url,
      token: TOKEN,
      userAgent: USER_AGENT,
      maxConcurrency: 4,
      clock,
      retryPolicy: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 50 },
      ...options
    })
  }
}

const processing = { id: 'job1', status: 'processing' }

describe('API requests', () => {
  it('sends the token, User-Agent and Accept, and a JSON body on create; accepts 202 and 201', async () => {
    let status = 202
    api.handle((_req, res) => json(res, status++, processing))
    const { phrase } = client()
    const params = { file_format: 'yml', format_options: { indent: 2 }, tags: 'web' }
    await expect(phrase.createDownload('p1', 'de', params)).resolves.toEqual({
      ...processing,
      result: null
    })
    await expect(phrase.createDownload('p1', 'de', params)).resolves.toMatchObject({ id: 'job1' })
    const [request] = api.requests
    expect(request.method).toBe('POST')
    expect(request.url).toBe('/v2/projects/p1/locales/de/downloads')
    expect(request.headers.authorization).toBe(`token ${TOKEN}`)
    expect(request.headers['user-agent']).toBe(USER_AGENT)
    expect(request.headers.accept).toBe('application/json')
    expect(request.headers['content-type']).toBe('application/json')
    expect(JSON.parse(request.body)).toEqual(params)
  })

  it('encodes ids in the path and reads a job with and without result', async () => {
    const replies = [
      processing,
      { id: 'job1', status: 'completed', result: { url: 'https://cdn/x' } }
    ]
    api.handle((_req, res) => json(res, 200, replies.shift()))
    const { phrase } = client()
    await expect(phrase.showDownload('p 1', 'de/../x', 'job1')).resolves.toMatchObject({
      result: null
    })
    await expect(phrase.showDownload('p1', 'de', 'job1')).resolves.toEqual({
      id: 'job1',
      status: 'completed',
      result: { url: 'https://cdn/x' }
    })
    expect(api.requests[0].url).toBe('/v2/projects/p%201/locales/de%2F..%2Fx/downloads/job1')
  })

  it('lists locales over every page, whether rel=next is quoted or not', async () => {
    api.handle((req, res) => {
      const page = new URL(req.url, api.origin).searchParams.get('page') ?? '1'
      const next = (p: number) =>
        `${api.url}/projects/p1/locales?page=${p}&per_page=100&branch=feat`
      const link =
        page === '1'
          ? `<${next(2)}>; rel=next, <${next(3)}>; rel=last`
          : page === '2'
            ? `<${next(1)}>; rel="first", <${next(3)}>; rel="next"`
            : `<${next(1)}>; rel=first`
      json(
        res,
        200,
        [{ id: `id${page}`, name: `name${page}`, code: `c${page}`, default: page === '1' }],
        {
          Link: link
        }
      )
    })
    const { phrase } = client()
    const locales = await phrase.listLocales('p1', 'feat')
    expect(locales).toEqual([
      { id: 'id1', name: 'name1', code: 'c1', default: true },
      { id: 'id2', name: 'name2', code: 'c2', default: false },
      { id: 'id3', name: 'name3', code: 'c3', default: false }
    ])
    const first = new URL(api.requests[0].url, api.origin)
    expect(first.pathname).toBe('/v2/projects/p1/locales')
    expect(first.searchParams.get('per_page')).toBe('100')
    expect(first.searchParams.get('branch')).toBe('feat')
    expect(api.requests).toHaveLength(3)
  })

  it('refuses to follow a next-page link to another host (the token would go there)', async () => {
    api.handle((_req, res) =>
      json(res, 200, [{ id: 'a', name: 'de', code: 'de' }], {
        Link: `<${cdn.url}/page2>; rel=next`
      })
    )
    const { phrase } = client()
    await expect(phrase.listLocales('p1')).rejects.toThrow(/another host/)
    expect(cdn.requests).toHaveLength(0)
  })

  it('does not follow a redirect from the API host (it would carry the token away)', async () => {
    api.handle((_req, res) => {
      res.writeHead(302, { Location: `${cdn.origin}/elsewhere` })
      res.end()
    })
    const { phrase } = client()
    const error = await phrase.showDownload('p1', 'de', 'job1').catch(e => e)
    expect(error).toBeInstanceOf(PhraseApiError)
    expect((error as PhraseApiError).status).toBe(302)
    expect(cdn.requests).toHaveLength(0)
  })

  it('reports an answer that is not JSON without retrying it', async () => {
    api.handle((_req, res) => res.end('<html>maintenance</html>'))
    const { phrase } = client()
    await expect(phrase.showDownload('p1', 'de', 'job1')).rejects.toThrow(
      /not JSON: <html>maintenance/
    )
    expect(api.requests).toHaveLength(1)
  })

  it('retries 5xx with backoff and counts the retries', async () => {
    let calls = 0
    api.handle((_req, res) =>
      ++calls < 3 ? json(res, 503, { message: 'busy' }) : json(res, 200, processing)
    )
    const { phrase, clock } = client()
    await expect(phrase.showDownload('p1', 'de', 'job1')).resolves.toMatchObject({ id: 'job1' })
    expect(phrase.stats()).toEqual({ requests: 3, throttled429: 0, retries: 2 })
    expect(clock.sleeps).toHaveLength(2)
  })

  it('retries a connection reset', async () => {
    let calls = 0
    api.handle((_req, res, raw) =>
      ++calls === 1 ? raw.socket.destroy() : json(res, 200, processing)
    )
    const { phrase } = client()
    await expect(phrase.showDownload('p1', 'de', 'job1')).resolves.toMatchObject({ id: 'job1' })
    expect(phrase.stats().retries).toBe(1)
  })

  it('gives up on a server that never answers after the per-request timeout and the retry budget', async () => {
    api.handle(() => undefined) // never answers
    const { phrase } = client({
      requestTimeoutMs: 100,
      retryPolicy: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 }
    })
    const error = await phrase.showDownload('p1', 'de', 'job1').catch(e => e)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as Error).message).toMatch(/no answer from 127\.0\.0\.1:\d+ for 0\.1 s/)
    expect(api.requests).toHaveLength(2)
  })

  it('stops at once when the caller aborts', async () => {
    const controller = new AbortController()
    // The server never answers; the caller gives up once the request has arrived.
    api.handle(() => controller.abort(new Error('download phase timed out')))
    const { phrase } = client()
    const pending = phrase.showDownload('p1', 'de', 'job1', { signal: controller.signal })
    await expect(pending).rejects.toThrow('download phase timed out')
    expect(phrase.stats().retries).toBe(0)
    expect(api.requests).toHaveLength(1)
  })

  it.each([
    [401, { message: 'Unauthorized' }, /API token \(401/],
    [403, { message: 'Forbidden' }, /lacks the `write` scope/],
    [404, { message: 'Not Found' }, /the locale \(or project "p1"\) not found/],
    [
      422,
      {
        message: 'Validation failed',
        errors: [{ resource: 'locale_download', field: 'file_format', message: 'is invalid' }]
      },
      /file_format: is invalid/
    ],
    [400, { message: 'Missing parameter file_format' }, /Missing parameter file_format/]
  ])('does not retry %i and explains it', async (status, body, message) => {
    api.handle((_req, res) => json(res, status, body))
    const { phrase } = client()
    const error = await phrase.createDownload('p1', 'de', { file_format: 'yml' }).catch(e => e)
    expect(error).toBeInstanceOf(PhraseApiError)
    expect((error as PhraseApiError).status).toBe(status)
    expect((error as Error).message).toMatch(message)
    expect(api.requests).toHaveLength(1)
  })

  it('never puts the token into an error message, even when the server echoes it', async () => {
    api.handle((req, res) => json(res, 400, { message: `bad header ${req.headers.authorization}` }))
    const { phrase } = client()
    const error = (await phrase.listLocales('p1').catch(e => e)) as Error
    expect(error.message).toContain('bad header token ***')
    expect(error.message).not.toContain(TOKEN)
  })

  it('waits for the rate window to reset after a 429 and sends the request again', async () => {
    const { phrase, clock } = client()
    const startedAt = clock.now()
    const resetSeconds = Math.ceil((startedAt + 2000) / 1000)
    let calls = 0
    api.handle((_req, res) => {
      const headers = { 'X-Rate-Limit-Limit': '20', 'X-Rate-Limit-Reset': String(resetSeconds) }
      if (++calls === 1)
        json(
          res,
          429,
          { message: 'Rate limit exceeded' },
          { ...headers, 'X-Rate-Limit-Remaining': '0' }
        )
      else json(res, 200, processing, { ...headers, 'X-Rate-Limit-Remaining': '19' })
    })
    await expect(phrase.showDownload('p1', 'de', 'job1')).resolves.toMatchObject({ id: 'job1' })
    expect(clock.now()).toBeGreaterThanOrEqual(resetSeconds * 1000)
    expect(phrase.stats()).toEqual({ requests: 2, throttled429: 1, retries: 0 })
  })

  it('keeps at most maxConcurrency requests open at the server', async () => {
    let open = 0
    let peak = 0
    api.handle(async (_req, res) => {
      peak = Math.max(peak, ++open)
      await new Promise(resolve => setTimeout(resolve, 15))
      open--
      json(res, 200, processing)
    })
    const { phrase } = client({ maxConcurrency: 3 })
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => phrase.showDownload('p1', 'de', `j${i}`))
    )
    expect(peak).toBe(3)
    expect(phrase.stats().requests).toBe(12)
  })
})

describe('downloadSync', () => {
  it('sends the parameters as a query with format_options[x]=y and writes the body to the file', async () => {
    api.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/yaml', 'Content-Length': '11' })
      res.end('de:\n  a: b\n')
    })
    const { phrase } = client()
    const dest = path.join(dir, 'sync.yml')
    const bytes = await phrase.downloadSync(
      'p1',
      'de',
      { file_format: 'yml', include_empty_translations: true, format_options: { indent: 4 } },
      dest
    )
    expect(bytes).toBe(11)
    expect(await readFile(dest, 'utf8')).toBe('de:\n  a: b\n')
    const url = new URL(api.requests[0].url, api.origin)
    expect(url.pathname).toBe('/v2/projects/p1/locales/de/download')
    expect([...url.searchParams]).toEqual([
      ['file_format', 'yml'],
      ['include_empty_translations', 'true'],
      ['format_options[indent]', '4']
    ])
    expect(api.requests[0].headers.authorization).toBe(`token ${TOKEN}`)
  })

  it('waits longer than the per-request timeout for the first byte (Phrase renders the whole file first), not for a stalled body', async () => {
    api.handle(async (_req, res) => {
      await new Promise(resolve => setTimeout(resolve, 300)) // rendering
      res.writeHead(200, { 'Content-Type': 'text/yaml' })
      res.write('de:\n')
      await new Promise(resolve => setTimeout(resolve, 50))
      res.end('  a: b\n')
    })
    const { phrase } = client({ requestTimeoutMs: 150, renderTimeoutMs: 2000 })
    const dest = path.join(dir, 'slow.yml')
    await phrase.downloadSync('p1', 'de', { file_format: 'yml' }, dest)
    expect(await readFile(dest, 'utf8')).toBe('de:\n  a: b\n')
    expect(api.requests).toHaveLength(1)

    // A body that stops for longer than the per-request timeout is still cut off.
    api.handle(async (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/yaml' })
      res.write('de:\n')
      await new Promise(resolve => setTimeout(resolve, 600))
      res.end()
    })
    const stalled = await phrase
      .downloadSync('p1', 'de', { file_format: 'yml' }, path.join(dir, 'stalled.yml'))
      .catch(e => e)
    expect(stalled).toBeInstanceOf(NetworkError)
    expect((stalled as Error).message).toMatch(/no answer from .* for 0.15 s/)
  })
})

describe('formats and branches', () => {
  it('lists the formats without the token (a public endpoint), outside the rate budget', async () => {
    api.handle((_req, res) =>
      json(res, 200, [
        { api_name: 'yml', name: 'Ruby/Rails YAML', exportable: true },
        { api_name: 'csv', name: 'CSV', exportable: true },
        { api_name: 'import_only', name: 'Importer', exportable: false }
      ])
    )
    const { phrase } = client()
    expect(await phrase.listFormats()).toEqual([
      { apiName: 'yml', name: 'Ruby/Rails YAML', exportable: true },
      { apiName: 'csv', name: 'CSV', exportable: true },
      { apiName: 'import_only', name: 'Importer', exportable: false }
    ])
    expect(new URL(api.requests[0].url, api.origin).pathname).toBe('/v2/formats')
    expect(api.requests[0].headers.authorization).toBeUndefined()
    expect(api.requests[0].headers['user-agent']).toBe(USER_AGENT)
  })

  it('lists the names of a project’s branches', async () => {
    api.handle((_req, res) => json(res, 200, [{ name: 'main' }, { name: 'feature-x' }, {}]))
    const { phrase } = client()
    expect(await phrase.listBranches('p1')).toEqual(['main', 'feature-x'])
    const url = new URL(api.requests[0].url, api.origin)
    expect(url.pathname).toBe('/v2/projects/p1/branches')
    expect(url.searchParams.get('per_page')).toBe('100')
  })
})

describe('fetchResult', () => {
  it('fetches from the CDN without the token, also across a redirect, and streams to the file', async () => {
    cdn.handle((_req, res) => {
      res.writeHead(302, { Location: `${api.origin}/files/de.yml` })
      res.end()
    })
    api.handle((_req, res) => res.end('de:\n  hello: Hallo\n'))
    const { phrase } = client()
    const dest = path.join(dir, 'de.yml')
    await expect(phrase.fetchResult(`${cdn.origin}/signed/abc?sig=1`, dest)).resolves.toBe(19)
    expect(await readFile(dest, 'utf8')).toBe('de:\n  hello: Hallo\n')
    expect(cdn.requests[0].headers.authorization).toBeUndefined()
    expect(cdn.requests[0].headers['user-agent']).toBe(USER_AGENT)
    expect(api.requests[0].url).toBe('/files/de.yml')
    expect(api.requests[0].headers.authorization).toBeUndefined()
    expect(phrase.stats().requests).toBe(0) // not Phrase API requests
  })

  it('retries a body cut short of its Content-Length', async () => {
    let calls = 0
    cdn.handle((_req, res) => {
      res.writeHead(200, { 'Content-Length': '10' })
      if (++calls === 1) {
        res.write('01234')
        res.socket?.destroy()
      } else res.end('0123456789')
    })
    const { phrase } = client()
    const dest = path.join(dir, 'f')
    await expect(phrase.fetchResult(`${cdn.origin}/f`, dest)).resolves.toBe(10)
    expect(await readFile(dest, 'utf8')).toBe('0123456789')
    expect(calls).toBe(2)
    expect(phrase.stats().retries).toBe(1)
  })

  it('refuses a file over maxBytes, announced or streamed, without retrying', async () => {
    cdn.handle((req, res) => {
      if (req.url === '/announced') res.writeHead(200, { 'Content-Length': '5000' })
      res.end('x'.repeat(5000))
    })
    const { phrase } = client()
    for (const name of ['announced', 'chunked']) {
      const error = await phrase
        .fetchResult(`${cdn.origin}/${name}`, path.join(dir, name), { maxBytes: 1000 })
        .catch(e => e)
      expect(error).toBeInstanceOf(ResultTooLargeError)
      expect((error as Error).message).toMatch(/larger than the limit of 1000 B/)
    }
    expect(cdn.requests).toHaveLength(2)
  })

  it('reads 410, a 403 that says so, and a refusal after 15 minutes as an expired link; retries a 5xx', async () => {
    const answers: Array<[number, string]> = [
      [410, ''],
      [403, '<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>'],
      [502, ''],
      [200, 'ok']
    ]
    cdn.handle((_req, res) => {
      const [status, body] = answers.shift() ?? [403, 'AccessDenied']
      res.statusCode = status
      res.end(body)
    })
    const { phrase, clock } = client()
    for (let i = 0; i < 2; i++) {
      await expect(
        phrase.fetchResult(`${cdn.origin}/x`, path.join(dir, 'x'))
      ).rejects.toBeInstanceOf(ResultExpiredError)
    }
    await expect(phrase.fetchResult(`${cdn.origin}/x`, path.join(dir, 'x'))).resolves.toBe(2)
    // A bare 403 once the link is older than Phrase keeps it: expired.
    cdn.handle(async (_req, res) => {
      await clock.sleep(LINK_VALIDITY_MS)
      res.statusCode = 403
      res.end('AccessDenied')
    })
    await expect(phrase.fetchResult(`${cdn.origin}/x`, path.join(dir, 'x'))).rejects.toBeInstanceOf(
      ResultExpiredError
    )
    expect(cdn.requests).toHaveLength(5)
  })

  it('a 403 seconds after the export, from a host outside Phrase: refused, not expired, never with the token', async () => {
    cdn.handle((_req, res) => {
      res.statusCode = 403
      res.end('<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>')
    })
    const { phrase } = client({ apiUrl: 'https://api.phrase.com/v2' })
    const error = await phrase.fetchResult(`${cdn.origin}/x`, path.join(dir, 'x')).catch(e => e)
    expect(error).toBeInstanceOf(ResultFetchError)
    expect((error as Error).message).toBe(
      `${new URL(cdn.origin).host} refused the download link (403) 0 s after Phrase finished the export, well within the 15 minutes a link is valid; the Phrase token is never sent outside Phrase's API domain`
    )
    expect(cdn.requests.map(r => r.headers.authorization)).toEqual([undefined])
  })

  it('a link on the API host that refuses without the token: asked once more with it, and the log says so', async () => {
    api.handle((req, res) => {
      res.statusCode = req.headers.authorization === `Bearer ${TOKEN}` ? 200 : 401
      res.end(res.statusCode === 200 ? 'de: {}\n' : '{"message":"Unauthorized"}')
    })
    const lines: string[] = []
    const logger = { ...silentLogger, info: (line: string) => lines.push(line) }
    const { phrase } = client({ logger })
    await expect(
      phrase.fetchResult(`${api.origin}/exports/1/de.yml?sig=1`, path.join(dir, 'x'))
    ).resolves.toBe(7)
    expect(api.requests.map(r => r.headers.authorization)).toEqual([undefined, `Bearer ${TOKEN}`])
    expect(lines).toEqual([
      `The download link on ${new URL(api.origin).host} needed the Phrase token: sent it`
    ])

    // Refused with the token too: once, then a clear error (no loop, no new job).
    api.handle((_req, res) => {
      res.statusCode = 403
      res.end('Forbidden')
    })
    const error = await phrase
      .fetchResult(`${api.origin}/exports/2/de.yml`, path.join(dir, 'y'))
      .catch(e => e)
    expect((error as Error).message).toMatch(
      /refused the download link \(403\) .*, also with the Phrase token$/
    )
    expect(api.requests).toHaveLength(4)
  })

  it('refuses a plain-http link to another machine, and a redirect to one, before connecting there', async () => {
    const { phrase } = client()
    await expect(
      phrase.fetchResult('http://cdn.phrase.test/exports/1/de.yml', path.join(dir, 'x'))
    ).rejects.toThrow(
      'Phrase returned a download link to http://cdn.phrase.test: only https is accepted (plain http only to this machine); refusing to download'
    )
    cdn.handle((_req, res) => {
      res.writeHead(302, { Location: 'http://files.phrase.test/de.yml' })
      res.end()
    })
    await expect(phrase.fetchResult(`${cdn.origin}/x`, path.join(dir, 'x'))).rejects.toThrow(
      `the download link (${new URL(cdn.origin).host}) redirected to http://files.phrase.test: only https is accepted`
    )
    expect(cdn.requests).toHaveLength(1)
  })

  it('refuses a link that is not http(s)', async () => {
    const { phrase } = client()
    await expect(phrase.fetchResult('file:///etc/passwd', path.join(dir, 'x'))).rejects.toThrow(
      /unsupported scheme/
    )
  })
})

describe('tokenScope: where the token may go for a download link', () => {
  const may = (api: string, link: string) => tokenScope(new URL(api))(new URL(link))

  it("Phrase's hosts: any https host of the registrable domain phrase.com, nothing else", () => {
    for (const api of ['https://api.phrase.com/v2', 'https://api.us.app.phrase.com/v2']) {
      expect(may(api, 'https://api.phrase.com/x')).toBe(true)
      expect(may(api, 'https://files.phrase.com/x')).toBe(true)
      expect(may(api, 'https://us.app.phrase.com/x')).toBe(true)
      expect(may(api, 'http://files.phrase.com/x')).toBe(false)
      expect(may(api, 'https://evilphrase.com/x')).toBe(false)
      expect(may(api, 'https://phrase.com.evil.test/x')).toBe(false)
      expect(may(api, 'https://phrase-exports.s3.amazonaws.com/x')).toBe(false)
    }
  })

  it('any other api-url: that host and port only', () => {
    expect(
      may('https://phrase-proxy.corp.example.co.uk/v2', 'https://phrase-proxy.corp.example.co.uk/e')
    ).toBe(true)
    expect(may('https://phrase-proxy.corp.example.co.uk/v2', 'https://cdn.example.co.uk/e')).toBe(
      false
    )
    expect(may('http://127.0.0.1:4010/v2', 'http://127.0.0.1:4010/e')).toBe(true)
    expect(may('http://127.0.0.1:4010/v2', 'http://127.0.0.1:4011/e')).toBe(false)
  })
})
