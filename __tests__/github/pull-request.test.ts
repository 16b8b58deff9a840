import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub, type FakeGitHubOptions } from '../support/fake-github.js'
import { createGitHubClient, type GitHubClient } from '../../src/github/octokit.js'
import {
  closePullRequest,
  composeBody,
  createPullRequest,
  ensurePullRequestMetadata,
  findOpenPullRequest,
  inputsHash,
  planPullRequestUpdate,
  readPullRequests,
  updatePullRequest,
  type PullRequestMetadata
} from '../../src/github/pull-request.js'
import { silentLogger, type Logger } from '../../src/logger.js'
import { Repository } from '../../src/github/repository.js'

const OWNER = 'octo'
const REPO = 'app'
const BRANCH = 'phrase/translations'

let fake: FakeGitHub
let client: GitHubClient
let warnings: string[]
const logger: Logger = { ...silentLogger, warning: message => void warnings.push(message) }

const noMetadata = { labels: [], assignees: [], reviewers: [], teamReviewers: [] }

/** Puts one translation commit on the PR branch, as the action would. */
async function prepareBranch(branch = BRANCH, content = 'de:\n  hello: Servus\n'): Promise<void> {
  const repository = new Repository(client, OWNER, REPO)
  const base = (await repository.branchHead('main'))!
  const commit = await repository.commitFiles({
    parent: base,
    files: [{ path: 'config/locales/de.yml', content: Buffer.from(content) }],
    message: 'Update translations'
  })
  await repository.updateBranch(
    branch,
    commit.commitSha,
    (await repository.branchHead(branch))?.commitSha
  )
}

/** Opens the PR, then sets its metadata, as a run does. */
async function create(
  overrides: Partial<Parameters<typeof createPullRequest>[3] & PullRequestMetadata> = {}
) {
  const pr = await createPullRequest(
    client,
    OWNER,
    REPO,
    {
      head: BRANCH,
      base: 'main',
      title: 'Update translations',
      body: composeBody('From Phrase.', 'GEN-1', inputsHash('Update translations', 'From Phrase.')),
      draft: false,
      ...overrides
    },
    logger
  )
  const wanted = { ...noMetadata, ...overrides }
  return ensurePullRequestMetadata(client, OWNER, REPO, pr, wanted, logger, { fresh: true })
}

/** A fake GitHub with the PR branch ready, and the action's client for it. */
async function start(options: FakeGitHubOptions = {}): Promise<void> {
  fake = await FakeGitHub.start({
    memory: true,
    owner: OWNER,
    repo: REPO,
    token: 'gh-test-token',
    files: { 'config/locales/de.yml': 'de:\n  hello: Hallo\n' },
    ...options
  })
  client = createGitHubClient({
    token: 'gh-test-token',
    baseUrl: fake.apiUrl,
    userAgent: 'phrase-pull-test',
    retryAfterBaseMs: 1,
    writeSpacingMs: 0
  })
  await prepareBranch()
}

beforeEach(async () => {
  warnings = []
  await start()
})

afterEach(async () => {
  await fake.stop()
})

describe('pull request lifecycle', () => {
  it('find → create → find → update keeps one PR with the same number', async () => {
    expect(await findOpenPullRequest(client, OWNER, REPO, BRANCH, 'main')).toBeUndefined()

    const created = await create({ draft: true })
    expect(created).toMatchObject({ title: 'Update translations', draft: true })
    expect(created.url).toMatch(/\/pull\/\d+$/)

    const found = await findOpenPullRequest(client, OWNER, REPO, BRANCH, 'main')
    expect(found?.number).toBe(created.number)
    expect(found?.body).toContain('GEN-1')

    const update = planPullRequestUpdate(found!, {
      title: 'Update translations',
      userBody: 'From Phrase.',
      generated: 'GEN-2'
    })
    const updated = await updatePullRequest(client, OWNER, REPO, found!, update!)
    expect(updated.number).toBe(created.number)

    const [record] = fake.pulls()
    expect(fake.pulls()).toHaveLength(1)
    expect(record.body).toContain('GEN-2')
    expect(record.body).not.toContain('GEN-1')
    expect(record.draft).toBe(true)
    // Nothing left to do on the next run with the same content.
    const again = await findOpenPullRequest(client, OWNER, REPO, BRANCH, 'main')
    expect(
      planPullRequestUpdate(again!, {
        title: 'Update translations',
        userBody: 'From Phrase.',
        generated: 'GEN-2'
      })
    ).toBeUndefined()
  })

  it('refuses a head branch whose open PR targets another base; closed PRs do not count', async () => {
    const pr = await create()
    await expect(findOpenPullRequest(client, OWNER, REPO, BRANCH, 'develop')).rejects.toThrow(
      /Refusing to update branch phrase\/translations: it is the head of pull request #1 into main, and this run's base is develop\. .*its own branch \(the branch input\), or merge or close #1/
    )
    await closePullRequest(client, OWNER, REPO, pr, 'Closing.')
    expect(await findOpenPullRequest(client, OWNER, REPO, BRANCH, 'main')).toBeUndefined()
    expect(await findOpenPullRequest(client, OWNER, REPO, BRANCH, 'develop')).toBeUndefined()
  })

  it('sets labels, assignees and review requests on create', async () => {
    const pr = await create({
      labels: ['i18n', 'automated'],
      assignees: ['mona'],
      reviewers: ['hubot'],
      teamReviewers: ['translators']
    })
    const [record] = fake.pulls()
    expect(record.labels).toEqual(['i18n', 'automated'])
    expect(record.assignees).toEqual(['mona'])
    expect(record.requested_reviewers).toEqual(['hubot'])
    expect(record.requested_teams).toEqual(['translators'])
    expect(pr).toMatchObject({
      labels: ['i18n', 'automated'],
      assignees: ['mona'],
      requestedReviewers: ['hubot'],
      requestedTeams: ['translators']
    })
    expect(warnings).toEqual([])
  })

  it('adds only missing labels, assignees and reviewers on update', async () => {
    await create({ labels: ['i18n'], assignees: ['mona'], reviewers: ['hubot'] })
    const found = (await findOpenPullRequest(client, OWNER, REPO, BRANCH, 'main'))!
    const before = fake.requests().length
    await ensurePullRequestMetadata(
      client,
      OWNER,
      REPO,
      found,
      { labels: ['I18N', 'urgent'], assignees: ['mona'], reviewers: ['hubot'], teamReviewers: [] },
      logger
    )
    const writes = fake
      .requests()
      .slice(before)
      .filter(r => r.method !== 'GET')
    expect(writes.map(r => [r.method, r.path, r.body])).toEqual([
      ['POST', `/repos/${OWNER}/${REPO}/issues/${found.number}/labels`, { labels: ['urgent'] }]
    ])
    expect(fake.pulls()[0].labels).toEqual(['i18n', 'urgent'])

    // Everything present: no request at all.
    const after = fake.requests().length
    const current = (await findOpenPullRequest(client, OWNER, REPO, BRANCH, 'main'))!
    await ensurePullRequestMetadata(
      client,
      OWNER,
      REPO,
      current,
      { labels: ['urgent'], assignees: [], reviewers: ['hubot'], teamReviewers: [] },
      logger
    )
    expect(
      fake
        .requests()
        .slice(after)
        .filter(r => r.method !== 'GET')
    ).toEqual([])
  })

  it('warns instead of failing when a review cannot be requested', async () => {
    const pr = await create({ reviewers: ['github-actions[bot]'], labels: ['i18n'] })
    expect(pr.number).toBe(fake.pulls()[0].number)
    expect(fake.pulls()[0].labels).toEqual(['i18n'])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(
      /Could not request a review from github-actions\[bot\] on #\d+\. GitHub answered 422: Review cannot be requested from pull request author\. github-actions\[bot\] is the author/
    )
  })

  it('opens a regular PR when the repository does not support drafts', async () => {
    fake.faults.add({
      method: 'POST',
      path: `/repos/${OWNER}/${REPO}/pulls`,
      status: 422,
      body: {
        message: 'Validation Failed',
        errors: [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'Draft pull requests are not supported in this repository.'
          }
        ]
      }
    })
    const pr = await create({ draft: true })
    expect(pr.draft).toBe(false)
    expect(fake.pulls()).toHaveLength(1)
    expect(warnings[0]).toMatch(/does not support draft pull requests/)
  })

  it('takes over a PR that another run opened a moment earlier', async () => {
    const first = await create()
    const second = await create({
      body: composeBody(
        'From Phrase.',
        'GEN-OTHER',
        inputsHash('Update translations', 'From Phrase.')
      )
    })
    expect(second.number).toBe(first.number)
    expect(fake.pulls()).toHaveLength(1)
    expect(fake.pulls()[0].body).toContain('GEN-OTHER')
  })

  it('explains the repository setting when Actions may not open pull requests', async () => {
    fake.faults.add({
      method: 'POST',
      path: `/repos/${OWNER}/${REPO}/pulls`,
      status: 403,
      body: { message: 'GitHub Actions is not permitted to create or approve pull requests.' }
    })
    await expect(create()).rejects.toThrow(
      /Allow GitHub Actions to create and approve pull requests/
    )
  })

  it('closes with a comment, and a later run tells its close from a person’s', async () => {
    const pr = await create()
    await closePullRequest(client, OWNER, REPO, pr, 'main already has these translations.')
    const [record] = fake.pulls()
    expect(record.state).toBe('closed')
    expect(record.comments).toEqual(['main already has these translations.'])
    expect(record.body).toContain('GEN-1')
    expect(await readPullRequests(client, OWNER, REPO, BRANCH, 'main')).toEqual({
      open: undefined,
      lastClosed: expect.objectContaining({ number: pr.number, merged: false, byAction: true })
    })
  })
})

describe('the last closed pull request', () => {
  it('one request reads the open PR and the newest closed one: closed by a person, or merged', async () => {
    const first = await create()
    fake.closePull(first.number)
    const second = await create()
    const before = fake.requests().length
    const found = await readPullRequests(client, OWNER, REPO, BRANCH, 'main')
    expect(fake.requests().length - before).toBe(1)
    expect(found.open?.number).toBe(second.number)
    expect(found.lastClosed).toMatchObject({ number: first.number, merged: false, byAction: false })
    expect(found.lastClosed?.headSha).toMatch(/^[0-9a-f]{40}$/)

    await fake.mergePull(second.number)
    expect(await readPullRequests(client, OWNER, REPO, BRANCH, 'main')).toEqual({
      open: undefined,
      lastClosed: expect.objectContaining({ number: second.number, merged: true })
    })
  })
})

describe('metadata converges', () => {
  it('a reviewer who reviewed is not asked again; one whose request vanished is', async () => {
    const pr = await create({ reviewers: ['hubot', 'mona'] })
    await fake.review(pr.number, 'hubot')
    // hubot's review ended his request; mona's is gone too, as if someone removed it by hand.
    const found = (await findOpenPullRequest(client, OWNER, REPO, BRANCH, 'main'))!
    const wanted = { ...noMetadata, reviewers: ['hubot', 'mona'] }
    const before = fake.requests().length
    await ensurePullRequestMetadata(
      client,
      OWNER,
      REPO,
      { ...found, requestedReviewers: [] },
      wanted,
      logger
    )
    const sent = fake
      .requests()
      .slice(before)
      .map(r => [r.method, r.path.replace(`/repos/${OWNER}/${REPO}`, ''), r.body])
    expect(sent).toEqual([
      ['GET', `/pulls/${pr.number}/reviews`, undefined],
      [
        'POST',
        `/pulls/${pr.number}/requested_reviewers`,
        { reviewers: ['mona'], team_reviewers: [] }
      ]
    ])
  })

  it('right after opening, GitHub’s “Could not resolve to a node” for the PR is asked again', async () => {
    await fake.stop()
    await start({ pullSettleMs: 400 })
    const pr = await createPullRequest(
      client,
      OWNER,
      REPO,
      { head: BRANCH, base: 'main', title: 'T', body: 'B', draft: false },
      logger
    )
    await ensurePullRequestMetadata(
      client,
      OWNER,
      REPO,
      pr,
      { ...noMetadata, labels: ['i18n'], reviewers: ['hubot'] },
      logger,
      { fresh: true, settleDelaysMs: [200, 200, 200, 200] }
    )
    expect(fake.pulls()[0]).toMatchObject({ labels: ['i18n'], requested_reviewers: ['hubot'] })
    expect(warnings).toEqual([])
    const labels = fake.requests().filter(r => r.path.endsWith('/labels'))
    expect(labels[0].status).toBe(422)
    expect(labels.at(-1)?.status).toBe(200)
  })

  it('a team the token cannot see is not retried: its node is not the PR’s', async () => {
    await fake.stop()
    await start({ grants: { orgTeams: false } })
    await create({ teamReviewers: ['translators'] })
    expect(fake.requests().filter(r => r.path.endsWith('/requested_reviewers'))).toHaveLength(1)
    expect(warnings[0]).toMatch(/team translators/)
  })
})
