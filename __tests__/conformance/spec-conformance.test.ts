/**
 * Spec conformance: the built action (dist/index.js) runs its end-to-end scenarios with Prism
 * 5.14.2 between it and both test doubles — the official Phrase Strings description in front of
 * the simulator, GitHub's REST description (subset) in front of the fake GitHub. Every request the
 * action sends and every answer the doubles give is validated; any violation, in either direction,
 * fails the test unless it is one of the KNOWN_DIFFERENCES below.
 *
 * Severity: Prism's `Error` and `Warning` both fail. A Warning is how Prism reports a request to a
 * route the description does not have ("Selected route not found") or a status code it does not
 * list — both are real mismatches. `Information` and `Hint` carry no mismatch and are ignored.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { LOCALES, PHRASE_TOKEN, startWorld, translations, type World } from '../support/world.js'
import {
  startProxiedApis,
  type ApiName,
  type ConformanceReport,
  type ProxiedApis,
  type Violation
} from './proxied-apis.js'

/**
 * Where the live Phrase service knowingly differs from its description (specs/phrase/README.md).
 * Each entry matches one operation, one status and one location exactly; nothing else is excused.
 */
interface KnownDifference {
  api: ApiName
  /** `METHOD /path/{template}` as written in the description. */
  operation: string
  status: number
  severity: Violation['severity']
  location: string[]
  message: RegExp
  reason: string
}

const KNOWN_DIFFERENCES: KnownDifference[] = [
  {
    api: 'phrase',
    operation: 'POST /projects/{project_id}/locales/{locale_id}/downloads',
    status: 202,
    severity: 'Error',
    location: ['response'],
    message: /^Unable to match the returned status code with those defined in the document: 201,/,
    reason:
      'Creating an async download answers 202 Accepted on the live service; the description says 201. ' +
      'The body is the same locale_download that the show operation returns, which is validated.'
  },
  {
    api: 'phrase',
    operation: 'GET /formats',
    status: 200,
    severity: 'Error',
    location: ['request'],
    message: /^Invalid security scheme used$/,
    reason:
      'The formats list is public on the live service ("does not require authentication and is not ' +
      'subject to rate limiting", says the operation itself), but the description\'s global security ' +
      'applies to it; the action asks for it without the token. Its answer is validated.'
  },
  ...[
    { location: ['response'], message: /^The received media type "application\/vnd\.github\.raw"/ },
    { location: ['response', 'body'], message: /^Response body must be object$/ }
  ].map(({ location, message }): KnownDifference => ({
    api: 'github',
    operation: 'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
    status: 200,
    severity: 'Error',
    location,
    message,
    reason:
      'The action reads blobs as raw bytes (`Accept: application/vnd.github.raw+json`), a media ' +
      'type the operation documents in its text ("Returns the raw blob data") but not among its ' +
      'responses; the base64 JSON form of a large file costs several times its size in memory.'
  }))
]

function operationPattern(operation: string): { method: string; path: RegExp } {
  const [method, template] = operation.split(' ')
  const source = template
    .split(/\{[^}]+\}/)
    .map(part => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))
    .join('[^/]+')
  return { method, path: new RegExp(`^${source}$`) }
}

function knownDifference(violation: Violation): KnownDifference | undefined {
  return KNOWN_DIFFERENCES.find(known => {
    const { method, path: pattern } = operationPattern(known.operation)
    return (
      known.api === violation.api &&
      method === violation.method &&
      pattern.test(violation.path) &&
      known.status === violation.status &&
      known.severity === violation.severity &&
      JSON.stringify(known.location) === JSON.stringify(violation.location) &&
      known.message.test(violation.message)
    )
  })
}

const usedDifferences = new Set<KnownDifference>()

/** Fails on any problem or unexplained violation; returns the report for further checks. */
function expectConformant(report: ConformanceReport): ConformanceReport {
  expect(report.problems).toEqual([])
  const unexplained = report.violations.filter(violation => {
    if (violation.severity === 'Information' || violation.severity === 'Hint') return false
    const known = knownDifference(violation)
    if (known) usedDifferences.add(known)
    return known === undefined
  })
  expect(unexplained).toEqual([])
  return report
}

/** `METHOD /path` of every exchange, queries dropped, ids kept: tells which operations were seen. */
function calls(report: ConformanceReport, api: ApiName): string[] {
  return report.exchanges
    .filter(exchange => exchange.api === api)
    .map(exchange => `${exchange.method} ${exchange.url.split('?')[0]} ${exchange.status}`)
}

const STALE_DE = 'de:\n  greeting:\n    hello: Hallo alt\n'

let apis: ProxiedApis
let scenario: World | undefined

beforeAll(async () => {
  apis = await startProxiedApis()
}, 120_000)

afterAll(async () => {
  await apis?.stop()
})

afterEach(async () => {
  await scenario?.stop()
  scenario = undefined
})

/** A fresh pair of doubles behind the running proxies. */
async function world(options: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  scenario = await startWorld(options)
  apis.attach(scenario.sim, scenario.gh)
  return scenario
}

/** Runs the bundle through both proxies and returns the run with its conformance report. */
async function runThroughPrism(
  world: World,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
) {
  apis.attach(world.sim, world.gh)
  world.sim.resetStats()
  const githubBefore = world.gh.requests().length
  const run = await world.run(
    { 'api-url': apis.phraseUrl, ...inputs },
    { env: { GITHUB_API_URL: apis.githubUrl, ...env } }
  )
  const report = await apis.collect()
  // Nothing reached a double around the proxies (a Link or URL pointing past them, say).
  expect(world.sim.stats().apiRequestCount).toBe(calls(report, 'phrase').length)
  // GraphQL (the branch's compare-and-swap) is no REST operation: it goes to GITHUB_GRAPHQL_URL.
  const rest = world.gh
    .requests()
    .slice(githubBefore)
    .filter(r => r.path !== '/graphql')
  expect(rest.length).toBe(calls(report, 'github').length)
  return { run, report }
}

describe('the action speaks both APIs as their descriptions say (Prism proxies)', () => {
  it('creates a PR with labels, assignees, reviewers, teams and draft; reruns unchanged; updates it', async () => {
    // Without GraphQL's updateRefs the branch moves through REST, which Prism can validate. Jobs
    // long enough to be seen `processing`: on a busy machine a 50 ms job can be done by the time
    // its create is answered, and the status check would never be sent.
    const w = await world({
      files: { 'config/locales/de.yml': STALE_DE },
      github: { graphql: 'no-update-refs' },
      sim: { jobDurationMs: 400 }
    })
    const prInputs = {
      labels: 'i18n, automated',
      assignees: 'octocat',
      reviewers: 'alice',
      'team-reviewers': 'translators',
      draft: 'true'
    }

    const first = await runThroughPrism(w, prInputs)
    expect(first.run.stderr).toBe('')
    expect(first.run.code).toBe(0)
    expect(first.run.outputs['pull-request-operation']).toBe('created')
    expectConformant(first.report)
    const [pr] = w.gh.pulls()
    expect(pr).toMatchObject({
      draft: true,
      labels: ['i18n', 'automated'],
      assignees: ['octocat'],
      requested_reviewers: ['alice'],
      requested_teams: ['translators']
    })
    // Every operation of a first run went through the proxies.
    expect(calls(first.report, 'phrase')).toEqual(
      expect.arrayContaining([
        'GET /formats 200',
        'GET /projects/p1/locales 200',
        'POST /projects/p1/locales/loc-de/downloads 202',
        'POST /projects/p1/locales/loc-fr/downloads 202'
      ])
    )
    expect(calls(first.report, 'phrase')).toContainEqual(
      expect.stringMatching(/^GET \/projects\/p1\/locales\/loc-de\/downloads\/\w+ 200$/)
    )
    expect(calls(first.report, 'github')).toEqual(
      expect.arrayContaining([
        'POST /repos/octo/app/git/trees 201',
        'POST /repos/octo/app/git/commits 201',
        'POST /repos/octo/app/git/refs 201',
        'POST /repos/octo/app/pulls 201',
        'POST /repos/octo/app/issues/1/labels 200',
        'POST /repos/octo/app/issues/1/assignees 201',
        'POST /repos/octo/app/pulls/1/requested_reviewers 201'
      ])
    )

    const rerun = await runThroughPrism(w, prInputs)
    expect(rerun.run.code).toBe(0)
    expect(rerun.run.outputs['pull-request-operation']).toBe('unchanged')
    expectConformant(rerun.report)

    w.sim.project('p1').translations.fr['cart.title'] = 'Chariot'
    const update = await runThroughPrism(w, { ...prInputs, title: 'Translations (Phrase)' })
    expect(update.run.code).toBe(0)
    expect(update.run.outputs['pull-request-operation']).toBe('updated')
    expectConformant(update.report)
    expect(calls(update.report, 'github')).toEqual(
      expect.arrayContaining(['PATCH /repos/octo/app/git/refs/heads%2Fphrase%2Ftranslations 200'])
    )
    expect(calls(update.report, 'github')).toContainEqual(
      expect.stringMatching(/^PATCH \/repos\/octo\/app\/(pulls|issues)\/1 200$/)
    )
    expect(w.gh.pulls()).toHaveLength(1)
    expect(w.gh.pulls()[0].title).toBe('Translations (Phrase)')
  })

  it('opens nothing when the repository already matches Phrase (run from a tag: base = default branch)', async () => {
    const probe = await startWorld()
    const files = {
      'config/locales/de.yml': await probe.exported('de'),
      'config/locales/fr.yml': await probe.exported('fr')
    }
    await probe.stop()
    const w = await world({ files })
    const { run, report } = await runThroughPrism(w, {}, { GITHUB_REF: 'refs/tags/v1.0.0' })
    expect(run.code).toBe(0)
    expect(run.outputs['pull-request-operation']).toBe('none')
    expect(w.gh.pulls()).toHaveLength(0)
    expectConformant(report)
    expect(calls(report, 'github')).toContain('GET /repos/octo/app 200')
  })

  it('closes the PR and deletes the branch with delete-branch: true once base matches Phrase', async () => {
    // Without GraphQL (a GHES without it, say), the branch is read again and deleted through
    // REST, and base files are read as raw blobs through REST: Prism sees those reads too.
    const w = await world({
      files: { 'config/locales/de.yml': STALE_DE },
      github: { graphql: 'absent' }
    })
    const first = await runThroughPrism(w)
    expect(first.run.outputs['pull-request-operation']).toBe('created')
    expectConformant(first.report)
    // The base's stale de.yml, read as raw bytes.
    expect(calls(first.report, 'github')).toContainEqual(
      expect.stringMatching(/^GET \/repos\/octo\/app\/git\/blobs\/[0-9a-f]{40} 200$/)
    )
    await w.gh.commitFiles('main', {
      'config/locales/de.yml': await w.exported('de'),
      'config/locales/fr.yml': await w.exported('fr')
    })

    const { run, report } = await runThroughPrism(w, { 'delete-branch': 'true' })
    expect(run.code).toBe(0)
    expect(run.outputs['pull-request-operation']).toBe('closed')
    expect(w.gh.pulls()[0].state).toBe('closed')
    expect(await w.gh.headSha('phrase/translations')).toBeUndefined()
    expectConformant(report)
    expect(calls(report, 'github')).toEqual(
      expect.arrayContaining([
        'POST /repos/octo/app/issues/1/comments 201',
        'PATCH /repos/octo/app/pulls/1 200',
        'DELETE /repos/octo/app/git/refs/heads%2Fphrase%2Ftranslations 204'
      ])
    )
  })

  it('pulls every target of a .phrase.yml with its own params into one PR', async () => {
    const w = await world({
      sim: {
        projects: {
          p1: {
            locales: LOCALES,
            translations: translations(),
            tags: { web: ['greeting.hello', 'greeting.bye'] }
          }
        }
      }
    })
    await writeFile(
      path.join(w.workspace, '.phrase.yml'),
      [
        'phrase:',
        '  project_id: p1',
        '  pull:',
        '    targets:',
        '      - file: config/locales/<locale_name>.yml',
        '        params:',
        '          file_format: yml',
        '      - file: web/i18n/<locale_code>.json',
        '        params:',
        '          file_format: nested_json',
        '          tags: web',
        '          include_empty_translations: true',
        '          format_options:',
        '            enclose_in_cdata: false',
        ''
      ].join('\n')
    )
    const { run, report } = await runThroughPrism(w, { 'file-format': '', path: '' })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs['changed-files'])).toEqual([
      'config/locales/de.yml',
      'config/locales/fr.yml',
      'web/i18n/de-DE.json',
      'web/i18n/fr-FR.json'
    ])
    expect(w.gh.pulls()).toHaveLength(1)
    expectConformant(report)
    const creates = w.sim.stats().requests.filter(request => request.method === 'POST')
    expect(creates.map(request => request.body)).toContainEqual(
      expect.objectContaining({ file_format: 'nested_json', tags: 'web' })
    )
  })

  it('follows the Link header through more than 100 locales', async () => {
    const many = Array.from({ length: 130 }, (_, i) => ({
      id: `loc-${i}`,
      name: `l${String(i).padStart(3, '0')}`,
      code: `x-${i}`
    }))
    const w = await world({
      sim: {
        projects: {
          p1: {
            locales: [...LOCALES, ...many],
            translations: { ...translations(), l120: { 'greeting.hello': 'Hi 120' } }
          }
        }
      }
    })
    const { run, report } = await runThroughPrism(w, { locales: 'de, l120' })
    expect(run.code).toBe(0)
    expect(JSON.parse(run.outputs['changed-files'])).toEqual([
      'config/locales/de.yml',
      'config/locales/l120.yml'
    ])
    expectConformant(report)
    const pages = report.exchanges.filter(
      exchange => exchange.api === 'phrase' && exchange.url.startsWith('/projects/p1/locales?')
    )
    expect(pages.map(page => new URL(page.url, 'http://x').searchParams.get('page'))).toEqual([
      null,
      '2'
    ])
  })

  it('addresses a Phrase branch as the description says, and lists the branches when it is missing', async () => {
    const branch = {
      locales: LOCALES.map(locale => ({ ...locale, id: `${locale.id}-b` })),
      translations: translations()
    }
    const w = await world({
      sim: {
        projects: {
          p1: { locales: LOCALES, translations: translations(), branches: { 'feature-x': branch } }
        }
      }
    })
    const missing = await runThroughPrism(w, { 'phrase-branch': 'feature-y' })
    expect(missing.run.code).toBe(1)
    expect(missing.run.stdout).toMatch(/branch "feature-y" not found in project "p1"/)
    expectConformant(missing.report)
    expect(calls(missing.report, 'phrase')).toEqual(
      expect.arrayContaining(['GET /projects/p1/locales 404', 'GET /projects/p1/branches 200'])
    )

    const pulled = await runThroughPrism(w, { 'phrase-branch': 'feature-x' })
    expect(pulled.run.code).toBe(0)
    expectConformant(pulled.report)
    expect(calls(pulled.report, 'phrase')).toEqual(
      expect.arrayContaining([
        'GET /projects/p1/locales 200',
        'POST /projects/p1/locales/loc-de-b/downloads 202'
      ])
    )
  })

  it('falls back to the sync download for a read-only token', async () => {
    const w = await world({
      files: { 'config/locales/de.yml': STALE_DE },
      sim: { tokens: { read: [PHRASE_TOKEN], write: [] } }
    })
    const { run, report } = await runThroughPrism(w, {
      'download-params': '{"include_empty_translations": true, "format_options": {"indent": 2}}'
    })
    expect(run.code).toBe(0)
    expect(run.stdout).toMatch(
      /::warning::Phrase refused to start an asynchronous download \(403.*`write` scope/
    )
    expect(run.outputs['pull-request-operation']).toBe('created')
    expectConformant(report)
    expect(calls(report, 'phrase')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^POST \/projects\/p1\/locales\/loc-\w+\/downloads 403$/),
        'GET /projects/p1/locales/loc-de/download 200',
        'GET /projects/p1/locales/loc-fr/download 200'
      ])
    )
  })

  it('fails on a job error without touching the repository', async () => {
    const w = await world({ files: { 'config/locales/de.yml': STALE_DE } })
    w.sim.faults.add({ on: 'create', locale: 'fr', kind: 'jobError', body: 'export exploded' })
    const { run, report } = await runThroughPrism(w)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error::.*fr \(config\/locales\/fr\.yml\).*export exploded/)
    expect(w.gh.pulls()).toHaveLength(0)
    expectConformant(report)
  })

  it('fails naming the locale when Phrase answers 404 for it', async () => {
    const w = await world({ files: { 'config/locales/de.yml': STALE_DE } })
    w.sim.faults.add({ on: 'create', locale: 'fr', status: 404, body: '{"message":"Not Found"}' })
    const { run, report } = await runThroughPrism(w)
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/::error::.*fr \(config\/locales\/fr\.yml\).*not found \(404\)/)
    expect(w.gh.pulls()).toHaveLength(0)
    expectConformant(report)
    expect(calls(report, 'phrase')).toContain('POST /projects/p1/locales/loc-fr/downloads 404')
  })

  it('every known difference was met (none is stale)', () => {
    expect(KNOWN_DIFFERENCES.filter(known => !usedDifferences.has(known))).toEqual([])
  })
})

describe('the conformance check itself', () => {
  const phraseHeaders = {
    Authorization: `token ${PHRASE_TOKEN}`,
    'User-Agent': 'conformance-self-check',
    'Content-Type': 'application/json'
  }

  /** What expectConformant would leave unexplained. */
  const unexplained = (report: ConformanceReport) =>
    report.violations.filter(
      v => (v.severity === 'Error' || v.severity === 'Warning') && !knownDifference(v)
    )

  it('reports a request that breaks the description, and a response that does', async () => {
    const w = await world()
    w.sim.faults.add({ on: 'show', status: 200, body: '{"id":7,"status":"exploded"}' })
    // file_format must be a string; the simulator refuses it with 422 (which is described).
    await fetch(`${apis.phraseUrl}/projects/p1/locales/loc-de/downloads`, {
      method: 'POST',
      headers: phraseHeaders,
      body: JSON.stringify({ file_format: 5 })
    }).then(res => res.arrayBuffer())
    const created = (await fetch(`${apis.phraseUrl}/projects/p1/locales/loc-de/downloads`, {
      method: 'POST',
      headers: phraseHeaders,
      body: JSON.stringify({ file_format: 'yml' })
    }).then(res => res.json())) as { id: string }
    await fetch(`${apis.phraseUrl}/projects/p1/locales/loc-de/downloads/${created.id}`, {
      headers: phraseHeaders
    }).then(res => res.arrayBuffer())

    const report = await apis.collect()
    expect(report.problems).toEqual([])
    const found = unexplained(report).map(v => `${v.method} ${v.status} ${v.location.join('.')}`)
    expect(found).toContain('POST 422 request.body.file_format')
    expect(found).toContainEqual(expect.stringMatching(/^GET 200 response\.body\.(id|status)$/))
  })

  it('reports an unknown route and a GitHub answer missing required properties', async () => {
    const w = await world()
    w.gh.faults.add({ method: 'GET', path: /\/git\/ref\//, status: 200, body: { ref: 1 } })
    await fetch(`${apis.phraseUrl}/projects/p1/glossary-of-nothing`, {
      headers: phraseHeaders
    }).then(res => res.arrayBuffer())
    await fetch(`${apis.githubUrl}/repos/octo/app/git/ref/heads%2Fmain`, {
      headers: { Authorization: `token ${w.gh.token}`, 'User-Agent': 'conformance-self-check' }
    }).then(res => res.arrayBuffer())

    const report = await apis.collect()
    expect(report.problems).toEqual([])
    const found = unexplained(report)
    expect(found).toContainEqual(
      expect.objectContaining({
        api: 'phrase',
        severity: 'Warning',
        message: expect.stringMatching(/route not found/i)
      })
    )
    expect(found).toContainEqual(
      expect.objectContaining({
        api: 'github',
        status: 200,
        location: expect.arrayContaining(['response', 'body'])
      })
    )
  })

  it('excuses a known difference only on its own operation and status', () => {
    const base: Violation = {
      api: 'phrase',
      method: 'POST',
      path: '/projects/p1/locales/loc-de/downloads',
      status: 202,
      severity: 'Error',
      location: ['response'],
      message:
        'Unable to match the returned status code with those defined in the document: 201,400,401,403,404,422,429'
    }
    expect(knownDifference(base)).toBeDefined()
    expect(knownDifference({ ...base, status: 200 })).toBeUndefined()
    expect(
      knownDifference({ ...base, path: '/projects/p1/locales/loc-de/download' })
    ).toBeUndefined()
    expect(knownDifference({ ...base, method: 'GET' })).toBeUndefined()
    expect(knownDifference({ ...base, api: 'github' })).toBeUndefined()
    expect(knownDifference({ ...base, location: ['response', 'body'] })).toBeUndefined()

    const publicFormats: Violation = {
      api: 'phrase',
      method: 'GET',
      path: '/formats',
      status: 200,
      severity: 'Error',
      location: ['request'],
      message: 'Invalid security scheme used'
    }
    expect(knownDifference(publicFormats)).toBeDefined()
    // Only the missing token is excused there: not another route, nor a bad answer.
    expect(knownDifference({ ...publicFormats, path: '/projects/p1/locales' })).toBeUndefined()
    expect(knownDifference({ ...publicFormats, location: ['response', 'body'] })).toBeUndefined()
    expect(knownDifference({ ...publicFormats, status: 400 })).toBeUndefined()
  })
})
