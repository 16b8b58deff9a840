/**
 * What a refused GitHub request reads like, for every status the end-to-end suites see on a
 * write: the action, GitHub's answer with its 422 details, and the hint that fixes the usual
 * cause. The fault suites check one status per write end to end; this table checks them all.
 */
import { describe, expect, it } from '@jest/globals'
import { RequestError } from '@octokit/request-error'
import { describeFailure, githubMessage, statusOf } from '../../src/github/errors.js'

function refused(
  status: number,
  data: Record<string, unknown>,
  headers: Record<string, string> = {}
): RequestError {
  return new RequestError(String(data.message ?? 'refused'), status, {
    request: {
      method: 'POST',
      url: 'https://api.github.com/repos/octo/app/git/trees',
      headers: {}
    },
    response: { status, url: '', headers, data }
  })
}

const PERMISSIONS = /`permissions: contents: write` and `pull-requests: write`/
const BAD_TOKEN = /The github-token is invalid or expired\.$/

describe.each([
  { status: 401, hint: BAD_TOKEN },
  { status: 403, hint: PERMISSIONS },
  { status: 404, hint: PERMISSIONS },
  { status: 409, hint: undefined },
  { status: 422, hint: undefined }
])('a $status answer', ({ status, hint }) => {
  for (const write of [
    'create a tree in octo/app',
    'update branch phrase/translations in octo/app'
  ]) {
    it(`to "${write}" names the write, GitHub's answer and ${hint ? 'the fix' : 'no guess'}`, () => {
      const error = describeFailure(refused(status, { message: 'Refused by test' }), write)
      expect(error.status).toBe(status)
      expect(
        error.message.startsWith(`Could not ${write}. GitHub answered ${status}: Refused by test`)
      ).toBe(true)
      if (hint) expect(error.message).toMatch(hint)
      else
        expect(error.message).toBe(`Could not ${write}. GitHub answered ${status}: Refused by test`)
    })
  }
})

describe('GitHub error details', () => {
  it("adds the errors[] messages of a 422 to GitHub's message", () => {
    const error = refused(422, {
      message: 'Validation Failed',
      errors: [{ message: 'A pull request already exists for octo:phrase/translations.' }, 'plain']
    })
    expect(githubMessage(error)).toBe(
      'Validation Failed (A pull request already exists for octo:phrase/translations.; plain)'
    )
  })

  it('says how to allow Actions to open pull requests when that setting refuses', () => {
    const error = refused(403, {
      message: 'GitHub Actions is not permitted to create or approve pull requests.'
    })
    expect(describeFailure(error, 'create the pull request in octo/app').message).toMatch(
      /Allow GitHub Actions to create and approve pull requests/
    )
  })

  it('has no status for errors that are not HTTP answers', () => {
    expect(statusOf(new Error('socket hang up'))).toBeUndefined()
    expect(describeFailure(new Error('socket hang up'), 'read x').message).toBe(
      'Could not read x. socket hang up'
    )
  })
})

// Rate-limit answers as https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api describes them.
describe('GitHub rate limits and unanswered requests', () => {
  it.each([
    [403, '1000', '1,000'],
    [429, '15000', '15,000']
  ])(
    'a spent primary limit (%i) gives the reset time and the allowance the answer states, not a permissions hint',
    (status, limit, shown) => {
      const reset = Math.floor(Date.now() / 1000) + 45 * 60
      const error = refused(
        status,
        { message: 'API rate limit exceeded for installation ID 1.' },
        {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(reset),
          'x-ratelimit-limit': limit
        }
      )
      const message = describeFailure(error, 'read octo/app').message
      expect(message).toBe(
        `Could not read octo/app. GitHub answered ${status}: API rate limit exceeded for installation ID 1. The API rate limit of the github-token is spent until ${new Date(reset * 1000).toISOString().slice(11, 19)} UTC (in 45 min), longer than this run waits; run the workflow again after that. This token may send ${shown} requests an hour (x-ratelimit-limit), shared by every workflow that uses it.`
      )
      expect(message).not.toMatch(PERMISSIONS)
    }
  )

  it("counts the time to the reset from GitHub's clock (Date), not the runner's", () => {
    // The runner's clock is 20 minutes behind GitHub's.
    const githubNow = Date.now() + 20 * 60_000
    const reset = Math.floor(githubNow / 1000) + 10 * 60
    const error = refused(
      403,
      { message: 'API rate limit exceeded for installation ID 1.' },
      {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(reset),
        date: new Date(githubNow).toUTCString()
      }
    )
    expect(describeFailure(error, 'read octo/app').message).toMatch(/\(in 10 min\)/)
  })

  it('a rule requiring signed commits says which tokens GitHub signs for', () => {
    const error = refused(422, {
      message: 'Repository rule violations found\n\nCommits must have verified signatures.\n\n'
    })
    const message = describeFailure(error, 'create branch phrase/translations in octo/app').message
    expect(message).toMatch(
      /Commits must have verified signatures\..*only when the github-token is the workflow's GITHUB_TOKEN or a GitHub App installation token; with a personal access token they are unsigned/s
    )
  })

  it('a secondary limit says how long GitHub asked to wait', () => {
    const error = refused(
      403,
      { message: 'You have exceeded a secondary rate limit. Please wait a few minutes.' },
      { 'retry-after': '600' }
    )
    expect(describeFailure(error, 'create a blob in octo/app').message).toBe(
      "Could not create a blob in octo/app. GitHub answered 403: You have exceeded a secondary rate limit. Please wait a few minutes. GitHub's secondary rate limit asks to slow down (retry after 600 s); run the workflow again later."
    )
  })

  it('a request without an answer is not reported as an answer', () => {
    // Octokit's shape for a failed fetch: status 500, no response (octokit.ts words the message).
    const error = new RequestError(
      'Could not reach github.test (no HTTPS_PROXY set): getaddrinfo ENOTFOUND github.test',
      500,
      {
        request: { method: 'GET', url: 'https://github.test/repos/octo/app', headers: {} }
      }
    )
    const described = describeFailure(error, 'read octo/app')
    expect(described.message).toBe(
      'Could not read octo/app. Could not reach github.test (no HTTPS_PROXY set): getaddrinfo ENOTFOUND github.test'
    )
    expect(described.status).toBeUndefined()
  })
})
