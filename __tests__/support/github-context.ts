/**
 * The GitHub half of the library (lifecycle, propose.ts) driven in-process against a fake GitHub,
 * without the bundle: a session as main.ts opens it, with settings built here. `fast` hands each
 * request of a plain Octokit (no retry or throttling plugin) straight to the fake, without a socket
 * and without Octokit's fetch and body parsing: for tests that make hundreds of runs.
 */
import { getOctokit } from '@actions/github'
import { RequestError } from '@octokit/request-error'
import type { FakeGitHub } from './fake-github.js'
import { clientFor } from './github-client.js'
import type { GitHubClient } from '../../src/github/octokit.js'
import { openGitHubSession, type GitHubSession } from '../../src/github-session.js'
import { silentLogger, type Logger } from '../../src/logger.js'
import type { PullRequestSettings, Settings } from '../../src/settings.js'

export interface SessionOptions {
  pr?: Partial<PullRequestSettings>
  logger?: Logger
  fast?: boolean
  /** A client to use again (a fast one is cheap to share across the runs of one test). */
  client?: GitHubClient
}

export function sessionFor(
  gh: FakeGitHub,
  paths: string[],
  options: SessionOptions = {}
): GitHubSession {
  const client = options.client ?? (options.fast ? fastClient(gh) : clientFor(gh))
  return openGitHubSession(
    settingsFor(gh, options.pr),
    paths,
    options.logger ?? silentLogger,
    client
  )
}

/** A plain Octokit whose every request the fake answers in-process. */
export function fastClient(gh: FakeGitHub): GitHubClient {
  const client = getOctokit(gh.token, { baseUrl: gh.apiUrl })
  client.hook.wrap('request', async (_request, options) => {
    const { method, url, headers, body } = client.request.endpoint(options)
    const answer = await gh.answerInProcess({
      method,
      url,
      // Outside Octokit's auth hook, which wraps this one: the token goes in here.
      headers: { ...(headers as Record<string, string>), authorization: `token ${gh.token}` },
      body: await bodyText(body)
    })
    const text = answer.body.toString('utf8')
    // Unparsed, Octokit hands over the body stream (blobs.ts reads raw blobs that way).
    const unparsed =
      (options.request as { parseSuccessResponseBody?: boolean } | undefined)
        ?.parseSuccessResponseBody === false
    const data: unknown = unparsed
      ? [answer.body]
      : answer.headers['content-type']?.includes('json') && text
        ? JSON.parse(text)
        : text
    const response = { url, status: answer.status, headers: answer.headers, data }
    if (answer.status < 400) return response
    const message = (data as { message?: string })?.message ?? `HTTP ${answer.status}`
    throw new RequestError(message, answer.status, {
      request: { method, url, headers },
      response
    } as ConstructorParameters<typeof RequestError>[2])
  })
  return client
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

/** A request body as sent: a string, JSON, or a streamed body (blobs.ts uploads one). */
async function bodyText(body: unknown): Promise<string | undefined> {
  if (body === undefined || typeof body === 'string') return body
  if (body !== null && typeof body === 'object' && Symbol.asyncIterator in body) {
    const chunks: Buffer[] = []
    for await (const chunk of body as AsyncIterable<Uint8Array>) chunks.push(Buffer.from(chunk))
    return Buffer.concat(chunks).toString('utf8')
  }
  return JSON.stringify(body)
}
