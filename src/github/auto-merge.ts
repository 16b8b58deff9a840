/**
 * GitHub's auto-merge on the one pull request (the `auto-merge` input): turned on while the run's
 * translation checks find nothing and the pull request is not a draft, turned off when a later
 * run finds problems. GitHub then merges once the base branch's requirements are met (required
 * status checks, reviews), exactly as for a person who clicks "Enable auto-merge". The mutations
 * exist only in GraphQL (https://docs.github.com/en/graphql/reference/mutations#enablepullrequestautomerge).
 *
 * How GitHub refuses (HTTP 200 with an `errors` array), and what the run does: never a failure,
 * the pull request is there either way.
 * - "Auto merge is not allowed for this repository": the repository setting is off (its default).
 *   A warning says where to allow it.
 * - "Pull request Pull request is in clean status" (or "unstable status"): nothing is left to wait
 *   for, the pull request could be merged now, usually because the base requires no status check
 *   (github.com/peter-evans/enable-pull-request-automerge/issues/343, rjwalters/loom#3379).
 *   Tools that merge at once instead exist; Phrase Pull does not: with no required check, nothing
 *   but its own checks would stand between Phrase and the base. A warning says to require a
 *   status check (then auto-merge waits for it) or to merge by hand.
 * - A draft: never asked. GitHub turns auto-merge off for drafts (reitermarkus/automerge#1525).
 */
import { describeFailure, statusOf } from './errors.js'
import type { GitHubClient } from './octokit.js'
import type { Logger } from '../logger.js'
import type { MergeMethod, PullRequestSettings } from '../settings.js'

export interface AutoMergePull {
  number: number
  /** GraphQL node id (`node_id` of the REST payload). */
  nodeId?: string
  draft: boolean
  /** The method of the auto-merge that is on; undefined when it is off. */
  autoMerge?: MergeMethod
}

export type AutoMergeOutcome = 'enabled' | 'disabled' | 'kept' | 'off' | 'refused'

const ENABLE = `mutation PhrasePullEnableAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) { clientMutationId }
}`
const DISABLE = `mutation PhrasePullDisableAutoMerge($pullRequestId: ID!) {
  disablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId }) { clientMutationId }
}`

/**
 * Brings the pull request's auto-merge in line with the input and the checks' findings; says in
 * the log what it did or why not.
 */
export async function applyAutoMerge(
  client: GitHubClient,
  pull: AutoMergePull,
  options: {
    settings: PullRequestSettings['autoMerge']
    findings: number
    base: string
    logger: Logger
  }
): Promise<AutoMergeOutcome> {
  const { settings, findings, base, logger } = options
  // Without the input, auto-merge is a person's business: never touched.
  if (!settings) return 'off'
  // One object: Octokit refuses `url` next to a query string ("cannot be used as variable name").
  const send = (query: string, variables: Record<string, string>) =>
    client.graphql({
      query,
      ...variables,
      pullRequestId: pull.nodeId,
      ...(settings.graphqlUrl ? { url: settings.graphqlUrl } : {})
    })
  if (findings > 0) {
    if (!pull.autoMerge) {
      logger.info(
        `Auto-merge stays off for #${pull.number}: the translation checks found ${findings} problem(s)`
      )
      return 'off'
    }
    try {
      await send(DISABLE, {})
    } catch (error) {
      logger.warning(
        `${refusal(error, `turn off auto-merge for #${pull.number}`)} Turn it off by hand: the translation checks found ${findings} problem(s) in it.`
      )
      return 'refused'
    }
    logger.warning(
      `Turned auto-merge off for #${pull.number}: the translation checks found ${findings} problem(s), listed in the pull request. The first run whose checks find nothing turns it on again.`
    )
    return 'disabled'
  }
  if (pull.draft) {
    logger.info(
      `#${pull.number} is a draft: GitHub does not auto-merge drafts. Mark it ready for review, and the next run turns auto-merge on.`
    )
    return 'off'
  }
  if (pull.autoMerge) {
    logger.info(`Auto-merge (${pull.autoMerge}) is already on for #${pull.number}`)
    return 'kept'
  }
  try {
    await send(ENABLE, { mergeMethod: settings.method.toUpperCase() })
  } catch (error) {
    logger.warning(enableRefusal(error, pull.number, base))
    return 'refused'
  }
  logger.info(
    `Auto-merge (${settings.method}) is on for #${pull.number}: GitHub merges it once the requirements of ${base} (required status checks, reviews) are met`
  )
  return 'enabled'
}

function enableRefusal(error: unknown, number: number, base: string): string {
  const said = graphqlMessages(error)
  if (/auto merge is not allowed/i.test(said))
    return `Could not turn on auto-merge for #${number}: GitHub answered "${said}". A repository admin can allow it under Settings → General → Pull Requests → "Allow auto-merge"; or remove the auto-merge input. The pull request is open as it is.`
  if (/is in (clean|unstable) status/i.test(said))
    return `Auto-merge not turned on for #${number}: GitHub answered "${said}": nothing on ${base} is left to wait for (no required status check), so GitHub would merge it at once. Phrase Pull does not merge translations that no check of yours has seen: require a status check on ${base} (branch protection or a ruleset), and auto-merge then waits for it; or merge #${number} by hand.`
  return `${refusal(error, `turn on auto-merge for #${number}`)} The pull request is open as it is.`
}

/** "Could not …" with GitHub's words, from a GraphQL `errors` array or an HTTP failure. */
function refusal(error: unknown, action: string): string {
  const said = graphqlMessages(error)
  if (said) {
    const permission = /not accessible by integration|must have (push|write)/i.test(said)
      ? ' The token needs `contents: write` and `pull-requests: write`.'
      : ''
    return `Could not ${action}: GitHub answered "${said}".${permission}`
  }
  const failure = describeFailure(error, action).message
  return statusOf(error) === 404
    ? `${failure} (no GraphQL API at this address: GITHUB_GRAPHQL_URL)`
    : failure
}

/** The messages of a GraphQL `errors` array; empty for any other failure. */
function graphqlMessages(error: unknown): string {
  const errors = (error as { errors?: Array<{ message?: unknown }> } | undefined)?.errors
  if (!Array.isArray(errors)) return ''
  return errors
    .map(item => (typeof item?.message === 'string' ? item.message : ''))
    .filter(Boolean)
    .join('; ')
}
