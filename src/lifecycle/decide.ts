/**
 * The next state of the branch and its pull request, from what the run read (state.ts), what it
 * plans and what Phrase sent: a pure function, so every rule is tested without GitHub.
 *
 * The wanted tree is the base plus, for every file the action manages on the branch, the latest
 * Phrase bytes: this run's planned files, and the branch's other action-written files carried
 * over. Then, in order:
 *
 * | wanted vs base | pull request                           | decision                                  |
 * | -------------- | -------------------------------------- | ----------------------------------------- |
 * | equal          | open                                   | close it (the branch: delete-branch)      |
 * | equal          | none                                   | nothing (a stale branch: delete-branch)   |
 * | differs        | none; a person closed one proposing it | nothing: their decision stands            |
 * | differs        | open, the branch already is the tree   | no commit; refresh the body and metadata  |
 * | differs        | otherwise                              | commit, move the branch (CAS), open or update the PR |
 *
 * Commits someone else added on top of the action's are kept: the new commit goes on the branch
 * head instead of the base head (replaying them onto the base through the API would be no
 * three-way merge, could undo base changes, and would drop their signatures). One that changes a
 * file this run writes differently stops the run; the branch with them is never closed.
 */
import type { BranchHead, RepoFile } from '../github/repository.js'
import {
  describeCommit,
  foreignCommitsError,
  type BranchCommit,
  type BranchHistory
} from '../github/branch-policy.js'
import type { ClosedPullRequest, PullRequestInfo } from '../github/pull-request.js'
import type { OthersOnBranch } from '../github/head-branch.js'

/**
 * The branch as the decision sees it. When the branch is gone but a person closed its pull
 * request, the closed pull request's head stands in for it (`exists` false): what it proposed
 * is what a new pull request is compared with.
 */
export interface Reference {
  exists: boolean
  head: BranchHead
  history: BranchHistory
  /** Commits compare did not list: counted as foreign. */
  unlisted: number
  /** Path → blob sha the branch changes since its merge base with the base (undefined: removed). */
  changed: Map<string, string | undefined>
  /** Commits someone else added on top of the action's, when there are any. */
  others?: OthersOnBranch
  /** The action's latest commit: its date, and the dates its trailers give carried files. */
  written?: { date?: string; carried: Map<string, string> }
}

export interface RepoState {
  base: { head: BranchHead; files: Map<string, RepoFile> }
  ref?: Reference
  open?: PullRequestInfo
  lastClosed?: ClosedPullRequest
}

/** One planned file of this run. */
export interface PlannedChange {
  path: string
  /** Blob sha of the download. */
  sha: string
  /** The download means something else than the base's file (or the base has none). */
  changed: boolean
}

export interface RunInput {
  files: PlannedChange[]
  /**
   * Planned paths whose bytes on the branch (or the closed pull request's head standing in for
   * it) mean what the download means: churn, kept while the branch counts.
   */
  sameAsBranch: Set<string>
}

export interface DecideOptions {
  base: string
  head: string
  deleteBranch: boolean
}

/** A file of the wanted tree. */
export interface WantedFile {
  path: string
  sha: string
  mode: '100644' | '100755'
  /** This run's download (its bytes go up); otherwise a blob the repository already has. */
  fromDownload: boolean
  /** Not part of this run: the date (ISO 8601) of the run that wrote these bytes, if known. */
  carriedFrom?: string
  /** Carried over from the branch (the date may be unknown). */
  carried: boolean
}

/** What the pull request proposes: the wanted files that differ from the base. */
export type Proposal = WantedFile & { added: boolean }

export type Decision =
  | {
      kind: 'none'
      proposals: Proposal[]
      /** A person closed this pull request, and it proposed the same: their decision stands. */
      standing?: ClosedPullRequest
      /** Delete the stale branch, expected at this commit (delete-branch). */
      deleteBranch?: string
    }
  | {
      kind: 'close'
      proposals: []
      pull: PullRequestInfo
      /** Where the branch was read: the close is based on that. */
      at?: string
      deleteBranch: boolean
    }
  | {
      kind: 'propose'
      proposals: Proposal[]
      /** Every managed path and what it must hold (the workflow-file fallback writes on the head). */
      wanted: Map<string, WantedFile>
      parent: BranchHead
      /** The commit goes on the branch head (commits by others are kept), not the base head. */
      onHead: boolean
      kept: BranchCommit[]
      /** Commits by others whose changes the base already has (a squash merge): dropped. */
      landed: BranchCommit[]
      writes: WantedFile[]
      /** The branch already is the wanted tree: no commit. */
      reuse: boolean
      /** Where the branch must still be for the move (undefined: it must not exist). */
      expected?: string
      open?: PullRequestInfo
      /** The pull request a person closed that this one follows (named in the body). */
      follows?: ClosedPullRequest
    }

/**
 * Whether the branch's own files count (carried over, kept as churn): while its pull request is
 * open, while it holds others' commits (it is built upon), when it never had a pull request, and
 * when it moved since its last pull request closed (a run wrote it; its PR is on the way). After a
 * merge, or once a pull request closed, the next run starts from the base.
 */
export function trustsBranch(state: Pick<RepoState, 'open' | 'lastClosed' | 'ref'>): boolean {
  const { open, lastClosed, ref } = state
  if (!ref?.exists) return false
  if (open || keepsOthers(ref) || !lastClosed) return true
  return ref.head.commitSha !== lastClosed.headSha
}

/** Commits someone else added that the base does not have: the branch is built upon. */
function keepsOthers(ref: Reference): boolean {
  return ref.exists && ref.others !== undefined && !ref.others.landed
}

/** Paths the action wrote on the branch (what it changes, less what others' commits touch). */
export function managedPaths(ref: Reference): string[] {
  return [...ref.changed]
    .filter(([path, sha]) => sha !== undefined && !ref.others?.touched.has(path))
    .map(([path]) => path)
}

export function decide(state: RepoState, run: RunInput, options: DecideOptions): Decision {
  const { base, ref, open, lastClosed } = state
  if (ref?.exists && (ref.history.foreign.length > 0 || ref.unlisted > 0))
    throw foreignCommitsError(options.head, options.base, ref.history, ref.unlisted)

  const wanted = wantedFiles(state, run)
  const proposals = [...wanted.values()]
    .filter(file => file.sha !== base.files.get(file.path)?.sha)
    .map(file => ({ ...file, added: !base.files.has(file.path) }))
  const placement = place(state, wanted, options)

  if (!placement.onHead && proposals.length === 0) {
    const at = ref?.exists ? ref.head.commitSha : undefined
    return open
      ? { kind: 'close', proposals: [], pull: open, at, deleteBranch: options.deleteBranch }
      : { kind: 'none', proposals, deleteBranch: options.deleteBranch ? at : undefined }
  }
  const personClosed = !open && lastClosed && !lastClosed.merged && !lastClosed.byAction
  if (personClosed && ref?.head.commitSha === lastClosed.headSha && within(proposals, ref, run))
    return { kind: 'none', proposals, standing: lastClosed }

  const writes = placement.onHead
    ? writesOnHead(state, wanted)
    : proposals.map(({ added: _, ...file }) => file)
  return {
    kind: 'propose',
    proposals,
    wanted,
    ...placement,
    writes,
    reuse: placement.onHead ? writes.length === 0 : isWanted(state, proposals),
    expected: ref?.exists ? ref.head.commitSha : undefined,
    open,
    follows: personClosed ? lastClosed : undefined
  }
}

/** This run's planned files, then the branch's other managed files (when the branch counts). */
function wantedFiles(state: RepoState, run: RunInput): Map<string, WantedFile> {
  const { base, ref } = state
  const trusted = trustsBranch(state)
  const mode = (path: string) =>
    base.files.get(path)?.mode === '100755' ? ('100755' as const) : ('100644' as const)
  const wanted = new Map<string, WantedFile>()
  for (const file of run.files) {
    const onBase = base.files.get(file.path)
    // Unchanged with no base file: Phrase exported nothing for it (a locale not translated yet).
    if (!file.changed && onBase === undefined) continue
    const own = trusted ? ref!.changed.get(file.path) : undefined
    const keep = own !== undefined && (own === file.sha || run.sameAsBranch.has(file.path))
    // Unchanged means: the base's bytes stay (a difference of churn only is no change).
    const useBase = !file.changed && onBase !== undefined
    wanted.set(file.path, {
      path: file.path,
      sha: useBase ? onBase.sha : keep ? own : file.sha,
      mode: mode(file.path),
      fromDownload: !useBase && !keep,
      carried: false
    })
  }
  if (!trusted) return wanted
  const planned = new Set(run.files.map(file => file.path))
  for (const path of managedPaths(ref!)) {
    if (planned.has(path)) continue
    wanted.set(path, {
      path,
      sha: ref!.changed.get(path)!,
      mode: mode(path),
      fromDownload: false,
      carried: true,
      carriedFrom: ref!.written?.carried.get(path) ?? ref!.written?.date
    })
  }
  return wanted
}

/** Where the commit goes: on the base head, or on the branch head to keep others' commits. */
function place(
  state: RepoState,
  wanted: Map<string, WantedFile>,
  options: DecideOptions
): { parent: BranchHead; onHead: boolean; kept: BranchCommit[]; landed: BranchCommit[] } {
  const { base, ref } = state
  const rebuild = { parent: base.head, onHead: false, kept: [], landed: [] }
  if (!ref?.exists || !ref.others) return rebuild
  const others = ref.history.others
  // Their changes are on the base already (the PR was squash-merged): rebuilding loses nothing.
  if (!keepsOthers(ref)) return { ...rebuild, landed: others }
  const conflicts = [...wanted.values()]
    .filter(file => ref.others!.touched.has(file.path))
    .filter(file => ref.others!.onBranch.get(file.path) !== file.sha)
    .map(file => file.path)
  if (conflicts.length > 0) throw humanChangesError(options.head, conflicts, ref.others)
  return { parent: ref.head, onHead: true, kept: others, landed: [] }
}

/**
 * What a commit on the branch head writes: every wanted file the branch does not hold yet.
 * A path the branch never changed holds (about) the base's file, so only a difference counts.
 */
export function writesOnHead(state: RepoState, wanted: Map<string, WantedFile>): WantedFile[] {
  const { base, ref } = state
  return [...wanted.values()].filter(file => {
    const held = ref?.changed.has(file.path)
      ? ref.changed.get(file.path)
      : base.files.get(file.path)?.sha
    return held !== file.sha
  })
}

/** The branch is the action's one commit on the base head with exactly these files. */
function isWanted(state: RepoState, proposals: Proposal[]): boolean {
  const { base, ref } = state
  if (!ref?.exists || ref.history.ours.length !== 1 || ref.history.others.length > 0) return false
  const { parents } = ref.head
  if (parents.length !== 1 || parents[0] !== base.head.commitSha) return false
  return (
    ref.changed.size === proposals.length &&
    proposals.every(file => ref.changed.get(file.path) === file.sha)
  )
}

/** Every proposed file is on the branch with this meaning: nothing new since it was proposed. */
function within(proposals: Proposal[], ref: Reference, run: RunInput): boolean {
  return proposals.every(
    file => ref.changed.get(file.path) === file.sha || run.sameAsBranch.has(file.path)
  )
}

function humanChangesError(head: string, conflicts: string[], others: OthersOnBranch): Error {
  const commits = new Map<string, { commit: BranchCommit; paths: string[] }>()
  for (const path of conflicts) {
    for (const commit of others.touched.get(path) ?? []) {
      const entry = commits.get(commit.sha) ?? { commit, paths: [] }
      entry.paths.push(path)
      commits.set(commit.sha, entry)
    }
  }
  const named = [...commits.values()]
    .map(({ commit, paths }) => `${describeCommit(commit)} changes ${paths.join(', ')}`)
    .join('; ')
  return new Error(
    `Stopped before updating branch ${head}: commits on it that Phrase Pull did not make change files this run would overwrite: ${named}. Nothing was changed. ` +
      `Move the fix into Phrase (the next run then finds the same text), merge or close the pull request, or delete the branch ${head} to drop the commit.`
  )
}
