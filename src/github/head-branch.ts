/**
 * What the head branch holds beyond the base, read through GitHub's compare: the commits it adds
 * (sorted by branch-policy.ts into the action's, someone else's on top, and foreign ones below),
 * the files it changes with their blob shas, and for commits someone else added, the files they
 * touch and whether the base already has them (a squash merge). What to do with that is decided
 * in lifecycle/decide.ts, without GitHub.
 */
import type { Repository } from './repository.js'
import type { BranchCommit } from './branch-policy.js'
import { describeFailure } from './errors.js'
import type { GitHubClient } from './octokit.js'

/** What compare says about the head branch against the base. */
export interface AheadOfBase {
  commits: BranchCommit[]
  /** Commits GitHub did not list (compare lists 250). */
  unlisted: number
  /** Blob sha per path the branch changes since the merge base; undefined when GitHub cut the list. */
  changed: Map<string, string | undefined> | undefined
  /** The tree of the merge base: where the branch's changes start. */
  mergeBaseTree: string
}

/** Commits someone else added on top of the action's: what they touch, and whether the base has it. */
export interface OthersOnBranch {
  /** Path → the commits that change it (both names of a rename). */
  touched: Map<string, BranchCommit[]>
  /** Blob sha on the branch head of each touched path (undefined: no file there). */
  onBranch: Map<string, string | undefined>
  /** The base already has every touched path as the branch has it (the PR was squash-merged). */
  landed: boolean
}

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
    author: commit.author?.login ?? commit.commit.author?.name ?? 'unknown',
    date: commit.commit.committer?.date,
    tree: commit.commit.tree.sha
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
          ),
    mergeBaseTree: data.merge_base_commit.commit.tree.sha
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

/** The paths each commit changes, and whether the base already has all of them as on the branch. */
export async function othersOnBase(
  where: Where,
  baseTree: string,
  branchTree: string,
  others: BranchCommit[]
): Promise<OthersOnBranch> {
  const touched = new Map<string, BranchCommit[]>()
  const lists = await Promise.all(
    others.map(commit => (commit.parents.length === 0 ? [] : touchedPaths(where, commit)))
  )
  others.forEach((commit, i) => {
    for (const path of lists[i]) touched.set(path, [...(touched.get(path) ?? []), commit])
  })
  const paths = [...touched.keys()]
  const [onBase, onBranch] = await Promise.all([
    where.repository.blobShas(baseTree, paths),
    where.repository.blobShas(branchTree, paths)
  ])
  const landed = paths.every(path => onBase.get(path) === onBranch.get(path))
  return { touched, onBranch, landed }
}
