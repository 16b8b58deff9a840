/**
 * Reads, once per attempt, what the decision needs: the base head and its entries at the paths
 * that matter, the head branch with its history and the files it changes, the open pull request
 * and the last closed one. File contents are read separately, through `readContents` only.
 */
import { classifyHistory, carriedDates } from '../github/branch-policy.js'
import { othersOnBase, readAhead } from '../github/head-branch.js'
import { readPullRequests } from '../github/pull-request.js'
import type { BranchHead, RepoFile } from '../github/repository.js'
import { missingBase, whereOf, type Context } from '../github-session.js'
import { managedPaths, trustsBranch, type Reference, type RepoState } from './decide.js'

/** Reads the state for a run that plans `paths`. */
export async function readState(context: Context, paths: string[]): Promise<RepoState> {
  const { repo, pr } = context
  const [baseHead, branchSha, pulls] = await Promise.all([
    repo.branchHead(context.base),
    repo.refSha(pr.branch),
    readPullRequests(context.client, context.owner, context.name, pr.branch, context.base)
  ])
  if (!baseHead) throw missingBase(context)
  const closed = pulls.lastClosed
  const standIn = !pulls.open && closed && !closed.merged && !closed.byAction
  const refSha = branchSha ?? (standIn ? closed.headSha : undefined)
  const ref = refSha ? await readReference(context, baseHead, refSha, !!branchSha) : undefined
  const state = { ...pulls, ref }
  // The branch's own files are written back only when it counts: only then are they looked up
  // (and refused if the base now has a link or a directory in their way).
  const carried = ref && trustsBranch(state) ? managedPaths(ref) : []
  const files = await repo.findFiles(baseHead.treeSha, [...new Set([...paths, ...carried])])
  return { base: { head: baseHead, files }, ...state }
}

async function readReference(
  context: Context,
  baseHead: BranchHead,
  sha: string,
  exists: boolean
): Promise<Reference> {
  const where = whereOf(context)
  const ahead = await readAhead(where, baseHead.commitSha, sha)
  // Compare lists the head commit with its tree, unless the base already has it.
  const listed = ahead.commits.find(commit => commit.sha === sha)
  const head: BranchHead = listed?.tree
    ? { commitSha: sha, treeSha: listed.tree, parents: listed.parents, message: listed.message }
    : await context.repo.commitAt(sha, context.pr.branch)
  const history = classifyHistory(ahead.commits, context.base, context.pr.commitMessage)
  const clean = history.foreign.length === 0 && ahead.unlisted === 0
  const others =
    clean && history.others.length > 0
      ? await othersOnBase(where, baseHead.treeSha, head.treeSha, history.others)
      : undefined
  const changed = ahead.changed ?? (await context.repo.diffTrees(ahead.mergeBaseTree, head.treeSha))
  const latest = history.ours[history.ours.length - 1]
  return {
    exists,
    head,
    history,
    unlisted: ahead.unlisted,
    changed,
    others,
    written: latest && { date: latest.date, carried: carriedDates(latest.message) }
  }
}

/**
 * The bytes of `entries` (blob sha and path), by path: the one place the GitHub half reads file
 * contents, from the checkout where it matches, else many per request (file-contents.ts).
 */
export async function readContents(
  context: Context,
  entries: RepoFile[]
): Promise<Map<string, Buffer>> {
  const read = await context.contents.withContent(entries)
  return new Map([...read].map(([path, file]) => [path, file.content!]))
}
