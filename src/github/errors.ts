/**
 * Turns Octokit's request errors into messages that say what we were doing and how to fix the
 * usual causes (missing workflow permissions, the repository setting for pull requests).
 */

/** The parts of @octokit/request-error we read; anything thrown may reach here. */
interface RequestFailure {
  status: number
  message: string
  response?: { data?: unknown }
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
  const status = statusOf(error)
  const message = githubMessage(error)
  const answered = status !== undefined ? `GitHub answered ${status}: ${message}` : message
  return new GitHubError(`Could not ${action}. ${answered}${hintFor(status, message)}`, status)
}

function hintFor(status: number | undefined, message: string): string {
  if (/not permitted to create or approve pull requests/i.test(message)) {
    return '. Enable "Allow GitHub Actions to create and approve pull requests" in the repository (or organization) settings under Actions → General, or pass a token that may.'
  }
  if (status === 401) return '. The github-token is invalid or expired.'
  if (status === 403 || status === 404) {
    return '. Check that the github-token can see the repository and that the workflow grants `permissions: contents: write` and `pull-requests: write`.'
  }
  return ''
}
