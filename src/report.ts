/**
 * What a run tells people: the job summary (the change report of the PR body, with the PR link
 * and the run's figures) and the step outputs. The report itself is change-report.ts.
 */
import * as core from '@actions/core'
import type { CheckFinding, CheckSummary } from './checks/types.js'
import { changeReport, type FileReport } from './change-report.js'
import { escapeText, plural } from './markdown.js'
import type { RunAbout } from './run-about.js'

export { changeReport, findingsReport, type FileReport } from './change-report.js'

export interface SummaryPullRequest {
  number: number
  url: string
  operation: string
}

/**
 * GitHub takes up to 1 MiB per step summary and drops a larger one whole, with the error
 * "$GITHUB_STEP_SUMMARY upload aborted, supports content up to a size of 1024k, got …. For more
 * information see: https://docs.github.com/actions/using-workflows/workflow-commands-for-github-actions#adding-a-markdown-summary"
 * (the runner's words, as annotated on failed runs; check-spelling's wiki lists "Step Summary | 1 mb").
 * The report gets that room in bytes, less a margin for the lines around it: far more than a
 * pull request body's 65,536 characters, so the summary names what the body had to leave out.
 */
export const SUMMARY_MAX_BYTES = 1024 * 1024
const SUMMARY_MARGIN_BYTES = 8 * 1024

export interface SummaryInput {
  files: FileReport[]
  findings?: CheckFinding[]
  checks?: CheckSummary
  about?: RunAbout
  pullRequest?: SummaryPullRequest
  unchangedCount: number
  durationMs?: number
}

export function summaryMarkdown(opts: SummaryInput): string {
  const parts = ['## Phrase Pull', '']
  if (opts.pullRequest) {
    const { number, url, operation } = opts.pullRequest
    parts.push(
      `Pull request [#${number}](${url.replace(/[()\s]/g, encodeURIComponent)}) ${operation}.`,
      ''
    )
  }
  parts.push(
    opts.files.length > 0
      ? changeReport(opts.files, {
          findings: opts.findings,
          checks: opts.checks,
          about: opts.about,
          maxChars: SUMMARY_MAX_BYTES - SUMMARY_MARGIN_BYTES,
          size: text => Buffer.byteLength(text),
          moreFindings: 'the log names the first ones'
        })
      : 'No translation changes.',
    ''
  )
  const took =
    opts.durationMs !== undefined ? ` Took ${(opts.durationMs / 1000).toFixed(1)} s.` : ''
  parts.push(`${plural(opts.unchangedCount, 'file')} unchanged.${took}`)
  return parts.join('\n') + '\n'
}

export async function writeJobSummary(opts: SummaryInput): Promise<void> {
  // Local runs (and `act`) have no summary file; the log already says everything.
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.debug('GITHUB_STEP_SUMMARY is not set; skipping the job summary')
    return
  }
  await core.summary.addRaw(summaryMarkdown(opts)).write()
}

/**
 * A failed run's summary: the message as text that wraps (a code block would run off the right
 * edge), its `- ` lines as a list; escaped, since it quotes what Phrase and GitHub answered.
 */
export function failureMarkdown(message: string): string {
  const out: string[] = []
  let inList = false
  for (const line of message.split(/\r?\n/)) {
    if (!line.trim()) continue
    const item = /^\s*- (.*)$/.exec(line)
    // A blank line between a paragraph and a list, none between the items of one list.
    if (out.length > 0 && !(item && inList)) out.push('')
    out.push(item ? `- ${escapeText(item[1])}` : escapeText(line))
    inList = item !== null
  }
  return out.join('\n')
}

export interface RunOutputs {
  hasChanges: boolean
  changedFiles: string[]
  pullRequestNumber?: number
  pullRequestUrl?: string
  pullRequestOperation: 'created' | 'updated' | 'unchanged' | 'closed' | 'none'
  branch?: string
  headSha?: string
  /** Translation check findings in the changed keys (0 with `checks: off`). */
  checkFindings?: number
}

/** How a run ended: the step outputs, the changed files to report, the closing log line. */
export interface Outcome {
  outputs: RunOutputs
  reports: FileReport[]
  findings?: CheckFinding[]
  message: string
}

/** Every output is set on every run, so later steps never read a stale or missing value. */
export function setOutputs(o: RunOutputs): void {
  core.setOutput('has-changes', o.hasChanges ? 'true' : 'false')
  core.setOutput('changed-files', JSON.stringify(o.changedFiles))
  core.setOutput(
    'pull-request-number',
    o.pullRequestNumber !== undefined ? String(o.pullRequestNumber) : ''
  )
  core.setOutput('pull-request-url', o.pullRequestUrl ?? '')
  core.setOutput('pull-request-operation', o.pullRequestOperation)
  core.setOutput('branch', o.branch ?? '')
  core.setOutput('head-sha', o.headSha ?? '')
  core.setOutput('check-findings', String(o.checkFindings ?? 0))
}
