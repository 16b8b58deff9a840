/**
 * Both tokens stay where they belong. Every fault test already ends with the secrets scan
 * (scanAndStop); this file proves the scan catches what it should, runs the action through its
 * full feature set and through servers that echo the tokens back, and checks that the Phrase
 * token never follows a link to another host.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startLocalServer, type LocalServer } from '../support/http-util.js'
import { expectFailure, expectSuccess, scanAndStop } from '../support/expect-run.js'
import { findLeaks } from '../support/secrets.js'
import { GITHUB_TOKEN, PHRASE_TOKEN, STALE_DE, startWorld, type World } from '../support/world.js'

let world: World | undefined
let bystander: LocalServer | undefined
afterEach(async () => {
  await bystander?.stop()
  bystander = undefined
  await scanAndStop(world)
  world = undefined
})

describe('the scan itself', () => {
  it('finds a token planted in each place it searches, and allows only the add-mask line', async () => {
    const clean = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    try {
      const run = await clean.run()
      expectSuccess(run)
      expect(run.stdout).toContain(`::add-mask::${PHRASE_TOKEN}`)
      expect(run.stdout).toContain(`::add-mask::${GITHUB_TOKEN}`)
      expect(await clean.leaks()).toEqual([])

      // Plant each token where a careless action could put it.
      await clean.gh.commitFiles('main', { 'notes.txt': `key ${PHRASE_TOKEN}\n` }, 'add notes')
      await clean.gh.commitFiles('main', { 'x.txt': 'x\n' }, `message with ${GITHUB_TOKEN}`)
      await mkdir(path.join(clean.workspace, 'deep/dir'), { recursive: true })
      await writeFile(path.join(clean.workspace, 'deep/dir/f.yml'), `t: ${GITHUB_TOKEN}\n`)
      const planted = {
        ...run,
        stdout: `${run.stdout}debug ${PHRASE_TOKEN}\n`,
        stderr: GITHUB_TOKEN,
        outputs: { ...run.outputs, branch: PHRASE_TOKEN },
        summary: `| ${GITHUB_TOKEN} |`
      }
      await fetch(`${clean.gh.apiUrl}/repos/octo/app?x=${PHRASE_TOKEN}`, {
        headers: { Authorization: `token ${GITHUB_TOKEN}` }
      })
      await fetch(`${clean.sim.cdnUrl}/exports/x`, { headers: { Authorization: 'token t' } })

      const leaks = await findLeaks({
        tokens: { phrase: PHRASE_TOKEN, github: GITHUB_TOKEN },
        runs: [planted],
        sim: clean.sim,
        gh: clean.gh,
        workspace: clean.workspace
      })
      expect(leaks).toEqual(
        expect.arrayContaining([
          'phrase token in run 1 stdout',
          'github token in run 1 stderr',
          'phrase token in run 1 output branch',
          'github token in run 1 job summary',
          'phrase token in the repository objects',
          'github token in the repository objects',
          'github token in workspace file deep/dir/f.yml',
          expect.stringMatching(
            /^phrase token in GitHub request \d+ \(GET \/repos\/octo\/app\) outside its Authorization header$/
          ),
          expect.stringMatching(/^CDN request \d+ carries an Authorization header$/)
        ])
      )
      // Only the planted requests count: the action's own traffic was clean.
      expect(leaks.filter(leak => /request \d+/.test(leak))).toHaveLength(2)
    } finally {
      await clean.stop()
    }
  })
})

describe('runs that use every feature', () => {
  it('create, rerun, update and files-only runs leave neither token anywhere', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    const inputs = {
      title: 'Translations',
      body: 'From Phrase.',
      labels: 'i18n',
      assignees: 'octo-dev',
      reviewers: 'reviewer-1',
      'commit-message': 'chore: translations',
      'download-params': '{include_empty_translations: true}'
    }
    expectSuccess(await world.run(inputs))
    expectSuccess(await world.run(inputs))
    world.sim.project('p1').translations.de['cart.empty'] = 'Leer'
    const update = await world.run(inputs)
    expectSuccess(update)
    expect(update.outputs['pull-request-operation']).toBe('updated')
    const filesOnly = await world.run({ 'create-pull-request': 'false', 'github-token': '' })
    expectSuccess(filesOnly)
    expect(JSON.parse(filesOnly.outputs['changed-files'])).toHaveLength(2)

    // The Phrase token went to the API host on every request but the public formats list (asked
    // without it), and nowhere else.
    const stats = world.sim.stats()
    const [formats, api] = partition(stats.requests, r => r.path.endsWith('/formats'))
    expect(api.length).toBeGreaterThan(8)
    expect(new Set(api.map(r => r.authorization))).toEqual(new Set([`token ${PHRASE_TOKEN}`]))
    expect(formats.length).toBeGreaterThan(0)
    expect(formats.every(r => r.authorization === undefined)).toBe(true)
    expect(stats.cdnRequests.length).toBeGreaterThanOrEqual(6)
    expect(stats.cdnRequests.every(r => r.authorization === undefined)).toBe(true)
    expect(new Set(world.gh.requests().map(r => r.authorization))).toEqual(
      new Set([`token ${GITHUB_TOKEN}`])
    )
    // The afterEach scan covers outputs, summaries, PR text, commits, blobs and the workspace.
  })
})

describe('servers that echo a token back', () => {
  it('a Phrase error that quotes the token does not print it', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    world.sim.faults.add({
      on: 'create',
      locale: 'de',
      status: 422,
      body: JSON.stringify({ message: `token ${PHRASE_TOKEN} may not export this` })
    })
    const run = await world.run()
    expectFailure(run, /de \(config\/locales\/de\.yml\).*may not export this/)
  })

  it('a Phrase job error that quotes the token does not print it', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    world.sim.faults.add({
      on: 'show',
      locale: 'fr',
      kind: 'jobError',
      body: `renderer crashed for request by ${PHRASE_TOKEN}`
    })
    const run = await world.run()
    expectFailure(run, /fr \(config\/locales\/fr\.yml\).*renderer crashed for request by/)
  })

  it('a GitHub error that quotes the token does not print it', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    world.gh.faults.add({
      method: 'POST',
      path: '/repos/octo/app/git/trees',
      status: 403,
      body: { message: `Resource not accessible by token ${GITHUB_TOKEN}` }
    })
    const run = await world.run()
    expectFailure(run, /Could not create a tree in octo\/app\. GitHub answered 403: Resource not/)
  })
})

describe('the Phrase token goes to the api-url host only', () => {
  it('a next-page link to another host is not followed', async () => {
    const visits: string[] = []
    bystander = await startLocalServer((req, res) => {
      visits.push(`${req.method} ${req.url} ${req.headers.authorization ?? ''}`)
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('[]')
    })
    const many = Array.from({ length: 101 }, (_, i) => ({
      id: `loc-${i}`,
      name: `l${i}`,
      code: `l${i}`
    }))
    world = await startWorld({ sim: { projects: { p1: { locales: many, translations: {} } } } })
    world.sim.publicApiUrl = `${bystander.origin}/v2`
    const run = await world.run({ locales: 'l0' })
    expectFailure(
      run,
      /next-page link points to another host \(127\.0\.0\.1:\d+\); the token is not sent there/
    )
    expect(visits).toEqual([])
  })
})

function partition<T>(items: T[], test: (item: T) => boolean): [T[], T[]] {
  return [items.filter(test), items.filter(item => !test(item))]
}
