/** The action's own Octokit client, pointed at a fake GitHub, without the waits tests don't need. */
import { createGitHubClient, type GitHubClient } from '../../src/github/octokit.js'
import type { FakeGitHub } from './fake-github.js'

export function clientFor(gh: FakeGitHub): GitHubClient {
  return createGitHubClient({
    token: gh.token,
    baseUrl: gh.apiUrl,
    userAgent: 'phrase-pull-test',
    retryAfterBaseMs: 1,
    writeSpacingMs: 0
  })
}
