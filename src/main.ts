/**
 * The pipeline: settings → locales → downloads → comparison → files or pull request → outputs.
 * One log group per phase and one error path: whatever fails, the run stops with a message that
 * names the cause, before anything is written.
 */
import * as core from '@actions/core'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  candidateOnDisk,
  checkDownloads,
  compareAll,
  describeChange,
  isChanged,
  toReport,
  type Candidate
} from './changes.js'
import {
  CheckFailure,
  translationChecks,
  type CheckFinding,
  type TranslationChecks
} from './checks/index.js'
import { planSources, type SourcePlan } from './checks/source.js'
import { readSettings } from './inputs.js'
import { planAll, type PlannedFile } from './plan.js'
import { createPhraseClient } from './phrase/client.js'
import { DEFAULT_MAX_BYTES, downloadAll } from './phrase/downloads.js'
import { formatBytes } from './phrase/transfer.js'
import { assertExportableFormats } from './phrase/formats.js'
import { listLocales } from './phrase/locales.js'
import type { DownloadedFile, PhraseClient, PhraseLocale } from './phrase/types.js'
import { openGitHubSession } from './github-session.js'
import { proposePullRequest } from './propose.js'
import { actionsLogger, withoutTokens } from './logger.js'
import {
  failureMarkdown,
  findingsReport,
  setOutputs,
  writeJobSummary,
  type Outcome
} from './report.js'
import type { Settings } from './settings.js'
import { USER_AGENT } from './version.js'
import { readWorkspaceFile, writeWorkspaceFile } from './workspace.js'

/**
 * GitHub warns about files over 50 MiB (and refuses them over 100 MiB, the download limit, see
 * phrase/downloads.ts): https://docs.github.com/en/repositories/working-with-files/managing-large-files/about-large-files-on-github
 */
const WARN_FILE_BYTES = 50 * 1024 * 1024

/** Per Phrase request: what the client waits for an answer, or for the next bytes of a body. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000

export async function run(): Promise<void> {
  const startedAt = Date.now()
  let tempDir: string | undefined
  try {
    tempDir = await mkdtemp(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'phrase-pull-'))
    const settings = readSettings()
    for (const warning of settings.warnings) actionsLogger.warning(warning)

    const phrase = createPhraseClient({
      apiUrl: settings.phrase.apiUrl,
      token: settings.phrase.token,
      userAgent: USER_AGENT,
      maxConcurrency: settings.phrase.maxConcurrency,
      // One request may not wait longer than the whole download phase may take (a hung locale
      // list would otherwise hold the run for 30 s per attempt whatever `timeout` says).
      requestTimeoutMs: Math.min(DEFAULT_REQUEST_TIMEOUT_MS, settings.phrase.timeoutMs),
      logger: actionsLogger
    })
    const { planned, sources } = await core.group('Selecting locales', () =>
      planFiles(settings, phrase)
    )
    // Source-locale files the pull does not download are read from the repository for the checks.
    const sourcePaths = sources.extraPaths(planned)
    const github = settings.pullRequest.create
      ? openGitHubSession(
          settings,
          [...planned.map(file => file.path), ...sourcePaths],
          actionsLogger
        )
      : undefined
    // No point finishing the exports when the repository side already failed (bad token, no base).
    const stopDownloads = new AbortController()
    github?.early.catch(() => stopDownloads.abort())
    const downloaded = await downloadAll(
      phrase,
      planned.map(file => file.request),
      {
        timeoutMs: settings.phrase.timeoutMs,
        tempDir,
        logger: actionsLogger,
        signal: stopDownloads.signal
      }
    ).catch(async error => {
      if (stopDownloads.signal.aborted) await github?.early // throws the GitHub error: the cause
      throw error
    })
    // Read from the temp directory whenever they are needed: no step holds every file at once.
    const candidates = downloaded.map((file, i) => candidateOnDisk(planned[i], file.file))
    checkDownloads(candidates)
    warnAboutLargeFiles(planned, downloaded)
    const checks = translationChecks({
      mode: settings.checks.mode,
      sources,
      candidates,
      logger: actionsLogger
    })

    const outcome = github
      ? await proposePullRequest(github, candidates, actionsLogger, checks, tempDir)
      : await core.group('Writing files into the workspace', () =>
          writeFiles(settings, candidates, checks)
        )

    setOutputs(outcome.outputs)
    await writeJobSummary({
      files: outcome.reports,
      findings: outcome.findings,
      checks: checks.summary(),
      about: settings.pullRequest.about,
      pullRequest:
        outcome.outputs.pullRequestNumber !== undefined
          ? {
              number: outcome.outputs.pullRequestNumber,
              url: outcome.outputs.pullRequestUrl ?? '',
              operation: outcome.outputs.pullRequestOperation
            }
          : undefined,
      // Files carried over from earlier runs are reported too, but were not part of this run.
      unchangedCount:
        candidates.length - outcome.reports.filter(file => file.carriedFrom === undefined).length,
      durationMs: Date.now() - startedAt
    })
    core.info(outcome.message)
  } catch (error) {
    const message = withoutTokens(error instanceof Error ? error.message : String(error))
    if (error instanceof CheckFailure)
      core.setOutput('check-findings', String(error.findings.length))
    core.setFailed(message)
    await reportFailure(message, error instanceof CheckFailure ? error.findings : [])
  } finally {
    if (tempDir) await rm(tempDir, { recursive: true, force: true }).catch(() => undefined)
  }
}

function warnAboutLargeFiles(planned: PlannedFile[], downloaded: DownloadedFile[]): void {
  for (const [i, { bytes }] of downloaded.entries()) {
    if (bytes <= WARN_FILE_BYTES) continue
    actionsLogger.warning(
      `${planned[i].request.label}: ${formatBytes(bytes)}; GitHub warns about files over ${formatBytes(WARN_FILE_BYTES)} and refuses them over ${formatBytes(DEFAULT_MAX_BYTES)}. Narrow the download with \`tags\` or several targets.`
    )
  }
}

/** The job summary says why the run stopped, and that nothing was changed. */
async function reportFailure(message: string, findings: CheckFinding[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary
    .addHeading('Phrase Pull failed', 2)
    .addRaw(`${failureMarkdown(message)}\n\n`)
    .addRaw(
      'The base branch was not touched; the log says what happened before the run stopped.',
      true
    )
    .addRaw(findings.length > 0 ? `\n${findingsReport(findings)}\n` : '')
    .write()
    .catch(() => undefined)
}

async function planFiles(
  settings: Settings,
  phrase: PhraseClient
): Promise<{ planned: PlannedFile[]; sources: SourcePlan }> {
  // Phrase's formats list is public: it comes alongside the locales, and a format Phrase does not
  // know fails the run here, once, before any export. Without the list, Phrase judges each job.
  const formats = phrase.listFormats().catch(error => {
    actionsLogger.debug(`Phrase's formats list is unavailable: ${String(error)}`)
    return undefined
  })
  // Targets of one project and branch share one locale listing.
  const listings = new Map<string, Promise<PhraseLocale[]>>()
  const listing = Promise.all(
    settings.targets.map(async target => {
      const key = `${target.projectId}\0${target.branch ?? ''}`
      if (!listings.has(key))
        listings.set(key, listLocales(phrase, target.projectId, target.branch))
      return { target, available: await listings.get(key)! }
    })
  )
  listing.catch(() => undefined) // a bad format is reported first
  const known = await formats
  if (known)
    assertExportableFormats(
      known,
      settings.targets.map(target => target.fileFormat)
    )
  const listed = await listing
  const files = planAll(listed, actionsLogger, settings.excludeLocales)
  core.info(
    `${files.length} file(s) from ${settings.targets.length} target(s): ${files.map(f => f.path).join(', ')}`
  )
  const sources = planSources(
    settings.checks.mode === 'off' ? [] : listed,
    settings.checks.sourceLocale
  )
  return { planned: files, sources }
}

async function writeFiles(
  settings: Settings,
  candidates: Candidate[],
  checks: TranslationChecks
): Promise<Outcome> {
  // Read when compared (and again when checked), one file at a time; every target is read, and
  // so checked for links, before the first write.
  const previous = (file: string) => readWorkspaceFile(settings.workspace, file)
  const changes = compareAll(
    candidates,
    previous,
    settings.maxKeyRemoval,
    actionsLogger.warning
  ).filter(isChanged)
  // With `checks: fail` this throws before any file is written.
  const findings = checks.run(changes, previous)
  for (const change of changes) {
    writeWorkspaceFile(settings.workspace, change.planned.path, change.content)
    core.info(`wrote ${describeChange(change)}`)
  }
  return {
    outputs: {
      hasChanges: changes.length > 0,
      changedFiles: changes.map(change => change.planned.path),
      pullRequestOperation: 'none',
      checkFindings: findings.length
    },
    reports: changes.map(toReport),
    findings,
    message: `${changes.length} file(s) changed in the workspace; no pull request (create-pull-request: false)`
  }
}
