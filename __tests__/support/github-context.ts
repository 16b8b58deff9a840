/**
 * The GitHub half of the library (lifecycle, propose.ts) driven in-process against a fake GitHub,
 * without the bundle: a session as main.ts opens it, with settings built here. `fast` sends the
 * requests through the fake's in-process fetch with a plain Octokit (no retry or throttling
 * plugin, no socket): for tests that make hundreds of runs.
 */
import { getOctokit } from '@actions/github'
import type { FakeGitHub } from './fake-github.js'
import { clientFor } from './github-client.js'
import { openGitHubSession, type GitHubSession } from '../../src/github-session.js'
import { silentLogger, type Logger } from '../../src/logger.js'
import type { PullRequestSettings, Settings } from '../../src/settings.js'

export interface SessionOptions {
  pr?: Partial<PullRequestSettings>
  logger?: Logger
  fast?: boolean
}

export function sessionFor(
  gh: FakeGitHub,
  paths: string[],
  options: SessionOptions = {}
): GitHubSession {
  const client = options.fast
    ? getOctokit(gh.token, { baseUrl: gh.apiUrl, request: { fetch: gh.inProcessFetch() } })
    : clientFor(gh)
  return openGitHubSession(
    settingsFor(gh, options.pr),
    paths,
    options.logger ?? silentLogger,
    client
  )
}

export function settingsFor(gh: FakeGitHub, pr: Partial<PullRequestSettings> = {}): Settings {
  return {
    phrase: { token: 'unused', apiUrl: 'http://127.0.0.1:9', timeoutMs: 1000, maxConcurrency: 1 },
    targets: [],
    github: {
      token: gh.token,
      apiUrl: gh.apiUrl,
      graphqlUrl: `${gh.apiUrl}/graphql`,
      owner: gh.owner,
      repo: gh.repo,
      writeSpacingMs: 0
    },
    workspace: '/nonexistent',
    warnings: [],
    pullRequest: {
      create: true,
      branch: 'phrase/translations',
      commitMessage: 'chore(i18n): update translations from Phrase',
      title: 'Update translations from Phrase',
      body: '',
      labels: [],
      assignees: [],
      reviewers: [],
      teamReviewers: [],
      draft: false,
      deleteBranch: false,
      ...pr
    },
    maxKeyRemoval: 1,
    excludeLocales: [],
    checks: { mode: 'off' }
  }
}
