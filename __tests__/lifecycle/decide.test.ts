/**
 * The decision without GitHub: each row of the situation → action table (docs/pull-requests.md),
 * from hand-made states. Shas are short names; only equality matters to the decision.
 */
import { describe, expect, it } from '@jest/globals'
import {
  decide,
  type Decision,
  type PlannedChange,
  type Reference,
  type RepoState
} from '../../src/lifecycle/decide.js'
import type { BranchCommit } from '../../src/github/branch-policy.js'
import type { ClosedPullRequest, PullRequestInfo } from '../../src/github/pull-request.js'

const DE = 'config/locales/de.yml'
const FR = 'config/locales/fr.yml'
const BASE = { commitSha: 'base2', treeSha: 'tree-base2', parents: ['base1'] }
const OPTIONS = { base: 'main', head: 'phrase/translations', deleteBranch: false }

const ours = (sha: string, date = '2026-01-01T02:00:00Z', trailers = ''): BranchCommit => ({
  sha,
  parents: ['base1'],
  message: `Update translations\n\nPhrase-Pull: base=main${trailers}\n`,
  author: 'github-actions[bot]',
  date
})

/** The action's branch: one commit `br1` changing `changed`, on `parent`. */
function branch(
  changed: Record<string, string>,
  extra: Partial<Reference> & { parent?: string } = {}
): Reference {
  const commit = ours('br1')
  return {
    exists: true,
    head: { commitSha: 'br1', treeSha: 'tree-br1', parents: [extra.parent ?? 'base1'] },
    history: { ours: [commit], others: [], foreign: [], otherBases: [] },
    unlisted: 0,
    changed: new Map(Object.entries(changed)),
    written: { date: commit.date, carried: new Map() },
    ...extra
  }
}

const OPEN: PullRequestInfo = { number: 7, url: 'u7', title: 't', body: '', draft: false }

function state(parts: {
  base?: Record<string, string>
  ref?: Reference
  open?: PullRequestInfo
  lastClosed?: ClosedPullRequest
}): RepoState {
  const files = new Map(
    Object.entries(parts.base ?? { [DE]: 'de-base', [FR]: 'fr-base' }).map(([path, sha]) => [
      path,
      { path, sha, mode: '100644' }
    ])
  )
  return {
    base: { head: BASE, files },
    ref: parts.ref,
    open: parts.open,
    lastClosed: parts.lastClosed
  }
}

function run(files: PlannedChange[], sameAsBranch: string[] = []) {
  return { files, sameAsBranch: new Set(sameAsBranch) }
}

const unchanged = (path: string, sha: string): PlannedChange => ({ path, sha, changed: false })
const changed = (path: string, sha: string): PlannedChange => ({ path, sha, changed: true })

function proposals(decision: Decision): Record<string, string> {
  return Object.fromEntries(decision.proposals.map(file => [file.path, file.sha]))
}

describe('nothing left to propose', () => {
  it('an open PR whose text Phrase reverted is closed; the branch stays without delete-branch', () => {
    const decision = decide(
      state({ ref: branch({ [DE]: 'de-servus' }), open: OPEN }),
      run([unchanged(DE, 'de-base-churn')]),
      OPTIONS
    )
    expect(decision).toEqual({
      kind: 'close',
      proposals: [],
      pull: OPEN,
      at: 'br1',
      deleteBranch: false
    })
  })

  it('with delete-branch the branch goes too, expected where it was read', () => {
    const decision = decide(
      state({ ref: branch({ [DE]: 'de-servus' }), open: OPEN }),
      run([unchanged(DE, 'de-base')]),
      { ...OPTIONS, deleteBranch: true }
    )
    expect(decision).toMatchObject({ kind: 'close', at: 'br1', deleteBranch: true })
  })

  it('no PR: nothing; a stale branch goes only with delete-branch', () => {
    const stale = state({ ref: branch({ [DE]: 'de-old' }) })
    expect(decide(stale, run([unchanged(DE, 'de-base')]), OPTIONS)).toMatchObject({
      kind: 'none',
      deleteBranch: undefined
    })
    expect(
      decide(stale, run([unchanged(DE, 'de-base')]), { ...OPTIONS, deleteBranch: true })
    ).toMatchObject({ kind: 'none', deleteBranch: 'br1' })
  })
})

describe('a person’s decision', () => {
  const closed = (headSha: string, more: Partial<ClosedPullRequest> = {}): ClosedPullRequest => ({
    number: 5,
    url: 'u5',
    headSha,
    merged: false,
    byAction: false,
    ...more
  })

  it('a PR a person closed stands while Phrase still has what it proposed', () => {
    const decision = decide(
      state({ ref: branch({ [DE]: 'de-new' }), lastClosed: closed('br1') }),
      run([changed(DE, 'de-new')]),
      OPTIONS
    )
    expect(decision).toMatchObject({ kind: 'none', standing: { number: 5 } })
    expect(proposals(decision)).toEqual({ [DE]: 'de-new' })
  })

  it('once Phrase changes, a new PR opens and names the closed one', () => {
    const decision = decide(
      state({ ref: branch({ [DE]: 'de-new' }), lastClosed: closed('br1') }),
      run([changed(DE, 'de-newer')]),
      OPTIONS
    )
    expect(decision).toMatchObject({ kind: 'propose', follows: { number: 5 }, expected: 'br1' })
    expect(proposals(decision)).toEqual({ [DE]: 'de-newer' })
  })

  it('the branch deleted with it: the closed head stands in, and a new PR creates the branch', () => {
    const gone = { ...branch({ [DE]: 'de-new' }), exists: false }
    expect(
      decide(state({ ref: gone, lastClosed: closed('br1') }), run([changed(DE, 'de-new')]), OPTIONS)
    ).toMatchObject({ kind: 'none', standing: { number: 5 } })
    expect(
      decide(state({ ref: gone, lastClosed: closed('br1') }), run([changed(DE, 'x')]), OPTIONS)
    ).toMatchObject({ kind: 'propose', expected: undefined, reuse: false })
  })

  it('after a merge the next run starts from the base: nothing carried from the old branch', () => {
    const decision = decide(
      state({
        ref: branch({ [DE]: 'de-merged', [FR]: 'fr-merged' }),
        lastClosed: closed('br1', { merged: true })
      }),
      run([changed(DE, 'de-next')]),
      OPTIONS
    )
    expect(decision).toMatchObject({ kind: 'propose', follows: undefined })
    expect(proposals(decision)).toEqual({ [DE]: 'de-next' })
  })

  it('a PR the action closed (nothing was left) does not count as a person’s decision', () => {
    const decision = decide(
      state({ ref: branch({ [DE]: 'de-new' }), lastClosed: closed('br1', { byAction: true }) }),
      run([changed(DE, 'de-new')]),
      OPTIONS
    )
    expect(decision).toMatchObject({ kind: 'propose', follows: undefined })
  })
})

describe('whether the branch’s own files count', () => {
  const other = (closed: Partial<ClosedPullRequest>): ClosedPullRequest => ({
    number: 5,
    url: 'u5',
    headSha: 'br1',
    merged: false,
    byAction: true,
    ...closed
  })
  const carried = (parts: Parameters<typeof state>[0]) =>
    proposals(decide(state(parts), run([changed(DE, 'de-2')]), OPTIONS))

  it('yes while its PR is open, and when it never had one (a run’s PR is on its way)', () => {
    const ref = branch({ [DE]: 'de-1', [FR]: 'fr-1' })
    expect(carried({ ref, open: OPEN })).toEqual({ [DE]: 'de-2', [FR]: 'fr-1' })
    expect(carried({ ref })).toEqual({ [DE]: 'de-2', [FR]: 'fr-1' })
  })

  it('no once its PR closed or merged, unless a run wrote the branch since', () => {
    const ref = branch({ [DE]: 'de-1', [FR]: 'fr-1' })
    expect(carried({ ref, lastClosed: other({}) })).toEqual({ [DE]: 'de-2' })
    expect(carried({ ref, lastClosed: other({ merged: true, byAction: false }) })).toEqual({
      [DE]: 'de-2'
    })
    expect(carried({ ref, lastClosed: other({ headSha: 'older' }) })).toEqual({
      [DE]: 'de-2',
      [FR]: 'fr-1'
    })
  })
})

describe('what the PR proposes', () => {
  it('a narrower run keeps the branch’s other files, with the date they were written', () => {
    const ref = branch(
      { [DE]: 'de-1', [FR]: 'fr-1', 'web/it.json': 'it-1' },
      {
        written: {
          date: '2026-02-02T02:00:00Z',
          carried: new Map([['web/it.json', '2026-01-01T02:00:00Z']])
        }
      }
    )
    const decision = decide(state({ ref, open: OPEN }), run([changed(DE, 'de-2')]), OPTIONS)
    expect(decision.kind).toBe('propose')
    expect(decision.proposals).toEqual([
      expect.objectContaining({ path: DE, sha: 'de-2', fromDownload: true, carried: false }),
      expect.objectContaining({
        path: FR,
        sha: 'fr-1',
        carried: true,
        carriedFrom: '2026-02-02T02:00:00Z'
      }),
      expect.objectContaining({
        path: 'web/it.json',
        sha: 'it-1',
        carried: true,
        carriedFrom: '2026-01-01T02:00:00Z',
        added: true
      })
    ])
  })

  it('a carried file the base caught up with is no longer proposed', () => {
    const decision = decide(
      state({ ref: branch({ [DE]: 'de-1', [FR]: 'fr-base' }), open: OPEN }),
      run([changed(DE, 'de-2')]),
      OPTIONS
    )
    expect(proposals(decision)).toEqual({ [DE]: 'de-2' })
  })

  it('churn only: the branch keeps its bytes, and on the current base no commit is made', () => {
    const decision = decide(
      state({ ref: branch({ [DE]: 'de-1' }, { parent: 'base2' }), open: OPEN }),
      run([changed(DE, 'de-1-new-date')], [DE]),
      OPTIONS
    )
    expect(decision).toMatchObject({ kind: 'propose', reuse: true })
    expect(decision.proposals).toEqual([
      expect.objectContaining({ sha: 'de-1', fromDownload: false })
    ])
  })

  it('the same files on an older base: a new commit on the base head', () => {
    const decision = decide(
      state({ ref: branch({ [DE]: 'de-1' }), open: OPEN }),
      run([changed(DE, 'de-1')]),
      OPTIONS
    )
    expect(decision).toMatchObject({
      kind: 'propose',
      reuse: false,
      onHead: false,
      expected: 'br1'
    })
    expect(decision.kind === 'propose' && decision.parent).toBe(BASE)
  })
})

describe('commits the action did not make', () => {
  const reviewer: BranchCommit = {
    sha: 'theirs',
    parents: ['br1'],
    message: 'Add glossary',
    author: 'alice'
  }
  const withReviewer = (touched: Record<string, string>, landed = false): Reference => ({
    ...branch({ [DE]: 'de-1', ...touched }),
    head: { commitSha: 'theirs', treeSha: 'tree-theirs', parents: ['br1'] },
    history: { ours: [ours('br1')], others: [reviewer], foreign: [], otherBases: [] },
    others: {
      touched: new Map(Object.keys(touched).map(path => [path, [reviewer]])),
      onBranch: new Map(Object.entries(touched)),
      landed
    }
  })

  it('a reviewer’s commit on other files is kept: the commit goes on the branch head', () => {
    const decision = decide(
      state({ ref: withReviewer({ 'docs/glossary.md': 'g' }), open: OPEN }),
      run([changed(DE, 'de-2')]),
      OPTIONS
    )
    expect(decision).toMatchObject({ kind: 'propose', onHead: true, kept: [reviewer] })
    expect(decision.kind === 'propose' && decision.writes.map(file => file.path)).toEqual([DE])
  })

  it('the PR stays open while it holds their work, even when no translation is left', () => {
    const decision = decide(
      state({ ref: withReviewer({ 'docs/glossary.md': 'g' }), open: OPEN }),
      run([unchanged(DE, 'de-base')]),
      { ...OPTIONS, deleteBranch: true }
    )
    expect(decision).toMatchObject({ kind: 'propose', onHead: true, proposals: [] })
    // The branch's German goes back to the base's.
    expect(decision.kind === 'propose' && decision.writes).toEqual([
      expect.objectContaining({ path: DE, sha: 'de-base' })
    ])
  })

  it('their fix of a file this run writes stops the run, naming the commit', () => {
    expect(() =>
      decide(
        state({ ref: withReviewer({ [FR]: 'fr-fixed' }), open: OPEN }),
        run([changed(FR, 'fr-phrase')]),
        OPTIONS
      )
    ).toThrow(
      /^Stopped before updating branch phrase\/translations: .*"Add glossary" \(alice\) changes config\/locales\/fr\.yml/
    )
  })

  it('squash-merged (the base has their change): rebuilt on the base without them', () => {
    const decision = decide(
      state({ ref: withReviewer({ 'docs/glossary.md': 'g' }, true), open: OPEN }),
      run([changed(DE, 'de-2')]),
      OPTIONS
    )
    expect(decision).toMatchObject({ kind: 'propose', onHead: false, landed: [reviewer] })
  })

  it('another base’s commits below the action’s: refused', () => {
    const foreign = { ...reviewer, sha: 'wip', message: 'WIP' }
    const ref = {
      ...branch({ [DE]: 'de-1' }),
      history: { ours: [ours('br1')], others: [], foreign: [foreign], otherBases: ['feature/wip'] }
    }
    expect(() => decide(state({ ref }), run([changed(DE, 'de-2')]), OPTIONS)).toThrow(
      /^Refusing to update branch phrase\/translations: it carries 1 commit\(s\)/
    )
  })
})
