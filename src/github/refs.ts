/**
 * Moving the pull request branch without overwriting a commit this run did not see.
 *
 * GitHub's GraphQL `updateRefs` mutation is the one ref write with a compare-and-swap: with
 * `beforeOid` GitHub refuses the move when the branch no longer points where this run read it, so
 * nothing slips in between the read and the write. It is a schema preview
 * (`application/vnd.github.update-refs-preview+json`, docs.github.com/graphql/overview/schema-previews)
 * that needs only `contents: write`. Where GraphQL or the mutation is missing (a proxy that only
 * passes REST, an older GitHub Enterprise Server) the REST API is used: the branch is re-read right
 * before a forced update, which narrows the window to those two requests.
 *
 * GraphQL reports a stale `beforeOid` as a generic error without a code
 * (github.com/orgs/community/discussions/213655), so every GraphQL failure is followed by a read
 * of the branch: moved elsewhere → `BranchMovedError`; still where it was → the REST update runs,
 * and its answer says why GitHub refuses (a protection rule, a missing permission) or it succeeds.
 * Deleting works the same way (`afterOid` all zeros deletes, per the mutation's documentation):
 * a cleanup never removes a commit another run put there.
 */
import { describeFailure, GitHubError, statusOf } from './errors.js'
import type { GitHubClient } from './octokit.js'
import { BranchMovedError, type Repository } from './repository.js'
import type { Logger } from '../logger.js'

const UPDATE_REFS = `mutation PhrasePullUpdateRefs($input: UpdateRefsInput!) {
  updateRefs(input: $input) { clientMutationId }
}`
const PREVIEW = 'application/vnd.github.update-refs-preview+json'
/** `afterOid` that deletes the ref. */
const NO_COMMIT = '0000000000000000000000000000000000000000'

/**
 * GitHub refused to move the branch for a reason of permission (403/404 after this run's token
 * just wrote the commit): most often because the move would change files under
 * `.github/workflows/`, which needs the `workflows` permission that `GITHUB_TOKEN` never has.
 */
export class BranchRefusedError extends GitHubError {
  override name = 'BranchRefusedError'
  constructor(
    readonly branch: string,
    cause: GitHubError
  ) {
    super(cause.message, cause.status)
  }
}

export interface BranchRefsOptions {
  owner: string
  repo: string
  /** GITHUB_GRAPHQL_URL; undefined: Octokit's `<api>/graphql`. */
  graphqlUrl?: string
  /** The repository's node id (GraphQL `repositoryId`). */
  repositoryId: () => Promise<string>
  logger: Logger
}

export class BranchRefs {
  /** Set once GraphQL proved unusable in this run, so later moves go straight to REST. */
  private restOnly = false
  /** The FORBIDDEN fallback is explained once per run. */
  private forbiddenSaid = false

  constructor(
    private readonly client: GitHubClient,
    private readonly repository: Repository,
    private readonly options: BranchRefsOptions
  ) {}

  /**
   * Points `branch` at `sha` if it still is at `expected` (undefined: it must not exist yet).
   * Throws BranchMovedError when another writer moved it, BranchRefusedError when GitHub refuses
   * the move for a permission, and a GitHubError naming GitHub's answer otherwise.
   */
  async move(branch: string, sha: string, expected: string | undefined): Promise<void> {
    // Creating is atomic in REST already: GitHub answers 422 when the branch appeared meanwhile.
    if (expected !== undefined && !this.restOnly) {
      const outcome = await this.compareAndSwap(branch, sha, expected)
      if (outcome === 'moved') return
      if (outcome === 'failed') {
        const now = await this.repository.refSha(branch)
        if (now === sha) return // it went through after all (an answer lost on the way back)
        if (now !== expected) throw new BranchMovedError(branch, expected, now)
      }
    }
    try {
      await this.repository.updateBranch(branch, sha, expected)
    } catch (error) {
      const status = statusOf(error)
      if (error instanceof GitHubError && (status === 403 || status === 404))
        throw new BranchRefusedError(branch, error)
      throw error
    }
  }

  /**
   * Deletes `branch` if it still is at `expected`; throws BranchMovedError when another writer
   * moved it. A branch already gone is fine.
   */
  async remove(branch: string, expected: string): Promise<void> {
    if (!this.restOnly && (await this.compareAndSwap(branch, NO_COMMIT, expected)) === 'moved')
      return
    const now = await this.repository.refSha(branch)
    if (now === undefined) return
    if (now !== expected) throw new BranchMovedError(branch, expected, now)
    await this.repository.deleteBranch(branch)
  }

  private async compareAndSwap(
    branch: string,
    sha: string,
    expected: string
  ): Promise<'moved' | 'failed' | 'unavailable'> {
    const { owner, repo, graphqlUrl, logger } = this.options
    try {
      await this.client.graphql({
        query: UPDATE_REFS,
        ...(graphqlUrl ? { url: graphqlUrl } : {}),
        headers: { accept: PREVIEW },
        // @octokit/plugin-retry retries GitHub's generic GraphQL error as a 500; a stale beforeOid
        // answers that way and cannot succeed on a retry, so the ref is read again instead.
        request: { retries: 0 },
        input: {
          repositoryId: await this.options.repositoryId(),
          refUpdates: [
            { name: `refs/heads/${branch}`, beforeOid: expected, afterOid: sha, force: true }
          ]
        }
      })
      return 'moved'
    } catch (error) {
      if (graphqlUnavailable(error)) {
        this.restOnly = true
        logger.info(
          `GraphQL updateRefs is not available here (${describeFailure(error, 'use it').message}); moving branches through the REST API`
        )
        return 'unavailable'
      }
      const refusal = refusedBecause(error, 'FORBIDDEN')
      if (refusal !== undefined && !this.forbiddenSaid) {
        this.forbiddenSaid = true
        logger.info(
          `GitHub refused updateRefs on ${branch} (FORBIDDEN: ${refusal}); moving it by reading it, then forcing the REST update`
        )
      } else logger.debug(`updateRefs on ${branch} in ${owner}/${repo} failed: ${String(error)}`)
      return 'failed'
    }
  }
}

/** The message of GraphQL's error of this `type` (FORBIDDEN, NOT_FOUND, …), if there is one. */
function refusedBecause(error: unknown, type: string): string | undefined {
  const errors = (error as { errors?: Array<{ type?: string; message?: string }> })?.errors
  return errors?.find(item => item.type === type)?.message ?? undefined
}

/** No GraphQL endpoint (any 4xx), or a schema without the mutation. */
function graphqlUnavailable(error: unknown): boolean {
  const status = statusOf(error)
  if (status !== undefined) return status >= 400 && status < 500
  const errors = (error as { errors?: Array<{ message?: string; extensions?: { code?: string } }> })
    ?.errors
  return (
    Array.isArray(errors) &&
    errors.some(
      item =>
        item.extensions?.code === 'undefinedField' ||
        /doesn't exist on type 'Mutation'|undefined.*updateRefs/i.test(item.message ?? '')
    )
  )
}
