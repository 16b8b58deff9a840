import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { marked } from 'marked'
import {
  changeReport,
  failureMarkdown,
  setOutputs,
  SUMMARY_MAX_BYTES,
  summaryMarkdown,
  writeJobSummary,
  type FileReport
} from '../src/report.js'
import { codeSpan, escapeText } from '../src/markdown.js'
import type { CheckFinding, CheckSummary } from '../src/checks/types.js'
import { footerLine } from '../src/report-footer.js'
import type { RunAbout } from '../src/run-about.js'
import { sampleReports, section, SHARED_ADDED, SHARED_REMOVED } from './support/report-fixtures.js'

const ABOUT: RunAbout = {
  startedAt: '2026-05-01T03:17:09.000Z',
  run: {
    url: 'https://github.com/octo/app/actions/runs/123',
    workflow: 'Pull translations',
    number: '42',
    event: 'schedule',
    actor: 'octocat'
  },
  projects: [{ id: '0123456789abcdef0123456789abcdef' }],
  dataCentre: 'EU'
}

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  const parts = row.trim().split(/(?<!\\)\|/)
  return parts.slice(1, -1).map(cell => cell.trim())
}

/** Data rows of every table in the markdown (header and delimiter rows left out). */
function tableRows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter(
      line => line.startsWith('|') && !line.startsWith('| File |') && !line.startsWith('| :--')
    )
}

/** Removes code spans (any fence length) so what remains is what GitHub would parse as markup. */
function outsideCodeSpans(text: string): string {
  return text.replace(/(`+)(?!`)[\s\S]*?(?<!`)\1(?!`)/g, '')
}

function file(locale: string, added: number, changed = 0, removed = 0): FileReport {
  const keys = (prefix: string, n: number) =>
    Array.from({ length: n }, (_, i) => `${prefix}.${locale}.${i}`)
  return {
    path: `config/locales/${locale}.yml`,
    locale,
    status: 'changed',
    keys: {
      added: keys('new', added),
      changed: keys('upd', changed),
      removed: keys('old', removed)
    }
  }
}

/** A changed file of `locale` with exactly these keys. */
function fileWith(locale: string, keys: Partial<NonNullable<FileReport['keys']>>): FileReport {
  return {
    path: `config/locales/${locale}.yml`,
    locale,
    status: 'changed',
    keys: { added: [], changed: [], removed: [], ...keys }
  }
}

function occurrences(text: string, part: string): number {
  return text.split(part).length - 1
}

/** `` `prefix.0`, `prefix.1`, … `` for n keys. */
function range(prefix: string, n: number): string {
  return Array.from({ length: n }, (_, i) => `\`${prefix}.${i}\``).join(', ')
}

/** The line of the markdown that starts with `prefix`. */
function lineStarting(markdown: string, prefix: string): string {
  return markdown.split('\n').find(line => line.startsWith(prefix)) ?? ''
}

describe('changeReport: what a reviewer reads first', () => {
  it('puts totals and what the checks did first, then findings, the unusual, the shared, the files', () => {
    const { files, findings, checks } = sampleReports(30)
    const report = changeReport(files, { findings, checks, about: ABOUT })
    const lines = report.split('\n')
    expect(lines[0]).toBe('### Translation changes from Phrase')
    expect(lines[2]).toBe('**30 locales · 30 files · keys: 69 added, 30 changed, 88 removed**')
    expect(lines[4]).toBe('**Checks:** ⚠ 1 finding in 99 changed keys checked, listed below.')
    const order = [
      '#### Translation checks',
      '#### Look here first',
      '#### Across locales',
      '#### Files',
      '<sub>Pulled from Phrase'
    ].map(heading => report.indexOf(heading))
    expect(order.every(index => index > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    expect(report.trimEnd().split('\n').pop()).toMatch(/^<sub>Pulled from Phrase.*<\/sub>$/)
  })

  it('lists a change every locale shares once, with its count, and the anomaly first (30 locales)', () => {
    const { files, findings, checks } = sampleReports(30)
    const report = changeReport(files, { findings, checks })
    const open = report.slice(0, report.indexOf('<details>'))
    expect(section(open, 'Look here first')).toEqual([
      '- **Removed** in `et` only: `common.save`',
      '- **New locale** in `config/locales/<locale>.yml`: `x029` (40 keys)',
      '- **Changed** in `fr` only: `nav.cart`: `Panier` → `Mon panier`'
    ])
    expect(section(open, 'Across locales')).toEqual([
      '- **Removed** in all 29 locales (3 keys): `promo.blackFriday.title`, `promo.blackFriday.subtitle`, `promo.blackFriday.cta`',
      '- **Changed** in all 29 locales: `checkout.title`',
      '- **Added** in all 29 locales: `account.deleteConfirm`'
    ])
    // Above the folds each shared key is named once, not once per locale.
    for (const key of [...SHARED_REMOVED, SHARED_ADDED]) expect(occurrences(open, key)).toBe(1)
    // The per-file detail is one click away, each file once, the anomaly's file first.
    const keys = report.slice(report.indexOf('<details><summary>Keys of 29 files</summary>'))
    expect(keys.indexOf('**`config/locales/et.yml`**')).toBeGreaterThan(0)
    expect(keys.indexOf('**`config/locales/et.yml`**')).toBeLessThan(
      keys.indexOf('**`config/locales/de.yml`**')
    )
    expect(occurrences(keys, '**`config/locales/de.yml`**')).toBe(1)
  })

  it('names the locales a shared change skipped, and changes in a fair share of locales', () => {
    const files = Array.from({ length: 20 }, (_, i) =>
      fileWith(`l${i}`, {
        added: i === 3 ? [] : ['account.deleteConfirm'],
        changed: i < 8 ? ['checkout.title'] : []
      })
    )
    const report = changeReport(files)
    expect(section(report, 'Look here first')).toEqual([
      '- **Added** in 19 of 20 locales, not in `l3`: `account.deleteConfirm`'
    ])
    expect(section(report, 'Across locales')).toEqual([
      '- **Changed** in 8 of 20 locales (`l0`, `l1`, `l2`, `l3`, `l4` and 3 more): `checkout.title`'
    ])
  })

  it('orders the unusual: partial removals, new locales, then one-locale changes and additions', () => {
    const files = [
      ...Array.from({ length: 10 }, (_, i) => fileWith(`l${i}`, { removed: ['old.a'] })),
      fileWith('l10', { removed: ['common.save', 'common.cancel'], added: ['extra.key'] }),
      fileWith('l11', { changed: ['nav.cart'] }),
      { ...fileWith('new1', { added: ['a', 'b'] }), status: 'added' as const }
    ]
    // Removals first, the most keys first: what Phrase may have left out of an export.
    expect(section(changeReport(files), 'Look here first')).toEqual([
      '- **Removed** in `l10` only (2 keys): `common.save`, `common.cancel`',
      '- **Removed** in 10 of 12 locales, not in `l10` and `l11`: `old.a`',
      '- **New locale** in `config/locales/<locale>.yml`: `new1` (2 keys)',
      '- **Changed** in `l11` only: `nav.cart`',
      '- **Added** in `l10` only: `extra.key`'
    ])
  })

  it('gets new locales right per file with several targets: a new web file is not a new locale', () => {
    const yml = (locale: string) => fileWith(locale, { changed: ['nav.home'] })
    const web = (locale: string, code: string): FileReport => ({
      path: `web/src/i18n/${code}.json`,
      locale,
      localeCode: code,
      status: 'added',
      keys: { added: ['a', 'b'], changed: [], removed: [] }
    })
    const report = changeReport([yml('de'), yml('en'), web('de', 'de-DE'), web('en', 'en-US')])
    expect(section(report, 'Look here first')).toEqual([
      '- **New locales** in `web/src/i18n/<locale>.json`: `de`, `en` (2 keys each)'
    ])
    // With two families each line says which one it is about.
    expect(section(report, 'Across locales')).toEqual([
      '- **Changed** in both locales in `config/locales/<locale>.yml`: `nav.home`'
    ])
  })

  it('shows a small pull request whole: every key named, no fold', () => {
    const report = changeReport([file('de', 8, 0, 8)])
    expect(report).not.toContain('<details>')
    expect(lineStarting(report, '- Removed (8):')).toBe(`- Removed (8): ${range('old.de', 8)}`)
    expect(report.indexOf('- Removed (8):')).toBeLessThan(report.indexOf('- Added (8):'))
    const html = marked.parse(changeReport(sampleReports(3).files), { gfm: true, async: false })
    expect(html).not.toContain('<details>')
  })

  it('names the locale only for a path that does not contain it', () => {
    const report = changeReport([{ ...file('de', 1), path: 'app/strings.xml' }])
    expect(cells(tableRows(report)[0])[0]).toBe('`app/strings.xml` (de)')
  })

  it('shows old → new text, and folds the rest of a big file, each key once', () => {
    const big: FileReport = {
      ...file('de', 0, 30),
      values: new Map(
        Array.from({ length: 30 }, (_, i) => [
          `upd.de.${i}`,
          { before: `Alt ${i}`, after: i === 0 ? 'x'.repeat(200) : `Neu ${i}` }
        ])
      )
    }
    // Four files: past the small size, each file shows its first changes and folds the rest.
    const markdown = changeReport([big, file('fr', 1), file('it', 1), file('es', 1)])
    const start = markdown.indexOf('**`config/locales/de.yml`**')
    const open = markdown.slice(start, markdown.indexOf('<details>', start))
    expect(open.trim().split('\n').slice(2)).toEqual([
      '- Changed (30):',
      `  - \`upd.de.0\`: \`Alt 0\` → \`${'x'.repeat(59)}…\``,
      '  - `upd.de.1`: `Alt 1` → `Neu 1`',
      '  - `upd.de.2`: `Alt 2` → `Neu 2`',
      '  - and 27 more'
    ])
    const fold = markdown.slice(markdown.indexOf('<details><summary>27 more keys of this file'))
    expect(fold).toContain('- Changed (27 more):\n  - `upd.de.3`: `Alt 3` → `Neu 3`')
    expect(fold.slice(0, fold.indexOf('</details>'))).not.toContain('upd.de.0`')
  })

  it('a file whose every key changed: no detail level is built that cannot fit', () => {
    const keys = 50_000
    const huge: FileReport = {
      ...file('de', 0, keys),
      values: new Map(
        Array.from({ length: keys }, (_, i) => [
          `upd.de.${i}`,
          { before: `Alter Text ${i}`, after: `Neuer Text ${i}` }
        ])
      )
    }
    const measured: number[] = []
    const size = (text: string) => (measured.push(text.length), text.length)
    const markdown = changeReport([huge], { size, maxChars: 65_000 })
    expect(markdown.length).toBeLessThanOrEqual(65_000)
    expect(markdown).toContain('- Changed (50,000):')
    // The level that names every key with its texts was built whole (3 MB here) and dropped;
    // it is given up once its lines outgrow the report.
    expect(Math.max(...measured)).toBeLessThan(200_000)
  })

  it('reads values through displayText: metadata is not shown as text', () => {
    const markdown = changeReport([
      {
        ...file('de', 0, 2),
        values: new Map([
          ['upd.de.0', { before: 'Hallo', after: 'Hallo\u0000formatted=false' }],
          ['upd.de.1', { before: '\u0000number:1', after: '\u0000number:2' }]
        ])
      }
    ])
    const changed = markdown.slice(markdown.indexOf('- Changed (2):')).trim().split('\n')
    expect(changed.slice(0, 3)).toEqual([
      '- Changed (2):',
      '  - `upd.de.0`: text unchanged, attributes changed',
      '  - `upd.de.1`: `1` → `2`'
    ])
    expect(markdown).not.toContain('\u0000')
  })

  it('reports files without a key diff as whole files, with their note escaped', () => {
    const report = changeReport([
      { path: 'a/de.xlf', locale: 'de', status: 'changed', note: 'no <parser> for *xlf*' }
    ])
    expect(cells(tableRows(report)[0])).toEqual(['`a/de.xlf`', '–', '–', '–'])
    expect(report).toContain('**`a/de.xlf`** compared as a whole: no \\<parser\\> for \\*xlf\\*')
    expect(section(report, 'Across locales')).toEqual([
      '- **Compared as whole files** (no key-level diff for their format): `a/de.xlf`'
    ])
  })

  it('says which files an earlier run brought and this one did not download', () => {
    const carried = { ...file('fr', 2), carriedFrom: '2026-12-01T03:17:00Z' }
    const report = changeReport([file('de', 1), carried])
    expect(section(report, 'Look here first')).toEqual([
      '- **From an earlier run**, not part of this one: `config/locales/fr.yml` (2026-12-01)'
    ])
    expect(report).toContain(
      '**`config/locales/fr.yml`** (from the run of 2026-12-01, not part of this run)'
    )
  })

  it('counts the keys this run compared; a carried file without keys is not "compared as a whole"', () => {
    const carried = {
      path: 'config/locales/fr.yml',
      locale: 'fr',
      status: 'added' as const,
      carriedFrom: '2026-12-01T03:17:00Z'
    }
    const report = changeReport([file('de', 1), carried])
    expect(report).toContain('(1 file from earlier runs)')
    expect(report).not.toContain('compared as a whole')
    expect(report).toContain(
      '**`config/locales/fr.yml` · new** (from the run of 2026-12-01, not part of this run): as that run wrote it'
    )
  })

  it('lists every check finding open near the top, escaped', () => {
    const finding: CheckFinding = {
      path: 'config/locales/de.yml',
      locale: 'de',
      key: 'cart.items',
      check: 'placeholders',
      message: 'placeholder missing',
      token: '{count}',
      text: '<b>Artikel</b> @octocat'
    }
    const many = Array.from({ length: 40 }, (_, i) => ({ ...finding, key: `cart.items_${i}` }))
    const report = changeReport([file('de', 1)], { findings: [finding, ...many] })
    expect(report).toContain(
      '- **de** `cart.items`: placeholder missing `{count}` in `<b>Artikel</b> @octocat`'
    )
    // Every finding is open: a key with a finding is never behind a fold.
    const findings = report.slice(0, report.indexOf('#### Files'))
    expect(findings).not.toContain('<details>')
    expect(occurrences(findings, '- **de** `cart.items')).toBe(41)
  })
})

describe('what the checks did', () => {
  const summary = (over: Partial<CheckSummary>): CheckSummary => ({
    mode: 'warn',
    keys: 212,
    findings: 0,
    withoutSource: 0,
    ...over
  })
  const checksLine = (checks: CheckSummary) =>
    lineStarting(changeReport([file('de', 1)], { checks }), '**Checks:**')

  it('says the checks ran and found nothing, which checks: off does not say', () => {
    expect(checksLine(summary({}))).toBe('**Checks:** 212 changed keys checked, no findings.')
    expect(checksLine(summary({ mode: 'off', keys: 0 }))).toBe(
      '**Checks:** off (`checks: off`): no translation was checked.'
    )
    expect(checksLine(summary({ findings: 2 }))).toBe(
      '**Checks:** ⚠ 2 findings in 212 changed keys checked, listed below.'
    )
    expect(checksLine(summary({ keys: 1, withoutSource: 1 }))).toBe(
      '**Checks:** 1 changed key checked, no findings. No source text for 1 file: only ICU syntax and tags were checked there.'
    )
  })
})

describe('the last line: who, when, where', () => {
  it('links the workflow run and names the Phrase project and the time', () => {
    expect(footerLine(ABOUT)).toBe(
      '<sub>Pulled from Phrase project `0123456789abcdef0123456789abcdef` (EU) by [Pull translations #42](https://github.com/octo/app/actions/runs/123) (schedule) on 2026-05-01 at 03:17 UTC.</sub>'
    )
    const dispatched = {
      ...ABOUT,
      run: { ...ABOUT.run!, event: 'workflow_dispatch', workflow: 'Pull *now* @team' },
      projects: [{ id: 'p1' }, { id: 'p2', branch: 'next' }]
    }
    expect(footerLine(dispatched)).toContain(
      'projects `p1`, `p2` (branch `next`) (EU) by [Pull \\*now\\* @\u200Bteam #42]'
    )
    expect(footerLine(dispatched)).toContain('(workflow\\_dispatch by octocat)')
  })

  it('keeps the footer of the open pull request while nothing above it changed', () => {
    const files = [file('de', 1)]
    const before = changeReport(files, { about: ABOUT })
    const body = `Text.\r\n\r\n<!-- phrase-pull:start inputs=a.b -->\n${before}\n<!-- phrase-pull:end -->\n`
    const later = { ...ABOUT, startedAt: '2026-05-02T03:17:00.000Z' }
    expect(changeReport(files, { about: later, previousBody: body })).toBe(before)
    const changed = changeReport([file('de', 2)], { about: later, previousBody: body })
    expect(changed).toContain('on 2026-05-02 at 03:17 UTC')
  })
})

describe('changeReport at scale', () => {
  it('keeps the anomaly of 200 locales on the first screen, the rest one click away', () => {
    const { files, findings, checks } = sampleReports(200)
    const report = changeReport(files, { findings, checks })
    expect(report.length).toBeLessThanOrEqual(60_000)
    const firstFold = report.indexOf('<details>')
    expect(report.indexOf('- **Removed** in `et` only: `common.save`')).toBeLessThan(firstFold)
    expect(report.slice(0, firstFold).split('\n').length).toBeLessThan(30)
    const all = report.slice(report.indexOf('<details><summary>All 200 files</summary>'))
    for (const f of files) expect(all).toContain(`| ${codeSpan(f.path)}`)
    expect(report.match(/<details>/g)!.length).toBe(report.match(/<\/details>/g)!.length)
  })

  it('keeps a 200-locale change with long key lists under the limit, tables whole', () => {
    const { files, findings } = sampleReports(200)
    // Many long keys per file: the richest level cannot fit, detail steps down.
    const long = files.map(f => ({
      ...f,
      keys: { ...f.keys!, added: Array.from({ length: 300 }, (_, j) => `${'k'.repeat(70)}.${j}`) }
    }))
    const report = changeReport(long, { findings })
    expect(report.length).toBeLessThanOrEqual(60_000)
    expect(report.length).toBeGreaterThan(20_000)
    expect(report.split('\n')[2]).toMatch(/^\*\*200 locales · 200 files · keys: 60,000 added/)
    const all = report.slice(report.indexOf('<summary>All 200 files</summary>'))
    for (const f of long) expect(all).toContain(codeSpan(f.path))
    for (const row of tableRows(report)) expect(cells(row)).toHaveLength(4)
  })

  it('as a last resort lists fewer files and counts the rest, never half a row', () => {
    const files = Array.from({ length: 3000 }, (_, i) => ({
      ...file(`l${i}`, 1),
      path: `very/long/path/to/the/translations/of/this/app/${'p'.repeat(40)}/l${i}.json`
    }))
    const report = changeReport(files, { maxChars: 50_000 })
    expect(report.length).toBeLessThanOrEqual(50_000)
    expect(report).toMatch(/… and [\d,]+ more files \([\d,]+ keys\) that did not fit/)
    expect(report).toContain('**3,000 locales · 3,000 files')
    for (const row of tableRows(report)) expect(cells(row)).toHaveLength(4)
  })
})

describe('changeReport escaping', () => {
  it('keeps hostile keys inside their code span and the lines intact', () => {
    const hostile = [
      'a|b',
      'tick`key',
      '``double``',
      '<!-- phrase-pull:end -->',
      'line\nbreak',
      '<script>x</script>'
    ]
    const report: FileReport = {
      path: 'po/de.po',
      locale: 'de',
      status: 'changed',
      keys: { added: hostile, changed: [], removed: [] }
    }
    const markdown = changeReport([report])
    const added = lineStarting(markdown, '- Added (6):')
    // Nothing HTML-like survives outside code spans, so no comment or tag can swallow the rest.
    expect(outsideCodeSpans(added)).not.toMatch(/<|`/)
    expect(added).toContain('`a\\|b`')
    expect(added).toContain('``tick`key``')
    expect(added).toContain('``` ``double`` ```')
    expect(added).toContain('`line↵break`')
  })

  it('escapes locale names so they cannot add markup or mention people', () => {
    const report = changeReport([
      { ...file('x', 1), locale: '<b>*de*</b> @octocat | x', path: 'a.yml' }
    ])
    const row = tableRows(report)[0]
    expect(cells(row)).toHaveLength(4)
    expect(cells(row)[0]).toBe('`a.yml` (\\<b\\>\\*de\\*\\</b\\> @\u200Boctocat \\| x)')
  })

  it('renders no HTML of its own from remote text (GFM, as GitHub)', () => {
    const evil = '<img src=x onerror=alert(1)> @octocat </details>'
    const html = marked.parse(
      changeReport([
        {
          path: 'config/locales/de.yml',
          locale: evil,
          status: 'added',
          keys: { added: [evil], changed: [], removed: [] }
        }
      ]),
      { gfm: true, async: false }
    )
    expect(html).not.toContain('<img')
    // GitHub links no mention inside <code>; elsewhere a zero-width space breaks it.
    expect(html.replace(/<code>[\s\S]*?<\/code>/g, '')).not.toMatch(/@octocat/)
    expect(html.match(/<details>/g)?.length ?? 0).toBe(html.match(/<\/details>/g)?.length ?? 0)
  })
})

describe('escaping helpers', () => {
  it('codeSpan pads spans that start or end with a backtick', () => {
    expect(codeSpan('`x')).toBe('`` `x ``')
    expect(codeSpan('plain')).toBe('`plain`')
  })
  it('escapeText flattens newlines', () => {
    expect(escapeText('a\r\nb\nc')).toBe('a b c')
  })
})

describe('outputs and job summary', () => {
  let dir: string
  const saved = { ...process.env }

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'report-test-'))
  })
  afterEach(async () => {
    process.env = { ...saved }
    await rm(dir, { recursive: true, force: true })
  })

  /** Parses the `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
  function parseOutputFile(text: string): Record<string, string> {
    const outputs: Record<string, string> = {}
    const pattern = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
    for (const match of text.matchAll(pattern)) outputs[match[1]] = match[3]
    return outputs
  }

  it('sets every output, empty strings for what is absent', async () => {
    const outputFile = path.join(dir, 'output')
    await writeFile(outputFile, '')
    process.env.GITHUB_OUTPUT = outputFile

    setOutputs({
      hasChanges: true,
      changedFiles: ['config/locales/de.yml', 'po/fr.po'],
      pullRequestNumber: 7,
      pullRequestUrl: 'http://127.0.0.1/octo/app/pull/7',
      pullRequestOperation: 'created',
      branch: 'phrase/translations',
      headSha: 'a'.repeat(40),
      checkFindings: 2
    })
    expect(parseOutputFile(await readFile(outputFile, 'utf8'))).toEqual({
      'has-changes': 'true',
      'changed-files': '["config/locales/de.yml","po/fr.po"]',
      'pull-request-number': '7',
      'pull-request-url': 'http://127.0.0.1/octo/app/pull/7',
      'pull-request-operation': 'created',
      branch: 'phrase/translations',
      'head-sha': 'a'.repeat(40),
      'check-findings': '2'
    })

    await writeFile(outputFile, '')
    setOutputs({ hasChanges: false, changedFiles: [], pullRequestOperation: 'none' })
    expect(parseOutputFile(await readFile(outputFile, 'utf8'))).toEqual({
      'has-changes': 'false',
      'changed-files': '[]',
      'pull-request-number': '',
      'pull-request-url': '',
      'pull-request-operation': 'none',
      branch: '',
      'head-sha': '',
      'check-findings': '0'
    })
  })

  it('writes the summary with the PR link, the table and the unchanged count', async () => {
    const summaryFile = path.join(dir, 'summary.md')
    await writeFile(summaryFile, '')
    process.env.GITHUB_STEP_SUMMARY = summaryFile
    await writeJobSummary({
      files: [file('de', 2)],
      pullRequest: { number: 12, url: 'http://127.0.0.1/octo/app/pull/12', operation: 'updated' },
      unchangedCount: 3,
      durationMs: 4200
    })
    const text = await readFile(summaryFile, 'utf8')
    expect(text).toContain('Pull request [#12](http://127.0.0.1/octo/app/pull/12) updated.')
    expect(text).toContain(changeReport([file('de', 2)]))
    expect(text).toContain('3 files unchanged. Took 4.2 s.')
  })

  it('gives the job summary the 1 MiB a step summary may have, counted in bytes', () => {
    const { files, findings } = sampleReports(200)
    // Long keys in a script of three bytes a character: the body must name less than the summary.
    const long = files.map(f => ({
      ...f,
      keys: { ...f.keys!, added: Array.from({ length: 60 }, (_, j) => `${'鍵'.repeat(60)}.${j}`) }
    }))
    const body = changeReport(long, { findings })
    const summary = summaryMarkdown({ files: long, findings, unchangedCount: 0 })
    expect(body.length).toBeLessThanOrEqual(60_000)
    expect(summary.length).toBeGreaterThan(5 * body.length)
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(SUMMARY_MAX_BYTES)
    expect(Buffer.byteLength(summary)).toBeGreaterThan(SUMMARY_MAX_BYTES / 2)
  })

  it('shows a failure as text that wraps, its "- " lines as a list, nothing as markup', () => {
    const message =
      'Downloads failed the safety check:\n- de (config/locales/de.yml): Phrase returned an empty file\n- fr: <b>*oops*</b> @octocat\nRun again.'
    const markdown = failureMarkdown(message)
    expect(markdown).toBe(
      [
        'Downloads failed the safety check:',
        '',
        '- de (config/locales/de.yml): Phrase returned an empty file',
        '- fr: \\<b\\>\\*oops\\*\\</b\\> @\u200Boctocat',
        '',
        'Run again.'
      ].join('\n')
    )
    const html = marked.parse(markdown, { gfm: true, async: false })
    expect(html).not.toMatch(/<pre>|<code>|<b>/)
    expect(html.match(/<li>/g)).toHaveLength(2)
  })

  it('says there is nothing to change, and skips quietly without a summary file', async () => {
    expect(summaryMarkdown({ files: [], unchangedCount: 1 })).toContain(
      'No translation changes.\n\n1 file unchanged.'
    )
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(writeJobSummary({ files: [], unchangedCount: 0 })).resolves.toBeUndefined()
  })
})
