/**
 * Turns Octokit's request errors into messages that say what we were doing and how to fix the
 * usual causes (missing workflow permissions, the repository setting for pull requests, a spent
 * rate limit). A request that got no answer says so: octokit.ts words those (host, proxy).
 */

/** The parts of @octokit/request-error we read; anything thrown may reach here. */
interface RequestFailure {
  status: number
  message: string
  /** Absent when GitHub never answered (network failure, timeout). */
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> }
}

export function isRequestFailure(error: unknown): error is RequestFailure {
  return error instanceof Error && typeof (error as Partial<RequestFailure>).status === 'number'
}

export function statusOf(error: unknown): number | undefined {
  return isRequestFailure(error) ? error.status : undefined
}

/** GitHub's message plus the `errors[].message` details of a 422. */
export function githubMessage(error: unknown): string {
  if (!isRequestFailure(error)) return error instanceof Error ? error.message : String(error)
  const data = error.response?.data as { message?: string; errors?: unknown[] } | undefined
  const details = (data?.errors ?? [])
    .map(item => (typeof item === 'string' ? item : (item as { message?: string })?.message))
    .filter((text): text is string => typeof text === 'string' && text !== '')
  const main = data?.message ?? error.message
  return details.length > 0 ? `${main} (${details.join('; ')})` : main
}

export class GitHubError extends Error {
  override name = 'GitHubError'
  constructor(
    message: string,
    readonly status: number | undefined
  ) {
    super(message)
  }
}

/** `action` completes "Could not …", e.g. `create the pull request in octo/app`. */
export function describeFailure(error: unknown, action: string): GitHubError {
  if (isRequestFailure(error) && error.response === undefined) {
    // GitHub never answered: the message names the host and the way (octokit.ts).
    return new GitHubError(`Could not ${action}. ${error.message}`, undefined)
  }
  const status = statusOf(error)
  const message = oneLine(githubMessage(error))
  const answered = status !== undefined ? `GitHub answered ${status}: ${message}` : message
  const hint = hintFor(status, message, headersOf(error))
  // GitHub's messages often end with a period of their own; the hint brings its own.
  const text = hint ? `${answered.replace(/\.$/, '')}${hint}` : answered
  return new GitHubError(`Could not ${action}. ${text}`, status)
}

/** GitHub's multi-line messages (a ruleset's "…found\n\n<rule>\n\n") as one sentence per line. */
function oneLine(text: string): string {
  const lines = text
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
  return lines
    .map((line, i) => (i < lines.length - 1 && !/[.:!?]$/.test(line) ? `${line}.` : line))
    .join(' ')
}

function headersOf(error: unknown): Record<string, string | number | undefined> {
  return (isRequestFailure(error) && error.response?.headers) || {}
}

function hintFor(
  status: number | undefined,
  message: string,
  headers: Record<string, string | number | undefined>
): string {
  if ((status === 403 || status === 429) && String(headers['x-ratelimit-remaining']) === '0') {
    return `. ${rateLimitHint(headers)}`
  }
  if ((status === 403 || status === 429) && /secondary rate limit/i.test(message)) {
    const after = headers['retry-after']
    return `. GitHub's secondary rate limit asks to slow down${after !== undefined ? ` (retry after ${after} s)` : ''}; run the workflow again later.`
  }
  if (/verified signatures/i.test(message)) return `. ${SIGNATURE_HINT}`
  if (/not permitted to create or approve pull requests/i.test(message)) {
    return '. Enable "Allow GitHub Actions to create and approve pull requests" in the repository (or organization) settings under Actions → General, or pass a token that may.'
  }
  if (status === 401) return '. The github-token is invalid or expired.'
  if (status === 403 || status === 404) {
    return '. Check that the github-token can see the repository and that the workflow grants `permissions: contents: write` and `pull-requests: write`.'
  }
  return ''
}

/**
 * A primary rate limit resets at a fixed time (x-ratelimit-reset, epoch seconds), counted from
 * GitHub's clock (the answer's Date: a self-hosted runner's clock may be off). How many requests
 * the token has is the answer's x-ratelimit-limit: 1,000 an hour per repository for GITHUB_TOKEN,
 * 5,000 for a PAT or App, 15,000 on Enterprise Cloud; GitHub Enterprise Server may set its own
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api).
 */
function rateLimitHint(headers: Record<string, string | number | undefined>): string {
  const limit = Number(headers['x-ratelimit-limit'])
  const allowance =
    Number.isFinite(limit) && limit > 0
      ? ` This token may send ${limit.toLocaleString('en')} requests an hour (x-ratelimit-limit), shared by every workflow that uses it.`
      : ''
  const resetEpochS = Number(headers['x-ratelimit-reset'])
  if (!Number.isFinite(resetEpochS) || resetEpochS <= 0) {
    return `The API rate limit of the github-token is spent; run the workflow again in an hour.${allowance}`
  }
  const reset = new Date(resetEpochS * 1000)
  const answeredAt = Date.parse(String(headers.date ?? ''))
  const now = Number.isFinite(answeredAt) ? answeredAt : Date.now()
  const minutes = Math.max(1, Math.round((reset.getTime() - now) / 60_000))
  const when = `${reset.toISOString().slice(11, 19)} UTC`
  return `The API rate limit of the github-token is spent until ${when} (in ${minutes} min), longer than this run waits; run the workflow again after that.${allowance}`
}

/**
 * GitHub signs commits made through its API only for a GitHub App or bot, such as the workflow's
 * GITHUB_TOKEN or an App installation token, and only without custom author or committer
 * ("Signature verification for bots", https://docs.github.com/en/authentication/managing-commit-signature-verification/about-commit-signature-verification).
 * A personal access token's commits are unsigned, and a rule requiring signatures refuses them.
 */
const SIGNATURE_HINT =
  "A rule of this repository requires signed commits, and GitHub signs the commits this action makes through its API only when the github-token is the workflow's GITHUB_TOKEN or a GitHub App installation token; with a personal access token they are unsigned. Use one of those tokens, or exempt the pull request branch from the rule."
