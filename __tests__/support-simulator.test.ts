import { afterEach, describe, expect, it } from '@jest/globals'
import { parse as parseProperties } from 'dot-properties'
import { XMLParser } from 'fast-xml-parser'
import { po } from 'gettext-parser'
import { parse as parseYaml } from 'yaml'
import { PhraseSimulator, type SimulatorOptions } from './support/phrase-simulator.js'

const TOKEN = 'phrase-test-token'
const HEADERS = { Authorization: `token ${TOKEN}`, 'User-Agent': 'support-test/1.0' }

const PROJECT = {
  locales: [
    { id: 'id-en', name: 'en', code: 'en-US', default: true },
    { id: 'id-de', name: 'de', code: 'de-DE' }
  ],
  translations: {
    en: { 'greeting.hello': 'Hello', 'greeting.bye': 'Bye', 'app.title': 'Shop' },
    de: { 'greeting.hello': 'Hallo "Welt"', 'greeting.bye': 'Tschüss', 'app.title': 'Laden' }
  },
  tags: { greetings: ['greeting.hello', 'greeting.bye'] }
}

/** A clock the test moves by hand. */
function manualClock(start = Date.UTC(2030, 0, 1, 12, 0, 0)) {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

const running: PhraseSimulator[] = []
async function start(options: Partial<SimulatorOptions> = {}): Promise<PhraseSimulator> {
  const sim = await PhraseSimulator.start({
    projects: { p1: structuredClone(PROJECT) },
    ...options
  })
  running.push(sim)
  return sim
}

afterEach(async () => {
  await Promise.all(running.splice(0).map(sim => sim.stop()))
})

async function create(sim: PhraseSimulator, locale: string, body: Record<string, unknown>) {
  const response = await fetch(`${sim.apiUrl}/projects/p1/locales/${locale}/downloads`, {
    method: 'POST',
    headers: { ...HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify(body)
  })
  return { response, json: (await response.json()) as Record<string, unknown> }
}

async function show(sim: PhraseSimulator, locale: string, id: unknown) {
  const response = await fetch(`${sim.apiUrl}/projects/p1/locales/${locale}/downloads/${id}`, {
    headers: HEADERS
  })
  return { response, json: (await response.json()) as Record<string, unknown> }
}

/** Creates a job, lets the clock pass its duration and returns the CDN file as text. */
async function exportFile(
  sim: PhraseSimulator,
  clock: ReturnType<typeof manualClock>,
  locale: string,
  body: Record<string, unknown>
): Promise<string> {
  const created = await create(sim, locale, body)
  clock.advance(1000)
  const done = await show(sim, locale, created.json.id)
  const file = await fetch((done.json.result as { url: string }).url)
  expect(file.status).toBe(200)
  return file.text()
}

describe('PhraseSimulator: async download lifecycle', () => {
  it('answers 202 processing without result, then completed with a CDN url on another host', async () => {
    const clock = manualClock()
    const sim = await start({ now: clock.now, jobDurationMs: 500 })

    const created = await create(sim, 'de', { file_format: 'yml', tags: 'greetings' })
    expect(created.response.status).toBe(202)
    expect(created.json).toMatchObject({ status: 'processing', params: { file_format: 'yml' } })
    expect(created.json).not.toHaveProperty('result')
    expect(created.json.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/)

    clock.advance(499)
    const early = await show(sim, 'id-de', created.json.id)
    expect(early.json.status).toBe('processing')
    expect(early.json).not.toHaveProperty('result')

    clock.advance(1)
    const done = await show(sim, 'de', created.json.id)
    expect(done.json).toMatchObject({ status: 'completed' })
    expect(done.json.completed_at).toBeDefined()
    const url = new URL((done.json.result as { url: string }).url)
    expect(url.origin).toBe(sim.cdnUrl)
    expect(url.origin).not.toBe(new URL(sim.apiUrl).origin)

    const file = await fetch(url)
    expect(parseYaml(await file.text())).toEqual({
      de: { greeting: { bye: 'Tschüss', hello: 'Hallo "Welt"' } }
    })

    const stats = sim.stats()
    expect(stats.jobsCreated).toBe(1)
    expect(stats.perLocale.de).toEqual({ creates: 1, shows: 2, syncs: 0 })
    expect(stats.cdnRequests).toHaveLength(1)
    expect(stats.cdnRequests[0].authorization).toBeUndefined()
    expect(stats.requests[0]).toMatchObject({
      method: 'POST',
      status: 202,
      body: { tags: 'greetings' }
    })
    expect(stats.requests[0].authorization).toBe(`token ${TOKEN}`)
  })

  it('answers 201 when configured, passes the attempt number to jobDurationMs', async () => {
    const clock = manualClock()
    const attempts: number[] = []
    const sim = await start({
      now: clock.now,
      createStatus: 201,
      jobDurationMs: (_name, attempt) => {
        attempts.push(attempt)
        return attempt === 1 ? Infinity : 10
      }
    })
    const first = await create(sim, 'de', { file_format: 'yml' })
    expect(first.response.status).toBe(201)
    clock.advance(3_600_000)
    expect((await show(sim, 'de', first.json.id)).json.status).toBe('processing')
    const second = await create(sim, 'de', { file_format: 'yml' })
    clock.advance(10)
    expect((await show(sim, 'de', second.json.id)).json.status).toBe('completed')
    expect(attempts).toEqual([1, 2])
  })

  it('records an Authorization header sent to the CDN and expires results (show 410, CDN 403)', async () => {
    const clock = manualClock()
    const sim = await start({ now: clock.now, jobDurationMs: 100, resultTtlMs: 60_000 })
    const created = await create(sim, 'en', { file_format: 'simple_json' })
    clock.advance(100)
    const url = ((await show(sim, 'en', created.json.id)).json.result as { url: string }).url

    expect((await fetch(url, { headers: { Authorization: 'token leaked' } })).status).toBe(200)
    expect(sim.stats().cdnRequests.map(r => r.authorization)).toEqual(['token leaked'])

    clock.advance(60_001)
    expect((await show(sim, 'en', created.json.id)).response.status).toBe(410)
    const expired = await fetch(url)
    expect(expired.status).toBe(403)
    expect(await expired.text()).toContain('<Code>AccessDenied</Code>')
  })

  it('refuses a CDN url with a wrong signature', async () => {
    const clock = manualClock()
    const sim = await start({ now: clock.now, jobDurationMs: 0 })
    const created = await create(sim, 'en', { file_format: 'yml' })
    const url = new URL(
      ((await show(sim, 'en', created.json.id)).json.result as { url: string }).url
    )
    url.searchParams.set('X-Amz-Signature', 'forged')
    expect((await fetch(url)).status).toBe(403)
  })
})

describe('PhraseSimulator: limits', () => {
  it('sends X-Rate-Limit-* on every response and 429 without Retry-After over the limit', async () => {
    const clock = manualClock(Date.UTC(2030, 0, 1, 12, 0, 10))
    const sim = await start({ now: clock.now, rateLimit: { limit: 3, windowMs: 60_000 } })
    const list = () => fetch(`${sim.apiUrl}/projects/p1/locales`, { headers: HEADERS })
    const windowEnd = Date.UTC(2030, 0, 1, 12, 1, 0) / 1000

    const remaining: string[] = []
    for (let i = 0; i < 3; i++) {
      const response = await list()
      expect(response.status).toBe(200)
      expect(response.headers.get('x-rate-limit-limit')).toBe('3')
      expect(response.headers.get('x-rate-limit-reset')).toBe(String(windowEnd))
      remaining.push(response.headers.get('x-rate-limit-remaining') ?? '')
    }
    expect(remaining).toEqual(['2', '1', '0'])

    const limited = await list()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toBeNull()
    expect(limited.headers.get('x-rate-limit-remaining')).toBe('0')
    expect(sim.stats().count429).toBe(1)

    clock.advance(50_000) // next fixed window
    const fresh = await list()
    expect(fresh.status).toBe(200)
    expect(fresh.headers.get('x-rate-limit-remaining')).toBe('2')
  })

  it('answers 429 "Concurrency limit exceeded" past the requests in flight per token', async () => {
    const sim = await start({ concurrencyLimit: 2 })
    sim.faults.add({ on: 'list', kind: 'hang', times: 2 })
    const abort = new AbortController()
    const hanging = [1, 2].map(() =>
      fetch(`${sim.apiUrl}/projects/p1/locales`, { headers: HEADERS, signal: abort.signal }).catch(
        () => 'aborted'
      )
    )
    while (sim.stats().requests.length < 2) await new Promise(resolve => setImmediate(resolve))

    const third = await fetch(`${sim.apiUrl}/projects/p1/locales`, { headers: HEADERS })
    expect(third.status).toBe(429)
    expect(await third.json()).toEqual({ message: 'Concurrency limit exceeded' })
    expect(sim.stats().peakConcurrency).toBe(3)

    abort.abort()
    expect(await Promise.all(hanging)).toEqual(['aborted', 'aborted'])
    let after = await fetch(`${sim.apiUrl}/projects/p1/locales`, { headers: HEADERS })
    // The server sees the aborted sockets close a moment after the client does.
    while (after.status === 429)
      after = await fetch(`${sim.apiUrl}/projects/p1/locales`, { headers: HEADERS })
    expect(after.status).toBe(200)
  })
})

describe('PhraseSimulator: requests it refuses', () => {
  it('needs a User-Agent (400) and a known token (401); Basic auth works', async () => {
    const sim = await start()
    const url = `${sim.apiUrl}/projects/p1/locales`
    const noAgent = await fetch(url, {
      headers: { Authorization: `token ${TOKEN}`, 'User-Agent': '' }
    })
    expect(noAgent.status).toBe(400)
    expect(await noAgent.json()).toHaveProperty('message')

    const noToken = await fetch(url, { headers: { 'User-Agent': 'x' } })
    expect(noToken.status).toBe(401)
    expect(await noToken.json()).toHaveProperty('message')
    expect(
      (await fetch(url, { headers: { 'User-Agent': 'x', Authorization: 'token nope' } })).status
    ).toBe(401)

    const basic = `Basic ${Buffer.from(`${TOKEN}:`).toString('base64')}`
    expect(
      (await fetch(url, { headers: { 'User-Agent': 'x', Authorization: basic } })).status
    ).toBe(200)
  })

  it('gives a read-only token 403 naming the write scope on create, but serves the sync download', async () => {
    const sim = await start({ tokens: { write: [TOKEN], read: ['read-only'] } })
    const headers = {
      'User-Agent': 'x',
      Authorization: 'token read-only',
      'Content-Type': 'application/json'
    }
    const denied = await fetch(`${sim.apiUrl}/projects/p1/locales/de/downloads`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ file_format: 'yml' })
    })
    expect(denied.status).toBe(403)
    expect(((await denied.json()) as { message: string }).message).toMatch(/write/)

    const sync = await fetch(
      `${sim.apiUrl}/projects/p1/locales/de/download?file_format=simple_json`,
      {
        headers
      }
    )
    expect(sync.status).toBe(200)
    expect(JSON.parse(await sync.text())).toMatchObject({ 'app.title': 'Laden' })
    expect(sim.stats().perLocale.de.syncs).toBe(1)
  })

  it('answers 404 {"message":"Not Found"} and 422 with errors[] like the live service', async () => {
    const sim = await start()
    const unknownProject = await fetch(`${sim.apiUrl}/projects/nope/locales`, { headers: HEADERS })
    expect(unknownProject.status).toBe(404)
    expect(await unknownProject.json()).toEqual({ message: 'Not Found' })
    expect((await create(sim, 'xx', { file_format: 'yml' })).response.status).toBe(404)

    const badFormat = await create(sim, 'de', { file_format: 'docx' })
    expect(badFormat.response.status).toBe(422)
    expect(badFormat.json).toMatchObject({
      message: expect.any(String),
      errors: [{ resource: expect.any(String), field: 'file_format', message: expect.any(String) }]
    })
    expect((await create(sim, 'de', {})).response.status).toBe(422)
    expect(sim.stats().jobsCreated).toBe(0)
  })

  it('lists formats without a token', async () => {
    const sim = await start()
    const response = await fetch(`${sim.apiUrl}/formats`, { headers: { 'User-Agent': 'x' } })
    expect(response.status).toBe(200)
    const formats = (await response.json()) as Array<{ api_name: string; extension: string }>
    expect(formats.map(format => format.api_name)).toEqual(
      expect.arrayContaining(['yml', 'nested_json', 'gettext', 'strings', 'xml', 'properties'])
    )
  })
})

describe('PhraseSimulator: pagination', () => {
  const fiveLocales = {
    locales: ['a', 'b', 'c', 'd', 'e'].map(name => ({ id: `id-${name}`, name, code: name })),
    translations: {}
  }

  async function walk(first: string, relPattern: RegExp) {
    const ids: string[] = []
    let url: string | undefined = first
    while (url) {
      const response: Response = await fetch(url, { headers: HEADERS })
      ids.push(...((await response.json()) as Array<{ id: string }>).map(locale => locale.id))
      const link = response.headers.get('link') ?? ''
      url = link
        .split(',')
        .map(part => part.trim())
        .find(part => relPattern.test(part))
        ?.match(/^<([^>]+)>/)?.[1]
    }
    return ids
  }

  it('links pages with an unquoted rel=next by default and a Pagination header', async () => {
    const sim = await PhraseSimulator.start({ projects: { p1: fiveLocales } })
    running.push(sim)
    const first = await fetch(`${sim.apiUrl}/projects/p1/locales?per_page=2`, { headers: HEADERS })
    expect(first.headers.get('link')).toMatch(/; rel=next(,|$)/)
    expect(JSON.parse(first.headers.get('pagination') ?? '{}')).toEqual({
      total_count: 5,
      total_pages_count: 3,
      current_page: 1,
      current_per_page: 2,
      next_page: 2
    })
    expect(await walk(`${sim.apiUrl}/projects/p1/locales?per_page=2`, /; rel=next$/)).toEqual(
      fiveLocales.locales.map(locale => locale.id)
    )
  })

  it('quotes rel="next" when asked and caps per_page at 100', async () => {
    const sim = await PhraseSimulator.start({ projects: { p1: fiveLocales }, linkRelQuoted: true })
    running.push(sim)
    expect(
      await walk(`${sim.apiUrl}/projects/p1/locales?per_page=2`, /; rel="next"$/)
    ).toHaveLength(5)
    const capped = await fetch(`${sim.apiUrl}/projects/p1/locales?per_page=500`, {
      headers: HEADERS
    })
    expect(JSON.parse(capped.headers.get('pagination') ?? '{}').current_per_page).toBe(100)
  })
})

describe('PhraseSimulator: rendering', () => {
  it('renders every format in a parseable, realistic shape', async () => {
    const clock = manualClock()
    const sim = await start({ now: clock.now, jobDurationMs: 0 })
    const file = (format: string) => exportFile(sim, clock, 'de', { file_format: format })
    const nested = { app: { title: 'Laden' }, greeting: { bye: 'Tschüss', hello: 'Hallo "Welt"' } }
    const flat = PROJECT.translations.de

    const yml = await file('yml')
    expect(yml.startsWith('---\nde:\n')).toBe(true)
    expect(parseYaml(yml)).toEqual({ de: nested })
    expect(JSON.parse(await file('nested_json'))).toEqual(nested)
    expect(JSON.parse(await file('i18next'))).toEqual(nested)
    expect(JSON.parse(await file('simple_json'))).toEqual(flat)
    expect(JSON.parse(await file('arb'))).toEqual({ '@@locale': 'de_DE', ...flat })
    expect(parseProperties(await file('properties'))).toEqual(flat)

    const strings = await file('strings')
    expect(strings).toContain('"greeting.hello" = "Hallo \\"Welt\\"";')

    const xml = new XMLParser({ ignoreAttributes: false }).parse(await file('xml')) as {
      resources: { string: Array<{ '@_name': string; '#text': string }> }
    }
    expect(xml.resources.string.map(s => [s['@_name'], s['#text']])).toEqual([
      ['app.title', 'Laden'],
      ['greeting.bye', 'Tschüss'],
      ['greeting.hello', 'Hallo \\"Welt\\"']
    ])
  })

  it('writes a new PO-Revision-Date on every gettext job, the rest stays identical', async () => {
    const clock = manualClock()
    const sim = await start({ now: clock.now, jobDurationMs: 0 })
    const first = await exportFile(sim, clock, 'de', { file_format: 'gettext' })
    const second = await exportFile(sim, clock, 'de', { file_format: 'gettext' })
    const [a, b] = [po.parse(first), po.parse(second)]
    expect(a.headers['PO-Revision-Date']).not.toBe(b.headers['PO-Revision-Date'])
    expect(a.headers.Language).toBe('de-DE')
    expect(a.translations['']['greeting.hello'].msgstr).toEqual(['Hallo "Welt"'])
    const withoutDate = (text: string) => text.replace(/PO-Revision-Date: [^\\]*/, '')
    expect(withoutDate(first)).toBe(withoutDate(second))
  })

  it('honours tags, include_empty_translations and encoding; reflects project changes', async () => {
    const clock = manualClock()
    const sim = await start({ now: clock.now, jobDurationMs: 0 })
    const tagged = await exportFile(sim, clock, 'en', {
      file_format: 'simple_json',
      tags: 'greetings'
    })
    expect(Object.keys(JSON.parse(tagged)).sort()).toEqual(['greeting.bye', 'greeting.hello'])

    sim.project('p1').translations.en['empty.key'] = ''
    sim.project('p1').translations.en['app.title'] = 'Store'
    const plain = JSON.parse(await exportFile(sim, clock, 'en', { file_format: 'simple_json' }))
    expect(plain).not.toHaveProperty(['empty.key'])
    expect(plain['app.title']).toBe('Store')
    const withEmpty = await exportFile(sim, clock, 'en', {
      file_format: 'simple_json',
      include_empty_translations: true
    })
    expect(JSON.parse(withEmpty)).toHaveProperty(['empty.key'], '')

    const created = await create(sim, 'de', { file_format: 'simple_json', encoding: 'UTF-16' })
    const url = ((await show(sim, 'de', created.json.id)).json.result as { url: string }).url
    const bytes = Buffer.from(await (await fetch(url)).arrayBuffer())
    expect([...bytes.subarray(0, 2)]).toEqual([0xff, 0xfe])
    expect(JSON.parse(bytes.subarray(2).toString('utf16le'))).toMatchObject({
      'app.title': 'Laden'
    })
  })
})

describe('PhraseSimulator: faults', () => {
  async function completedUrl(sim: PhraseSimulator, locale = 'de'): Promise<string> {
    const created = await create(sim, locale, { file_format: 'yml' })
    return ((await show(sim, locale, created.json.id)).json.result as { url: string }).url
  }

  it('answers a status fault once, only for the named locale', async () => {
    const sim = await start({ jobDurationMs: 0 })
    sim.faults.add({ on: 'create', locale: 'de', status: 503 })
    expect((await create(sim, 'en', { file_format: 'yml' })).response.status).toBe(202)
    expect((await create(sim, 'id-de', { file_format: 'yml' })).response.status).toBe(503)
    expect((await create(sim, 'de', { file_format: 'yml' })).response.status).toBe(202)
    expect(sim.faults.size).toBe(0)
  })

  it('ends a job in error, expires it on demand', async () => {
    const sim = await start({ jobDurationMs: 0 })
    sim.faults.add({ on: 'create', kind: 'jobError', body: 'Rendering failed' })
    const failed = await create(sim, 'de', { file_format: 'yml' })
    expect((await show(sim, 'de', failed.json.id)).json).toMatchObject({
      status: 'error',
      error: 'Rendering failed'
    })

    const created = await create(sim, 'de', { file_format: 'yml' })
    sim.faults.add({ on: 'show', kind: 'expire' })
    expect((await show(sim, 'de', created.json.id)).response.status).toBe(410)
  })

  it('ends a job in a status the description does not list, with its error text', async () => {
    const sim = await start({ jobDurationMs: 0 })
    sim.faults.add({ on: 'show', kind: 'jobError', jobStatus: 'canceled', body: 'Canceled' })
    const created = await create(sim, 'de', { file_format: 'yml' })
    const shown = await show(sim, 'de', created.json.id)
    expect(shown.json).toMatchObject({ status: 'canceled', error: 'Canceled' })
    expect(shown.json).not.toHaveProperty('result')
  })

  it('resets, truncates, empties and replaces CDN bodies', async () => {
    const sim = await start({ jobDurationMs: 0 })
    const url = await completedUrl(sim)

    sim.faults.add({ on: 'cdn', kind: 'reset' })
    await expect(fetch(url)).rejects.toThrow()

    sim.faults.add({ on: 'cdn', kind: 'truncate' })
    const truncated = await fetch(url)
    await expect(truncated.arrayBuffer()).rejects.toThrow()

    sim.faults.add({ on: 'cdn', kind: 'empty' })
    expect(await (await fetch(url)).text()).toBe('')

    const latin1 = Buffer.from([0x64, 0x65, 0x3a, 0x0a, 0xe9, 0xff])
    sim.faults.add({ on: 'cdn', kind: 'bytes', bytes: latin1 })
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(latin1)

    sim.faults.add({ on: 'cdn', kind: 'expire' })
    expect((await fetch(url)).status).toBe(403)
    expect((await fetch(url)).status).toBe(403)
  })

  it('streams a large generated file with its Content-Length', async () => {
    const sim = await start({ jobDurationMs: 0 })
    const url = await completedUrl(sim)
    const size = 8 * 1024 * 1024 + 17
    sim.faults.add({ on: 'cdn', size })
    const response = await fetch(url)
    expect(response.headers.get('content-length')).toBe(String(size))
    let received = 0
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
      received += chunk.length
    expect(received).toBe(size)
  })

  it('stop() ends hanging requests', async () => {
    const sim = await PhraseSimulator.start({ projects: { p1: PROJECT }, jobDurationMs: 0 })
    const url = await completedUrl(sim)
    sim.faults.add({ on: 'cdn', kind: 'hang' })
    const pending = fetch(url)
    while (sim.stats().cdnRequests.length < 1) await new Promise(resolve => setImmediate(resolve))
    await sim.stop()
    await expect(pending).rejects.toThrow()
  })
})

describe('PhraseSimulator: branches', () => {
  // A branch is a copy of the project with locales of its own; the live service addresses it with
  // `branch` on the locale list, the create body and the sync download (official description;
  // phrase-cli pull.go does the same), and shows a created job by its id alone.
  const branchProject = () => ({
    ...structuredClone(PROJECT),
    branches: {
      'feature/x': {
        locales: [{ id: 'br-de', name: 'de', code: 'de-DE' }],
        translations: { de: { 'greeting.hello': 'Hallo Zweig' } }
      }
    }
  })

  it("lists a branch's locales and its branch names; an unknown branch answers 404", async () => {
    const sim = await start({ projects: { p1: branchProject() } })
    const list = (query: string) =>
      fetch(`${sim.apiUrl}/projects/p1/locales?${query}`, { headers: HEADERS })
    const inBranch = await list('branch=feature%2Fx')
    expect(((await inBranch.json()) as Array<{ id: string }>).map(l => l.id)).toEqual(['br-de'])
    const unknown = await list('branch=nope')
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ message: 'Not Found' })

    const branches = await fetch(`${sim.apiUrl}/projects/p1/branches`, { headers: HEADERS })
    // Paginated like every list (Prism 5.14 even crashes on a list answer without `Pagination`).
    expect(JSON.parse(branches.headers.get('pagination') ?? '{}')).toMatchObject({ total_count: 1 })
    expect(await branches.json()).toEqual([
      expect.objectContaining({ name: 'feature/x', state: 'success' })
    ])
    const none = await fetch(`${sim.apiUrl}/projects/p9/branches`, { headers: HEADERS })
    expect(none.status).toBe(404)
  })

  it("exports the branch's translations only when the request names the branch", async () => {
    const clock = manualClock()
    const sim = await start({ projects: { p1: branchProject() }, now: clock.now })
    const text = await exportFile(sim, clock, 'br-de', { file_format: 'yml', branch: 'feature/x' })
    expect(parseYaml(text)).toEqual({ de: { greeting: { hello: 'Hallo Zweig' } } })
    // The branch's locale id means nothing in the main project.
    expect((await create(sim, 'br-de', { file_format: 'yml' })).response.status).toBe(404)
    const sync = await fetch(
      `${sim.apiUrl}/projects/p1/locales/br-de/download?file_format=yml&branch=feature%2Fx`,
      { headers: HEADERS }
    )
    expect(parseYaml(await sync.text())).toEqual({ de: { greeting: { hello: 'Hallo Zweig' } } })
  })
})
