/**
 * GitHub failing a read while another read is still in flight: the run must end like any other
 * failure (exit 1, an error annotation naming the read, the failure summary), never with Node's
 * raw "unhandled rejection" stack and no report.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { gitBlobSha } from '../../src/github/repository.js'
import { expectFailure, expectUntouched, scanAndStop } from '../support/expect-run.js'
import { startWorld, type World } from '../support/world.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

const STALE = {
  'config/locales/de.yml': 'de:\n  greeting:\n    hello: Hallo alt\n',
  'config/locales/fr.yml': 'fr:\n  greeting:\n    hello: Bonjour ancien\n'
}
const blobPath = (content: string) =>
  `/repos/octo/app/git/blobs/${gitBlobSha(Buffer.from(content))}`

describe('a blob read fails while an earlier one is pending', () => {
  it('ends in a reported failure, not a crash', async () => {
    // Without GraphQL (a REST-only proxy) the base files are read one blob at a time, in parallel.
    world = await startWorld({ files: STALE, github: { graphql: 'absent' } })
    const before = await world.state()
    // de's blob answers late; fr's fails at once, while de's read is still waiting.
    world.gh.faults.add({
      method: 'GET',
      path: blobPath(STALE['config/locales/de.yml']),
      before: () => new Promise(resolve => setTimeout(resolve, 500))
    })
    world.gh.faults.add({
      method: 'GET',
      path: blobPath(STALE['config/locales/fr.yml']),
      status: 404
    })
    const run = await world.run()
    expectFailure(
      run,
      /Could not read config\/locales\/fr\.yml \(blob [0-9a-f]{40}\) from octo\/app\. GitHub answered 404/
    )
    expect(run.stderr).not.toMatch(/unhandled|UnhandledPromiseRejection|^\s+at /m)
    expect(run.summary).toMatch(/Phrase Pull failed/)
    expect(run.summary).toMatch(/Could not read config\/locales\/fr\.yml/)
    // Both reads were made: the failing one really came while the other was pending.
    const reads = world.gh.requests().filter(r => r.path.includes('/git/blobs/'))
    expect(reads).toHaveLength(2)
    await expectUntouched(world, before)
  })
})
