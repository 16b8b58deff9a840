/**
 * Labels and review requests when some entries are bad. GitHub refuses a whole request for one bad
 * entry (the fake models each refusal, see TokenGrants in fake-github.ts); the valid entries must
 * still land and every bad one must be named with what it needs.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub, GITHUB_TOKEN_GRANTS, type FakeGitHubOptions } from '../support/fake-github.js'
import { clientFor } from '../support/github-client.js'
import type { GitHubClient } from '../../src/github/octokit.js'
import {
  ensurePullRequestMetadata,
  type PullRequestInfo,
  type PullRequestMetadata
} from '../../src/github/pull-request.js'
import { silentLogger, type Logger } from '../../src/logger.js'

const OWNER = 'octo'
const REPO = 'app'

let fake: FakeGitHub
let client: GitHubClient
let warnings: string[]
const logger: Logger = { ...silentLogger, warning: message => void warnings.push(message) }

/** A fake whose token is the workflow's GITHUB_TOKEN, with one open PR (#1) it authored. */
async function start(options: FakeGitHubOptions = {}): Promise<PullRequestInfo> {
  fake = await FakeGitHub.start({
    memory: true,
    owner: OWNER,
    repo: REPO,
    grants: GITHUB_TOKEN_GRANTS,
    ...options
  })
  client = clientFor(fake)
  await fake.commitFiles('phrase/translations', { 'config/locales/de.yml': 'de:\n  a: A\n' })
  const { data } = await client.rest.pulls.create({
    owner: OWNER,
    repo: REPO,
    head: 'phrase/translations',
    base: 'main',
    title: 'Update translations'
  })
  return { number: data.number, url: data.html_url, title: data.title, body: '', draft: false }
}

async function ensure(pr: PullRequestInfo, wanted: Partial<PullRequestMetadata>) {
  const before = fake.requests().length
  const result = await ensurePullRequestMetadata(
    client,
    OWNER,
    REPO,
    pr,
    { labels: [], assignees: [], reviewers: [], teamReviewers: [], ...wanted },
    logger,
    // Just opened by start(): no reviews to read.
    { fresh: true }
  )
  const sent = fake
    .requests()
    .slice(before)
    .map(r => `${r.method} ${r.path.replace(`/repos/${OWNER}/${REPO}`, '')} ${r.status}`)
  return { result, sent }
}

beforeEach(() => {
  warnings = []
})

afterEach(async () => {
  await fake?.stop()
})

describe('review requests', () => {
  it('a team the token cannot see keeps the user reviewers, and the warning says what teams need', async () => {
    const pr = await start()
    const { result, sent } = await ensure(pr, {
      reviewers: ['alice', 'bob'],
      teamReviewers: ['translators']
    })
    expect(fake.pulls()[0]).toMatchObject({
      requested_reviewers: ['alice', 'bob'],
      requested_teams: []
    })
    expect(result.requestedReviewers).toEqual(['alice', 'bob'])
    // One request for all, refused for the team; then one per entry.
    expect(sent).toEqual([
      'POST /pulls/1/requested_reviewers 422',
      'POST /pulls/1/requested_reviewers 201',
      'POST /pulls/1/requested_reviewers 201',
      'POST /pulls/1/requested_reviewers 422'
    ])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /^Could not request a review from team translators on #1\. GitHub answered 422: Validation Failed \(Could not resolve to a node with the global id of '[^']+'\.\)\. This token cannot see the organization's teams \(GITHUB_TOKEN never can\): team reviewers need a GitHub App token with the organization permission Members \(read\)/
    )
  })

  it('the PR author and a non-collaborator are named; the valid reviewer lands', async () => {
    const pr = await start({ collaborators: ['alice', 'github-actions[bot]'] })
    await ensure(pr, { reviewers: ['github-actions[bot]', 'mallory', 'alice'] })
    expect(fake.pulls()[0].requested_reviewers).toEqual(['alice'])
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Could not request a review from github-actions\[bot\] on #1\. GitHub answered 422: Review cannot be requested from pull request author\. .*is the author of the pull request/
      ),
      expect.stringMatching(
        /^Could not request a review from mallory on #1\. GitHub answered 422: Reviews may only be requested from collaborators\..* mallory is not a collaborator of octo\/app/
      )
    ])
  })

  it('all valid: one request, no warning', async () => {
    const pr = await start({ grants: {} })
    const { sent } = await ensure(pr, { reviewers: ['alice'], teamReviewers: ['translators'] })
    expect(sent).toEqual(['POST /pulls/1/requested_reviewers 201'])
    expect(fake.pulls()[0]).toMatchObject({
      requested_reviewers: ['alice'],
      requested_teams: ['translators']
    })
    expect(warnings).toEqual([])
  })

  it('a team without access to the repository is told apart from a token that cannot see teams', async () => {
    // An App token that sees the organization's teams; only "reviewers" has access to octo/app.
    const pr = await start({ grants: {}, teamsWithAccess: ['reviewers'] })
    await ensure(pr, { reviewers: ['alice'], teamReviewers: ['translators', 'reviewers'] })
    expect(fake.pulls()[0]).toMatchObject({
      requested_reviewers: ['alice'],
      requested_teams: ['reviewers']
    })
    expect(warnings).toEqual([
      'Could not request a review from team translators on #1. GitHub answered 422: Reviews may only be requested from collaborators. One or more of the teams you specified is not a collaborator of the octo/app repository. Team translators has no access to octo/app, and GitHub requests reviews only from teams that have: give the team at least read access (repository Settings → Collaborators and teams), or take it out of team-reviewers.'
    ])
  })
})

describe('labels', () => {
  it('a label that does not exist yet, without issues: write, keeps the existing ones', async () => {
    const pr = await start({ labels: ['i18n', 'automated'] })
    const { result, sent } = await ensure(pr, { labels: ['i18n', 'brand-new', 'automated'] })
    expect(fake.pulls()[0].labels).toEqual(['i18n', 'automated'])
    expect(result.labels).toEqual(['i18n', 'automated'])
    expect(sent).toEqual([
      'POST /issues/1/labels 403',
      'POST /issues/1/labels 200',
      'POST /issues/1/labels 403',
      'POST /issues/1/labels 200'
    ])
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Could not add label "brand-new" to #1\. GitHub answered 403: You do not have permission to create labels on this repository\. .*create the label, or grant `issues: write`/
      )
    ])
  })

  it('with issues: write the new label is created in the one request', async () => {
    const pr = await start({ grants: { createLabels: true }, labels: ['i18n'] })
    const { sent } = await ensure(pr, { labels: ['i18n', 'brand-new'] })
    expect(sent).toEqual(['POST /issues/1/labels 200'])
    expect(fake.pulls()[0].labels).toEqual(['i18n', 'brand-new'])
    expect(warnings).toEqual([])
  })
})
