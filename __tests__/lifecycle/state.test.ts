/**
 * What a run reads of the branch and its pull requests (state.ts) against the fake GitHub, and
 * what that costs in requests.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from '../support/fake-github.js'
import { sessionFor } from '../support/github-context.js'
import { markedMessage } from '../../src/github/branch-policy.js'
import { gitBlobSha } from '../../src/github/repository.js'
import { readState } from '../../src/lifecycle/state.js'

const BRANCH = 'phrase/translations'
const MESSAGE = 'chore(i18n): update translations from Phrase'
const DE = 'config/locales/de.yml'
const FR = 'config/locales/fr.yml'

let gh: FakeGitHub

beforeEach(async () => {
  gh = await FakeGitHub.start({
    memory: true,
    files: { 'README.md': '# app\n', [DE]: 'de:\n  a: A\n' }
  })
})

afterEach(async () => {
  await gh.stop()
})

/** The action's commit on main's head, as a run leaves it. */
async function ours(files: Record<string, string>, carried = new Map<string, string>()) {
  return gh.commitFiles(BRANCH, files, markedMessage(MESSAGE, 'main', carried))
}

async function openPull(): Promise<number> {
  const res = await fetch(`${gh.apiUrl}/repos/${gh.owner}/${gh.repo}/pulls`, {
    method: 'POST',
    headers: { Authorization: `token ${gh.token}` },
    body: JSON.stringify({ head: BRANCH, base: 'main', title: 'T' })
  })
  return ((await res.json()) as { number: number }).number
}

async function read(paths = [DE]) {
  const session = sessionFor(gh, paths)
  await session.early
  const context = await session.context
  const before = gh.requests().length
  const state = await readState(context, paths)
  const sent = gh
    .requests()
    .slice(before)
    .map(
      r => `${r.method} ${r.path.replace('/repos/octo/app', '').replace(/[0-9a-f]{40}/g, 'SHA')}`
    )
  return { state, sent }
}

describe('readState', () => {
  it('reads the base, the branch and its pull requests once: 4 requests after the early check', async () => {
    await ours({ [DE]: 'de:\n  a: B\n' })
    await openPull()
    const { state, sent } = await read()
    // The base's commit and tree were read while Phrase exported (objects never change).
    expect(sent.sort()).toEqual(
      [
        'GET /git/ref/heads/main',
        'GET /git/ref/heads/phrase/translations',
        'GET /pulls',
        'GET /compare/SHA...SHA'
      ].sort()
    )
    expect(state.open?.number).toBe(1)
    expect(state.ref).toMatchObject({ exists: true, unlisted: 0 })
    expect(state.ref?.history.ours).toHaveLength(1)
    expect(state.ref?.changed).toEqual(new Map([[DE, gitBlobSha(Buffer.from('de:\n  a: B\n'))]]))
    expect(state.ref?.head.parents).toEqual([state.base.head.commitSha])
  })

  it('the branch’s other files are looked up on the base while its PR is open, with their dates', async () => {
    await ours(
      { [DE]: 'de:\n  a: B\n', [FR]: 'fr:\n  a: B\n' },
      new Map([[FR, '2026-01-01T00:00:00Z']])
    )
    await openPull()
    const { state } = await read([DE])
    expect([...state.base.files.keys()].sort()).toEqual([DE])
    expect(state.ref?.written?.carried).toEqual(new Map([[FR, '2026-01-01T00:00:00Z']]))
    expect(state.ref?.written?.date).toMatch(/^\d{4}-\d\d-\d\dT/)
  })

  it('a reviewer’s commit: the files it touches, and whether the base has them', async () => {
    await ours({ [DE]: 'de:\n  a: B\n' })
    await gh.commitFiles(BRANCH, { 'docs/glossary.md': 'cart\n' }, 'Add glossary')
    const kept = (await read()).state.ref!
    expect(kept.history.others.map(commit => commit.message)).toEqual(['Add glossary'])
    expect(kept.others).toMatchObject({ landed: false })
    expect([...kept.others!.touched.keys()]).toEqual(['docs/glossary.md'])
    // The PR was squash-merged: main has both changes in one new commit.
    await gh.commitFiles('main', { [DE]: 'de:\n  a: B\n', 'docs/glossary.md': 'cart\n' }, 'Squash')
    expect((await read()).state.ref!.others).toMatchObject({ landed: true })
  })

  it('the branch deleted after a person closed its PR: the closed head stands in for it', async () => {
    const head = await ours({ [DE]: 'de:\n  a: B\n' })
    const number = await openPull()
    gh.closePull(number)
    await gh.deleteBranch(BRANCH)
    const { state } = await read()
    expect(state.lastClosed).toMatchObject({
      number,
      merged: false,
      byAction: false,
      headSha: head
    })
    expect(state.ref).toMatchObject({ exists: false, head: { commitSha: head } })
  })

  it('a missing base is named', async () => {
    const context = await sessionFor(gh, [DE], { pr: { base: 'release/9' } }).context
    await expect(readState(context, [DE])).rejects.toThrow(
      'Base branch "release/9" not found in octo/app'
    )
  })
})
