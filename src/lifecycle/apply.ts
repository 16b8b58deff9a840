/**
 * Carries out a decision (decide.ts) on GitHub: the commit, the branch move, the pull request and
 * its metadata. Every ref write is a compare-and-swap against what the run read, and a failure
 * puts back only what still points at this run's commit.
 */
import path from 'node:path'
import { markedMessage, describeCommit, type BranchCommit } from '../github/branch-policy.js'
import { changesWorkflowFiles } from '../github/head-branch.js'
import {
  closePullRequest,
  composeBody,
  createPullRequest,
  ensurePullRequestMetadata,
  inputsHash,
  planPullRequestUpdate,
  readPullRequests,
  updatePullRequest,
  type ClosedPullRequest,
  type GeneratedSection,
  type PullRequestInfo
} from '../github/pull-request.js'
import { applyAutoMerge } from '../github/auto-merge.js'
import { BranchRefusedError } from '../github/refs.js'
import type { BlobStream } from '../github/blobs.js'
import { TREE_BODY_BUDGET } from '../github/tree-writer.js'
import { assertBlobWritesFit, blobWrites } from '../github/write-budget.js'
import { BranchMovedError } from '../github/repository.js'
import { whereOf, type Context } from '../github-session.js'
import { toReport, type Change } from '../changes.js'
import type { CheckFinding, CheckSummary } from '../checks/index.js'
import { changeReport, type FileReport, type Outcome } from '../report.js'
import {
  writesOnHead,
  type Decision,
  type Proposal,
  type RepoState,
  type WantedFile
} from './decide.js'

type Propose = Extract<Decision, { kind: 'propose' }>

/** What this run found: its changes against the base (bytes by path) and what the checks found. */
export interface RunResult {
  changes: Change[]
  findings: CheckFinding[]
  checks?: CheckSummary
}

export async function apply(
  context: Context,
  state: RepoState,
  decision: Decision,
  run: RunResult
): Promise<Outcome> {
  if (decision.kind === 'propose') return propose(context, state, decision, run)
  if (decision.kind === 'close') return close(context, decision)
  if (decision.deleteBranch) await deleteBranch(context, decision.deleteBranch)
  const { base } = context
  const standing = decision.standing
  return {
    outputs: {
      hasChanges: decision.proposals.length > 0,
      changedFiles: decision.proposals.map(file => file.path),
      pullRequestOperation: 'none'
    },
    reports: [],
    message: standing
      ? `#${standing.number} was closed without merging, and Phrase still has what it proposed: not proposing it again (${standing.url})`
      : `${base} already matches Phrase: nothing to propose`
  }
}

/** Phrase and the base agree: the pull request closes; the branch goes with delete-branch. */
async function close(
  context: Context,
  { pull, at, deleteBranch: andBranch }: Extract<Decision, { kind: 'close' }>
): Promise<Outcome> {
  const { pr, base } = context
  // GitHub closes without a condition: a branch another run moved meanwhile may propose
  // something again, so the run starts over on it instead.
  const now = await context.repo.refSha(pr.branch)
  if (now !== at) throw new BranchMovedError(pr.branch, at, now)
  const comment =
    `Phrase and \`${base}\` agree now: nothing is left to propose, so Phrase Pull closes this pull request.` +
    (andBranch ? ` The branch goes too (delete-branch).` : '')
  await closePullRequest(context.client, context.owner, context.name, pull, comment)
  if (andBranch && at) await deleteBranch(context, at)
  return {
    outputs: {
      hasChanges: false,
      changedFiles: [],
      pullRequestNumber: pull.number,
      pullRequestUrl: pull.url,
      pullRequestOperation: 'closed',
      branch: pr.branch
    },
    reports: [],
    message: `${base} already matches Phrase: closed #${pull.number}${andBranch ? ` and deleted ${pr.branch}` : ''}`
  }
}

/** Deletes the branch if it is still where the run read it; a newer commit stays. */
async function deleteBranch(context: Context, expected: string): Promise<void> {
  try {
    await context.refs.remove(context.pr.branch, expected)
  } catch (error) {
    if (!(error instanceof BranchMovedError)) throw error
    context.logger.warning(`Not deleting ${context.pr.branch}: ${error.message}`)
  }
}

async function propose(
  context: Context,
  state: RepoState,
  decision: Propose,
  run: RunResult
): Promise<Outcome> {
  const { pr, base, logger } = context
  tellPlacement(context, decision)
  const notes = decision.kept.length > 0 ? [keptNote(decision.kept, base)] : []
  if (decision.follows) notes.push(followsNote(decision.follows))
  // Read once, for the write budget and the commit; a long download stays on disk.
  const bytes = new Map(run.changes.map(change => [change.planned.path, downloadBytes(change)]))
  const bytesOf = (file: WantedFile) => (file.fromDownload ? bytes.get(file.path) : undefined)
  const message = markedMessage(pr.commitMessage, base, carriedDates(decision.proposals))
  const write = (parent: { commitSha: string; treeSha: string }, files: WantedFile[]) =>
    context.repo.commitFiles({
      parent,
      message,
      files: files.map(file => ({
        path: file.path,
        sha: file.sha,
        mode: file.mode,
        ...bytesOf(file)
      }))
    })

  const ref = state.ref
  if (!decision.reuse) {
    // GitHub's hourly limit on content creation: stop before the first write, not midway.
    const uploads = decision.writes.flatMap(file => {
      const read = bytesOf(file)
      return read ? [{ path: file.path, mode: file.mode, sha: file.sha, ...read }] : []
    })
    assertBlobWritesFit(blobWrites(uploads), logger)
  }
  let commit = decision.reuse ? ref!.head : await write(decision.parent, decision.writes)
  try {
    if (commit.commitSha !== decision.expected)
      await context.refs.move(pr.branch, commit.commitSha, decision.expected)
  } catch (error) {
    if (!(error instanceof BranchRefusedError)) throw error
    commit = await onBranchAsItIs(context, state, decision, commit.commitSha, error, write)
    notes.push(workflowNote(base))
  }
  const moved = commit.commitSha !== decision.expected
  if (moved) logger.info(`${pr.branch} now at ${commit.commitSha.slice(0, 7)}`)

  const reports = reportsFor(decision.proposals, run.changes)
  const lead = notes.map(note => `${note}\n\n`).join('')
  const generated = (room: number) =>
    lead +
    changeReport(reports, {
      findings: run.findings,
      checks: run.checks,
      about: pr.about,
      previousBody: decision.open?.body,
      maxChars: room - lead.length
    })
  let published: Published
  try {
    published = await publish(context, decision.open, generated, moved)
  } catch (error) {
    // A branch without its PR is half-done: put the branch back as it was, then report.
    if (moved) await restoreBranch(context, decision, commit.commitSha, error)
    throw error
  }
  // Another run may have moved the branch after this one and written its body first: this body
  // would then describe a commit the branch no longer has. Start over on the latest state.
  if (published.wroteBody) {
    const now = await context.repo.refSha(pr.branch)
    if (now !== commit.commitSha) throw new BranchMovedError(pr.branch, commit.commitSha, now)
  }
  const info = await ensurePullRequestMetadata(
    context.client,
    context.owner,
    context.name,
    published.info,
    pr,
    logger,
    { fresh: published.operation === 'created' }
  )
  await applyAutoMerge(context.client, info, {
    settings: pr.autoMerge,
    findings: run.findings.length,
    base,
    logger
  })
  return {
    outputs: {
      hasChanges: decision.proposals.length > 0,
      changedFiles: decision.proposals.map(file => file.path),
      pullRequestNumber: info.number,
      pullRequestUrl: info.url,
      pullRequestOperation: published.operation,
      branch: pr.branch,
      headSha: commit.commitSha,
      checkFindings: run.findings.length
    },
    reports,
    findings: run.findings,
    message: `Pull request #${info.number} ${published.operation}: ${info.url}`
  }
}

/**
 * GitHub refused to move the branch onto the new base for a permission: a change under
 * `.github/workflows/` on the base, which `GITHUB_TOKEN` may never write. The commit then goes on
 * the branch as it is: the move changes only translation files, and the pull request still shows
 * only them. Any other refusal is reported as it is.
 */
async function onBranchAsItIs(
  context: Context,
  state: RepoState,
  decision: Propose,
  refused: string,
  error: BranchRefusedError,
  write: (
    parent: { commitSha: string; treeSha: string },
    files: WantedFile[]
  ) => Promise<{
    commitSha: string
    treeSha: string
  }>
): Promise<{ commitSha: string; treeSha: string }> {
  const { pr, base, defaultBranch, logger } = context
  const ref = state.ref
  if (!ref?.exists || decision.onHead) {
    if (!ref?.exists && base !== defaultBranch)
      error.message +=
        ` GitHub also refuses to create a branch whose .github/workflows/ differ from ${defaultBranch} unless the token has the workflows permission:` +
        ' use a GitHub App token or a personal access token with it for this base.'
    throw error
  }
  if (!(await changesWorkflowFiles(whereOf(context), ref.head.commitSha, refused))) throw error
  logger.warning(
    `GitHub refused to move ${pr.branch} onto the latest ${base} (${error.message}). ` +
      `The usual cause: ${base} changed files under .github/workflows/ since ${pr.branch} was made, and this token may not update workflow files (GITHUB_TOKEN never can). ` +
      `Committing on top of ${pr.branch} as it is instead, so the pull request still shows only the translations.`
  )
  const writes = writesOnHead(state, decision.wanted)
  if (writes.length === 0) return ref.head
  const commit = await write(ref.head, writes)
  await context.refs.move(pr.branch, commit.commitSha, ref.head.commitSha)
  return commit
}

interface Published {
  info: PullRequestInfo
  operation: 'created' | 'updated' | 'unchanged'
  wroteBody: boolean
}

async function publish(
  context: Context,
  open: PullRequestInfo | undefined,
  generated: GeneratedSection,
  moved: boolean
): Promise<Published> {
  const { client, owner, name, pr, base, logger } = context
  if (!open) {
    const body = composeBody(pr.body, generated, inputsHash(pr.title, pr.body))
    const info = await createPullRequest(
      client,
      owner,
      name,
      { head: pr.branch, base, title: pr.title, body, draft: pr.draft },
      logger
    )
    return { info, operation: 'created', wroteBody: true }
  }
  const update = planPullRequestUpdate(open, { title: pr.title, userBody: pr.body, generated })
  const info = update ? await updatePullRequest(client, owner, name, open, update) : open
  return {
    info,
    operation: update || moved ? 'updated' : 'unchanged',
    wroteBody: update !== undefined
  }
}

/**
 * Puts the branch back (or deletes the one this run created) if it still is at this run's commit
 * and no other run took that commit up: another run that wanted the same files finds this commit
 * already there and opens or updates the pull request for it. Its pull request (a new one, or a
 * body other than the one this run read) shows that; the branch then stays.
 */
async function restoreBranch(
  context: Context,
  decision: Propose,
  ours: string,
  cause: unknown
): Promise<void> {
  const { refs, pr, logger, client, owner, name, base } = context
  const previous = decision.expected
  const left = (why: string) => {
    if (cause instanceof Error) cause.message += ` (${pr.branch} was left as it is: ${why})`
  }
  try {
    const { open } = await readPullRequests(client, owner, name, pr.branch, base)
    if (open && open.body !== decision.open?.body)
      return left(`another run wrote #${open.number} for it meanwhile`)
    if (previous === undefined) await refs.remove(pr.branch, ours)
    else await refs.move(pr.branch, previous, ours)
    logger.info(`${pr.branch} restored to ${previous ? previous.slice(0, 7) : 'not existing'}`)
  } catch (rollback) {
    if (rollback instanceof BranchMovedError) left('another run moved it since')
    else left(`it could not be restored: ${(rollback as Error).message}`)
  }
}

function tellPlacement(context: Context, decision: Propose): void {
  const { pr, base, logger } = context
  if (decision.landed.length > 0)
    logger.info(
      `${base} already has the changes of ${decision.landed.map(describeCommit).join(', ')} (merged): rebuilding ${pr.branch} on ${base} without them`
    )
  if (decision.kept.length === 0) return
  logger.warning(
    `Keeping ${decision.kept.length} commit(s) on ${pr.branch} that Phrase Pull did not make: ${decision.kept.map(describeCommit).join(', ')}. ` +
      `They change no file this run writes, so the new commit goes on top of them instead of rebuilding ${pr.branch} on ${base}.`
  )
  if (decision.proposals.length === 0 && pr.deleteBranch)
    logger.warning(
      `Not closing or deleting ${pr.branch} (delete-branch: true): it holds ${decision.kept.length} commit(s) that Phrase Pull did not make: ${decision.kept.map(describeCommit).join(', ')}`
    )
}

/** The dates of the carried files, for the commit's trailers. */
function carriedDates(proposals: Proposal[]): Map<string, string> {
  return new Map(
    proposals.flatMap(file =>
      file.carried && file.carriedFrom ? [[file.path, file.carriedFrom] as const] : []
    )
  )
}

/** This run's changes as compared, and the carried files with the date they were written. */
function reportsFor(proposals: Proposal[], changes: Change[]): FileReport[] {
  const byPath = new Map(changes.map(change => [change.planned.path, change]))
  return proposals.map(file => {
    const change = byPath.get(file.path)
    if (change && !file.carried) return toReport(change)
    return {
      path: file.path,
      // Perhaps another workflow's file: its name is the best guess at its locale.
      locale: path.posix.basename(file.path, path.posix.extname(file.path)),
      status: file.added ? 'added' : 'changed',
      carriedFrom: file.carriedFrom ?? ''
    }
  })
}

function keptNote(kept: BranchCommit[], base: string): string {
  return (
    `> [!NOTE]\n> This branch also holds ${kept.length} commit(s) not made by Phrase Pull, kept as they are: ` +
    `${kept.map(commit => `\`${describeCommit(commit)}\``).join(', ')}. ` +
    `While they are here, new translations are committed on top of them instead of rebuilding the branch on \`${base}\`.`
  )
}

function followsNote(closed: ClosedPullRequest): string {
  return `> [!NOTE]\n> #${closed.number} was closed without merging. Phrase has changed since, so this pull request proposes the translations again.`
}

function workflowNote(base: string): string {
  return (
    `> [!NOTE]\n> GitHub refused to move this branch onto the latest \`${base}\` (files under \`.github/workflows/\` changed there, and the token may not update them), ` +
    'so the new translations were committed on top of the branch. The pull request still shows only the translations.'
  )
}

/**
 * A download's bytes for its commit: one too long for a tree request goes up from disk a piece at
 * a time, so a 60 MiB file is not held whole during its upload.
 */
function downloadBytes(change: Change): { content: Buffer } | { stream: BlobStream } {
  const { size, pieces } = change
  if (size === undefined || size <= TREE_BODY_BUDGET || !pieces) return { content: change.content }
  return { stream: { size, pieces: () => pieces.call(change) } }
}
