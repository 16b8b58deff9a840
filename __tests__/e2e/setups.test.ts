/**
 * Issue 6 end to end on the bundle: the setups teams already have — a Phrase CLI `.phrase.yml`
 * with several targets and projects, `<tag>` files, read-only tokens, GitHub Enterprise Server and
 * another Phrase data center behind their own base paths, and files-only runs.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { startPrefixProxy, type PrefixProxy } from './prefix-proxy.js'
import {
  annotations,
  LOCALES,
  PHRASE_TOKEN,
  startWorld,
  translations,
  type World
} from '../support/world.js'
import { scanAndStop } from '../support/expect-run.js'

const BRANCH = 'phrase/translations'
/** Inputs that leave the files to the config: what a workflow with only `api-token` passes. */
const FROM_CONFIG = { path: '', 'file-format': '', 'project-id': '' }
const FILE_TOKEN = 'token-left-in-the-config-file'

let world: World | undefined
let proxies: PrefixProxy[] = []
afterEach(async () => {
  await Promise.all(proxies.map(proxy => proxy.stop()))
  proxies = []
  await scanAndStop(world)
  world = undefined
})

async function writeWorkspaceFile(s: World, file: string, content: string | Buffer): Promise<void> {
  await mkdir(path.dirname(path.join(s.workspace, file)), { recursive: true })
  await writeFile(path.join(s.workspace, file), content)
}

/** A second Phrase project for the web app, with tagged keys and its own locale ids. */
const WEB_PROJECT = {
  locales: [
    { id: 'web-de', name: 'de', code: 'de-DE' },
    { id: 'web-fr', name: 'fr', code: 'fr-FR' }
  ],
  translations: {
    de: { 'nav.home': 'Startseite', 'nav.cart': 'Warenkorb', 'admin.secret': 'Geheim' },
    fr: { 'nav.home': 'Accueil', 'nav.cart': 'Panier', 'admin.secret': 'Secret' }
  },
  tags: { web: ['nav.home', 'nav.cart'] }
}

const TWO_TARGETS = `# Phrase CLI config, as teams have it
phrase:
  access_token: ${FILE_TOKEN}
  project_id: p1
  file_format: yml
  pull:
    targets:
      - file: config/locales/<locale_name>.yml
      - file: web/src/i18n/de-DE.json
        project_id: p2
        params:
          file_format: nested_json
          locale_id: web-de
          tags: web
          include_empty_translations: true
`

function createBodies(s: World, project: string): unknown[] {
  return s.sim
    .stats()
    .requests.filter(r => r.method === 'POST' && r.path.startsWith(`/v2/projects/${project}/`))
    .map(r => r.body)
}

describe('.phrase.yml', () => {
  it('pulls every target, with its own project and params, into one pull request', async () => {
    world = await startWorld({
      sim: { projects: { p1: { locales: LOCALES, translations: translations() }, p2: WEB_PROJECT } }
    })
    const { gh } = world
    await writeWorkspaceFile(world, '.phrase.yml', TWO_TARGETS)

    const result = await world.run(FROM_CONFIG)
    expect(result.code).toBe(0)
    const files = ['config/locales/de.yml', 'config/locales/fr.yml', 'web/src/i18n/de-DE.json']
    expect(JSON.parse(result.outputs['changed-files'])).toEqual(files)
    expect(result.outputs['pull-request-operation']).toBe('created')
    expect(gh.pulls()).toHaveLength(1)
    // One commit holds both targets.
    const [commit] = await gh.commits(BRANCH)
    expect(await gh.changedFiles(commit.parents[0], commit.sha)).toEqual(files)
    // The second target: its project, its one locale, only the tagged keys.
    expect(JSON.parse((await gh.readFile(BRANCH, 'web/src/i18n/de-DE.json'))!.toString())).toEqual({
      nav: { cart: 'Warenkorb', home: 'Startseite' }
    })
    expect(await gh.readFile(BRANCH, 'config/locales/de.yml')).toEqual(await world.exported('de'))
    expect(createBodies(world, 'p2')).toEqual([
      { file_format: 'nested_json', tags: 'web', include_empty_translations: true }
    ])
    expect(createBodies(world, 'p1')).toEqual([{ file_format: 'yml' }, { file_format: 'yml' }])
    expect(world.sim.stats().requests.map(r => r.path)).toContain(
      '/v2/projects/p2/locales/web-de/downloads'
    )
    // The token in the file is never used and never printed; the user is told to remove it.
    // (The public formats list is asked without a token.)
    const api = world.sim.stats().requests.filter(r => !r.path.endsWith('/formats'))
    expect(api.every(r => r.authorization === `token ${PHRASE_TOKEN}`)).toBe(true)
    expect(annotations(result.stdout, 'warning')).toEqual([
      expect.stringContaining('.phrase.yml contains phrase.access_token: it is ignored')
    ])
    expect(result.stdout).not.toContain(FILE_TOKEN)
  })

  it('fails naming the unknown key and its line, before any request', async () => {
    world = await startWorld()
    await writeWorkspaceFile(
      world,
      'i18n/phrase.yml',
      TWO_TARGETS.replace(
        '        params:\n          file_format: nested',
        '        parms:\n          file_format: nested'
      )
    )
    const result = await world.run({ ...FROM_CONFIG, config: 'i18n/phrase.yml' })
    expect(result.code).toBe(1)
    expect(annotations(result.stdout, 'error')).toEqual([
      'config: i18n/phrase.yml:11: unknown key "parms" in phrase.pull.targets[1] (did you mean "params"?) (known: file, project_id, access_token, file_format, params)'
    ])
    expect(world.sim.stats().apiRequestCount).toBe(0)
    expect(world.gh.requests()).toEqual([])
    expect(await world.gh.headSha(BRANCH)).toBeUndefined()
  })

  it('fails naming the line of invalid YAML', async () => {
    world = await startWorld()
    await writeWorkspaceFile(
      world,
      '.phrase.yml',
      'phrase:\n  project_id: p1\n  pull:\n    targets: [\n'
    )
    const result = await world.run(FROM_CONFIG)
    expect(result.code).toBe(1)
    const [error] = annotations(result.stdout, 'error')
    expect(error).toMatch(/^config: \.phrase\.yml:\d+: invalid YAML: /)
    expect(world.gh.requests()).toEqual([])
    expect(world.sim.stats().apiRequestCount).toBe(0)
  })

  it('writes the targets into the workspace only with create-pull-request: false, keeping churn-only files', async () => {
    world = await startWorld({
      sim: { projects: { p1: { locales: LOCALES, translations: translations() }, p2: WEB_PROJECT } }
    })
    await writeWorkspaceFile(
      world,
      '.phrase.yml',
      TWO_TARGETS.replace(
        'config/locales/<locale_name>.yml',
        'locale/<locale_name>.po\n        params:\n          file_format: gettext'
      )
    )
    // The checkout's de.po is what Phrase has, under an older revision date.
    const oldDe = Buffer.from(
      (await world.exported('de', 'gettext'))
        .toString()
        .replace(/PO-Revision-Date: [^\\]+/, 'PO-Revision-Date: 2023-03-04 05:06+0000')
    )
    await writeWorkspaceFile(world, 'locale/de.po', oldDe)

    const result = await world.run({
      ...FROM_CONFIG,
      'create-pull-request': 'false',
      'github-token': ''
    })
    expect(result.code).toBe(0)
    expect(result.outputs['has-changes']).toBe('true')
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(JSON.parse(result.outputs['changed-files'])).toEqual([
      'locale/fr.po',
      'web/src/i18n/de-DE.json'
    ])
    expect(await readFile(path.join(world.workspace, 'locale/de.po'))).toEqual(oldDe)
    expect(await readFile(path.join(world.workspace, 'locale/fr.po'), 'utf8')).toContain(
      'msgstr "Panier"'
    )
    expect(
      JSON.parse(await readFile(path.join(world.workspace, 'web/src/i18n/de-DE.json'), 'utf8'))
    ).toEqual({
      nav: { cart: 'Warenkorb', home: 'Startseite' }
    })
    expect(world.gh.requests()).toEqual([])
  })
})

describe('placeholders', () => {
  it('writes one file per tag with <tag>', async () => {
    world = await startWorld({
      sim: {
        projects: {
          p1: {
            locales: LOCALES,
            translations: translations(),
            tags: { web: ['greeting.hello', 'greeting.bye'], checkout: ['cart.title'] }
          }
        }
      }
    })
    const { gh } = world
    const result = await world.run({
      path: 'config/locales/<tag>/<locale_code>.yml',
      tags: 'web, checkout'
    })
    expect(result.code).toBe(0)
    expect((JSON.parse(result.outputs['changed-files']) as string[]).sort()).toEqual([
      'config/locales/checkout/de-DE.yml',
      'config/locales/checkout/fr-FR.yml',
      'config/locales/web/de-DE.yml',
      'config/locales/web/fr-FR.yml'
    ])
    const web = (await gh.readFile(BRANCH, 'config/locales/web/fr-FR.yml'))!.toString()
    expect(web).toContain('Bonjour')
    expect(web).not.toContain('Panier')
    const checkout = (await gh.readFile(BRANCH, 'config/locales/checkout/fr-FR.yml'))!.toString()
    expect(checkout).toContain('Panier')
    expect(checkout).not.toContain('Bonjour')
    const tags = createBodies(world, 'p1').map(body => (body as { tags?: string }).tags)
    expect(tags.sort()).toEqual(['checkout', 'checkout', 'web', 'web'])
  })
})

describe('read-only Phrase token', () => {
  it('falls back to synchronous downloads with one warning that names the write scope', async () => {
    world = await startWorld({ sim: { tokens: { write: [], read: [PHRASE_TOKEN] } } })
    const { gh, sim } = world
    const result = await world.run()
    expect(result.code).toBe(0)
    expect(result.outputs['pull-request-operation']).toBe('created')
    const warnings = annotations(result.stdout, 'warning')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toMatch(/`write` scope/)
    expect(warnings[0]).toMatch(/synchronous download/)
    const stats = sim.stats()
    expect(stats.jobsCreated).toBe(0)
    expect(stats.perLocale.de.syncs).toBe(1)
    expect(stats.perLocale.fr.syncs).toBe(1)
    expect(stats.perLocale.de.creates + stats.perLocale.fr.creates).toBeGreaterThanOrEqual(1)
    expect(await gh.readFile(BRANCH, 'config/locales/de.yml')).toEqual(await world.exported('de'))
    expect(await gh.readFile(BRANCH, 'config/locales/fr.yml')).toEqual(await world.exported('fr'))
  })
})

describe('other hosts and base paths', () => {
  it('talks to GitHub Enterprise Server under /api/v3 through GITHUB_API_URL', async () => {
    world = await startWorld()
    const { gh } = world
    const ghes = await startPrefixProxy(gh.apiUrl, '/api/v3')
    proxies.push(ghes)
    const result = await world.run({}, { env: { GITHUB_API_URL: ghes.url } })
    expect(result.code).toBe(0)
    expect(result.outputs['pull-request-operation']).toBe('created')
    expect(gh.pulls()).toHaveLength(1)
    expect(ghes.refused).toEqual([])
    expect(ghes.received.length).toBe(gh.requests().length)
    // The repository itself (its default branch names the head branch) and everything below it.
    expect(ghes.received.every(p => /^\/api\/v3\/repos\/octo\/app(\/|$)/.test(p))).toBe(true)
  })

  it('talks to Phrase under another base path (US data center style) through api-url, pages included', async () => {
    const names = Array.from({ length: 130 }, (_, i) => `l${String(i).padStart(3, '0')}`)
    world = await startWorld({
      sim: {
        projects: {
          p1: {
            locales: names.map(name => ({ id: `id-${name}`, name, code: `${name}-X` })),
            translations: Object.fromEntries(
              names.map(name => [name, { 'app.title': `Title ${name}` }])
            )
          }
        }
      }
    })
    const { sim } = world
    const us = await startPrefixProxy(new URL(sim.apiUrl).origin, '/us')
    proxies.push(us)
    sim.publicApiUrl = `${us.url}/v2`
    const result = await world.run({ 'api-url': `${us.url}/v2`, locales: 'l003, l120' })
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs['changed-files'])).toEqual([
      'config/locales/l003.yml',
      'config/locales/l120.yml'
    ])
    // l120 is on the second page: the Link header was followed under the same base path.
    expect(us.received.filter(p => p.startsWith('/us/v2/projects/p1/locales?'))).toHaveLength(2)
    expect(us.refused).toEqual([])
    expect(us.received.length).toBe(sim.stats().apiRequestCount)
    // The file itself still comes from the CDN host, without the token.
    const cdn = sim.stats().cdnRequests
    expect(cdn).toHaveLength(2)
    expect(cdn.every(r => r.authorization === undefined)).toBe(true)
  })
})
