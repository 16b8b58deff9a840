import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  classifyHistory,
  foreignCommitsError,
  headBranchFor,
  markedBase,
  markedMessage,
  type BranchCommit
} from '../../src/github/branch-policy.js'

describe('headBranchFor', () => {
  it.each([
    ['phrase/translations', 'main', 'main', 'phrase/translations'],
    ['phrase/translations', 'feature/wip', 'main', 'phrase/translations--feature/wip'],
    ['i18n', 'release/2.x', 'develop', 'i18n--release/2.x'],
    ['i18n', 'develop', 'develop', 'i18n']
  ])('%s for base %s (default %s) is %s', (branch, base, defaultBranch, head) => {
    expect(headBranchFor(branch, base, defaultBranch)).toBe(head)
  })

  it('heads of coexisting bases coexist as refs next to the default head', () => {
    // git refuses a/b next to a/b/c; check the names git itself would create together.
    const heads = ['main', 'feature/wip', 'feature/other', 'release-1'].map(base =>
      headBranchFor('phrase/translations', base, 'main')
    )
    const dir = mkdtempSync(path.join(os.tmpdir(), 'heads-'))
    execFileSync('git', ['init', '-q', '--bare', dir])
    const tree = execFileSync('git', ['--git-dir', dir, 'mktree'], { input: '' }).toString().trim()
    const commit = execFileSync('git', ['--git-dir', dir, 'commit-tree', tree, '-m', 'x'], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'a',
        GIT_AUTHOR_EMAIL: 'a@b',
        GIT_COMMITTER_NAME: 'a',
        GIT_COMMITTER_EMAIL: 'a@b'
      }
    })
      .toString()
      .trim()
    for (const head of heads)
      execFileSync('git', ['--git-dir', dir, 'update-ref', `refs/heads/${head}`, commit])
    const refs = execFileSync('git', ['--git-dir', dir, 'for-each-ref', '--format=%(refname)'])
      .toString()
      .trim()
      .split('\n')
    rmSync(dir, { recursive: true, force: true })
    expect(refs.sort()).toEqual(heads.map(head => `refs/heads/${head}`).sort())
  })
})

describe('the trailer on the action’s commits', () => {
  it.each([
    [
      'chore(i18n): update translations from Phrase',
      'chore(i18n): update translations from Phrase\n\nPhrase-Pull: base=main\n'
    ],
    ['Update\n\nLong body text.\n', 'Update\n\nLong body text.\n\nPhrase-Pull: base=main\n'],
    // The user's own trailers stay trailers: ours joins their paragraph.
    [
      'Update\n\nSigned-off-by: A <a@b>',
      'Update\n\nSigned-off-by: A <a@b>\nPhrase-Pull: base=main\n'
    ],
    [
      'Update\r\n\r\nCo-authored-by: B <b@c>\r\n',
      'Update\n\nCo-authored-by: B <b@c>\nPhrase-Pull: base=main\n'
    ]
  ])('%j is marked as %j', (message, marked) => {
    expect(markedMessage(message, 'main')).toBe(marked)
    expect(markedBase(marked)).toBe('main')
  })

  it('git reads it as a trailer', () => {
    const marked = markedMessage('Update\n\nSigned-off-by: A <a@b>', 'feature/wip')
    const parsed = execFileSync('git', ['interpret-trailers', '--parse'], { input: marked })
    expect(parsed.toString()).toBe('Signed-off-by: A <a@b>\nPhrase-Pull: base=feature/wip\n')
  })

  it.each([
    'Fix typo',
    'Fix typo\n\nSee the Phrase-Pull: base=main note above.',
    'Phrase-Pull: base=main', // a subject line is no trailer
    'Fix\n\nPhrase-Pull: base=main\n\nMore text after it.'
  ])('a message without the trailer in its last paragraph is not ours: %j', message => {
    expect(markedBase(message)).toBeUndefined()
  })
})

describe('classifyHistory', () => {
  const LEGACY = 'chore(i18n): update translations from Phrase'
  let next = 0
  const commit = (message: string, parents: string[], author = 'alice'): BranchCommit => ({
    sha: `${(++next).toString(16).padStart(7, '0')}${'0'.repeat(33)}`,
    parents,
    message,
    author
  })
  const ours = (parent: string, base = 'main') =>
    commit(markedMessage(LEGACY, base), [parent], 'github-actions[bot]')
  const BASE = 'b'.repeat(40)

  it('one marked commit on the base: ours, nothing else', () => {
    const a = ours(BASE)
    expect(classifyHistory([a], 'main', LEGACY)).toEqual({
      ours: [a],
      others: [],
      foreign: [],
      otherBases: []
    })
  })

  it('a reviewer’s fix on top of ours is another author’s commit, not foreign', () => {
    const a = ours(BASE)
    const fix = commit('Fix typo', [a.sha])
    const fix2 = commit('Fix more', [fix.sha], 'bob')
    const history = classifyHistory([a, fix, fix2], 'main', LEGACY)
    expect(history.others).toEqual([fix, fix2])
    expect(history.foreign).toEqual([])
  })

  it('commits below ours are another base’s history', () => {
    const wip = commit('WIP: half done', [BASE], 'carol')
    const a = ours(wip.sha, 'feature/wip')
    const history = classifyHistory([wip, a], 'main', LEGACY)
    expect(history.foreign).toEqual([wip])
    expect(history.otherBases).toEqual(['feature/wip'])
    expect(foreignCommitsError('phrase/translations', 'main', history, 0).message).toMatch(
      /^Refusing to update branch phrase\/translations: it carries 1 commit\(s\) that main does not have and Phrase Pull did not make: [0-9a-f]{7} "WIP: half done" \(carol\)\. An earlier run built it for feature\/wip\. .*Delete the branch phrase\/translations/
    )
  })

  it('an unmarked commit with the configured message is an earlier version’s commit', () => {
    const legacy = commit(LEGACY, [BASE], 'github-actions[bot]')
    const fix = commit('Fix typo', [legacy.sha])
    expect(classifyHistory([legacy, fix], 'main', LEGACY)).toMatchObject({
      ours: [legacy],
      others: [fix],
      foreign: []
    })
  })

  it('a merge of the base into the branch ("Update branch") counts as nothing', () => {
    const a = ours(BASE)
    const merge = commit(`Merge branch 'main' into phrase/translations`, [a.sha, 'c'.repeat(40)])
    expect(classifyHistory([a, merge], 'main', LEGACY)).toMatchObject({
      ours: [a],
      others: [],
      foreign: []
    })
  })

  it('a merge of a branch the base lacks is foreign below ours and another author’s above', () => {
    const wip = commit('WIP', [BASE], 'carol')
    const a = ours(BASE)
    const merge = commit('Merge wip', [a.sha, wip.sha])
    const history = classifyHistory([wip, a, merge], 'main', LEGACY)
    expect(history.foreign).toEqual([wip])
    expect(history.others).toEqual([merge])
  })
})
