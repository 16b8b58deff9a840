/**
 * The GitHub half of a run: read the branch and its pull request once (lifecycle/state.ts),
 * compare this run's downloads with the base, decide the next state without GitHub
 * (lifecycle/decide.ts), and carry it out (lifecycle/apply.ts).
 */
import { writeFile } from 'node:fs/promises'
import { setImmediate } from 'node:timers/promises'
import path from 'node:path'
import {
  compareAll,
  compareCandidate,
  describeChange,
  isChanged,
  type Candidate,
  type Change
} from './changes.js'
import { KEEP_BYTES } from './github/file-contents.js'
import { BranchMovedError, gitBlobSha, type RepoFile } from './github/repository.js'
import { asFileBytes, bytesOnDisk, type FileBytes } from './files/file-bytes.js'
import type { Context, GitHubSession } from './github-session.js'
import { apply } from './lifecycle/apply.js'
import { decide, type RepoState } from './lifecycle/decide.js'
import { readContents, readState } from './lifecycle/state.js'
import { inGroup, type Logger } from './logger.js'
import type { CheckFinding, TranslationChecks } from './checks/index.js'
import type { Outcome } from './report.js'

/** `spillDir`: where the base's long files wait for their comparison (the run's temp directory). */
export async function proposePullRequest(
  session: GitHubSession,
  candidates: Candidate[],
  logger: Logger,
  checks?: TranslationChecks,
  spillDir?: string
): Promise<Outcome> {
  const context = await session.context
  // What the early checks refused (the base, files Git LFS tracks) stops the run here.
  await session.early
  return inGroup(logger, `Proposing changes against ${context.base}`, async () => {
    // Another run may move the branch between our read and our write: start over once on the
    // new state, then give up rather than overwrite a commit we did not see.
    const attempt = () => proposeOnce(context, session.paths, candidates, checks, spillDir)
    try {
      return await attempt()
    } catch (error) {
      if (!(error instanceof BranchMovedError)) throw error
      logger.warning(`${error.message}; starting over once on the latest state`)
      try {
        return await attempt()
      } catch (again) {
        if (again instanceof BranchMovedError) {
          throw new Error(
            `Branch ${context.pr.branch} kept moving while this run worked (another run?); nothing was overwritten. Use a concurrency group so runs queue.`
          )
        }
        throw again
      }
    }
  })
}

async function proposeOnce(
  context: Context,
  paths: string[],
  candidates: Candidate[],
  checks?: TranslationChecks,
  spillDir?: string
): Promise<Outcome> {
  const { pr } = context
  const state = await readState(context, paths)
  // Each download is read once here (a piece at a time) for its blob sha.
  const shas = new Map(candidates.map(c => [c.planned.path, gitBlobSha(c)]))
  const { compared, changes, findings } = await compareWithBase(
    context,
    state,
    { paths, candidates, shas, spillDir },
    checks
  )
  const decision = decide(
    state,
    {
      files: compared.map(change => ({
        path: change.planned.path,
        sha: shas.get(change.planned.path)!,
        changed: isChanged(change)
      })),
      sameAsBranch: await churnOnBranch(context, state, changes, shas)
    },
    { base: context.base, head: pr.branch, deleteBranch: pr.deleteBranch }
  )
  return apply(context, state, decision, { changes, findings, checks: checks?.summary() })
}

/**
 * The downloads compared with the base and checked. The base's files are read here and dropped
 * when this returns: the commit and the pull request that follow hold only the downloads (a
 * 60 MiB file of the base's stays in memory no longer than its comparison needs it).
 */
async function compareWithBase(
  context: Context,
  state: RepoState,
  run: RunFiles,
  checks?: TranslationChecks
): Promise<{ compared: Change[]; changes: Change[]; findings: CheckFinding[] }> {
  const { logger } = context
  const previous = await baseContents(context, state, run)
  const compared = compareAll(run.candidates, previous, context.maxKeyRemoval, logger.warning)
  const changes = compared.filter(isChanged)
  for (const change of changes) {
    logger.info(describeChange(change))
    // A file that does not parse is still proposed (compared by bytes), but a reviewer should know.
    if (change.comparison.note) logger.warning(`${change.planned.path}: ${change.comparison.note}`)
  }
  // With `checks: fail` this throws: nothing after it (commit, PR) happens.
  const findings = checks?.run(changes, previous) ?? []
  return { compared, changes, findings }
}

/** This run's paths and downloads, with each download's blob sha. */
interface RunFiles {
  paths: string[]
  candidates: Candidate[]
  shas: Map<string, string>
  spillDir?: string
}

/**
 * The base's file at each of the run's paths. One whose blob is the download's needs no read: it
 * is the download, read from disk when asked for. A long one waits on disk in `spillDir`, so that
 * its comparison, reading it a piece at a time, never holds it whole beside the download.
 */
async function baseContents(
  context: Context,
  state: RepoState,
  { paths, candidates, shas, spillDir }: RunFiles
): Promise<(path: string) => FileBytes | undefined> {
  const downloads = new Map(candidates.map(c => [c.planned.path, c]))
  const entries = paths.flatMap(path => state.base.files.get(path) ?? [])
  const isDownload = (file: RepoFile) => shas.get(file.path) === file.sha
  const read = await readContents(
    context,
    entries.filter(file => !isDownload(file))
  )
  const held = new Map<string, FileBytes>()
  for (const [path, bytes] of read) held.set(path, await spilled(bytes, spillDir))
  // V8 keeps a WeakRef's target alive until the task that made it ends: the comparison starts in
  // a new task, so that a spilled file's bytes are freed once no reader holds them.
  await setImmediate()
  const same = new Set(entries.filter(isDownload).map(file => file.path))
  return path => (same.has(path) ? downloads.get(path) : held.get(path))
}

/** A blob the run's file cache keeps (KEEP_BYTES) is in memory anyway: only a longer one goes. */
async function spilled(bytes: Buffer, dir: string | undefined): Promise<FileBytes> {
  if (dir === undefined || bytes.length <= KEEP_BYTES) return asFileBytes(bytes)
  // Named by content: a second attempt (the branch moved) writes the same bytes again.
  const file = path.join(dir, `base-${gitBlobSha(bytes)}`)
  await writeFile(file, bytes)
  return bytesOnDisk(file, bytes)
}

/**
 * Planned paths whose bytes on the branch differ from the download only by churn (a header
 * date): the branch keeps them, so a rerun makes no commit, and a closed pull request is not
 * proposed again for a date. Blob shas settle most files unread: the branch holds the download's
 * bytes or the base's (a change by definition); only a copy that is neither is read.
 */
async function churnOnBranch(
  context: Context,
  state: RepoState,
  changes: Change[],
  shas: Map<string, string>
): Promise<Set<string>> {
  const { ref, base } = state
  if (!ref) return new Set()
  const neither = changes.flatMap(change => {
    const path = change.planned.path
    const sha = ref.changed.get(path)
    const differs = sha !== shas.get(path) && sha !== base.files.get(path)?.sha
    return sha !== undefined && differs ? [{ path, sha, mode: '100644' }] : []
  })
  const onBranch = await readContents(context, neither)
  return new Set(
    changes
      .filter(change => {
        const previous = onBranch.get(change.planned.path)
        return previous !== undefined && compareCandidate(change, previous).status === 'unchanged'
      })
      .map(change => change.planned.path)
  )
}
