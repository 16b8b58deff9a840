/**
 * Where the next commit goes on the head branch. Normally the branch is rebuilt: one commit on the
 * latest base head. Commits that Phrase Pull did not make change that:
 * - below the action's commits (another base's history): the run refuses (branch-policy.ts);
 * - on top of them (a reviewer's fix) and touching no file this run changes: they are kept and the
 *   new commit goes on top of the branch as it is. Replaying them onto the new base through the
 *   API would not be a three-way merge (it could undo base changes) and would drop signatures;
 * - on top of them and touching a file this run would change: the run stops and names them.
 */
import type { BranchHead, Repository } from './repository.js'
import {
  classifyHistory,
  describeCommit,
  foreignCommitsError,
  markedBase,
  type BranchCommit
} from './branch-policy.js'
import { describeFailure } from './errors.js'
import type { GitHubClient } from './octokit.js'

/** What compare says about the head branch against the base. */
export interface AheadOfBase {
  commits: BranchCommit[]
  /** Commits GitHub did not list (compare lists 250). */
  unlisted: number
  /** Blob sha per path the branch changes since the merge base; undefined when GitHub cut the list. */
  changed: Map<string, string | undefined> | undefined
}

export interface Placement {
  parent: BranchHead
  /** True: the commit goes on the branch head instead of the base head. */
  onHead: boolean
  /** Commits not made by the action that stay on the branch. */
  kept: BranchCommit[]
  /** Commits not made by the action whose changes the base already has (a squash merge): dropped. */
  landed: BranchCommit[]
}

/** What this run would put at each planned path: the blob sha of its bytes. */
export type Targets = Map<string, string>

export interface Where {
  client: GitHubClient
  repository: Repository
  owner: string
  repo: string
  base: string
  head: string
  /** The commit-message input: recognises the action's commits made before the trailer. */
  legacyMessage: string
}

/** GitHub cuts the compare file list at 300. */
const COMPARE_FILE_LIMIT = 300

type Comparison = Awaited<
  ReturnType<GitHubClient['rest']['repos']['compareCommitsWithBasehead']>
>['data']

/** GitHub's compare of `from...to`: the commits `to` adds and the files it changes since their merge base. */
async function compare(where: Where, from: string, to: string, what: string): Promise<Comparison> {
  try {
    const { data } = await where.client.rest.repos.compareCommitsWithBasehead({
      owner: where.owner,
      repo: where.repo,
      basehead: `${from}...${to}`
    })
    return data
  } catch (error) {
    throw describeFailure(error, `${what} in ${where.owner}/${where.repo}`)
  }
}

export async function readAhead(
  where: Where,
  baseSha: string,
  headSha: string
): Promise<AheadOfBase> {
  const data = await compare(where, baseSha, headSha, `compare ${where.head} with ${where.base}`)
  const commits = data.commits.map(commit => ({
    sha: commit.sha,
    parents: commit.parents.map(parent => parent.sha),
    message: commit.commit.message,
    author: commit.author?.login ?? commit.commit.author?.name ?? 'unknown'
  }))
  const files = data.files ?? []
  return {
    commits,
    unlisted: Math.max(0, data.total_commits - commits.length),
    changed:
      files.length >= COMPARE_FILE_LIMIT
        ? undefined
        : new Map(
            files.map(file => [
              file.filename,
              file.status === 'removed' ? undefined : (file.sha ?? undefined)
            ])
          )
  }
}

/** Paths a commit changes (both names of a rename). */
async function touchedPaths(where: Where, commit: BranchCommit): Promise<string[]> {
  const what = `read commit ${commit.sha.slice(0, 7)} of ${where.head}`
  const data = await compare(where, commit.parents[0], commit.sha, what)
  return (data.files ?? []).flatMap(file =>
    file.previous_filename ? [file.filename, file.previous_filename] : [file.filename]
  )
}

/**
 * Whether moving the branch from `from` to `to` changes files under `.github/workflows/`: the
 * change GitHub refuses without the workflows permission. A cut file list counts as yes.
 */
export async function changesWorkflowFiles(
  where: Where,
  from: string,
  to: string
): Promise<boolean> {
  const what = `compare ${from.slice(0, 7)} with ${to.slice(0, 7)}`
  const files = (await compare(where, from, to, what)).files ?? []
  return (
    files.length >= COMPARE_FILE_LIMIT ||
    files.some(file =>
      [file.filename, file.previous_filename].some(name => name?.startsWith('.github/workflows/'))
    )
  )
}

/**
 * Decides the parent of the next commit. `targets`: the blob sha this run would write at each
 * planned path. Reads nothing when the branch is one marked commit on the current base head.
 */
export async function placeCommit(
  where: Where,
  baseHead: BranchHead,
  branchHead: BranchHead | undefined,
  targets: Targets,
  ahead: () => Promise<AheadOfBase>
): Promise<Placement> {
  const rebuild: Placement = { parent: baseHead, onHead: false, kept: [], landed: [] }
  if (!branchHead) return rebuild
  const fresh =
    markedBase(branchHead.message ?? '') === where.base &&
    branchHead.parents.length === 1 &&
    branchHead.parents[0] === baseHead.commitSha
  if (fresh) return rebuild

  const listed = await ahead()
  const history = classifyHistory(listed.commits, where.base, where.legacyMessage)
  if (history.foreign.length > 0 || listed.unlisted > 0)
    throw foreignCommitsError(where.head, where.base, history, listed.unlisted)
  if (history.others.length === 0) return rebuild

  const { touched, onBranch, landed } = await othersOnBase(
    where,
    baseHead,
    branchHead,
    history.others
  )
  // Their changes are on the base already (the PR was squash-merged): rebuilding loses nothing.
  if (landed) return { ...rebuild, landed: history.others }
  const mine = [...touched.keys()].filter(path => targets.has(path))
  const conflicts = mine.filter(path => onBranch.get(path) !== targets.get(path))
  if (conflicts.length > 0) throw humanChangesError(where, conflicts, touched)
  return { parent: branchHead, onHead: true, kept: history.others, landed: [] }
}

/**
 * Commits on the head branch that Phrase Pull did not make and that the base does not have yet
 * (closing the PR and deleting the branch would throw them away).
 */
export async function unmergedWork(
  where: Where,
  baseHead: BranchHead,
  branchHead: BranchHead
): Promise<BranchCommit[]> {
  const listed = await readAhead(where, baseHead.commitSha, branchHead.commitSha)
  const history = classifyHistory(listed.commits, where.base, where.legacyMessage)
  if (history.others.length > 0) {
    const { landed } = await othersOnBase(where, baseHead, branchHead, history.others)
    if (landed) history.others = []
  }
  return [...history.foreign, ...history.others]
}

/** The paths each commit changes, and whether the base already has all of them as on the branch. */
async function othersOnBase(
  where: Where,
  baseHead: BranchHead,
  branchHead: BranchHead,
  others: BranchCommit[]
): Promise<{
  touched: Map<string, BranchCommit[]>
  onBranch: Map<string, string | undefined>
  landed: boolean
}> {
  const touched = new Map<string, BranchCommit[]>()
  const lists = await Promise.all(
    others.map(commit => (commit.parents.length === 0 ? [] : touchedPaths(where, commit)))
  )
  others.forEach((commit, i) => {
    for (const path of lists[i]) touched.set(path, [...(touched.get(path) ?? []), commit])
  })
  const paths = [...touched.keys()]
  const [onBase, onBranch] = await Promise.all([
    where.repository.blobShas(baseHead.treeSha, paths),
    where.repository.blobShas(branchHead.treeSha, paths)
  ])
  const landed = paths.every(path => onBase.get(path) === onBranch.get(path))
  return { touched, onBranch, landed }
}

function humanChangesError(
  where: Where,
  conflicts: string[],
  touched: Map<string, BranchCommit[]>
): Error {
  const commits = new Map<string, { commit: BranchCommit; paths: string[] }>()
  for (const path of conflicts) {
    for (const commit of touched.get(path) ?? []) {
      const entry = commits.get(commit.sha) ?? { commit, paths: [] }
      entry.paths.push(path)
      commits.set(commit.sha, entry)
    }
  }
  const named = [...commits.values()]
    .map(({ commit, paths }) => `${describeCommit(commit)} changes ${paths.join(', ')}`)
    .join('; ')
  return new Error(
    `Stopped before updating branch ${where.head}: commits on it that Phrase Pull did not make change files this run would overwrite: ${named}. Nothing was changed. ` +
      `Move the fix into Phrase (the next run then finds the same text), merge or close the pull request, or delete the branch ${where.head} to drop the commit.`
  )
}

/**
 * Planned paths whose version on the branch is not what this run wants, when the commit goes on
 * the branch head: files the branch changed earlier that now equal the base again go back to
 * the base's version. Without compare's file list, every planned path is set.
 */
export function pathsToReset(
  planned: string[],
  written: Set<string>,
  ahead: AheadOfBase
): string[] {
  const unchanged = planned.filter(path => !written.has(path))
  const changed = ahead.changed
  return changed ? unchanged.filter(path => changed.has(path)) : unchanged
}
