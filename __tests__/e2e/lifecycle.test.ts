/**
 * The pull request across runs, end to end (the built bundle against the fake GitHub): the four
 * ways it used to drift from the truth. The model test (lifecycle/model.test.ts) covers the
 * sequences; these are the cases as a user meets them.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { expectFailure, expectSuccess, scanAndStop } from '../support/expect-run.js'
import { startWorld, type World } from '../support/world.js'

const BRANCH = 'phrase/translations'
const DE = 'config/locales/de.yml'
const FR = 'config/locales/fr.yml'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

/** Files a pull request from the head branch into main would merge (GitHub's three-dot diff). */
async function prFiles(world: World): Promise<string[]> {
  return world.gh.changedFiles('main', BRANCH, { threeDot: true })
}

/** main holds Phrase's current export of every locale: Phrase and the base agree. */
async function baseAgrees(world: World): Promise<void> {
  await world.gh.commitFiles('main', {
    [DE]: await world.exported('de'),
    [FR]: await world.exported('fr')
  })
}

describe('the pull request stays the truth across runs', () => {
  it('a narrower run (locales: de) keeps fr on the branch and says where it came from', async () => {
    world = await startWorld()
    const { gh, sim } = world
    expectSuccess(await world.run())
    const firstCommit = await gh.headSha(BRANCH)

    sim.project('p1').translations.de['greeting.hello'] = 'Servus'
    const narrow = await world.run({ locales: 'de' })
    expectSuccess(narrow)
    expect(narrow.outputs['pull-request-operation']).toBe('updated')
    expect(JSON.parse(narrow.outputs['changed-files']).sort()).toEqual([DE, FR])
    expect(await prFiles(world)).toEqual([DE, FR])
    expect(await gh.readFile(BRANCH, DE)).toEqual(await world.exported('de'))
    expect(await gh.readFile(BRANCH, FR)).toEqual(await world.exported('fr'))
    // The body and the job summary list fr as carried over, with the date of the first run.
    const date = (await gh.commit(firstCommit!))!.committer.date.slice(0, 10)
    const carried = new RegExp(
      `\`config/locales/fr\\.yml\`[^\\n]*from the run of ${date}, not part of this run`
    )
    expect(gh.pulls()[0].body).toMatch(carried)
    expect(narrow.summary).toMatch(carried)
    // The commit remembers the date for the runs after this one.
    const [head] = await gh.commits(BRANCH)
    expect(head.message).toMatch(
      new RegExp(`\\nPhrase-Pull-Carried: ${date}T[^ ]+ config/locales/fr\\.yml\\n`)
    )
  })

  it('text Phrase reverted to what the base has: the PR closes with a comment', async () => {
    world = await startWorld()
    const { gh, sim } = world
    await baseAgrees(world)
    sim.project('p1').translations.de['greeting.hello'] = 'Servus'
    const proposed = await world.run()
    expectSuccess(proposed)
    expect(await prFiles(world)).toEqual([DE])
    const branchSha = await gh.headSha(BRANCH)

    // A translator goes back to "Hallo", which main already has.
    sim.project('p1').translations.de['greeting.hello'] = 'Hallo'
    const reverted = await world.run()
    expectSuccess(reverted)
    expect(reverted.outputs).toMatchObject({
      'has-changes': 'false',
      'pull-request-operation': 'closed',
      'pull-request-number': proposed.outputs['pull-request-number']
    })
    expect(gh.pulls()[0]).toMatchObject({
      state: 'closed',
      comments: [expect.stringMatching(/^Phrase and `main` agree now: nothing is left to propose/)]
    })
    // delete-branch is false: only the PR closed.
    expect(await gh.headSha(BRANCH)).toBe(branchSha)
  })

  it('a failed run never deletes the branch another run moved and opened its PR on', async () => {
    world = await startWorld()
    const { gh, sim } = world
    let other: Awaited<ReturnType<World['run']>> | undefined
    // Run A creates the branch; while its PR creation is on the way, run B (Phrase changed
    // meanwhile) moves the branch and opens its PR; then GitHub refuses A's PR.
    gh.faults.add({
      method: 'POST',
      path: '/repos/octo/app/pulls',
      status: 403,
      body: { message: 'Refused by test' },
      before: async () => {
        sim.project('p1').translations.fr['cart.empty'] = 'Panier vide'
        other = await world!.run()
      }
    })
    const first = await world.run()
    expectSuccess(other!)
    expect(other!.outputs['pull-request-operation']).toBe('created')
    expectFailure(first, /Could not create the pull request in octo\/app\. GitHub answered 403/)
    expect(first.error).toMatch(/phrase\/translations was left as it is: another run/)
    // B's branch and PR are as B left them.
    expect(await gh.headSha(BRANCH)).toBe(other!.outputs['head-sha'])
    expect(gh.pulls().map(pr => [pr.number, pr.state])).toEqual([[1, 'open']])
    expect((await gh.readFile(BRANCH, FR))?.toString()).toContain('Panier vide')
  })

  it('labels and reviewers land although GitHub does not know the new PR at once, and come back', async () => {
    // For 0.8 s after opening, GitHub answers "Could not resolve to a node" about the new PR: the
    // first try fails, the one after the first wait (1 s) lands.
    world = await startWorld({ github: { pullSettleMs: 800, collaborators: ['alice', 'bob'] } })
    const { gh } = world
    const inputs = { labels: 'i18n', reviewers: 'alice, bob' }
    const created = await world.run(inputs)
    expectSuccess(created)
    expect(gh.pulls()[0]).toMatchObject({ labels: ['i18n'], requested_reviewers: ['alice', 'bob'] })
    expect(created.stdout).not.toMatch(/::warning::/)
    expect(created.stdout).toMatch(
      /GitHub does not know #1 everywhere yet .*Could not resolve to a node.*asking again in 1000 ms/
    )

    // Later: someone removes the label; alice reviews (GitHub ends her request). The next run
    // with nothing new puts the label back and does not ask alice again.
    await fetch(`${gh.apiUrl}/repos/octo/app/issues/1`, {
      method: 'PATCH',
      headers: { Authorization: `token ${gh.token}` },
      body: JSON.stringify({ labels: [] })
    })
    await gh.review(1, 'alice')
    const before = gh.requests().length
    const again = await world.run(inputs)
    expectSuccess(again)
    expect(again.outputs['pull-request-operation']).toBe('unchanged')
    expect(gh.pulls()[0]).toMatchObject({ labels: ['i18n'], requested_reviewers: ['bob'] })
    const writes = gh
      .requests()
      .slice(before)
      .filter(r => r.method !== 'GET')
      .map(r => `${r.method} ${r.path}`)
    expect(writes).toEqual(['POST /repos/octo/app/issues/1/labels'])
  })
})
