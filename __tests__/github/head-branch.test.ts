/**
 * Where the next commit goes (placeCommit) against the fake GitHub: the cases between "rebuild on
 * the base" and "stop", and how many requests each costs.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../support/fake-github.js'
import { clientFor } from '../support/github-client.js'
import { markedMessage } from '../../src/github/branch-policy.js'
import { placeCommit, readAhead, type Where } from '../../src/github/head-branch.js'
import { gitBlobSha, Repository, type BranchHead } from '../../src/github/repository.js'

const BRANCH = 'phrase/translations'
const LEGACY = 'chore(i18n): update translations from Phrase'
const DE = 'config/locales/de.yml'

let gh: FakeGitHub
let where: Where
let repository: Repository

beforeEach(async () => {
  gh = await FakeGitHub.start({ files: { 'README.md': '# app\n', [DE]: 'de:\n  a: A\n' } })
  const client = clientFor(gh)
  repository = new Repository(client, gh.owner, gh.repo)
  where = {
    client,
    repository,
    owner: gh.owner,
    repo: gh.repo,
    base: 'main',
    head: BRANCH,
    legacyMessage: LEGACY
  }
})

afterEach(async () => {
  await gh.stop()
})

/** The action's commit on main's head, as a run leaves it. */
async function ours(content = 'de:\n  a: B\n'): Promise<void> {
  await gh.commitFiles(BRANCH, { [DE]: content }, markedMessage(LEGACY, 'main'))
}

async function place(target = 'de:\n  a: C\n') {
  const baseHead = (await repository.branchHead('main')) as BranchHead
  const branchHead = await repository.branchHead(BRANCH)
  const before = gh.requests().length
  const targets = new Map([[DE, gitBlobSha(Buffer.from(target))]])
  const placement = await placeCommit(where, baseHead, branchHead, targets, () =>
    readAhead(where, baseHead.commitSha, branchHead!.commitSha)
  )
  const sent = gh
    .requests()
    .slice(before)
    .map(r => `${r.method} ${r.path.replace(/[0-9a-f]{40}/g, 'SHA')}`)
  return { placement, sent, baseHead, branchHead }
}

describe('placeCommit', () => {
  it('the action’s one commit on the current base: rebuild, without a single request', async () => {
    await ours()
    const { placement, sent, baseHead } = await place()
    expect(placement).toMatchObject({ onHead: false, kept: [], landed: [] })
    expect(placement.parent.commitSha).toBe(baseHead.commitSha)
    expect(sent).toEqual([])
  })

  it('the base moved on: one compare, then rebuild', async () => {
    await ours()
    await gh.commitFiles('main', { 'src/app.ts': 'export {}\n' })
    const { placement, sent } = await place()
    expect(placement.onHead).toBe(false)
    expect(sent).toEqual(['GET /repos/octo/app/compare/SHA...SHA'])
  })

  it('a reviewer’s commit the base already has (squash-merged) is dropped: rebuild', async () => {
    await ours()
    await gh.commitFiles(BRANCH, { 'docs/glossary.md': 'cart\n' }, 'Add glossary')
    // The PR was squash-merged: main has both changes in one new commit.
    await gh.commitFiles('main', { [DE]: 'de:\n  a: B\n', 'docs/glossary.md': 'cart\n' }, 'Squash')
    const { placement } = await place()
    expect(placement.onHead).toBe(false)
    expect(placement.landed.map(commit => commit.message)).toEqual(['Add glossary'])
  })

  it('a reviewer’s fix that equals what Phrase now has is no conflict: kept, on the branch head', async () => {
    await ours()
    await gh.commitFiles(BRANCH, { [DE]: 'de:\n  a: C\n' }, 'Fix German')
    const { placement, branchHead } = await place('de:\n  a: C\n')
    expect(placement.onHead).toBe(true)
    expect(placement.parent.commitSha).toBe(branchHead!.commitSha)
    expect(placement.kept.map(commit => commit.message)).toEqual(['Fix German'])
  })

  it('a reviewer’s fix that Phrase would overwrite: stops, naming it', async () => {
    await ours()
    await gh.commitFiles(BRANCH, { [DE]: 'de:\n  a: Fixed\n' }, 'Fix German')
    await expect(place('de:\n  a: C\n')).rejects.toThrow(
      /^Stopped before updating branch phrase\/translations: .*[0-9a-f]{7} "Fix German" \(Other Actor\) changes config\/locales\/de\.yml\./
    )
  })
})
