/**
 * What the GitHub half knows before it writes: the client and repository of a run, the base and
 * head branches it uses, and the reads of the base, the head branch and the open pull request.
 * The reads start while Phrase exports run and are checked again (one round trip when nothing
 * moved) right before they are used.
 */
import type { Candidate } from './changes.js'
import { createGitHubClient, type GitHubClient } from './github/octokit.js'
import { FileContents } from './github/file-contents.js'
import { refuseLfsTargets } from './github/lfs.js'
import { findOpenPullRequest, type PullRequestInfo } from './github/pull-request.js'
import { Repository, type BranchHead, type RepoFile } from './github/repository.js'
import { BranchRefs } from './github/refs.js'
import { headBranchFor } from './github/branch-policy.js'
import type { Where } from './github/head-branch.js'
import { sameBranchError } from './inputs.js'
import type { Logger } from './logger.js'
import type { PullRequestSettings, Settings } from './settings.js'
import { USER_AGENT } from './version.js'

export interface Context {
  client: GitHubClient
  repo: Repository
  refs: BranchRefs
  /** File contents from the checkout, or many per request (see file-contents.ts). */
  contents: FileContents
  owner: string
  name: string
  /** `branch` is the head branch this run uses (see branch-policy.ts), not the raw input. */
  pr: PullRequestSettings
  base: string
  defaultBranch: string
  maxKeyRemoval: number
  logger: Logger
}

/** The base head and the tree entries (blob sha, mode) of the target paths on it. */
export interface BaseState {
  head: BranchHead
  entries: Map<string, RepoFile>
}

/** What the GitHub half needs to know before it writes. */
export interface RepoState {
  /** With content. */
  onBase: Map<string, RepoFile>
  base: BaseState
  branchHead: BranchHead | undefined
  open: PullRequestInfo | undefined
}

/** Read while Phrase exports run; each part is checked against its ref again before it is used. */
export interface EarlyState {
  base: BaseState
  branchHead: BranchHead | undefined
}

export interface GitHubSession {
  context: Promise<Context>
  paths: string[]
  early: Promise<EarlyState>
}

/**
 * Starts reading the repository (base head, the target paths on it, the head branch) while the
 * downloads run, so the GitHub half starts with what it needs and a bad token or base stops the
 * exports early.
 */
export function openGitHubSession(
  settings: Settings,
  paths: string[],
  logger: Logger
): GitHubSession {
  const context = createContext(settings, logger)
  const early = context.then(async c => {
    const [base, branchHead] = await Promise.all([
      readBase(c, paths),
      c.repo.branchHead(c.pr.branch)
    ])
    await refuseLfsTargets(
      { blobShas: (tree, files) => c.repo.blobShas(tree, files), read: e => c.contents.read(e) },
      base.head.treeSha,
      paths
    )
    return { base, branchHead }
  })
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
    writeSpacingMs: settings.github.writeSpacingMs
  })
  const repo = new Repository(client, owner, name, logger)
  const { defaultBranch } = await repo.info()
  const base = settings.pullRequest.base ?? defaultBranch
  const head = headBranchFor(settings.pullRequest.branch, base, defaultBranch)
  if (base === head) throw sameBranchError(base)
  if (head !== settings.pullRequest.branch)
    logger.info(
      `${base} is not the default branch (${defaultBranch}): its pull request uses ${head}`
    )
  const refs = new BranchRefs(client, repo, {
    owner,
    repo: name,
    graphqlUrl: settings.github.graphqlUrl,
    repositoryId: async () => (await repo.info()).nodeId,
    logger
  })
  const contents = new FileContents({
    client,
    owner,
    repo: name,
    graphqlUrl: settings.github.graphqlUrl,
    workspace: settings.workspace,
    logger
  })
  return {
    client,
    repo,
    refs,
    contents,
    owner,
    name,
    pr: { ...settings.pullRequest, branch: head },
    base,
    defaultBranch,
    maxKeyRemoval: settings.maxKeyRemoval,
    logger
  }
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

/**
 * `earlier`: what a previous read saw; what it read is reused wherever the refs and blob shas
 * still match. The reads go out together: one round trip when nothing moved.
 */
export async function readState(
  context: Context,
  paths: string[],
  candidates: Candidate[],
  earlier: EarlyState & { onBase?: Map<string, RepoFile> }
): Promise<RepoState> {
  const { repo, pr, base, contents } = context
  const downloaded = new Map(candidates.map(c => [c.planned.path, c]))
  const baseRead = readBase(context, paths, earlier.base)
  const [[baseState, onBase], branchHead, open] = await Promise.all([
    baseRead.then(async baseState => {
      const entries = [...baseState.entries.values()].map(file => {
        const before = earlier.onBase?.get(file.path)
        return before?.sha === file.sha ? before : file
      })
      // A base file whose blob sha is the download's needs no read: it is the download.
      return [
        baseState,
        await contents.withContent(entries, path => downloaded.get(path)?.content)
      ] as const
    }),
    repo.branchHead(pr.branch, earlier.branchHead),
    findOpenPullRequest(context.client, context.owner, context.name, pr.branch, base)
  ])
  return { onBase, base: baseState, branchHead, open }
}

export function whereOf(context: Context): Where {
  return {
    client: context.client,
    repository: context.repo,
    owner: context.owner,
    repo: context.name,
    base: context.base,
    head: context.pr.branch,
    legacyMessage: context.pr.commitMessage
  }
}
