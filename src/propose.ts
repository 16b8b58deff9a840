/**
 * The GitHub half of a run: compare with the latest base head, commit the meaningful changes on
 * the PR branch through the Git Data API, and create or update the one pull request.
 */
import {
  compareAll,
  describeChange,
  isChanged,
  toReport,
  type Candidate,
  type Change
} from './changes.js'
import { compareFile } from './files/diff.js'
import { createGitHubClient, type GitHubClient } from './github/octokit.js'
import {
  closePullRequest,
  composeBody,
  createPullRequest,
  ensurePullRequestMetadata,
  findOpenPullRequest,
  inputsHash,
  planPullRequestUpdate,
  updatePullRequest,
  type PullRequestInfo
} from './github/pull-request.js'
import {
  BranchMovedError,
  gitBlobSha,
  Repository,
  type BranchHead,
  type RepoFile
} from './github/repository.js'
import { sameBranchError } from './inputs.js'
import { inGroup, type Logger } from './logger.js'
import type { TranslationChecks } from './checks/index.js'
import { changeReport, type Outcome } from './report.js'
import type { PullRequestSettings, Settings } from './settings.js'
import { USER_AGENT } from './version.js'

interface Context {
  client: GitHubClient
  repo: Repository
  owner: string
  name: string
  pr: PullRequestSettings
  base: string
  maxKeyRemoval: number
  logger: Logger
}

/** The base head and the tree entries (blob sha, mode) of the target paths on it. */
interface BaseState {
  head: BranchHead
  entries: Map<string, RepoFile>
}

/** What the GitHub half needs to know before it writes. */
interface RepoState {
  baseHead: BranchHead
  /** With content. */
  onBase: Map<string, RepoFile>
  base: BaseState
  branchHead: BranchHead | undefined
  open: PullRequestInfo | undefined
}

export interface GitHubSession {
  context: Promise<Context>
  paths: string[]
  /** Read while Phrase exports run; checked against the base head before it is used. */
  early: Promise<BaseState>
}

/**
 * Starts reading the repository (base head, the target paths on it) while the downloads run, so
 * the GitHub half starts with what it needs and a bad token or base stops the exports early.
 */
export function openGitHubSession(
  settings: Settings,
  paths: string[],
  logger: Logger
): GitHubSession {
  const context = createContext(settings, logger)
  const early = context.then(c => readBase(c, paths))
  // Awaited later; a failed download may end the run first, which must not crash the process.
  context.catch(() => undefined)
  early.catch(() => undefined)
  return { context, paths, early }
}

async function createContext(settings: Settings, logger: Logger): Promise<Context> {
  const { owner, repo: name, token, apiUrl } = settings.github
  const client = createGitHubClient({
    token,
    baseUrl: apiUrl,
    userAgent: USER_AGENT,
    logger,
    // GitHub asks for writes a second apart; a GitHub on this machine is a test double or proxy.
    writeSpacingMs: isLoopback(apiUrl) ? 0 : undefined
  })
  const repo = new Repository(client, owner, name, logger)
  const base = settings.pullRequest.base ?? (await repo.defaultBranch())
  if (base === settings.pullRequest.branch) throw sameBranchError(base)
  return {
    client,
    repo,
    owner,
    name,
    pr: settings.pullRequest,
    base,
    maxKeyRemoval: settings.maxKeyRemoval,
    logger
  }
}

export async function proposePullRequest(
  session: GitHubSession,
  candidates: Candidate[],
  logger: Logger,
  checks?: TranslationChecks
): Promise<Outcome> {
  const context = await session.context
  return inGroup(logger, `Proposing changes against ${context.base}`, async () => {
    // The early read of the base files is reused while the base head has not moved; the PR
    // branch and the PR itself are read now (a reviewer may have merged it meanwhile).
    const state = await readState(context, session.paths, candidates, {
      base: await session.early
    })
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

/** The base head and its entries at `paths`; `earlier` is reused while the head has not moved. */
async function readBase(
  context: Context,
  paths: string[],
  earlier?: BaseState
): Promise<BaseState> {
  const head = await context.repo.branchHead(context.base, earlier?.head)
  if (!head)
    throw new Error(`Base branch "${context.base}" not found in ${context.owner}/${context.name}`)
  if (head === earlier?.head) return earlier
  return { head, entries: await context.repo.findFiles(head.treeSha, paths) }
}

/** `earlier`: what a previous read saw; bytes are reused wherever the blob shas still match. */
async function readState(
  context: Context,
  paths: string[],
  candidates: Candidate[],
  earlier: { base: BaseState; onBase?: Map<string, RepoFile> }
): Promise<RepoState> {
  const { repo, pr, base } = context
  const baseState = await readBase(context, paths, earlier.base)
  const downloaded = new Map(candidates.map(c => [c.planned.path, c.content]))
  const entries = [...baseState.entries.values()].map(file => {
    const before = earlier.onBase?.get(file.path)
    return before?.sha === file.sha ? before : file
  })
  const [onBase, branchHead, open] = await Promise.all([
    // A base file whose blob sha is the download's needs no read: it is the download.
    repo.withContent(entries, path => downloaded.get(path)),
    repo.branchHead(pr.branch),
    findOpenPullRequest(context.client, context.owner, context.name, pr.branch, base)
  ])
  return { baseHead: baseState.head, onBase, base: baseState, branchHead, open }
}

async function proposeOnce(
  context: Context,
  candidates: Candidate[],
  state: RepoState,
  checks?: TranslationChecks
): Promise<Outcome> {
  const { repo, pr, base, logger } = context
  const { baseHead, onBase, branchHead, open } = state
  const changes = compareAll(
    candidates,
    path => onBase.get(path)?.content,
    context.maxKeyRemoval
  ).filter(isChanged)
  for (const change of changes) {
    logger.info(describeChange(change))
    // A file that does not parse is still proposed (compared by bytes), but a reviewer should know.
    if (change.comparison.note) logger.warning(`${change.planned.path}: ${change.comparison.note}`)
  }
  // With `checks: fail` this throws: nothing below (commit, PR) happens.
  const findings = checks?.run(changes, path => onBase.get(path)?.content) ?? []

  if (changes.length === 0) return nothingToPropose(context, open, branchHead !== undefined)

  const files = (await preferBranchBytes(context, changes, branchHead, onBase)).map(file => ({
    ...file,
    mode: onBase.get(file.path)?.mode === '100755' ? ('100755' as const) : undefined
  }))
  const commit = await repo.commitFiles({
    parent: baseHead,
    files,
    message: pr.commitMessage,
    current: branchHead
  })
  const moved = commit.commitSha !== branchHead?.commitSha
  if (moved) {
    await repo.updateBranch(pr.branch, commit.commitSha, branchHead?.commitSha)
    logger.info(
      `${pr.branch} now at ${commit.commitSha.slice(0, 7)} (on ${base} ${baseHead.commitSha.slice(0, 7)})`
    )
  }

  const reports = changes.map(toReport)
  let published: { info: PullRequestInfo; operation: 'created' | 'updated' | 'unchanged' }
  try {
    published = await publishPullRequest(context, open, changeReport(reports, { findings }), moved)
  } catch (error) {
    // A branch without its PR is half-done: put the branch back as it was, then report.
    if (moved) await restoreBranch(context, branchHead?.commitSha, commit.commitSha, error)
    throw error
  }
  const { info, operation } = published
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

async function publishPullRequest(
  context: Context,
  open: PullRequestInfo | undefined,
  generated: string,
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
    else await repo.updateBranch(pr.branch, previous, ours)
    context.logger.info(
      `${pr.branch} restored to ${previous ? previous.slice(0, 7) : 'not existing'}`
    )
  } catch (rollback) {
    if (cause instanceof Error) {
      cause.message += ` (and ${pr.branch} could not be restored: ${(rollback as Error).message})`
    }
  }
}

/** Base already equals Phrase: optionally close the PR and delete the branch. */
async function nothingToPropose(
  context: Context,
  open: PullRequestInfo | undefined,
  branchExists: boolean
): Promise<Outcome> {
  const { pr } = context
  const none: Outcome['outputs'] = {
    hasChanges: false,
    changedFiles: [],
    pullRequestOperation: 'none'
  }
  if (pr.deleteBranch && (open || branchExists)) {
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
  const onBranch = await context.repo.withContent(neither)
  return changes.map(change => {
    const previous = onBranch.get(change.planned.path)?.content
    const same =
      previous !== undefined &&
      compareFile(change.planned.fileFormat, previous, change.content).status === 'unchanged'
    return { path: change.planned.path, content: same ? previous : change.content }
  })
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname
  return host === 'localhost' || host === '[::1]' || /^127\./.test(host)
}
