/**
 * The GitHub half of a run: compare with the latest base head, commit the meaningful changes on
 * the PR branch through the Git Data API, and create or update the one pull request.
 */
import {
  compareAll,
  compareCandidate,
  describeChange,
  isChanged,
  toReport,
  type Candidate,
  type Change
} from './changes.js'
import {
  closePullRequest,
  composeBody,
  createPullRequest,
  ensurePullRequestMetadata,
  inputsHash,
  planPullRequestUpdate,
  updatePullRequest,
  type GeneratedSection,
  type PullRequestInfo
} from './github/pull-request.js'
import {
  BranchMovedError,
  gitBlobSha,
  type BranchHead,
  type RepoFile
} from './github/repository.js'
import { BranchRefusedError } from './github/refs.js'
import { describeCommit, markedMessage, type BranchCommit } from './github/branch-policy.js'
import {
  readState,
  whereOf,
  type Context,
  type GitHubSession,
  type RepoState
} from './github-session.js'
import {
  changesWorkflowFiles,
  pathsToReset,
  placeCommit,
  readAhead,
  unmergedWork,
  type AheadOfBase,
  type Placement
} from './github/head-branch.js'
import { applyAutoMerge } from './github/auto-merge.js'
import { assertBlobWritesFit, blobWrites } from './github/write-budget.js'
import { inGroup, type Logger } from './logger.js'
import type { TranslationChecks } from './checks/index.js'
import { changeReport, type Outcome } from './report.js'

export async function proposePullRequest(
  session: GitHubSession,
  candidates: Candidate[],
  logger: Logger,
  checks?: TranslationChecks
): Promise<Outcome> {
  const context = await session.context
  return inGroup(logger, `Proposing changes against ${context.base}`, async () => {
    // The early reads are reused while their refs have not moved; the PR is read now (a
    // reviewer may have merged it meanwhile).
    const state = await readState(context, session.paths, candidates, await session.early)
    // Another run may move the branch between our read and our write: start over once on the
    // new state, then give up rather than overwrite a commit we did not see.
    try {
      return await proposeOnce(context, candidates, state, checks)
    } catch (error) {
      if (!(error instanceof BranchMovedError)) throw error
      logger.warning(`${error.message}; starting over once on the latest state`)
      try {
        const latest = await readState(context, session.paths, candidates, state)
        return await proposeOnce(context, candidates, latest, checks)
      } catch (again) {
        if (again instanceof BranchMovedError) {
          throw new Error(
            `Branch ${context.pr.branch} kept moving while this run worked (another run?); nothing was overwritten. Use a concurrency group so runs queue.`
          )
        }
        throw again
      }
    }
  })
}

async function proposeOnce(
  context: Context,
  candidates: Candidate[],
  state: RepoState,
  checks?: TranslationChecks
): Promise<Outcome> {
  const { pr, base, logger } = context
  const { onBase, branchHead, open } = state
  const baseHead = state.base.head
  const compared = compareAll(
    candidates,
    path => onBase.get(path)?.content,
    context.maxKeyRemoval,
    logger.warning
  )
  const changes = compared.filter(isChanged)
  for (const change of changes) {
    logger.info(describeChange(change))
    // A file that does not parse is still proposed (compared by bytes), but a reviewer should know.
    if (change.comparison.note) logger.warning(`${change.planned.path}: ${change.comparison.note}`)
  }
  // With `checks: fail` this throws: nothing below (commit, PR) happens.
  const findings = checks?.run(changes, path => onBase.get(path)?.content) ?? []

  if (changes.length === 0) return nothingToPropose(context, state)

  const files = (await preferBranchBytes(context, changes, branchHead, onBase)).map(file => ({
    ...file,
    mode: onBase.get(file.path)?.mode === '100755' ? ('100755' as const) : undefined
  }))
  // GitHub's hourly limit on content creation: stop before the first write, not midway.
  assertBlobWritesFit(blobWrites(files), logger)
  const draft: Draft = {
    state,
    files,
    planned: compared.map(change => change.planned.path),
    ahead: memo(() => readAhead(whereOf(context), baseHead.commitSha, branchHead!.commitSha))
  }
  const targets = new Map<string, string>()
  for (const path of draft.planned) {
    const sha = onBase.get(path)?.sha
    if (sha) targets.set(path, sha)
  }
  for (const file of files) targets.set(file.path, gitBlobSha(file.content))
  const placement = await placeCommit(whereOf(context), baseHead, branchHead, targets, draft.ahead)
  if (placement.landed.length > 0) {
    logger.info(
      `${base} already has the changes of ${placement.landed.map(describeCommit).join(', ')} (merged): rebuilding ${pr.branch} on ${base} without them`
    )
  }
  if (placement.kept.length > 0) {
    logger.warning(
      `Keeping ${placement.kept.length} commit(s) on ${pr.branch} that Phrase Pull did not make: ${placement.kept.map(describeCommit).join(', ')}. ` +
        `They change no file this run writes, so the new commit goes on top of them instead of rebuilding ${pr.branch} on ${base}.`
    )
  }
  const { commit, notes } = await commitAndMove(context, draft, placement)
  const moved = commit.commitSha !== branchHead?.commitSha
  if (moved) {
    logger.info(
      `${pr.branch} now at ${commit.commitSha.slice(0, 7)} (on ${placement.onHead ? `${pr.branch} ${branchHead!.commitSha.slice(0, 7)}` : `${base} ${baseHead.commitSha.slice(0, 7)}`})`
    )
  }

  const reports = changes.map(toReport)
  let published: { info: PullRequestInfo; operation: 'created' | 'updated' | 'unchanged' }
  try {
    const lead = notes.map(note => `${note}\n\n`).join('')
    const generated = (room: number) =>
      lead +
      changeReport(reports, {
        findings,
        checks: checks?.summary(),
        about: pr.about,
        previousBody: open?.body,
        maxChars: room - lead.length
      })
    published = await publishPullRequest(context, open, generated, moved)
  } catch (error) {
    // A branch without its PR is half-done: put the branch back as it was, then report.
    if (moved) await restoreBranch(context, branchHead?.commitSha, commit.commitSha, error)
    throw error
  }
  const { info, operation } = published
  await applyAutoMerge(context.client, info, {
    settings: pr.autoMerge,
    findings: findings.length,
    base,
    logger
  })
  return {
    outputs: {
      hasChanges: true,
      changedFiles: changes.map(c => c.planned.path),
      pullRequestNumber: info.number,
      pullRequestUrl: info.url,
      pullRequestOperation: operation,
      branch: pr.branch,
      headSha: commit.commitSha,
      checkFindings: findings.length
    },
    reports,
    findings,
    message: `Pull request #${info.number} ${operation}: ${info.url}`
  }
}

/** What one attempt commits: the state it read, the files it writes, the branch's history. */
interface Draft {
  state: RepoState
  files: Array<{ path: string; content: Buffer; mode?: '100644' | '100755' }>
  /** Every path this run planned, changed or not. */
  planned: string[]
  ahead: () => Promise<AheadOfBase>
}

/**
 * Commits where `placement` says and moves the branch there. When GitHub refuses to move the
 * branch onto the new base for a permission (a change under `.github/workflows/` on the base,
 * which `GITHUB_TOKEN` may never write), the commit goes on the branch as it is instead: the move
 * then changes only translation files, and the pull request still shows only them.
 */
async function commitAndMove(
  context: Context,
  draft: Draft,
  placement: Placement
): Promise<{ commit: { commitSha: string; treeSha: string }; notes: string[] }> {
  const { pr, base, logger } = context
  const { branchHead } = draft.state
  const notes = placement.kept.length > 0 ? [keptNote(placement.kept, base)] : []
  const commit = await commitFor(context, draft, placement)
  if (commit.commitSha === branchHead?.commitSha) return { commit, notes }
  try {
    await context.refs.move(pr.branch, commit.commitSha, branchHead?.commitSha)
    return { commit, notes }
  } catch (error) {
    if (!(error instanceof BranchRefusedError)) throw error
    if (!branchHead || placement.onHead) throw withRefusalHint(context, error, branchHead)
    // Only the workflow-file refusal has this way out; any other refusal is reported as it is.
    if (!(await changesWorkflowFiles(whereOf(context), branchHead.commitSha, commit.commitSha)))
      throw error
    logger.warning(
      `GitHub refused to move ${pr.branch} onto the latest ${base} (${error.message}). ` +
        `The usual cause: ${base} changed files under .github/workflows/ since ${pr.branch} was made, and this token may not update workflow files (GITHUB_TOKEN never can). ` +
        `Committing on top of ${pr.branch} as it is instead, so the pull request still shows only the translations.`
    )
    const onHead: Placement = { ...placement, parent: branchHead, onHead: true }
    const retried = await commitFor(context, draft, onHead)
    if (retried.commitSha !== branchHead.commitSha)
      await context.refs.move(pr.branch, retried.commitSha, branchHead.commitSha)
    return { commit: retried, notes: [...notes, workflowNote(base)] }
  }
}

async function commitFor(
  context: Context,
  draft: Draft,
  placement: Placement
): Promise<{ commitSha: string; treeSha: string }> {
  const { onBase, branchHead } = draft.state
  // On the branch head, files that earlier commits changed and that equal the base again go back.
  const resets = placement.onHead
    ? pathsToReset(draft.planned, new Set(draft.files.map(file => file.path)), await draft.ahead())
        .map(path => onBase.get(path))
        .filter((file): file is RepoFile & { content: Buffer } => file?.content !== undefined)
        .map(file => ({
          path: file.path,
          content: file.content,
          mode: file.mode === '100755' ? ('100755' as const) : undefined
        }))
    : []
  return context.repo.commitFiles({
    parent: placement.parent,
    files: [...draft.files, ...resets],
    message: markedMessage(context.pr.commitMessage, context.base),
    current: branchHead
  })
}

function withRefusalHint(
  context: Context,
  error: BranchRefusedError,
  branchHead: BranchHead | undefined
): Error {
  if (branchHead || context.base === context.defaultBranch) return error
  error.message +=
    ` GitHub also refuses to create a branch whose .github/workflows/ differ from ${context.defaultBranch} unless the token has the workflows permission:` +
    ' use a GitHub App token or a personal access token with it for this base.'
  return error
}

function keptNote(kept: BranchCommit[], base: string): string {
  return (
    `> [!NOTE]\n> This branch also holds ${kept.length} commit(s) not made by Phrase Pull, kept as they are: ` +
    `${kept.map(commit => `\`${describeCommit(commit)}\``).join(', ')}. ` +
    `While they are here, new translations are committed on top of them instead of rebuilding the branch on \`${base}\`.`
  )
}

function workflowNote(base: string): string {
  return (
    `> [!NOTE]\n> GitHub refused to move this branch onto the latest \`${base}\` (files under \`.github/workflows/\` changed there, and the token may not update them), ` +
    'so the new translations were committed on top of the branch. The pull request still shows only the translations.'
  )
}

function memo<T>(read: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined
  return () => (value ??= read())
}

async function publishPullRequest(
  context: Context,
  open: PullRequestInfo | undefined,
  generated: GeneratedSection,
  moved: boolean
): Promise<{ info: PullRequestInfo; operation: 'created' | 'updated' | 'unchanged' }> {
  const { client, owner, name, pr, base, logger } = context
  if (!open) {
    const info = await createPullRequest(
      client,
      owner,
      name,
      {
        head: pr.branch,
        base,
        title: pr.title,
        body: composeBody(pr.body, generated, inputsHash(pr.title, pr.body)),
        draft: pr.draft,
        labels: pr.labels,
        assignees: pr.assignees,
        reviewers: pr.reviewers,
        teamReviewers: pr.teamReviewers
      },
      logger
    )
    return { info, operation: 'created' }
  }
  const update = planPullRequestUpdate(open, { title: pr.title, userBody: pr.body, generated })
  let info = update ? await updatePullRequest(client, owner, name, open, update) : open
  // Only when new commits arrive: asking again would re-request reviewers who already reviewed.
  if (moved) info = await ensurePullRequestMetadata(client, owner, name, info, pr, logger)
  return { info, operation: update || moved ? 'updated' : 'unchanged' }
}

async function restoreBranch(
  context: Context,
  previous: string | undefined,
  ours: string,
  cause: unknown
): Promise<void> {
  const { repo, pr } = context
  try {
    if (previous === undefined) await repo.deleteBranch(pr.branch)
    else await context.refs.move(pr.branch, previous, ours)
    context.logger.info(
      `${pr.branch} restored to ${previous ? previous.slice(0, 7) : 'not existing'}`
    )
  } catch (rollback) {
    if (cause instanceof Error) {
      cause.message += ` (and ${pr.branch} could not be restored: ${(rollback as Error).message})`
    }
  }
}

/**
 * Base already equals Phrase: optionally close the PR and delete the branch — unless the branch
 * holds commits Phrase Pull did not make, which closing and deleting would throw away.
 */
async function nothingToPropose(context: Context, state: RepoState): Promise<Outcome> {
  const { pr } = context
  const { open, branchHead } = state
  const branchExists = branchHead !== undefined
  const none: Outcome['outputs'] = {
    hasChanges: false,
    changedFiles: [],
    pullRequestOperation: 'none'
  }
  const theirs =
    pr.deleteBranch && branchHead
      ? await unmergedWork(whereOf(context), state.base.head, branchHead)
      : []
  if (theirs.length > 0) {
    context.logger.warning(
      `Not closing or deleting ${pr.branch} (delete-branch: true): it holds ${theirs.length} commit(s) that Phrase Pull did not make: ${theirs.map(describeCommit).join(', ')}`
    )
  } else if (pr.deleteBranch && (open || branchExists)) {
    if (open) {
      await closePullRequest(
        context.client,
        context.owner,
        context.name,
        open,
        `${context.base} already has these translations; closing (delete-branch: true).`
      )
    }
    if (branchExists) await context.repo.deleteBranch(pr.branch)
    if (open) {
      return {
        outputs: {
          ...none,
          pullRequestNumber: open.number,
          pullRequestUrl: open.url,
          pullRequestOperation: 'closed',
          branch: pr.branch
        },
        reports: [],
        message: `${context.base} already matches Phrase: closed #${open.number} and deleted ${pr.branch}`
      }
    }
  }
  const note =
    open && !pr.deleteBranch
      ? `; #${open.number} is left open (set delete-branch: true to close it)`
      : ''
  return {
    outputs: none,
    reports: [],
    message: `${context.base} already matches Phrase: nothing to propose${note}`
  }
}

/**
 * A rerun whose download differs from the branch only by churn (a header date) keeps the branch's
 * bytes, so the tree stays the same and no commit is made.
 */
async function preferBranchBytes(
  context: Context,
  changes: Change[],
  branchHead: { treeSha: string } | undefined,
  onBase: Map<string, RepoFile>
): Promise<Array<{ path: string; content: Buffer }>> {
  const entries = branchHead
    ? await context.repo.findFiles(
        branchHead.treeSha,
        changes.map(c => c.planned.path)
      )
    : new Map<string, RepoFile>()
  // Blob shas settle most files unread: the branch holds the download's bytes (keep them) or the
  // base's (a change by definition). Only a copy that is neither can be churn worth keeping.
  const downloaded = new Map(changes.map(c => [c.planned.path, gitBlobSha(c.content)]))
  const neither = [...entries.values()].filter(
    file => file.sha !== downloaded.get(file.path) && file.sha !== onBase.get(file.path)?.sha
  )
  const onBranch = await context.contents.withContent(neither)
  return changes.map(change => {
    const previous = onBranch.get(change.planned.path)?.content
    const same = previous !== undefined && compareCandidate(change, previous).status === 'unchanged'
    return { path: change.planned.path, content: same ? previous : change.content }
  })
}
