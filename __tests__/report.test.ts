import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { marked } from 'marked'
import {
  changeReport,
  setOutputs,
  summaryMarkdown,
  writeJobSummary,
  type FileReport
} from '../src/report.js'
import { codeSpan, escapeText } from '../src/markdown.js'
import type { CheckFinding } from '../src/checks/types.js'
import { sampleReports } from './support/report-fixtures.js'

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

/** The line of the markdown that starts with `prefix`. */
function lineStarting(markdown: string, prefix: string): string {
  return markdown.split('\n').find(line => line.startsWith(prefix)) ?? ''
}

describe('changeReport: what a reviewer reads first', () => {
  it('puts the totals first, new locales on their own line, then one table row per file', () => {
    const files = [file('de', 2, 1, 0), { ...file('fr', 4), status: 'added' as const }]
    const report = changeReport(files)
    const lines = report.split('\n')
    expect(lines[0]).toBe('### Translation changes from Phrase')
    expect(lines[2]).toBe('**2 locales · 2 files · keys: 6 added, 1 changed, 0 removed**')
    expect(lines[4]).toBe('**New locale:** `fr`')
    expect(report.indexOf('| File | Added | Changed | Removed |')).toBeGreaterThan(
      report.indexOf('**2 locales')
    )
    // Changes to existing files first, biggest first; the path names the locale, so no Locale
    // column repeats it.
    expect(tableRows(report).map(cells)).toEqual([
      ['`config/locales/de.yml`', '2', '1', '0'],
      ['`config/locales/fr.yml` · new', '4', '0', '0']
    ])
  })

  it('names the locale only for a path that does not contain it', () => {
    const report = changeReport([{ ...file('de', 1), path: 'app/strings.xml' }])
    expect(cells(tableRows(report)[0])[0]).toBe('`app/strings.xml` (de)')
  })

  it('names the removed keys before the added ones, even next to many added keys', () => {
    const report = changeReport([file('de', 5, 0, 3)])
    const removed = lineStarting(report, '- Removed (3):')
    expect(removed).toBe('- Removed (3): `old.de.0`, `old.de.1`, `old.de.2`')
    expect(report.indexOf(removed)).toBeLessThan(report.indexOf('- Added (5):'))

    // Past the first five, the rest of the removed keys are one click away, each named once.
    const many = changeReport([file('de', 0, 0, 8)])
    expect(lineStarting(many, '- Removed (8):')).toBe(
      '- Removed (8): `old.de.0`, `old.de.1`, `old.de.2`, `old.de.3`, `old.de.4` and 3 more'
    )
    expect(many).toContain(
      '<details><summary>3 more keys of this file</summary>\n\n- Removed (3 more): `old.de.5`, `old.de.6`, `old.de.7`\n\n</details>'
    )
  })

  it('shows old → new text for a few changed keys and folds the rest, each key once', () => {
    const report: FileReport = {
      ...file('de', 0, 5),
      values: new Map(
        Array.from({ length: 5 }, (_, i) => [
          `upd.de.${i}`,
          { before: `Alt ${i}`, after: i === 0 ? 'x'.repeat(200) : `Neu ${i}` }
        ])
      )
    }
    const markdown = changeReport([report])
    const open = markdown.slice(markdown.indexOf('- Changed (5):'), markdown.indexOf('<details>'))
    expect(open.trim().split('\n')).toEqual([
      '- Changed (5):',
      `  - \`upd.de.0\`: \`Alt 0\` → \`${'x'.repeat(59)}…\``,
      '  - `upd.de.1`: `Alt 1` → `Neu 1`',
      '  - `upd.de.2`: `Alt 2` → `Neu 2`',
      '  - and 2 more'
    ])
    const fold = markdown.slice(markdown.indexOf('<details><summary>2 more keys of this file'))
    expect(fold).toContain(
      '- Changed (2 more):\n  - `upd.de.3`: `Alt 3` → `Neu 3`\n  - `upd.de.4`: `Alt 4` → `Neu 4`'
    )
    expect(fold).not.toContain('upd.de.0')
    expect(fold).toContain('</details>')
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
    expect(changed).toEqual([
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
  })

  it('lists check findings per locale and key, escaped, after a count near the top', () => {
    const finding: CheckFinding = {
      path: 'config/locales/de.yml',
      locale: 'de',
      key: 'cart.items',
      check: 'placeholders',
      message: 'placeholder missing',
      token: '{count}',
      text: '<b>Artikel</b> @octocat'
    }
    const report = changeReport([file('de', 1)], { findings: [finding] })
    expect(report.split('\n')[4]).toBe(
      '**⚠ 1 translation check finding**, listed under *Translation checks* below.'
    )
    expect(report).toContain(
      '- **de** `cart.items`: placeholder missing `{count}` in `<b>Artikel</b> @octocat`'
    )
  })
})

describe('changeReport at scale', () => {
  it('shows the 10 biggest changes and folds the table of every file beyond 15 files', () => {
    const { files } = sampleReports(30)
    const report = changeReport(files)
    const beforeFold = report.slice(0, report.indexOf('<details>'))
    expect(beforeFold).toContain('**Biggest changes** (10 of 30 files):')
    expect(tableRows(beforeFold)).toHaveLength(10)
    const fold = report.slice(report.indexOf('<details><summary>All 30 files</summary>'))
    // Every file is one click away, each once.
    for (const f of files) expect(fold).toContain(`| ${codeSpan(f.path)}`)
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

  it('says there is nothing to change, and skips quietly without a summary file', async () => {
    expect(summaryMarkdown({ files: [], unchangedCount: 1 })).toContain(
      'No translation changes.\n\n1 file unchanged.'
    )
    delete process.env.GITHUB_STEP_SUMMARY
    await expect(writeJobSummary({ files: [], unchangedCount: 0 })).resolves.toBeUndefined()
  })
})
