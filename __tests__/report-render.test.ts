/**
 * The PR body as GitHub renders it (GFM via marked, as scripts/render-body.ts screenshots it):
 * checks the structure a reviewer sees, not pixels. Totals and the unusual come before the first
 * table or fold; beyond 15 files the table of every file is folded; no table row is wider than the
 * four columns; the body fits GitHub's 65,536-character limit with the user's text above it.
 */
import { describe, expect, it } from '@jest/globals'
import { marked } from 'marked'
import { changeReport } from '../src/change-report.js'
import { composeBody, inputsHash, MAX_BODY_CHARS } from '../src/github/pull-request.js'
import { sampleReports } from './support/report-fixtures.js'

const USER_BODY = 'Translations pulled from Phrase Strings by the Phrase Pull action.'

function body(locales: number, userBody = USER_BODY): string {
  const { files, findings } = sampleReports(locales)
  return composeBody(userBody, changeReport(files, { findings }), inputsHash('T', userBody))
}

function render(markdown: string): string {
  return marked.parse(markdown, { gfm: true, async: false })
}

/** Cells per row of every rendered table. */
function rowWidths(html: string): number[] {
  return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(
    ([, row]) => (row.match(/<t[dh][ >]/g) ?? []).length
  )
}

describe('the PR body as GitHub renders it', () => {
  it.each([3, 30, 200])('%i locales: totals first, rows of four cells, within the limit', n => {
    const markdown = body(n)
    expect(markdown.length).toBeLessThanOrEqual(MAX_BODY_CHARS)
    const html = render(markdown)
    const totals = html.indexOf(`<strong>${n} locales · ${n} files · keys:`)
    expect(totals).toBeGreaterThan(0)
    expect(totals).toBeLessThan(html.indexOf('<table>'))
    expect(html.indexOf('<h4>Look here first</h4>')).toBeLessThan(html.indexOf('<table>'))
    expect(new Set(rowWidths(html))).toEqual(new Set([4]))
    // Every fold is closed again: nothing below it is swallowed.
    expect(html.match(/<details>/g)?.length ?? 0).toBe(html.match(/<\/details>/g)?.length ?? 0)
  })

  it('shows 3 locales open, without folds', () => {
    const html = render(body(3))
    expect(html).not.toContain('<details>')
    expect(rowWidths(html)).toHaveLength(1 + 3)
    expect(html).toContain(
      '<code>fr</code> <code>checkout.title</code>: <code>Checkout: %{count} items (fr)</code> → <code>Payer les articles</code>'
    )
  })

  it('shows the anomaly of 200 locales above every fold, every file one click away', () => {
    const html = render(body(200))
    const firstFold = html.indexOf('<details>')
    const open = html.slice(0, firstFold)
    expect(open).toContain(
      '<strong>Removed</strong> in <code>et</code> only: <code>common.save</code>'
    )
    expect(open).not.toContain('<table>')
    // Each shared change is one list item, not 199.
    expect(open.match(/<li>/g)).toHaveLength(1 + 3 + 3)
    const fold = html.indexOf('<details><summary>All 200 files</summary>')
    const folded = html.slice(fold, html.indexOf('</details>', fold))
    expect(rowWidths(folded)).toHaveLength(1 + 200)
    // The keys of every file but the new one are one click away too.
    expect(html).toContain('<details><summary>Keys of 199 files</summary>')
  })

  it('cuts a report that meets a long user text between blocks, never inside a table or fold', () => {
    const markdown = body(200, 'x'.repeat(50_000))
    expect(markdown.length).toBeLessThanOrEqual(MAX_BODY_CHARS)
    expect(markdown).toContain('… (cut to fit')
    const html = render(markdown)
    expect(html.match(/<details>/g)?.length ?? 0).toBe(html.match(/<\/details>/g)?.length ?? 0)
    expect(new Set(rowWidths(html))).toEqual(new Set([4]))
    expect(html).toContain('<strong>200 locales')
  })
})
