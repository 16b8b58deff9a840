/**
 * What a run tells people: the job summary (the change report of the PR body, with the PR link
 * and the run's figures) and the step outputs. The report itself is change-report.ts.
 */
import * as core from '@actions/core'
import type { CheckFinding } from './checks/types.js'
import { changeReport, type FileReport } from './change-report.js'
import { plural } from './markdown.js'

export { changeReport, findingsReport, type FileReport } from './change-report.js'

export interface SummaryPullRequest {
  number: number
  url: string
  operation: string
}

export interface SummaryInput {
  files: FileReport[]
  findings?: CheckFinding[]
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
      ? changeReport(opts.files, { findings: opts.findings })
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
