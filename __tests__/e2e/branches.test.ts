/**
 * The head branch end to end (the built bundle against the fake GitHub): one head branch per base,
 * commits the action did not make, another writer racing the move, a base whose workflow files
 * changed, and review requests that GitHub partly refuses.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { GITHUB_TOKEN_GRANTS, isWrite } from '../support/fake-github.js'
import {
  expectFailure,
  expectSuccess,
  expectUntouched,
  scanAndStop
} from '../support/expect-run.js'
import { STALE_DE, startWorld, type World } from '../support/world.js'

const BRANCH = 'phrase/translations'
const LOCALE_FILES = ['config/locales/de.yml', 'config/locales/fr.yml']

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

/** Files a pull request from `head` into `base` would merge (GitHub's three-dot diff). */
async function prFiles(world: World, base: string, head: string): Promise<string[]> {
  return world.gh.changedFiles(base, head, { threeDot: true })
}

/** A first run opened the PR from phrase/translations into main. */
async function withOpenPullRequest(options: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  world = await startWorld({
    ...options,
    files: { 'config/locales/de.yml': STALE_DE, ...options.files }
  })
  expectSuccess(await world.run())
  return world
}

/** The state a first run leaves, made directly (World.seedPullRequest). */
async function withSeededPullRequest(
  options: Parameters<typeof startWorld>[0] = {}
): Promise<World> {
  world = await startWorld({
    ...options,
    files: { 'config/locales/de.yml': STALE_DE, ...options.files }
  })
  await world.seedPullRequest()
  return world
}

describe('one head branch per base', () => {
  it('a run from a feature branch gets its own head branch; main’s PR never sees the WIP commit', async () => {
    const world = await withOpenPullRequest()
    const { gh } = world
    const mainHead = await gh.headSha(BRANCH)
    await gh.commitFiles('feature/wip', { 'src/half-done.ts': 'export {}\n' }, 'WIP: half done')

    // workflow_dispatch from feature/wip: GITHUB_REF names it, so it is the base.
    const run = await world.run({}, { env: { GITHUB_REF: 'refs/heads/feature/wip' } })
    expectSuccess(run)
    expect(run.outputs).toMatchObject({
      branch: 'phrase/translations--feature/wip',
      'pull-request-operation': 'created'
    })
    expect(run.stdout).toMatch(
      /feature\/wip is not the default branch \(main\): its pull request uses phrase\/translations--feature\/wip/
    )
    expect(gh.pulls().map(pr => [pr.number, pr.head, pr.base, pr.state])).toEqual([
      [1, BRANCH, 'main', 'open'],
      [2, 'phrase/translations--feature/wip', 'feature/wip', 'open']
    ])
    // main's head branch was not touched, and neither PR carries anything but translations.
    expect(await gh.headSha(BRANCH)).toBe(mainHead)
    expect(await prFiles(world, 'main', BRANCH)).toEqual(LOCALE_FILES)
    expect(await prFiles(world, 'feature/wip', 'phrase/translations--feature/wip')).toEqual(
      LOCALE_FILES
    )

    // A rerun from main still finds and keeps its own PR.
    const again = await world.run()
    expectSuccess(again)
    expect(again.outputs).toMatchObject({ branch: BRANCH, 'pull-request-operation': 'unchanged' })
  })

  it('refuses a head branch that carries another base’s commits, naming them, and changes nothing', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    const { gh } = world
    // What an earlier version left behind: phrase/translations rebuilt on feature/wip.
    const wip = await gh.commitFiles(
      'feature/wip',
      { 'src/half-done.ts': 'export {}\n' },
      'WIP: half done'
    )
    await gh.setBranch(BRANCH, wip)
    await gh.commitFiles(
      BRANCH,
      { 'config/locales/fr.yml': 'fr:\n  a: b\n' },
      'chore(i18n): update translations from Phrase\n\nPhrase-Pull: base=feature/wip\n'
    )
    const before = await world.state()

    const run = await world.run()
    expectFailure(
      run,
      /Refusing to update branch phrase\/translations: it carries 1 commit\(s\) that main does not have and Phrase Pull did not make: [0-9a-f]{7} "WIP: half done" \(Other Actor\)\. An earlier run built it for feature\/wip\./,
      /Delete the branch phrase\/translations \(the next run rebuilds it from main\), or give this workflow another branch/
    )
    await expectUntouched(world, before)
  })
})

describe('commits the action did not make', () => {
  it('a reviewer’s commit that touches no translation file is kept, warned about and noted in the PR', async () => {
    const world = await withSeededPullRequest()
    const { gh } = world
    const theirs = await gh.commitFiles(
      BRANCH,
      { 'docs/glossary.md': 'Warenkorb: cart\n' },
      'Add glossary note'
    )
    world.sim.project('p1').translations.fr['cart.empty'] = 'Panier vide'

    const run = await world.run()
    expectSuccess(run)
    expect(run.outputs['pull-request-operation']).toBe('updated')
    expect(run.stdout).toMatch(
      /^::warning::Keeping 1 commit\(s\) on phrase\/translations that Phrase Pull did not make: [0-9a-f]{7} "Add glossary note" \(Other Actor\)\. They change no file this run writes/m
    )
    const [head] = await gh.commits(BRANCH)
    expect(head.parents).toEqual([theirs])
    expect(head.message).toMatch(/\n\nPhrase-Pull: base=main\n$/)
    expect((await gh.readFile(BRANCH, 'docs/glossary.md'))?.toString()).toBe('Warenkorb: cart\n')
    expect(await gh.readFile(BRANCH, 'config/locales/fr.yml')).toEqual(await world.exported('fr'))
    expect(await prFiles(world, 'main', BRANCH)).toEqual([...LOCALE_FILES, 'docs/glossary.md'])
    expect(gh.pulls()[0].body).toMatch(
      /not made by Phrase Pull, kept as they are: `[0-9a-f]{7} "Add glossary note"/
    )
  })

  it('a reviewer’s fix of a translation file stops the run, naming the commit and what to do', async () => {
    const world = await withSeededPullRequest()
    const { gh } = world
    await gh.commitFiles(
      BRANCH,
      { 'config/locales/fr.yml': 'fr:\n  greeting:\n    hello: Salut\n' },
      'Fix the French greeting'
    )
    const before = await world.state()

    const run = await world.run()
    expectFailure(
      run,
      /Stopped before updating branch phrase\/translations: commits on it that Phrase Pull did not make change files this run would overwrite: [0-9a-f]{7} "Fix the French greeting" \(Other Actor\) changes config\/locales\/fr\.yml\. Nothing was changed\./,
      /Move the fix into Phrase .*merge or close the pull request, or delete the branch phrase\/translations/
    )
    await expectUntouched(world, before)
  })

  it('delete-branch: true leaves the PR and the branch alone while they hold a reviewer’s commit', async () => {
    const world = await withSeededPullRequest()
    const { gh } = world
    await gh.commitFiles(BRANCH, { 'docs/glossary.md': 'Warenkorb: cart\n' }, 'Add glossary note')
    // Someone brought Phrase's files to main by hand: no translation is left to propose.
    await gh.commitFiles(
      'main',
      {
        'config/locales/de.yml': await world.exported('de'),
        'config/locales/fr.yml': await world.exported('fr')
      },
      'Translations by hand'
    )
    const branchBefore = await gh.headSha(BRANCH)

    const run = await world.run({ 'delete-branch': 'true' })
    expectSuccess(run)
    expect(run.stdout).toMatch(
      /^::warning::Not closing or deleting phrase\/translations \(delete-branch: true\): it holds 1 commit\(s\) that Phrase Pull did not make: [0-9a-f]{7} "Add glossary note"/m
    )
    // The reviewer's commit still proposes something: the PR stays open, the branch as it was,
    // and the body no longer lists translations.
    expect(await gh.headSha(BRANCH)).toBe(branchBefore)
    expect(gh.pulls()[0].state).toBe('open')
    expect(JSON.parse(run.outputs['changed-files'])).toEqual([])
    expect(gh.pulls()[0].body).toMatch(/kept as they are: `[0-9a-f]{7} "Add glossary note"/)
    expect(gh.pulls()[0].body).not.toContain('config/locales/')
  })

  it('another writer between the read and the move: GitHub’s compare-and-swap refuses, the run starts over and keeps their commit', async () => {
    const world = await withSeededPullRequest()
    const { gh } = world
    world.sim.project('p1').translations.fr['cart.empty'] = 'Panier vide'
    let theirs = ''
    gh.faults.add({
      method: 'POST',
      path: '/graphql',
      before: async () => {
        theirs = await gh.commitFiles(BRANCH, { 'NOTES.md': 'pushed meanwhile\n' }, 'Note')
      }
    })

    const before = gh.requests().length
    const run = await world.run()
    expectSuccess(run)
    expect(run.stdout).toMatch(
      /^::warning::Branch phrase\/translations moved while this run worked: expected [0-9a-f]{7}, found [0-9a-f]{7}; starting over once/m
    )
    const [head] = await gh.commits(BRANCH)
    expect(head.parents).toEqual([theirs])
    expect((await gh.readFile(BRANCH, 'NOTES.md'))?.toString()).toBe('pushed meanwhile\n')
    // Both moves went through updateRefs with beforeOid; no forced REST update was sent.
    const moves = gh
      .requests()
      .slice(before)
      .filter(r => (r.path === '/graphql' && isWrite(r)) || r.path.includes('/git/refs'))
    expect(moves.map(r => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /graphql 200',
      'POST /graphql 200'
    ])
  })
})

describe('a base whose workflow files changed', () => {
  it('GITHUB_TOKEN may not move the branch onto it: the translations go on top of the branch and the PR is updated', async () => {
    const ci = '.github/workflows/ci.yml'
    const world = await withSeededPullRequest({
      files: { [ci]: 'steps:\n  - uses: actions/checkout@v4\n' },
      github: { grants: GITHUB_TOKEN_GRANTS }
    })
    const { gh } = world
    const previous = await gh.headSha(BRANCH)
    // A Dependabot bump on main, then a new key in Phrase.
    await gh.commitFiles(
      'main',
      { [ci]: 'steps:\n  - uses: actions/checkout@v5\n' },
      'Bump actions/checkout from 4 to 5'
    )
    world.sim.project('p1').translations.fr['cart.empty'] = 'Panier vide'

    const run = await world.run()
    expectSuccess(run)
    expect(run.outputs['pull-request-operation']).toBe('updated')
    expect(run.stdout).toMatch(
      /^::warning::GitHub refused to move phrase\/translations onto the latest main \(Could not update branch phrase\/translations in octo\/app\. GitHub answered 403: Resource not accessible by integration.*\)\. The usual cause: main changed files under \.github\/workflows\/ since phrase\/translations was made/m
    )
    expect(run.stdout).not.toMatch(/protection/i)
    const [head] = await gh.commits(BRANCH)
    expect(head.parents).toEqual([previous])
    expect(await gh.readFile(BRANCH, 'config/locales/fr.yml')).toEqual(await world.exported('fr'))
    expect(await prFiles(world, 'main', BRANCH)).toEqual(LOCALE_FILES)
    expect(gh.pulls()[0].body).toMatch(/GitHub refused to move this branch onto the latest `main`/)
  })
})

describe('review requests GitHub partly refuses', () => {
  it('a team GITHUB_TOKEN cannot see keeps the user reviewers', async () => {
    world = await startWorld({
      files: { 'config/locales/de.yml': STALE_DE },
      github: { grants: GITHUB_TOKEN_GRANTS, labels: ['i18n'] }
    })
    const run = await world.run({
      reviewers: 'alice, bob',
      'team-reviewers': 'translators',
      labels: 'i18n, needs-review'
    })
    expectSuccess(run)
    expect(world.gh.pulls()[0]).toMatchObject({
      requested_reviewers: ['alice', 'bob'],
      requested_teams: [],
      labels: ['i18n']
    })
    expect(run.stdout).toMatch(
      /^::warning::Could not request a review from team translators on #1\. .*Members \(read\)/m
    )
    expect(run.stdout).toMatch(
      /^::warning::Could not add label "needs-review" to #1\. .*`issues: write`/m
    )
  })
})
