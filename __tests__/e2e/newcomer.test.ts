/**
 * Issue 20's newcomer traps end to end on the bundle: a US account's token sent to the default EU
 * host hears about the US data centre, and `locales: de fr` hears about separators. For the first,
 * the runner reaches "api.phrase.com" only through a proxy double that answers it with the Phrase
 * simulator (with a certificate of a CA made for the test), so nothing leaves this machine.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { scanAndStop } from '../support/expect-run.js'
import { startProxyDouble } from '../support/proxy-double.js'
import { createTestCa, type TestCa } from '../support/test-ca.js'
import { startWorld } from '../support/world.js'

const EU_HOST = 'api.phrase.com'

let dir: string
let ca: TestCa
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'phrase-pull-ca-'))
  ca = await createTestCa(dir, [EU_HOST])
})
afterAll(() => rm(dir, { recursive: true, force: true }))

describe('newcomer traps', () => {
  it('a token the EU data centre does not know (401) hears about the US one', async () => {
    // The simulator knows another account's token: this one is unknown there, as at the other
    // data centre.
    const world = await startWorld({ sim: { tokens: { write: ['phr_other_account_token'] } } })
    const proxy = await startProxyDouble({
      hosts: { [EU_HOST]: new URL(world.sim.apiUrl).origin },
      tls: ca
    })
    try {
      const run = await world.run(
        {
          // The default api-url, as a workflow without the input gets it.
          'api-url': `https://${EU_HOST}/v2`,
          'create-pull-request': 'false'
        },
        {
          env: {
            HTTPS_PROXY: proxy.url,
            NO_PROXY: '',
            no_proxy: '',
            NODE_EXTRA_CA_CERTS: ca.caFile
          }
        }
      )
      expect(run.code).toBe(1)
      expect(run.error).toBe(
        'Phrase rejected the API token (401 Unauthorized): it is invalid, expired or revoked. Check the api-token input. This is the EU data centre (the default): accounts in the US data centre need api-url: https://api.us.app.phrase.com/v2.'
      )
      // The requests went to the double behind the proxy, nowhere else.
      expect(proxy.for(EU_HOST).filter(r => r.kind === 'tls').length).toBeGreaterThan(0)
      expect(proxy.seen.every(r => r.target.startsWith(EU_HOST))).toBe(true)
    } finally {
      await Promise.all([scanAndStop(world), proxy.stop()])
    }
  })

  it('locales written on one line with a space hear about commas and new lines', async () => {
    const world = await startWorld()
    try {
      const run = await world.run({ locales: 'de fr' })
      expect(run.code).toBe(1)
      expect(run.error).toBe(
        'Locale "de fr" not found in Phrase project p1 (its locales: de, fr); "de fr" is 2 locales: separate them with commas or new lines (de, fr)'
      )
      expect(world.gh.pulls()).toHaveLength(0)
    } finally {
      await scanAndStop(world)
    }
  })
})
