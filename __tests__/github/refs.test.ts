/**
 * Moving the PR branch against the fake GitHub: GraphQL `updateRefs` with `beforeOid` where it
 * exists, the REST re-read where it does not, and GitHub's refusals told apart.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub, GITHUB_TOKEN_GRANTS, type FakeGitHubOptions } from '../support/fake-github.js'
import { clientFor } from '../support/github-client.js'
import { BranchRefs, BranchRefusedError } from '../../src/github/refs.js'
import { BranchMovedError, Repository } from '../../src/github/repository.js'
import { silentLogger } from '../../src/logger.js'

const BRANCH = 'phrase/translations'
let fake: FakeGitHub | undefined

afterEach(async () => {
  await fake?.stop()
  fake = undefined
})

async function setUp(options: FakeGitHubOptions = {}) {
  const gh = await FakeGitHub.start({ memory: true, files: { 'README.md': '# app\n' }, ...options })
  fake = gh
  const client = clientFor(gh)
  const repository = new Repository(client, gh.owner, gh.repo)
  const infos: string[] = []
  const refs = new BranchRefs(client, repository, {
    owner: gh.owner,
    repo: gh.repo,
    graphqlUrl: `${gh.apiUrl}/graphql`,
    repositoryId: async () => (await repository.info()).nodeId,
    logger: { ...silentLogger, info: message => void infos.push(message) }
  })
  const first = await gh.commitFiles(BRANCH, { 'config/locales/de.yml': 'de:\n  a: A\n' })
  // Our next commit: on main, like a rebuild (not a fast-forward of the branch).
  const next = await gh.commitFiles('next', { 'config/locales/de.yml': 'de:\n  a: B\n' })
  const writes = () =>
    gh
      .requests()
      .filter(r => r.method !== 'GET')
      .map(r => `${r.method} ${r.path} ${r.status}`)
  return { gh, refs, first, next, writes, infos }
}

describe('BranchRefs.move', () => {
  it('moves with one GraphQL compare-and-swap (no REST re-read, no forced PATCH)', async () => {
    const { gh, refs, first, next, writes } = await setUp()
    const before = gh.requests().length
    await refs.move(BRANCH, next, first)
    expect(await gh.headSha(BRANCH)).toBe(next)
    expect(
      gh
        .requests()
        .slice(before)
        .map(r => `${r.method} ${r.path} ${r.status}`)
    ).toEqual([
      'GET /repos/octo/app 200', // the repository's node id, read once
      'POST /graphql 200'
    ])
    expect(writes()).not.toContainEqual(expect.stringMatching(/^PATCH/))
  })

  it('a branch moved after the read: nothing is overwritten, BranchMovedError names both', async () => {
    const { gh, refs, first, next } = await setUp()
    let theirs = ''
    gh.faults.add({
      method: 'POST',
      path: '/graphql',
      before: async () => {
        theirs = await gh.commitFiles(BRANCH, { 'NOTES.md': 'a fix\n' })
      }
    })
    const attempt = refs.move(BRANCH, next, first)
    await expect(attempt).rejects.toBeInstanceOf(BranchMovedError)
    await expect(attempt).rejects.toThrow(
      `expected ${first.slice(0, 7)}, found ${theirs.slice(0, 7)}`
    )
    expect(await gh.headSha(BRANCH)).toBe(theirs)
    // GitHub said only "something went wrong": the ref was read again to learn that it moved.
    const graphql = gh.requests().find(r => r.path === '/graphql')
    expect(graphql?.status).toBe(200)
  })

  it.each<[FakeGitHubOptions['graphql'], RegExp]>([
    ['no-update-refs', /Field 'updateRefs' doesn't exist on type 'Mutation'/],
    ['absent', /GitHub answered 404/]
  ])('without the mutation (%s) it moves through REST, and says so once', async (mode, reason) => {
    const { gh, refs, first, next, writes, infos } = await setUp({ graphql: mode })
    await refs.move(BRANCH, next, first)
    expect(await gh.headSha(BRANCH)).toBe(next)
    await refs.move(BRANCH, first, next)
    expect(await gh.headSha(BRANCH)).toBe(first)
    // GraphQL is tried once per run; each move re-reads the branch right before a forced PATCH.
    expect(writes()).toEqual([
      `POST /graphql ${mode === 'absent' ? 404 : 200}`,
      'PATCH /repos/octo/app/git/refs/heads/phrase/translations 200',
      'PATCH /repos/octo/app/git/refs/heads/phrase/translations 200'
    ])
    expect(infos).toEqual([expect.stringMatching(reason)])
  })

  it('a change of workflow files without the permission: BranchRefusedError with GitHub’s REST answer', async () => {
    const { gh, refs, first } = await setUp({ grants: GITHUB_TOKEN_GRANTS })
    const bumped = await gh.commitFiles('main', { '.github/workflows/ci.yml': 'on: push\n' })
    const rebuilt = await gh.commitFiles('main', { 'config/locales/de.yml': 'de:\n  a: C\n' })
    const attempt = refs.move(BRANCH, rebuilt, first)
    await expect(attempt).rejects.toBeInstanceOf(BranchRefusedError)
    await expect(attempt).rejects.toThrow(
      /Could not update branch phrase\/translations in octo\/app\. GitHub answered 403: Resource not accessible by integration/
    )
    expect(await gh.headSha(BRANCH)).toBe(first)
    const answers = gh.requests().filter(r => r.path === '/graphql' || r.method === 'PATCH')
    expect(answers.map(r => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'POST /graphql 200', // FORBIDDEN in `errors`
      'PATCH /repos/octo/app/git/refs/heads/phrase/translations 403'
    ])
    expect(bumped).not.toBe(rebuilt)
  })

  it('a FORBIDDEN updateRefs is said once at info level: the move falls back to read-then-force', async () => {
    const { gh, refs, first, infos } = await setUp({ grants: GITHUB_TOKEN_GRANTS })
    await gh.commitFiles('main', { '.github/workflows/ci.yml': 'on: push\n' })
    const rebuilt = await gh.commitFiles('main', { 'config/locales/de.yml': 'de:\n  a: C\n' })
    for (let i = 0; i < 2; i++)
      await expect(refs.move(BRANCH, rebuilt, first)).rejects.toBeInstanceOf(BranchRefusedError)
    expect(infos).toEqual([
      expect.stringMatching(
        /^GitHub refused updateRefs on phrase\/translations \(FORBIDDEN: .*Resource not accessible by integration.*\); moving it by reading it, then forcing the REST update$/
      )
    ])
  })

  it('a protected branch: the REST answer names the protection', async () => {
    const { gh, refs, first, next } = await setUp()
    gh.protect(BRANCH)
    await expect(refs.move(BRANCH, next, first)).rejects.toThrow(
      /Could not update branch phrase\/translations in octo\/app\. GitHub answered 422: Protected branch update failed/
    )
    expect(await gh.headSha(BRANCH)).toBe(first)
  })

  it('removes the branch only while it is where this run left it', async () => {
    const { gh, refs, first, writes } = await setUp()
    const theirs = await gh.commitFiles(BRANCH, { 'NOTES.md': 'a fix\n' })
    await expect(refs.remove(BRANCH, first)).rejects.toBeInstanceOf(BranchMovedError)
    expect(await gh.headSha(BRANCH)).toBe(theirs)
    await refs.remove(BRANCH, theirs)
    expect(await gh.headSha(BRANCH)).toBeUndefined()
    await refs.remove(BRANCH, theirs) // already gone: fine
    expect(writes().filter(w => w.includes('DELETE'))).toEqual([])
  })

  it.each<FakeGitHubOptions['graphql']>(['no-update-refs', 'absent'])(
    'without the mutation (%s), removing re-reads the branch right before the REST delete',
    async mode => {
      const { gh, refs, first, writes } = await setUp({ graphql: mode })
      const theirs = await gh.commitFiles(BRANCH, { 'NOTES.md': 'a fix\n' })
      await expect(refs.remove(BRANCH, first)).rejects.toBeInstanceOf(BranchMovedError)
      await refs.remove(BRANCH, theirs)
      expect(await gh.headSha(BRANCH)).toBeUndefined()
      expect(writes().filter(w => w.includes('DELETE'))).toEqual([
        'DELETE /repos/octo/app/git/refs/heads/phrase/translations 204'
      ])
    }
  )

  it('creates a missing branch through REST, atomically', async () => {
    const { gh, refs, next } = await setUp()
    await refs.move('phrase/new', next, undefined)
    expect(await gh.headSha('phrase/new')).toBe(next)
    await expect(refs.move('phrase/new', next, undefined)).rejects.toBeInstanceOf(BranchMovedError)
  })
})
