/**
 * Looks at the PR body and job summary the way reviewers do: renders the demo's body and summary,
 * its body after a narrower second run, 3-, 30- and 200-locale bodies and a 200-locale summary with GFM (marked) and GitHub-like CSS, and screenshots them in headless Chromium at the
 * width of a pull request's description (~780 px). Not part of `npm test`; needs Debian's
 * chromium and fonts (`apt-get install -y chromium fonts-ipafont pngquant`) and a current bundle
 * (`npm run package`) for the demo. The markdown and HTML go to .build/render, the PNGs to
 * `out-dir` (made smaller with pngquant when it is there): `docs/images` updates the README's.
 *
 *   npx tsx scripts/render-body.ts [out-dir]     (default: .build/render)
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { marked } from 'marked'
import { runAction } from '../__tests__/support/env.js'
import { FakeGitHub } from '../__tests__/support/fake-github.js'
import { PhraseSimulator } from '../__tests__/support/phrase-simulator.js'
import { sampleReports } from '../__tests__/support/report-fixtures.js'
import { changeReport } from '../src/change-report.js'
import type { RunAbout } from '../src/run-about.js'
import { composeBody, inputsHash } from '../src/github/pull-request.js'
import { summaryMarkdown } from '../src/report.js'
import { demoLocales, demoRepositoryFiles, demoTranslations } from './demo-data.js'

const WIDTH = 780
const MAX_HEIGHT = 4000
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'
const USER_BODY = 'Translations pulled from Phrase Strings by the Phrase Pull action.'

/** A sketch of GitHub's markdown CSS: the sizes, spacing and table/code styles that decide width. */
const CSS = `
body { margin: 0; background: #fff; }
.markdown-body { box-sizing: border-box; width: ${WIDTH}px; padding: 16px;
  font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328;
  word-wrap: break-word; }
.markdown-body h3 { font-size: 1.25em; margin: 24px 0 16px; font-weight: 600; }
.markdown-body h4 { font-size: 1em; margin: 24px 0 16px; font-weight: 600; }
.markdown-body p, .markdown-body ul, .markdown-body table, .markdown-body details { margin: 0 0 16px; }
.markdown-body ul { padding-left: 2em; }
.markdown-body code { font: 85%/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  background: rgba(175,184,193,.2); border-radius: 6px; padding: .2em .4em; white-space: break-spaces; }
.markdown-body table { border-spacing: 0; border-collapse: collapse; display: block; width: max-content;
  max-width: 100%; overflow: auto; }
.markdown-body td, .markdown-body th { padding: 6px 13px; border: 1px solid #d1d9e0; }
.markdown-body th { font-weight: 600; }
.markdown-body tr:nth-child(2n) { background: #f6f8fa; }
.markdown-body summary { cursor: pointer; }
.markdown-body details > summary + * { margin-top: 16px; }
`

interface Page {
  name: string
  markdown: string
  /** Open every <details>, to see what one click shows. */
  open?: boolean
}

/**
 * The demo's PR body. With `narrower`, a second run pulls `de` alone after a translator's edit,
 * so the body shows the files carried over from the first run.
 */
async function demoRun(narrower = false): Promise<{ body: string; summary: string }> {
  // The demo project, with one translator slip in ja to show a check finding.
  const translations = demoTranslations()
  translations.ja['checkout.total'] = '合計'
  const sim = await PhraseSimulator.start({
    projects: { demo: { locales: demoLocales, translations } },
    jobDurationMs: 50
  })
  const gh = await FakeGitHub.start({ files: demoRepositoryFiles })
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'render-body-'))
  const env = {
    'INPUT_API-TOKEN': 'phrase-test-token',
    'INPUT_API-URL': sim.apiUrl,
    'INPUT_GITHUB-TOKEN': gh.token,
    'INPUT_PROJECT-ID': 'demo',
    'INPUT_FILE-FORMAT': 'yml',
    INPUT_PATH: 'config/locales/<locale_name>.yml',
    INPUT_BODY: USER_BODY,
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_REF: 'refs/heads/main'
  }
  try {
    const runs = narrower ? [env, { ...env, INPUT_LOCALES: 'de' }] : [env]
    let summary = ''
    for (const [i, runEnv] of runs.entries()) {
      if (i > 0) sim.project('demo').translations.de['nav.home'] = 'Zur Startseite'
      const run = await runAction(runEnv, { workspace, timeoutMs: 60_000 })
      if (run.code !== 0) throw new Error(`the demo run failed:\n${run.stdout}`)
      summary = run.summary
    }
    const [pr] = gh.pulls()
    return { body: pr.body ?? '', summary }
  } finally {
    await Promise.all([sim.stop(), gh.stop()])
    rmSync(workspace, { recursive: true, force: true })
  }
}

/** What a scheduled run on github.com puts at the foot of the body. */
const SAMPLE_ABOUT: RunAbout = {
  startedAt: '2026-12-01T03:17:42.000Z',
  run: {
    url: 'https://github.com/octo/shop/actions/runs/12345678901',
    workflow: 'Pull translations from Phrase',
    number: '214',
    event: 'schedule'
  },
  projects: [{ id: '0123456789abcdef0123456789abcdef' }],
  dataCentre: 'EU'
}

/** The job summary of a run with `locales` locales (the same report, given 1 MiB). */
function sampleSummary(locales: number): string {
  const { files, findings, checks } = sampleReports(locales)
  return summaryMarkdown({
    files,
    findings,
    checks,
    about: SAMPLE_ABOUT,
    pullRequest: { number: 7, url: 'https://github.com/octo/shop/pull/7', operation: 'updated' },
    unchangedCount: 3,
    durationMs: 41_200
  })
}

function sampleBody(locales: number): string {
  const { files, findings, checks } = sampleReports(locales)
  return composeBody(
    USER_BODY,
    changeReport(files, { findings, checks, about: SAMPLE_ABOUT }),
    inputsHash('Update translations', USER_BODY)
  )
}

function html(page: Page): string {
  const body = marked.parse(page.markdown, { gfm: true, async: false })
  const open = page.open
    ? '<script>document.querySelectorAll("details").forEach(d => d.open = true)</script>'
    : ''
  // The page reports its own height, so the screenshot is as tall as the rendered body.
  const measure =
    '<script>document.title = String(document.querySelector(".markdown-body").scrollHeight)</script>'
  return `<!doctype html><meta charset="utf-8"><style>${CSS}</style><article class="markdown-body">${body}</article>${open}${measure}`
}

function chromium(args: string[], profile: string): string {
  return execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
      '--force-device-scale-factor=1',
      `--user-data-dir=${profile}`,
      ...args
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }
  )
}

function screenshot(
  page: Page,
  buildDir: string,
  outDir: string
): { file: string; height: number } {
  const file = path.join(buildDir, `${page.name}.html`)
  writeFileSync(file, html(page))
  const profile = mkdtempSync(path.join(os.tmpdir(), 'render-body-chromium-'))
  try {
    const dom = chromium([`--window-size=${WIDTH},800`, '--dump-dom', `file://${file}`], profile)
    const height = Math.min(MAX_HEIGHT, Number(/<title>(\d+)<\/title>/.exec(dom)?.[1] ?? 1200))
    const png = path.join(outDir, `${page.name}.png`)
    chromium([`--window-size=${WIDTH},${height}`, `--screenshot=${png}`, `file://${file}`], profile)
    shrink(png)
    return { file: png, height }
  } finally {
    rmSync(profile, { recursive: true, force: true })
  }
}

/** A palette PNG a fraction of the size; the screenshot stays as it is without pngquant. */
function shrink(png: string): void {
  try {
    execFileSync('pngquant', ['--force', '--skip-if-larger', '--output', png, '--', png], {
      stdio: 'ignore'
    })
  } catch {
    // pngquant missing, or it could not do better: keep the screenshot as Chromium wrote it.
  }
}

async function main(): Promise<void> {
  const buildDir = path.resolve('.build/render')
  const outDir = path.resolve(process.argv[2] ?? buildDir)
  mkdirSync(buildDir, { recursive: true })
  mkdirSync(outDir, { recursive: true })
  const demo = await demoRun()
  const pages: Page[] = [
    { name: 'pr-body-demo', markdown: demo.body },
    { name: 'job-summary-demo', markdown: demo.summary },
    { name: 'pr-body-demo-narrower-run', markdown: (await demoRun(true)).body },
    { name: 'job-summary-locales-200', markdown: sampleSummary(200) },
    { name: 'pr-body-locales-3', markdown: sampleBody(3) },
    { name: 'pr-body-locales-30', markdown: sampleBody(30) },
    { name: 'pr-body-locales-30-open', markdown: sampleBody(30), open: true },
    { name: 'pr-body-locales-200', markdown: sampleBody(200) }
  ]
  for (const page of pages) {
    writeFileSync(path.join(buildDir, `${page.name}.md`), page.markdown)
    // What one click shows is for looking at here, not for the README.
    const { file, height } = screenshot(page, buildDir, page.open ? buildDir : outDir)
    console.log(`${file}: ${page.markdown.length} characters, ${height} px tall`)
  }
}

main().catch(error => {
  console.error(`render-body failed: ${error instanceof Error ? error.message : error}`)
  process.exit(1)
})
