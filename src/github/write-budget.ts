/**
 * Whether a commit's writes fit GitHub's limits on content creation, decided before the first
 * write. GitHub allows "no more than 80 content-generating requests per minute and no more than
 * 500 content-generating requests per hour"
 * (https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits).
 * Text goes into tree requests inline, many files at once; a file that is not UTF-8 or too large
 * for a request goes up as a blob of its own (see tree-writer.ts), one write per second. A run
 * that would cross the hourly limit midway stops at once instead, with nothing written.
 */
import { isUtf8 } from 'node:buffer'
import type { Logger } from '../logger.js'
import { namedList } from '../named-list.js'
import type { BlobStream } from './blobs.js'
import { gitBlobSha } from './repository.js'
import { inlineEntry } from './tree-writer.js'

export const CONTENT_WRITES_PER_HOUR = 500
/**
 * Separate blob writes one run may make: the hour's 500 less room for what else the run writes
 * (trees, the commit, the branch, the pull request and its labels) and for other workflows that
 * create content with the same token in that hour.
 */
export const MAX_BLOB_WRITES = 400
/** From this many blob writes on, the log says how long they take (one write a second). */
const SLOW_BLOB_WRITES = 60

export interface BlobWrites {
  /** Distinct blobs to upload. */
  count: number
  /** Files that go up as blobs because their bytes are not UTF-8. */
  notUtf8: string[]
  /** Files that go up as blobs because they are too large for a tree request. */
  large: string[]
}

export class WriteBudgetError extends Error {
  override name = 'WriteBudgetError'
}

/** The separate blob writes committing `files` takes (the same rule as the tree writer's). */
export function blobWrites(
  files: Array<
    | { path: string; content: Buffer; mode?: '100644' | '100755' }
    | { path: string; stream: BlobStream; sha: string }
  >
): BlobWrites {
  const shas = new Set<string>()
  const notUtf8: string[] = []
  const large: string[] = []
  for (const file of files) {
    // Streamed: too long for a tree request, whatever its bytes are.
    if (!('content' in file)) {
      shas.add(file.sha)
      large.push(file.path)
      continue
    }
    if (inlineEntry({ path: file.path, mode: file.mode ?? '100644', content: file.content }))
      continue
    shas.add(gitBlobSha(file.content))
    if (!isUtf8(file.content)) notUtf8.push(file.path)
    else large.push(file.path)
  }
  return { count: shas.size, notUtf8, large }
}

/**
 * Throws WriteBudgetError when the blob writes would cross the hourly limit, naming the files and
 * the ways around it; says how long they take when they are many but fit.
 */
export function assertBlobWritesFit(writes: BlobWrites, logger: Logger): void {
  if (writes.count > MAX_BLOB_WRITES) throw new WriteBudgetError(refusal(writes))
  if (writes.count >= SLOW_BLOB_WRITES)
    logger.info(
      `${writes.count} files go up as separate blobs (${causes(writes)}): about ${Math.ceil(writes.count / 60)} minute(s) at GitHub's pace of one write a second`
    )
}

function refusal(writes: BlobWrites): string {
  const ways = [
    ...(writes.notUtf8.length > 0
      ? [
          'export UTF-8, which goes into a few tree requests instead (`download-params: {encoding: UTF-8}`, if your app reads it)'
        ]
      : []),
    ...(writes.large.length > 0
      ? ['make the large files smaller (`tags`, or several targets)']
      : []),
    'pull fewer files per run (`locales`, or a matrix of jobs with a `locales` share and a `branch` each, scheduled an hour apart: they share the hourly limit of the token)'
  ]
  return (
    `Stopped before writing anything: this commit needs ${writes.count} separate blob uploads (${causes(writes)}), ` +
    `and GitHub allows about ${CONTENT_WRITES_PER_HOUR} content-creating requests an hour (80 a minute), ` +
    `so the run would be refused midway. To fit, ${ways.join('; or ')}.`
  )
}

function causes(writes: BlobWrites): string {
  return [
    writes.notUtf8.length > 0 ? `not UTF-8: ${namedList(writes.notUtf8, 3)}` : '',
    writes.large.length > 0
      ? `too large to go inline, about 1 MB: ${namedList(writes.large, 3)}`
      : ''
  ]
    .filter(Boolean)
    .join('; ')
}
