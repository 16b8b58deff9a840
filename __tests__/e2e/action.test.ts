/**
 * The built bundle (dist/index.js) end to end, as the runner runs it: first run, rerun, update,
 * nothing to do, a failing job, files-only mode. Each test checks the bare repo and the PR after.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { actionNode } from '../support/env.js'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { EXPORT_USER_AGENT, PHRASE_TOKEN, startWorld, type World } from '../support/world.js'
import { scanAndStop } from '../support/expect-run.js'
import { isWrite } from '../support/fake-github.js'

const STALE_DE = 'de:\n  greeting:\n    hello: Hallo alt\n'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

describe('the action, end to end', () => {
  it('creates one PR, makes no commit on rerun, and updates the same PR when Phrase changes', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    const { gh, sim } = world
    const baseSha = await gh.headSha('main')

    const first = await world.run()
    expect(first.stderr).toBe('')
    expect(first.code).toBe(0)
    expect(first.outputs['has-changes']).toBe('true')
    expect(first.outputs['pull-request-operation']).toBe('created')
    expect(JSON.parse(first.outputs['changed-files'])).toEqual([
      'config/locales/de.yml',
      'config/locales/fr.yml'
    ])
    const pulls = gh.pulls()
    expect(pulls).toHaveLength(1)
    expect(pulls[0]).toMatchObject({
      number: Number(first.outputs['pull-request-number']),
      head: 'phrase/translations',
      base: 'main',
      state: 'open'
    })
    expect(first.outputs['pull-request-url']).toBe(pulls[0].html_url)
    // The branch holds exactly what Phrase exports, on top of the base head.
    const branchSha = await gh.headSha('phrase/translations')
    expect(first.outputs['head-sha']).toBe(branchSha)
    expect((await gh.commits('phrase/translations'))[0].parents).toEqual([baseSha])
    expect(await gh.readFile('phrase/translations', 'config/locales/de.yml')).toEqual(
      await world.exported('de')
    )
    expect(await gh.readFile('phrase/translations', 'config/locales/fr.yml')).toEqual(
      await world.exported('fr')
    )
    expect(await gh.headSha('main')).toBe(baseSha)
    // The PR body and the job summary say what changed.
    expect(pulls[0].body).toContain('greeting.bye')
    expect(first.summary).toContain('config/locales/de.yml')
    // Every Phrase request names the action; the CDN never saw a token.
    const apiRequests = sim.stats().requests.filter(r => r.userAgent !== EXPORT_USER_AGENT)
    expect(apiRequests.length).toBeGreaterThan(0)
    expect(apiRequests.every(r => r.userAgent?.startsWith('phrase-pull-action/1.0.0 '))).toBe(true)
    // The bundle ran on the Node chosen for it (ACTION_NODE: Node 24 in the second CI pass).
    const runtime = execFileSync(actionNode(), ['--version'], { encoding: 'utf8' }).trim()
    expect(apiRequests.every(r => r.userAgent?.endsWith(` node/${runtime}`))).toBe(true)
    const cdn = sim.stats().cdnRequests
    expect(cdn.length).toBeGreaterThanOrEqual(2)
    expect(cdn.every(request => request.authorization === undefined)).toBe(true)

    const requestsBefore = gh.requests().length
    const rerun = await world.run()
    expect(rerun.code).toBe(0)
    expect(rerun.outputs['pull-request-operation']).toBe('unchanged')
    expect(await gh.headSha('phrase/translations')).toBe(branchSha)
    // Not a single write: the trees it read show the branch already is this change.
    const rerunWrites = gh.requests().slice(requestsBefore).filter(isWrite)
    expect(rerunWrites.map(r => `${r.method} ${r.path}`)).toEqual([])
    expect(gh.pulls()).toHaveLength(1)

    sim.project('p1').translations.fr['cart.title'] = 'Chariot'
    const update = await world.run()
    expect(update.code).toBe(0)
    expect(update.outputs['pull-request-operation']).toBe('updated')
    expect(update.outputs['pull-request-number']).toBe(first.outputs['pull-request-number'])
    expect(gh.pulls()).toHaveLength(1)
    const updatedSha = await gh.headSha('phrase/translations')
    expect(updatedSha).not.toBe(branchSha)
    expect((await gh.commits('phrase/translations'))[0].parents).toEqual([baseSha])
    expect(
      (await gh.readFile('phrase/translations', 'config/locales/fr.yml'))?.toString()
    ).toContain('Chariot')
    expect(gh.pulls()[0].body).toContain('cart.title')
  })

  it('opens nothing when the repository already has what Phrase exports', async () => {
    const probe = await startWorld()
    const files = {
      'config/locales/de.yml': await probe.exported('de'),
      'config/locales/fr.yml': await probe.exported('fr')
    }
    await probe.stop()
    world = await startWorld({ files })
    const result = await world.run()
    expect(result.code).toBe(0)
    expect(result.outputs['has-changes']).toBe('false')
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(JSON.parse(result.outputs['changed-files'])).toEqual([])
    expect(await world.gh.headSha('phrase/translations')).toBeUndefined()
    expect(world.gh.pulls()).toHaveLength(0)
  })

  it('fails naming the locale when a job ends in error, and leaves no branch and no PR', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    world.sim.faults.add({
      on: 'create',
      locale: 'fr',
      kind: 'jobError',
      body: 'export exploded'
    })
    const result = await world.run()
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error::.*fr \(config\/locales\/fr\.yml\).*export exploded/)
    expect(await world.gh.headSha('phrase/translations')).toBeUndefined()
    expect(world.gh.pulls()).toHaveLength(0)
  })

  it('puts the branch back when the pull request cannot be opened', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    const { gh } = world
    gh.faults.add({
      method: 'POST',
      path: '/repos/octo/app/pulls',
      status: 403,
      body: { message: 'GitHub Actions is not permitted to create or approve pull requests.' }
    })
    const result = await world.run()
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error::.*not permitted to create or approve pull requests/)
    expect(await gh.headSha('phrase/translations')).toBeUndefined()
    expect(gh.pulls()).toHaveLength(0)
    expect(result.summary).toContain('Phrase Pull failed')
  })

  it('stops the exports as soon as the repository side fails, and reports that cause', async () => {
    world = await startWorld({ sim: { jobDurationMs: 20_000 } })
    world.gh.faults.add({
      method: 'GET',
      path: /\/git\/ref\/heads%2Fmain$/,
      status: 401,
      body: { message: 'Bad credentials' }
    })
    const result = await world.run()
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/::error::.*401.*Bad credentials/)
    // Far sooner than the 20 s exports: they were abandoned once GitHub refused.
    expect(result.durationMs).toBeLessThan(10_000)
    expect(await world.gh.headSha('phrase/translations')).toBeUndefined()
  })

  it('only writes the workspace with create-pull-request: false', async () => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    const result = await world.run({ 'create-pull-request': 'false', 'github-token': '' })
    expect(result.code).toBe(0)
    expect(result.outputs['has-changes']).toBe('true')
    expect(result.outputs['pull-request-operation']).toBe('none')
    const written = await readFile(path.join(world.workspace, 'config/locales/fr.yml'))
    expect(written).toEqual(await world.exported('fr'))
    expect(world.gh.requests()).toHaveLength(0)
    // The runner consumes the add-mask command; nothing else may carry the token.
    const logged = result.stdout.replace(`::add-mask::${PHRASE_TOKEN}\n`, '')
    expect(logged).not.toContain(PHRASE_TOKEN)
  })
})
