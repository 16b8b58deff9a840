/**
 * GitHub faults on a later run, when the branch and the pull request exist: refused updates of
 * the branch and of the pull request, another run moving the branch mid-way, protected branches
 * and a missing base. A failure names its cause and leaves every ref and pull request as it was.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { expectFailure, expectSuccess, expectUntouched, scanAndStop } from './expect-run.js'
import { STALE_DE, startWorld, type World } from './world.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

const REPO = '/repos/octo/app'
const BRANCH = 'phrase/translations'
const BRANCH_REF = `${REPO}/git/ref/heads/${BRANCH}`
const STATUSES = [401, 403, 404, 409, 422]

/** A first run opened the PR; then Phrase changed, so the next run has an update to make. */
async function withOpenPullRequest(): Promise<World> {
  world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
  expectSuccess(await world.run())
  world.sim.project('p1').translations.fr['cart.title'] = 'Chariot'
  return world
}

describe.each([
  {
    write: 'branch update',
    method: 'PATCH',
    path: `${REPO}/git/refs/heads/${BRANCH}`,
    message: /Could not update branch phrase\/translations in octo\/app\./
  },
  {
    write: 'pull request update',
    method: 'PATCH',
    path: `${REPO}/pulls/1`,
    message: /Could not update pull request #1 in octo\/app\./
  }
])('GitHub refuses the $write', ({ method, path, message }) => {
  it.each(STATUSES)('with %i: fails naming the write, changes nothing', async status => {
    const world = await withOpenPullRequest()
    const before = await world.state()
    world.gh.faults.add({ method, path, status, body: { message: `Refused by test (${status})` } })
    const run = await world.run()
    expectFailure(run, message, new RegExp(`GitHub answered ${status}: Refused by test`))
    expect(
      world.gh.requests().filter(r => r.method === method && r.path === path && r.status === status)
    ).toHaveLength(1)
    // Refs compared by sha: a branch that moved and was put back counts as unchanged.
    await expectUntouched(world, before)
  })
})

describe('another run moves the branch', () => {
  /** Moves the PR branch with another actor's commit on every `every`-th read of its ref. */
  function moveBranchOnRead(world: World, every: number): string[] {
    const theirs: string[] = []
    let reads = 0
    world.gh.faults.add({
      method: 'GET',
      path: BRANCH_REF,
      times: Infinity,
      before: async () => {
        if (++reads % every !== 0) return
        theirs.push(
          await world.gh.commitFiles(BRANCH, { 'NOTES.md': `other run ${theirs.length + 1}\n` })
        )
      }
    })
    return theirs
  }

  it('once, between the read and the update: starts over and proposes on the new state', async () => {
    const world = await withOpenPullRequest()
    const baseSha = await world.gh.headSha('main')
    // Each attempt reads the ref twice: for the plan, then right before the update.
    const theirs = moveBranchOnRead(world, 2)
    world.gh.faults.add({ method: 'GET', path: BRANCH_REF, times: 0 })
    const run = await world.run()
    expect(theirs).toHaveLength(2)
    // The second attempt saw their commit, so it too was moved: the retry budget is one.
    expectFailure(run, /Branch phrase\/translations kept moving .*nothing was overwritten/)
    expect(await world.gh.headSha(BRANCH)).toBe(theirs[1])
    expect(await world.gh.headSha('main')).toBe(baseSha)
  })
})
