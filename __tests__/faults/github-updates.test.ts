/**
 * GitHub faults on a later run, when the branch and the pull request exist: refused updates of
 * the branch and of the pull request, another run moving the branch mid-way, protected branches
 * and a missing base. A failure names its cause and leaves every ref and pull request as it was.
 * One refusal status per write; the hint each status gets is a unit table (github/errors.test.ts).
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
const BRANCH = 'phrase/translations'
const BRANCH_REF = `${REPO}/git/ref/heads/${BRANCH}`

/**
 * The PR a first run opened (seeded: World.seedPullRequest); then Phrase gained a key, so the
 * next run updates branch and body. These tests fault the REST ref update, so GitHub here lacks
 * GraphQL's updateRefs (an older Enterprise Server); the compare-and-swap path has its own tests
 * (e2e/branches.test.ts, github/refs.test.ts).
 */
async function withOpenPullRequest(): Promise<World> {
  world = await startWorld({
    files: { 'config/locales/de.yml': STALE_DE },
    github: { graphql: 'no-update-refs' }
  })
  await world.seedPullRequest()
  world.sim.project('p1').translations.fr['cart.empty'] = 'Panier vide'
  return world
}

describe.each([
  {
    write: 'branch update',
    status: 409,
    method: 'PATCH',
    path: `${REPO}/git/refs/heads/${BRANCH}`,
    message: /Could not update branch phrase\/translations in octo\/app\./
  },
  {
    write: 'pull request update',
    status: 403,
    method: 'PATCH',
    path: `${REPO}/pulls/1`,
    message: /Could not update pull request #1 in octo\/app\./
  }
])('GitHub refuses the $write', ({ status, method, path, message }) => {
  it(`with ${status}: fails naming the write, changes nothing`, async () => {
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
  /** Another actor commits to the PR branch right before each read of its ref that `moveOn` picks. */
  function moveBranchOnReads(world: World, moveOn: (read: number) => boolean): string[] {
    const theirs: string[] = []
    let reads = 0
    world.gh.faults.add({
      method: 'GET',
      path: BRANCH_REF,
      times: Infinity,
      before: async () => {
        if (!moveOn(++reads)) return
        const note = { 'NOTES.md': `other run ${theirs.length + 1}\n` }
        theirs.push(await world.gh.commitFiles(BRANCH, note))
      }
    })
    return theirs
  }

  // Each attempt reads the branch to plan, and again right before moving it (no updateRefs here).
  it('once between the read and the update: starts over once and keeps their commit', async () => {
    const world = await withOpenPullRequest()
    const theirs = moveBranchOnReads(world, read => read === 2)
    const run = await world.run()
    expectSuccess(run)
    expect(theirs).toHaveLength(1)
    expect(run.stdout).toMatch(
      /^::warning::Branch phrase\/translations moved while this run worked.*starting over once/m
    )
    expect(run.outputs['pull-request-operation']).toBe('updated')
    // The second attempt saw their commit (it touches no translation file) and built on top of it.
    expect(run.stdout).toMatch(
      /^::warning::Keeping 1 commit\(s\) on phrase\/translations that Phrase Pull did not make/m
    )
    const [head] = await world.gh.commits(BRANCH)
    expect(head.sha).toBe(run.outputs['head-sha'])
    expect(head.parents).toEqual([theirs[0]])
    expect((await world.gh.readFile(BRANCH, 'NOTES.md'))?.toString()).toBe('other run 1\n')
    expect((await world.gh.readFile(BRANCH, 'config/locales/fr.yml'))?.toString()).toContain(
      'Panier vide'
    )
    expect(world.gh.pulls()).toHaveLength(1)
  })

  it('on every attempt: fails without overwriting the newer commit', async () => {
    const world = await withOpenPullRequest()
    const pullsBefore = world.gh.pulls()
    const theirs = moveBranchOnReads(world, read => read === 2 || read === 4)
    const run = await world.run()
    expectFailure(run, /Branch phrase\/translations kept moving .*nothing was overwritten/)
    expect(theirs).toHaveLength(2)
    expect(await world.gh.headSha(BRANCH)).toBe(theirs[1])
    expect(world.gh.pulls()).toEqual(pullsBefore)
    // No forced update was ever sent.
    expect(world.gh.requests().filter(r => r.method === 'PATCH')).toEqual([])
  })
})

describe('protected and missing branches', () => {
  it('a protected base does not matter: the action writes only to its own branch', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    world.gh.protect('main')
    const run = await world.run()
    expectSuccess(run)
    expect(run.outputs['pull-request-operation']).toBe('created')
  })

  it('a protected PR branch: fails naming the branch and the protection', async () => {
    const world = await withOpenPullRequest()
    world.gh.protect(BRANCH)
    const before = await world.state()
    const run = await world.run()
    expectFailure(
      run,
      /Could not update branch phrase\/translations in octo\/app\. GitHub answered 422: .*Protected branch update failed/
    )
    await expectUntouched(world, before)
  })

  it('a missing base branch: fails naming it before any write', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    const before = await world.state()
    const run = await world.run({ base: 'release/9.9' })
    expectFailure(run, /Base branch "release\/9\.9" not found in octo\/app/)
    expect(world.gh.requests().filter(r => r.method !== 'GET')).toEqual([])
    await expectUntouched(world, before)
  })
})
