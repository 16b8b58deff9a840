import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Socket } from 'node:net'
import { createProxyFetch, describeDestination } from '../../src/net/fetch.js'
import { describeNetworkFailure } from '../../src/net/failure.js'
import { sendJson, startLocalServer, type LocalServer } from '../support/http-util.js'
import { startProxyDouble, type ProxyDouble } from '../support/proxy-double.js'

const PROXY_VARIABLES = [
  'HTTP_PROXY',
  'http_proxy',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy'
]
const saved = Object.fromEntries(PROXY_VARIABLES.map(name => [name, process.env[name]]))

/** Sets exactly these proxy variables (the others unset) for one test. */
function proxyEnv(vars: Record<string, string>): void {
  for (const name of PROXY_VARIABLES) delete process.env[name]
  Object.assign(process.env, vars)
}

let cdn: LocalServer
let proxy: ProxyDouble

beforeAll(async () => {
  cdn = await startLocalServer(async (req, res) => {
    if (req.url === '/hang') return // never answers
    if (req.url === '/stall') {
      res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 10 })
      res.write('half')
      return // the other half never comes
    }
    sendJson(res, 200, { path: req.url })
  })
  proxy = await startProxyDouble({ hosts: { 'cdn.phrase.test': cdn.origin } })
})
afterEach(() => {
  proxy.seen.length = 0
  proxyEnv({})
})
afterAll(async () => {
  for (const [name, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await Promise.all([proxy.stop(), cdn.stop()])
})

describe('createProxyFetch', () => {
  it.each(['HTTP_PROXY', 'http_proxy', 'HTTP_PROXY without a scheme'])(
    'sends http:// requests through %s to a host only the proxy can resolve',
    async variable => {
      const [name, withoutScheme] = variable.split(' ')
      proxyEnv({ [name]: withoutScheme ? proxy.url.replace('http://', '') : proxy.url })
      const response = await createProxyFetch()('http://cdn.phrase.test/exports/de.yml?sig=1')
      expect(await response.json()).toEqual({ path: '/exports/de.yml?sig=1' })
      // Absolute form, as curl sends plain HTTP to a proxy: no CONNECT to port 80.
      expect(proxy.seen).toEqual([
        expect.objectContaining({ kind: 'forward', target: 'cdn.phrase.test', status: 200 })
      ])
    }
  )

  it.each([
    ['the host', 'cdn.phrase.test'],
    ['its parent domain', 'phrase.test'],
    ['a leading-dot domain, in lower case', '.phrase.test']
  ])('goes directly when NO_PROXY names %s', async (_label, noProxy) => {
    proxyEnv({
      HTTP_PROXY: proxy.url,
      [noProxy === '.phrase.test' ? 'no_proxy' : 'NO_PROXY']: noProxy
    })
    const url = new URL('http://cdn.phrase.test/x')
    const error = await createProxyFetch()(url).catch((e: unknown) => e)
    // Only the proxy knows the name: going directly, the local resolver does not.
    expect(describeNetworkFailure(error, url)).toEqual({
      message: `Could not reach cdn.phrase.test (directly: NO_PROXY exempts it from the proxy): getaddrinfo ENOTFOUND cdn.phrase.test`,
      permanent: true
    })
    expect(proxy.seen).toEqual([])
  })

  it('never sends loopback requests to the proxy', async () => {
    proxyEnv({ HTTP_PROXY: proxy.url })
    const response = await createProxyFetch()(`${cdn.origin}/local`)
    expect(await response.json()).toEqual({ path: '/local' })
    expect(proxy.seen).toEqual([])
    expect(describeDestination(new URL(cdn.origin))).toBe(new URL(cdn.origin).host)
  })

  it("words the proxy's refusal of a tunnel, without the proxy's credentials", async () => {
    const withCredentials = proxy.url.replace('http://', 'http://robot:s3cret@')
    proxyEnv({ HTTPS_PROXY: withCredentials })
    const url = new URL('https://nowhere.test/v2/projects')
    const error = await createProxyFetch()(url).catch((e: unknown) => e)
    const failure = describeNetworkFailure(error, url)
    expect(failure).toEqual({
      message: `Could not reach nowhere.test through the proxy ${proxy.url}: the proxy answered 502 to CONNECT nowhere.test`,
      permanent: false
    })
    expect(failure.message).not.toContain('s3cret')
    expect(proxy.seen).toEqual([
      expect.objectContaining({ kind: 'connect', target: 'nowhere.test:443', status: 502 })
    ])
  })

  it('names a missing proxy variable when a host cannot be resolved', async () => {
    const url = new URL('https://api.phrase.test/v2/projects')
    const error = await createProxyFetch()(url).catch((e: unknown) => e)
    expect(describeNetworkFailure(error, url).message).toBe(
      'Could not reach api.phrase.test (no HTTPS_PROXY set): getaddrinfo ENOTFOUND api.phrase.test'
    )
  })

  it('bounds the wait for an answer and every pause inside its body', async () => {
    const fetch = createProxyFetch({ timeoutMs: 200 })
    const hang = new URL(`${cdn.origin}/hang`)
    const noAnswer = await fetch(hang).catch((e: unknown) => e)
    expect(describeNetworkFailure(noAnswer, hang, 200).message).toBe(
      `Could not reach ${hang.host}: no answer within 0.2 s`
    )

    const stall = new URL(`${cdn.origin}/stall`)
    const response = await fetch(stall)
    const stalled = await response.text().catch((e: unknown) => e)
    expect(describeNetworkFailure(stalled, stall, 200).message).toBe(
      `Could not reach ${stall.host}: the answer stalled for 0.2 s`
    )
  })

  it('bounds the wait for a proxy that never answers CONNECT', async () => {
    const sockets: Socket[] = []
    const silent = createServer(socket => void sockets.push(socket))
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
    try {
      const proxyUrl = `http://127.0.0.1:${(silent.address() as { port: number }).port}`
      proxyEnv({ HTTPS_PROXY: proxyUrl })
      const url = new URL('https://api.phrase.test/v2/projects')
      const error = await createProxyFetch({ timeoutMs: 200 })(url).catch((e: unknown) => e)
      expect(describeNetworkFailure(error, url, 200).message).toBe(
        `Could not reach api.phrase.test through the proxy ${proxyUrl}: no answer within 0.2 s`
      )
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise(resolve => silent.close(resolve))
    }
  })

  it('sends the credentials of the proxy URL to the proxy, and says when it wants some', async () => {
    const guarded = await startProxyDouble({
      hosts: { 'cdn.phrase.test': cdn.origin },
      credentials: 'robot:s3cr@t'
    })
    try {
      proxyEnv({ HTTP_PROXY: guarded.url.replace('http://', 'http://robot:s3cr%40t@') })
      const response = await createProxyFetch()('http://cdn.phrase.test/with-credentials')
      expect(await response.json()).toEqual({ path: '/with-credentials' })

      proxyEnv({ HTTP_PROXY: guarded.url, HTTPS_PROXY: guarded.url })
      for (const url of [
        new URL('http://cdn.phrase.test/x'),
        new URL('https://cdn.phrase.test/x')
      ]) {
        const error = await createProxyFetch()(url).catch((e: unknown) => e)
        expect(describeNetworkFailure(error, url)).toEqual({
          message: `Could not reach cdn.phrase.test through the proxy ${guarded.url}: the proxy asks for credentials (407); put them in the proxy URL, http://user:password@host:port`,
          permanent: true
        })
      }
      expect(guarded.seen.map(r => [r.kind, r.status])).toEqual([
        ['forward', 200],
        ['forward', 407],
        ['connect', 407]
      ])
    } finally {
      await guarded.stop()
    }
  })
})
