/**
 * Issue 5 end to end on the bundle: only meaningful changes are committed, the PR explains them
 * per locale and key (at scale: review-body.test.ts), reviewers' edits survive, safety checks stop bad downloads, and the branch
 * always sits on the latest base head. Each test inspects the bare repo, the PR and the outputs.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import {
  annotations,
  PHRASE_TOKEN,
  startWorld,
  translations,
  type World
} from '../support/world.js'
import { scanAndStop } from '../support/expect-run.js'
import { isWrite } from '../support/fake-github.js'

const BRANCH = 'phrase/translations'
const GETTEXT = { 'file-format': 'gettext', path: 'locale/<locale_name>.po' }
const NESTED_JSON = { 'file-format': 'nested_json', path: 'web/<locale_name>.json' }
const START_MARKER = '<!-- phrase-pull:start'
const TABLE_HEADING = '### Translation changes from Phrase'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

/** The same file with another gettext revision date: what an older export of it looked like. */
function withOldRevisionDate(po: Buffer): Buffer {
  const text = po.toString('utf8')
  const dated = text.replace(/PO-Revision-Date: [^\\]+/, 'PO-Revision-Date: 2023-03-04 05:06+0000')
  expect(dated).not.toBe(text)
  return Buffer.from(dated)
}

/** What Phrase exports now for each default locale, keyed by the repository path. */
async function exports(
  template: (locale: string) => string,
  format: string,
  edit: (locale: string, file: Buffer) => Buffer = (_, file) => file
): Promise<Record<string, Buffer>> {
  const probe = await startWorld()
  try {
    const files: Record<string, Buffer> = {}
    for (const locale of ['de', 'fr'])
      files[template(locale)] = edit(locale, await probe.exported(locale, format))
    return files
  } finally {
    await probe.stop()
  }
}

/** A reviewer edits the PR on GitHub (through the REST API, as the web UI would). */
async function reviewerEdits(
  s: World,
  number: number,
  edit: { title?: string; body?: string }
): Promise<void> {
  const res = await fetch(`${s.gh.apiUrl}/repos/${s.gh.owner}/${s.gh.repo}/pulls/${number}`, {
    method: 'PATCH',
    headers: { Authorization: `token ${s.gh.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(edit)
  })
  expect(res.status).toBe(200)
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1
}

describe('only meaningful changes are committed', () => {
  it('makes no commit when a gettext rerun differs only by PO-Revision-Date', async () => {
    world = await startWorld()
    const { gh } = world
    const first = await world.run(GETTEXT)
    expect(first.code).toBe(0)
    expect(first.outputs['pull-request-operation']).toBe('created')
    expect(JSON.parse(first.outputs['changed-files'])).toEqual(['locale/de.po', 'locale/fr.po'])
    const branchSha = await gh.headSha(BRANCH)
    const committed = await gh.readFile(BRANCH, 'locale/de.po')
    // Every export carries a new revision date: the bytes Phrase sends now differ.
    const fresh = await world.exported('de', 'gettext')
    expect(fresh.equals(committed!)).toBe(false)
    expect(fresh.toString().replace(/PO-Revision-Date: [^\\]+/, '')).toBe(
      committed!.toString().replace(/PO-Revision-Date: [^\\]+/, '')
    )

    const rerun = await world.run(GETTEXT)
    expect(rerun.code).toBe(0)
    expect(rerun.outputs['has-changes']).toBe('true')
    expect(rerun.outputs['pull-request-operation']).toBe('unchanged')
    expect(await gh.headSha(BRANCH)).toBe(branchSha)
    expect(await gh.commits(BRANCH)).toHaveLength(2)
    expect(await gh.readFile(BRANCH, 'locale/de.po')).toEqual(committed)
    expect(gh.pulls()).toHaveLength(1)
  })

  it('makes no commit either when the file is Latin-1 (download-params encoding)', async () => {
    world = await startWorld()
    const { gh, sim } = world
    const latin1 = { ...GETTEXT, 'download-params': '{encoding: ISO-8859-1}' }
    const first = await world.run(latin1)
    expect(first.outputs['pull-request-operation']).toBe('created')
    const branchSha = await gh.headSha(BRANCH)
    const committed = (await gh.readFile(BRANCH, 'locale/de.po'))!
    expect(committed.includes(Buffer.from('Tsch\u00fcss', 'latin1'))).toBe(true)
    // Phrase's next export of the same entries carries another revision date.
    const again = await fetch(
      `${sim.apiUrl}/projects/p1/locales/loc-de/download?file_format=gettext&encoding=ISO-8859-1`,
      { headers: { Authorization: `token ${PHRASE_TOKEN}`, 'User-Agent': 'test' } }
    )
    expect(Buffer.from(await again.arrayBuffer()).equals(committed)).toBe(false)

    const rerun = await world.run(latin1)
    expect(rerun.code).toBe(0)
    expect(rerun.outputs['pull-request-operation']).toBe('unchanged')
    expect(await gh.headSha(BRANCH)).toBe(branchSha)
  })

  it('opens nothing when the base has the same gettext entries under an older revision date', async () => {
    const files = await exports(
      l => `locale/${l}.po`,
      'gettext',
      (_, po) => withOldRevisionDate(po)
    )
    world = await startWorld({ files })
    const result = await world.run(GETTEXT)
    expect(result.code).toBe(0)
    expect(result.outputs['has-changes']).toBe('false')
    expect(result.outputs['pull-request-operation']).toBe('none')
    expect(await world.gh.headSha(BRANCH)).toBeUndefined()
    expect(world.gh.pulls()).toHaveLength(0)
    expect(await world.gh.readFile('main', 'locale/de.po')).toEqual(files['locale/de.po'])
  })

  it('ignores key order, indentation and the final newline of JSON, and commits a real change with the repository’s bytes elsewhere', async () => {
    // The repository's files: the same keys in reverse order, 4-space indent, no final newline.
    const reordered = (locale: string) => {
      const t = translations()[locale]
      const tree = {
        greeting: { bye: t['greeting.bye'], hello: t['greeting.hello'] },
        cart: { title: t['cart.title'] }
      }
      return JSON.stringify(tree, null, 4)
    }
    const files = { 'web/de.json': reordered('de'), 'web/fr.json': reordered('fr') }
    world = await startWorld({ files })
    const { gh, sim } = world
    expect(
      Buffer.from(files['web/de.json']).equals(await world.exported('de', 'nested_json'))
    ).toBe(false)

    const quiet = await world.run(NESTED_JSON)
    expect(quiet.code).toBe(0)
    expect(quiet.outputs['has-changes']).toBe('false')
    expect(await gh.headSha(BRANCH)).toBeUndefined()

    sim.project('p1').translations.fr['greeting.bye'] = 'À bientôt'
    const real = await world.run(NESTED_JSON)
    expect(real.code).toBe(0)
    expect(JSON.parse(real.outputs['changed-files'])).toEqual(['web/fr.json'])
    expect(JSON.parse((await gh.readFile(BRANCH, 'web/fr.json'))!.toString())).toEqual({
      cart: { title: 'Panier' },
      greeting: { bye: 'À bientôt', hello: 'Bonjour' }
    })
    // The unchanged locale keeps the repository's bytes on the branch: no churn in the PR.
    expect((await gh.readFile(BRANCH, 'web/de.json'))!.toString()).toBe(files['web/de.json'])
    const [commit] = await gh.commits(BRANCH)
    expect(await gh.changedFiles(commit.parents[0], commit.sha)).toEqual(['web/fr.json'])
  })
})

describe('the pull request explains the change', () => {
  it('names the locale and the changed key in the PR body and the job summary', async () => {
    const files = await exports(
      l => `config/locales/${l}.yml`,
      'yml',
      (locale, file) =>
        locale === 'de' ? Buffer.from(file.toString().replace('Hallo', 'Hallo alt')) : file
    )
    world = await startWorld({ files })
    const result = await world.run()
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs['changed-files'])).toEqual(['config/locales/de.yml'])
    const [pr] = world.gh.pulls()
    const row = '| `config/locales/de.yml` | 0 | 1 | 0 |'
    const change = '  - `greeting.hello`: `Hallo alt` → `Hallo`'
    for (const text of [pr.body, result.summary]) {
      expect(text).toContain(row)
      expect(text).toContain(change)
    }
    expect(result.summary).toContain(`[#${pr.number}](${pr.html_url}) created`)
    // Only the locale that changed appears.
    expect(pr.body).not.toContain('fr.yml')
    expect(result.summary).not.toContain('fr.yml')
    expect(result.summary).toContain('1 file unchanged')
  })

  it('sets labels, assignees, reviewers, team reviewers and draft on create', async () => {
    world = await startWorld()
    const result = await world.run({
      labels: 'i18n, automated',
      assignees: 'octocat',
      reviewers: 'alice\nbob',
      'team-reviewers': 'translators',
      draft: 'true'
    })
    expect(result.code).toBe(0)
    expect(result.stdout).not.toContain('::warning::')
    const [pr] = world.gh.pulls()
    expect(pr).toMatchObject({
      draft: true,
      labels: ['i18n', 'automated'],
      assignees: ['octocat'],
      requested_reviewers: ['alice', 'bob'],
      requested_teams: ['translators']
    })
  })

  it('keeps reviewers’ edits, replaces the generated section, and applies changed title and body inputs', async () => {
    const files = await exports(
      l => `config/locales/${l}.yml`,
      'yml',
      (locale, file) =>
        locale === 'de' ? Buffer.from(file.toString().replace('Hallo', 'Hallo alt')) : file
    )
    world = await startWorld({ files })
    const { gh, sim } = world
    const inputs = { title: 'Translations', body: 'From Phrase.' }
    const first = await world.run(inputs)
    expect(first.code).toBe(0)
    const number = Number(first.outputs['pull-request-number'])
    expect(gh.pulls()[0].title).toBe('Translations')
    expect(gh.pulls()[0].body).toMatch(/^From Phrase\.\n/)

    // A reviewer rewrites the title and the text above the generated section.
    const edited = gh.pulls()[0].body!.replace('From Phrase.', 'From Phrase. Checked by Ana.')
    await reviewerEdits(world, number, { title: 'Translations (reviewed)', body: edited })

    // Phrase changes: de's change is gone, fr has a new one.
    sim.project('p1').translations.de['greeting.hello'] = 'Hallo alt'
    sim.project('p1').translations.fr['cart.title'] = 'Chariot'
    const update = await world.run(inputs)
    expect(update.code).toBe(0)
    expect(update.outputs['pull-request-operation']).toBe('updated')
    expect(JSON.parse(update.outputs['changed-files'])).toEqual(['config/locales/fr.yml'])
    let [pr] = gh.pulls()
    expect(pr.title).toBe('Translations (reviewed)')
    expect(pr.body).toMatch(/^From Phrase\. Checked by Ana\.\n/)
    expect(pr.body).toContain('`cart.title`: `Panier` → `Chariot`')
    expect(pr.body).not.toContain('greeting.hello')
    expect(occurrences(pr.body!, START_MARKER)).toBe(1)
    expect(occurrences(pr.body!, TABLE_HEADING)).toBe(1)

    // The workflow changes the title input: the title follows, the reviewer's text stays.
    const retitled = await world.run({ ...inputs, title: 'Nightly translations' })
    expect(retitled.code).toBe(0)
    expect(retitled.outputs['pull-request-operation']).toBe('updated')
    ;[pr] = gh.pulls()
    expect(pr.title).toBe('Nightly translations')
    expect(pr.body).toMatch(/^From Phrase\. Checked by Ana\.\n/)

    // The workflow changes the body input: the user's part is replaced, the section kept once.
    const rebodied = await world.run({
      title: 'Nightly translations',
      body: 'Nightly pull from Phrase.'
    })
    expect(rebodied.code).toBe(0)
    ;[pr] = gh.pulls()
    expect(pr.title).toBe('Nightly translations')
    expect(pr.body).toMatch(/^Nightly pull from Phrase\.\n/)
    expect(pr.body).not.toContain('Checked by Ana')
    expect(pr.body).toContain('`cart.title`: `Panier` → `Chariot`')
    expect(occurrences(pr.body!, START_MARKER)).toBe(1)
    expect(occurrences(pr.body!, TABLE_HEADING)).toBe(1)
    expect(gh.pulls()).toHaveLength(1)
  })
})

describe('nothing left to propose', () => {
  it('closes the PR with a comment whatever delete-branch says; delete-branch decides whether the branch goes', async () => {
    world = await startWorld()
    const { gh } = world
    const first = await world.run()
    expect(first.code).toBe(0)
    const number = Number(first.outputs['pull-request-number'])

    // Someone lands the translations on main by hand (e.g. a squash merge of another PR).
    await gh.commitFiles('main', {
      'config/locales/de.yml': (await gh.readFile(BRANCH, 'config/locales/de.yml'))!,
      'config/locales/fr.yml': (await gh.readFile(BRANCH, 'config/locales/fr.yml'))!
    })
    const mainSha = await gh.headSha('main')
    const branchSha = await gh.headSha(BRANCH)

    const closed = await world.run()
    expect(closed.code).toBe(0)
    expect(closed.outputs).toMatchObject({
      'has-changes': 'false',
      'changed-files': '[]',
      'pull-request-operation': 'closed',
      'pull-request-number': String(number)
    })
    expect(gh.pulls()[0]).toMatchObject({
      state: 'closed',
      comments: [expect.stringMatching(/^Phrase and `main` agree now: nothing is left to propose/)]
    })
    expect(await gh.headSha(BRANCH)).toBe(branchSha)

    const cleaned = await world.run({ 'delete-branch': 'true' })
    expect(cleaned.code).toBe(0)
    expect(cleaned.outputs['pull-request-operation']).toBe('none')
    expect(await gh.headSha(BRANCH)).toBeUndefined()
    expect(await gh.headSha('main')).toBe(mainSha)
    expect(gh.pulls()).toHaveLength(1)
  })
})

describe('safety checks', () => {
  it('stops when a download would remove more keys than max-key-removal allows, and goes ahead once raised', async () => {
    const files = await exports(l => `config/locales/${l}.yml`, 'yml')
    world = await startWorld({ files })
    const { gh, sim } = world
    delete sim.project('p1').translations.de['greeting.bye']
    delete sim.project('p1').translations.de['cart.title']

    const stopped = await world.run()
    expect(stopped.code).toBe(1)
    expect(annotations(stopped.stdout, 'error')).toEqual([
      'Stopped before committing: de (config/locales/de.yml) would remove 2 of 3 keys (67%). If this is intended, raise the max-key-removal input (now 50%).'
    ])
    expect(await gh.headSha(BRANCH)).toBeUndefined()
    expect(gh.pulls()).toHaveLength(0)
    expect(gh.requests().filter(isWrite)).toEqual([])

    const allowed = await world.run({ 'max-key-removal': '70' })
    expect(allowed.code).toBe(0)
    expect(allowed.outputs['pull-request-operation']).toBe('created')
    expect(gh.pulls()[0].body).toContain('| `config/locales/de.yml` | 0 | 0 | 2 |')
    expect((await gh.readFile(BRANCH, 'config/locales/de.yml'))!.toString()).not.toContain(
      'Warenkorb'
    )
  })

  it('does not create a file for an empty download, and says so', async () => {
    world = await startWorld()
    world.sim.faults.add({ on: 'cdn', locale: 'fr', kind: 'empty' })
    const result = await world.run()
    expect(result.code).toBe(0)
    expect(annotations(result.stdout, 'warning')).toContain(
      'fr (config/locales/fr.yml): Phrase exported no translations (a locale not translated yet?); the file is not created until it has some'
    )
    expect(JSON.parse(result.outputs['changed-files'])).toEqual(['config/locales/de.yml'])
    expect(await world.gh.readFile(BRANCH, 'config/locales/fr.yml')).toBeUndefined()
    expect(world.sim.faults.size).toBe(0)
  })
})

describe('the branch follows the base', () => {
  it('rebuilds the PR branch on the latest base head', async () => {
    world = await startWorld()
    const { gh } = world
    const first = await world.run()
    expect(first.code).toBe(0)

    const moved = await gh.commitFiles('main', { 'docs/guide.md': '# Guide\n' }, 'Add a guide')
    const rerun = await world.run()
    expect(rerun.code).toBe(0)
    expect(rerun.outputs['pull-request-operation']).toBe('updated')
    const [head] = await gh.commits(BRANCH)
    expect(head.parents).toEqual([moved])
    expect(rerun.outputs['head-sha']).toBe(head.sha)
    expect(await gh.readFile(BRANCH, 'docs/guide.md')).toEqual(Buffer.from('# Guide\n'))
    expect(await gh.readFile(BRANCH, 'config/locales/de.yml')).toEqual(await world.exported('de'))
    // One commit on top of main: the PR never carries a stale base.
    expect(await gh.commitsBetween('main', BRANCH)).toHaveLength(1)
    expect(gh.pulls()).toHaveLength(1)
  })
})
