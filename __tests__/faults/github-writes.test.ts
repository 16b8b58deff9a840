/**
 * GitHub refusing each write of a first run (blob, tree, commit, branch, pull request): the run
 * fails naming the write and GitHub's answer, and every ref and pull request is as it was (a
 * branch created just before the pull request failed is removed). One refusal status per write;
 * the hint each status gets is a unit table in __tests__/github/errors.test.ts.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  expectFailure,
  expectSuccess,
  expectUntouched,
  scanAndStop
} from '../support/expect-run.js'
import { STALE_DE, startWorld, type World } from '../support/world.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

const REPO = '/repos/octo/app'
/** Each write of a first run, how to make the run send it, and how the failure reads. */
const WRITES = [
  {
    write: 'blob',
    status: 401,
    method: 'POST',
    path: `${REPO}/git/blobs`,
    // Only bytes that are not UTF-8 travel as a blob; text goes inline in the tree.
    inputs: { 'download-params': '{encoding: ISO-8859-1}' },
    message: /Could not upload config\/locales\/de\.yml to octo\/app\./
  },
  {
    write: 'tree',
    status: 403,
    method: 'POST',
    path: `${REPO}/git/trees`,
    message: /Could not create a tree in octo\/app\./
  },
  {
    write: 'commit',
    status: 404,
    method: 'POST',
    path: `${REPO}/git/commits`,
    message: /Could not create a commit in octo\/app\./
  },
  {
    write: 'branch',
    status: 409,
    method: 'POST',
    path: `${REPO}/git/refs`,
    message: /Could not create branch phrase\/translations in octo\/app\./
  },
  {
    write: 'pull request',
    status: 422,
    method: 'POST',
    path: `${REPO}/pulls`,
    message: /Could not create the pull request in octo\/app\./
  }
]

const HINTS: Record<number, RegExp> = {
  401: /github-token is invalid or expired/,
  403: /permissions: contents: write/,
  404: /permissions: contents: write/
}

describe.each(WRITES)(
  'GitHub refuses the $write write',
  ({ status, method, path, inputs, message }) => {
    it(`with ${status}: fails naming the write, changes nothing`, async () => {
      world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
      const before = await world.state()
      world.gh.faults.add({
        method,
        path,
        status,
        body: {
          message: `Refused by test (${status})`,
          documentation_url: 'https://docs.github.com'
        }
      })
      const run = await world.run(inputs)
      expectFailure(
        run,
        message,
        new RegExp(`GitHub answered ${status}: Refused by test \\(${status}\\)`),
        ...(HINTS[status] ? [HINTS[status]] : [])
      )
      // The refused write really was the one sent (once: 4xx answers are not retried).
      const sent = world.gh.requests().filter(r => r.method === method && r.path === path)
      expect(sent.map(r => r.status)).toEqual([status])
      await expectUntouched(world, before)
      expect(run.outputs).toEqual({})
      expect(run.summary).toMatch(/Phrase Pull failed/)
    })
  }
)

describe('GitHub refuses an extra', () => {
  it('a refused label only warns: the pull request is still opened', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    world.gh.faults.add({ method: 'POST', path: `${REPO}/issues/1/labels`, status: 403 })
    const run = await world.run({ labels: 'i18n' })
    expectSuccess(run)
    expect(run.outputs['pull-request-operation']).toBe('created')
    expect(run.stdout).toMatch(
      /^::warning::Could not add label "i18n" to #1\. GitHub answered 403/m
    )
    expect(world.gh.pulls()).toHaveLength(1)
  })
})
