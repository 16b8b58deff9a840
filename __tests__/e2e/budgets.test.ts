/**
 * Issue 19 end to end on the bundle: GitHub's hourly budgets at 1,000 files (the workflow token
 * has 1,000 REST requests an hour per repository, and GitHub takes about 500 content-creating
 * requests an hour), and the messages that name the right cause when GitHub refuses.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { runAction } from '../support/env.js'
import {
  expectFailure,
  expectSuccess,
  expectUntouched,
  scanAndStop
} from '../support/expect-run.js'
import { GITHUB_TOKEN_GRANTS, isWrite } from '../support/fake-github.js'
import type { GitHubRequest } from '../support/fake-github.js'
import { startNightly, type Nightly } from '../support/nightly.js'
import { annotations, LOCALES, startWorld, type World } from '../support/world.js'

const BRANCH = 'phrase/translations'

let nightly: Nightly | undefined
let world: World | undefined
afterEach(async () => {
  await nightly?.stop()
  nightly = undefined
  await scanAndStop(world)
  world = undefined
})

const blobReads = (requests: GitHubRequest[]) =>
  requests.filter(r => r.method === 'GET' && r.path.includes('/git/blobs/'))
const graphqlReads = (requests: GitHubRequest[]) => requests.filter(r => r.path === '/graphql')
const writes = (requests: GitHubRequest[]) => requests.filter(isWrite)

async function changedOnBranch(gh: Nightly['gh']): Promise<string[]> {
  return gh.changedFiles('main', BRANCH)
}

describe('a nightly over 1,000 gettext files, 3 of them changed in Phrase', () => {
  it('costs at most 25 GitHub requests with a fresh checkout: the base is read from it', async () => {
    // Every export has a new PO-Revision-Date, so every downloaded file differs from the base.
    nightly = await startNightly({ files: 1000, changed: 3, github: { memory: true } })
    const run = await runAction(nightly.env, { workspace: nightly.workspace, timeoutMs: 120_000 })
    expect(run.code).toBe(0)
    expect(run.outputs['pull-request-operation']).toBe('created')
    expect(JSON.parse(run.outputs['changed-files'])).toEqual(nightly.paths.slice(0, 3))
    expect(await changedOnBranch(nightly.gh)).toEqual(nightly.paths.slice(0, 3))
    const requests = nightly.gh.requests()
    // Before: 1,012 requests, 1,000 of them blob reads (more than the workflow token's hour).
    expect(requests.length).toBeLessThanOrEqual(25)
    expect(blobReads(requests)).toEqual([])
    expect(graphqlReads(requests)).toEqual([])
  })
})

describe('a nightly without a checkout', () => {
  it('reads the base in GraphQL batches of 100 files, still within 25 requests', async () => {
    nightly = await startNightly({
      files: 150,
      changed: 3,
      checkout: false,
      github: { memory: true }
    })
    const run = await runAction(nightly.env, { workspace: nightly.workspace, timeoutMs: 60_000 })
    expect(run.code).toBe(0)
    expect(await changedOnBranch(nightly.gh)).toEqual(nightly.paths.slice(0, 3))
    const requests = nightly.gh.requests()
    expect(graphqlReads(requests)).toHaveLength(2)
    expect(blobReads(requests)).toEqual([])
    expect(requests.length).toBeLessThanOrEqual(25)
  })
})

describe('more separate blob uploads than GitHub takes in an hour', () => {
  it('stops before the first write, naming the files and the ways around', async () => {
    // UTF-16 cannot go inline in a tree request: every changed file is a blob upload of its own.
    nightly = await startNightly({
      files: 401,
      format: 'strings',
      encoding: 'UTF-16',
      changed: 'all',
      github: { memory: true }
    })
    nightly.gh.rateLimits.limitContent()
    const run = await runAction(nightly.env, { workspace: nightly.workspace, timeoutMs: 60_000 })
    expect(run.code).toBe(1)
    const error = annotations(run.stdout, 'error').join('\n')
    expect(error).toMatch(
      /^Stopped before writing anything: this commit needs 401 separate blob uploads \(not UTF-8: i18n\/l0000\.strings, i18n\/l0001\.strings, i18n\/l0002\.strings and 398 more\), and GitHub allows about 500 content-creating requests an hour/
    )
    expect(error).toMatch(/`download-params: \{encoding: UTF-8\}`/)
    expect(writes(nightly.gh.requests())).toEqual([])
    expect(await nightly.gh.headSha(BRANCH)).toBeUndefined()
  })
})

describe('messages that name the right cause', () => {
  it('a team without access to the repository: its own warning, the rest of the PR lands', async () => {
    world = await startWorld({ github: { grants: {}, teamsWithAccess: ['reviewers'] } })
    const run = await world.run({ 'team-reviewers': 'translators, reviewers' })
    expectSuccess(run)
    expect(world.gh.pulls()[0].requested_teams).toEqual(['reviewers'])
    const warnings = annotations(run.stdout, 'warning')
    expect(warnings).toEqual([
      expect.stringMatching(
        /^Could not request a review from team translators on #1\. GitHub answered 422: Reviews may only be requested from collaborators\. One or more of the teams you specified is not a collaborator of the octo\/app repository\. Team translators has no access to octo\/app/
      )
    ])
    expect(warnings[0]).not.toMatch(/GITHUB_TOKEN/)
  })

  it('a personal access token under a rule that requires signed commits: the hint, and nothing changed', async () => {
    world = await startWorld({ github: { signsApiCommits: false, requireSignedCommits: true } })
    const before = await world.state()
    const run = await world.run()
    expectFailure(
      run,
      /Could not create branch phrase\/translations in octo\/app\. GitHub answered 422: Repository rule violations found\. Commits must have verified signatures\. A rule of this repository requires signed commits/,
      /GitHub signs the commits this action makes through its API only when the github-token is the workflow's GITHUB_TOKEN or a GitHub App installation token; with a personal access token they are unsigned/
    )
    await expectUntouched(world, before)
  })

  it('translation files tracked by Git LFS: refused before anything is written, naming them', async () => {
    const pointer = 'version https://git-lfs.github.com/spec/v1\noid sha256:0\nsize 12\n'
    world = await startWorld({
      files: {
        '.gitattributes': '* text=auto\nconfig/locales/*.yml filter=lfs diff=lfs merge=lfs -text\n',
        'config/locales/de.yml': pointer
      }
    })
    const before = await world.state()
    const run = await world.run()
    expectFailure(
      run,
      /^Refusing to write config\/locales\/de\.yml, config\/locales\/fr\.yml \(`config\/locales\/\*\.yml filter=lfs diff=lfs merge=lfs -text` in \.gitattributes\): Git LFS tracks them\./
    )
    await expectUntouched(world, before)
    expect(writes(world.gh.requests())).toEqual([])
  })

  it('a spent GitHub rate limit states the allowance the answer gave, not a fixed 1,000', async () => {
    world = await startWorld({ github: { rateLimit: 15_000 } })
    world.gh.rateLimits.exhaust(3600)
    const run = await world.run()
    expectFailure(
      run,
      /The API rate limit of the github-token is spent until .* This token may send 15,000 requests an hour \(x-ratelimit-limit\)/
    )
  })

  it('many findings leave room for operational warnings among the 10 annotations GitHub shows', async () => {
    const broken = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`k${i}`, `<b>unclosed ${i}`])
    )
    world = await startWorld({
      github: { grants: GITHUB_TOKEN_GRANTS },
      sim: { projects: { p1: { locales: LOCALES, translations: { de: broken, fr: {} } } } }
    })
    const run = await world.run({ labels: 'brand-new' })
    expectSuccess(run)
    const warnings = annotations(run.stdout, 'warning')
    expect(warnings.filter(w => w.startsWith('Translation check: de '))).toHaveLength(5)
    expect(warnings).toContain(
      'Translation check: … and 7 more findings (in the log, and the job summary lists them all)'
    )
    expect(warnings.at(-1)).toMatch(/^Could not add label "brand-new" to #1/)
    expect(warnings.length).toBeLessThanOrEqual(10)
    // The findings past the fifth are still in the log, as plain lines.
    expect(run.stdout.match(/^Translation check: de /gm)).toHaveLength(7)
  })
})
