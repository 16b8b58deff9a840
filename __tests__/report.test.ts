import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  changeTable,
  codeSpan,
  escapeText,
  setOutputs,
  summaryMarkdown,
  writeJobSummary,
  type FileReport
} from '../src/report.js'

/** Cells of a GFM table row: split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  const parts = row.trim().split(/(?<!\\)\|/)
  return parts.slice(1, -1).map(cell => cell.trim())
}

function tableRows(markdown: string): string[] {
  return markdown
    .split('\n')
    .filter(line => line.startsWith('|'))
    .slice(2)
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

describe('changeTable', () => {
  it('lists one row per file with counts, examples and totals', () => {
    const files = [file('de', 2, 1, 0), { ...file('fr', 0, 0, 4), status: 'added' as const }]
    const table = changeTable(files)
    const rows = tableRows(table)
    expect(rows).toHaveLength(2)
    expect(cells(rows[0])).toEqual([
      'de',
      '`config/locales/de.yml`',
      '2',
      '1',
      '0',
      '+`new.de.0`, +`new.de.1`, ~`upd.de.0`'
    ])
    expect(cells(rows[1])[1]).toBe('`config/locales/fr.yml` (new)')
    expect(cells(rows[1]).slice(2, 5)).toEqual(['0', '0', '4'])
    expect(table).toContain('| Locale | File | +Added | ~Changed | −Removed | Examples |')
    expect(table).toContain('**Total:** 2 files (1 new) · keys: 2 added, 1 changed, 4 removed')
  })

  it('shows at most `examples` keys and marks the rest with an ellipsis', () => {
    const [row] = tableRows(changeTable([file('de', 5, 2, 0)], { examples: 2 }))
    expect(cells(row)[5]).toBe('+`new.de.0`, +`new.de.1`, …')
    const [all] = tableRows(changeTable([file('de', 1, 1, 1)], { examples: 3 }))
    expect(cells(all)[5]).toBe('+`new.de.0`, ~`upd.de.0`, −`old.de.0`')
  })

  it('reports files without a key diff as whole files, with their note escaped', () => {
    const report: FileReport = {
      path: 'a/b.xlf',
      locale: 'de',
      status: 'changed',
      note: 'no <parser> for *xlf*'
    }
    const [row] = tableRows(changeTable([report]))
    expect(cells(row).slice(2)).toEqual([
      '–',
      '–',
      '–',
      'whole file — no \\<parser\\> for \\*xlf\\*'
    ])
  })

  it('keeps hostile keys inside their code span and the row intact', () => {
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
    const table = changeTable([report], { examples: hostile.length })
    const rows = tableRows(table)
    expect(rows).toHaveLength(1)
    const row = rows[0]
    expect(cells(row)).toHaveLength(6)
    // Nothing HTML-like survives outside code spans, so no comment or tag can swallow the table.
    expect(outsideCodeSpans(row)).not.toMatch(/<|`/)
    expect(row).toContain('`a\\|b`')
    expect(row).toContain('``tick`key``')
    expect(row).toContain('``` ``double`` ```')
    expect(row).toContain('`line↵break`')
  })

  it('escapes locale names so they cannot add markup or mention people', () => {
    const [row] = tableRows(changeTable([{ ...file('x', 1), locale: '<b>*de*</b> @octocat | x' }]))
    const locale = cells(row)[0]
    expect(cells(row)).toHaveLength(6)
    expect(locale).toBe('\\<b\\>\\*de\\*\\</b\\> @\u200Boctocat \\| x')
  })

  it('truncates rows to stay under maxChars and counts what it left out', () => {
    const files = Array.from({ length: 300 }, (_, i) => file(`l${i}`, 1 + (i % 4), i % 3, i % 2))
    const table = changeTable(files, { maxChars: 5000 })
    expect(table.length).toBeLessThanOrEqual(5000)
    const rows = tableRows(table)
    const shown = rows.length - 1
    const more = rows[rows.length - 1]
    const omitted = files.slice(shown)
    const omittedKeys = omitted.reduce(
      (sum, f) => sum + f.keys!.added.length + f.keys!.changed.length + f.keys!.removed.length,
      0
    )
    expect(shown).toBeGreaterThan(10)
    expect(cells(more)[0]).toBe(`… and ${omitted.length} more files (${omittedKeys} keys)`)
    // Totals still cover every file.
    expect(table).toContain('**Total:** 300 files')
  })

  it('stays under the default limit for a PR body even with thousands of long keys', () => {
    const long = 'k'.repeat(500)
    const files = Array.from({ length: 2000 }, (_, i) => ({
      ...file(`l${i}`, 3),
      keys: { added: [long + i, long, long], changed: [], removed: [] }
    }))
    const table = changeTable(files)
    expect(table.length).toBeLessThanOrEqual(60_000)
    expect(table.length).toBeGreaterThan(50_000)
    expect(table).toMatch(/… and \d+ more files \(\d+ keys\)/)
    // Long keys are shortened in the examples.
    expect(table).not.toContain(long)
  })

  it('does not truncate when everything fits', () => {
    const table = changeTable([file('de', 1), file('fr', 1)], { maxChars: 10_000 })
    expect(table).not.toContain('more file')
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
      headSha: 'a'.repeat(40)
    })
    expect(parseOutputFile(await readFile(outputFile, 'utf8'))).toEqual({
      'has-changes': 'true',
      'changed-files': '["config/locales/de.yml","po/fr.po"]',
      'pull-request-number': '7',
      'pull-request-url': 'http://127.0.0.1/octo/app/pull/7',
      'pull-request-operation': 'created',
      branch: 'phrase/translations',
      'head-sha': 'a'.repeat(40)
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
      'head-sha': ''
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
    expect(text).toContain(changeTable([file('de', 2)]))
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
