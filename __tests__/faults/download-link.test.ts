/**
 * Issue 18 item 5, end to end on the bundle: the download link of a finished export. Every hop is
 * https (plain http only to this machine, where the simulator is); the token goes to no host
 * outside Phrase's API domain and, on it, only after the link was refused without it; a refusal
 * seconds after the export finished is not an expired link (no new job).
 */
import { afterEach, expect, it } from '@jest/globals'
import {
  expectFailure,
  expectProposed,
  expectUntouched,
  scanAndStop
} from '../support/expect-run.js'
import type { SimulatorOptions } from '../support/phrase-simulator.js'
import { PHRASE_TOKEN, STALE_DE, startWorld, type World } from '../support/world.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

async function begin(sim: Partial<SimulatorOptions> = {}) {
  world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE }, sim })
  return { world, before: await world.state() }
}

it('an http:// link to another machine: refused before any request to it, naming the link', async () => {
  const { world, before } = await begin({ publicCdnUrl: 'http://cdn.phrase.test:8080' })
  const run = await world.run()
  expectFailure(
    run,
    /de \(config\/locales\/de\.yml\), fr \(config\/locales\/fr\.yml\) \(2 files\): Phrase returned a download link to http:\/\/cdn\.phrase\.test:8080: only https is accepted \(plain http only to this machine\)/
  )
  expect(world.sim.stats().cdnRequests).toEqual([])
  expect(world.sim.stats().jobsCreated).toBe(2) // not restarted: a new job gives the same link
  await expectUntouched(world, before)
})

it('a redirect to an http:// host: refused at that hop', async () => {
  const { world, before } = await begin({ redirectLinkTo: 'http://files.phrase.test' })
  const run = await world.run()
  expectFailure(run, /redirected to http:\/\/files\.phrase\.test: only https is accepted/)
  expect(world.sim.stats().cdnRequests).toHaveLength(2) // the first hop of each locale, no more
  await expectUntouched(world, before)
})

it('a redirect between allowed hosts is followed, without the token', async () => {
  const { world } = await begin()
  world.sim.publicCdnUrl = world.sim.cdnUrl.replace('127.0.0.1', 'localhost')
  world.sim.redirectLinkTo = world.sim.cdnUrl
  const run = await world.run()
  await expectProposed(world, run, ['de', 'fr'])
  const cdn = world.sim.stats().cdnRequests
  expect(cdn).toHaveLength(4)
  expect(cdn.map(request => request.authorization)).toEqual([
    undefined,
    undefined,
    undefined,
    undefined
  ])
})

it('a link on the API host that needs the token: asked without, then once with it; the log says so', async () => {
  const { world } = await begin({ linkNeedsToken: true })
  const run = await world.run()
  await expectProposed(world, run, ['de', 'fr'])
  const link = world.sim.stats().requests.filter(request => request.path.startsWith('/exports/'))
  const asked = link.map(request => `${request.authorization ?? 'none'} ${request.status}`)
  expect(asked.filter(line => line === 'none 401')).toHaveLength(2)
  expect(asked.filter(line => line === `Bearer ${PHRASE_TOKEN} 200`)).toHaveLength(2)
  expect(asked).toHaveLength(4)
  expect(run.stdout).toMatch(
    /The download link on 127\.0\.0\.1:\d+ needed the Phrase token: sent it/
  )
  expect(world.sim.stats().jobsCreated).toBe(2)
})

it('a CDN that refuses the link seconds after the export: a clear error, no new job, no token', async () => {
  const { world, before } = await begin()
  world.sim.faults.add({ on: 'cdn', locale: 'de', status: 403, times: Infinity })
  const run = await world.run()
  expectFailure(
    run,
    /de \(config\/locales\/de\.yml\): 127\.0\.0\.1:\d+ refused the download link \(403\) \d+ s after Phrase finished the export, well within the 15 minutes a link is valid; the Phrase token is never sent outside Phrase's API domain/
  )
  expect(world.sim.stats().jobsCreated).toBe(2)
  expect(world.sim.stats().cdnRequests.every(request => !request.authorization)).toBe(true)
  await expectUntouched(world, before)
})
