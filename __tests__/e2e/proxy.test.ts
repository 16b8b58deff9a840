/**
 * The bundle behind a company proxy, as on a self-hosted runner: HTTPS_PROXY / NO_PROXY and a
 * company CA in NODE_EXTRA_CA_CERTS (https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/using-a-proxy-server-with-self-hosted-runners).
 * The Phrase API, its CDN and GitHub answer to made-up names only the proxy double resolves, over
 * HTTPS inside CONNECT tunnels, with certificates of a CA made for this test.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  expectFailure,
  expectProposed,
  expectUntouched,
  scanAndStop
} from '../support/expect-run.js'
import { startProxyDouble, type ProxyDouble } from '../support/proxy-double.js'
import { createTestCa, type TestCa } from '../support/test-ca.js'
import { startWorld, type World } from '../support/world.js'

const HOSTS = ['api.phrase.test', 'cdn.phrase.test', 'github.test']

let dir: string
let ca: TestCa
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'phrase-pull-ca-'))
  ca = await createTestCa(dir, HOSTS)
})
afterAll(() => rm(dir, { recursive: true, force: true }))

/** A world whose services are reached as https://<name>, through a proxy that knows the names. */
async function behindProxy(): Promise<{
  world: World
  proxy: ProxyDouble
  env: Record<string, string>
}> {
  const world = await startWorld({
    sim: { publicApiUrl: 'https://api.phrase.test/v2', publicCdnUrl: 'https://cdn.phrase.test' }
  })
  const proxy = await startProxyDouble({
    hosts: {
      'api.phrase.test': new URL(world.sim.apiUrl).origin,
      'cdn.phrase.test': world.sim.cdnUrl,
      'github.test': world.gh.apiUrl
    },
    tls: ca
  })
  const env = {
    'INPUT_API-URL': 'https://api.phrase.test/v2',
    GITHUB_API_URL: 'https://github.test',
    HTTPS_PROXY: proxy.url,
    NO_PROXY: '',
    no_proxy: '',
    NODE_EXTRA_CA_CERTS: ca.caFile
  }
  return { world, proxy, env }
}

describe('the action behind a proxy', () => {
  it('reaches Phrase, its CDN and GitHub only through the proxy, over HTTPS with a company CA', async () => {
    const { world, proxy, env } = await behindProxy()
    try {
      const run = await world.run({}, { env })
      await expectProposed(world, run, ['de', 'fr'])
      expect(run.stderr).toBe('') // no warning of Node's or undici's in the workflow log
      for (const host of HOSTS) {
        const seen = proxy.for(host)
        // A tunnel per connection, and every request inside it over TLS.
        expect(seen.filter(r => r.kind === 'connect')).not.toEqual([])
        expect(seen.every(r => r.kind !== 'forward' && r.status < 500)).toBe(true)
        expect(seen.filter(r => r.kind === 'tls').length).toBeGreaterThan(0)
      }
      // The token goes to the API host only, never to the CDN.
      const cdn = proxy.for('cdn.phrase.test').filter(r => r.kind === 'tls')
      expect(cdn.map(r => r.authorization)).toEqual([false, false])
      expect(world.sim.stats().cdnRequests).toHaveLength(2)
    } finally {
      await Promise.all([scanAndStop(world), proxy.stop()])
    }
  })

  it('goes around the proxy for a host in NO_PROXY, and says so when it cannot reach it', async () => {
    const { world, proxy, env } = await behindProxy()
    try {
      const before = await world.state()
      // Only the proxy knows github.test: directly, the name does not resolve.
      const run = await world.run({}, { env: { ...env, NO_PROXY: 'github.test' } })
      expectFailure(
        run,
        /Could not reach github\.test \(directly: NO_PROXY exempts it from the proxy\): getaddrinfo (ENOTFOUND|EAI_AGAIN) github\.test/
      )
      expect(proxy.for('github.test')).toEqual([])
      expect(proxy.for('api.phrase.test').length).toBeGreaterThan(0)
      await expectUntouched(world, before)
    } finally {
      await Promise.all([scanAndStop(world), proxy.stop()])
    }
  })
})
