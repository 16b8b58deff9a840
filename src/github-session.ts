/**
 * What the GitHub half knows before it reads any branch: the client and repository of a run, and
 * the base and head branches it uses. The repository and the base (and its LFS rules) are checked
 * while Phrase exports run, so a bad token, base or target stops the exports early; the branch,
 * the base head and the pull requests are read once, right before they are used
 * (lifecycle/state.ts).
 */
import { createGitHubClient, type GitHubClient } from './github/octokit.js'
import { FileContents } from './github/file-contents.js'
import { refuseLfsTargets } from './github/lfs.js'
import { Repository } from './github/repository.js'
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

export interface GitHubSession {
  context: Promise<Context>
  paths: string[]
  /** Rejects when the repository or the base cannot be read: the run's cause. */
  early: Promise<unknown>
}

/**
 * Reads the repository and checks the base while the downloads run. `client`: for tests that
 * drive the library in-process against a double.
 */
export function openGitHubSession(
  settings: Settings,
  paths: string[],
  logger: Logger,
  client?: GitHubClient
): GitHubSession {
  const context = createContext(settings, logger, client)
  const early = context.then(async c => {
    const head = await c.repo.branchHead(c.base)
    if (!head) throw missingBase(c)
    // Files Git LFS tracks are refused before the exports finish (the listing is kept for later).
    await refuseLfsTargets(
      { blobShas: (tree, files) => c.repo.blobShas(tree, files), read: e => c.contents.read(e) },
      head.treeSha,
      paths
    )
  })
  // Awaited later; a failed download may end the run first, which must not crash the process.
  context.catch(() => undefined)
  early.catch(() => undefined)
  return { context, paths, early }
}

export function missingBase(context: Context): Error {
  return new Error(`Base branch "${context.base}" not found in ${context.owner}/${context.name}`)
}

async function createContext(
  settings: Settings,
  logger: Logger,
  given?: GitHubClient
): Promise<Context> {
  const { owner, repo: name, token, apiUrl } = settings.github
  const client =
    given ??
    createGitHubClient({
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
