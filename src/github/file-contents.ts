/**
 * The bytes of repository files without spending the hourly request budget on them.
 *
 * 1. The checkout: the workflow has usually just checked out the base, so a workspace file whose
 *    git blob sha is the tree entry's IS that blob. The file is read once, hashed and compared; a
 *    link, a directory reached through a link, or anything but a regular file is not read.
 * 2. GraphQL, many blobs per request: `object(oid:)` under aliases, `... on Blob`. Its `text` is
 *    null for a binary blob, decoded lossily when the bytes are not UTF-8, and cut at 512,000
 *    bytes (`isTruncated`; github.com/sveltia/sveltia-cms/issues/950), so a text counts only when
 *    its own blob sha is the entry's: then it is exactly the blob.
 * 3. REST `GET /git/blobs/{sha}` for whatever GraphQL could not return exactly (binary, not UTF-8,
 *    over 512,000 bytes), or where GraphQL is not there at all (a proxy that passes only REST).
 *
 * A request for 1,000 files whose checkout matches costs nothing; without a checkout it costs one
 * GraphQL request per BATCH_BLOBS blobs.
 */
import { constants, type Stats } from 'node:fs'
import { lstat, open } from 'node:fs/promises'
import path from 'node:path'
import type { Logger } from '../logger.js'
import { describeFailure, statusOf } from './errors.js'
import type { GitHubClient } from './octokit.js'
import { gitBlobSha, type RepoFile } from './repository.js'
import { readBlob } from './blobs.js'

/** Aliases per GraphQL request (sveltia-cms asks for 250; GitHub allows 500,000 nodes per call). */
export const BATCH_BLOBS = 100
/** Known bytes per GraphQL request: its answer must come within GitHub's 10 s. */
export const BATCH_BYTES = 4_000_000
/** GraphQL's `Blob.text` stops here (isTruncated): larger blobs go to REST straight away. */
export const GRAPHQL_TEXT_BYTES = 512_000
/** No checkout file larger than GitHub keeps (100 MiB) is read. */
const MAX_CHECKOUT_BYTES = 100 * 1024 * 1024
/**
 * Blobs up to this size are kept for the rest of the run; a larger one is handed out and dropped,
 * so that a 60 MiB base file does not stay in memory through the commit and the pull request.
 */
export const KEEP_BYTES = 1024 * 1024
/** Files read or blobs fetched at once. */
const PARALLEL_READS = 8

/** A tree entry: where the file is, which blob it is, and its size when the listing said. */
export interface BlobEntry {
  path: string
  sha: string
  size?: number
}

export interface FileContentsOptions {
  client: GitHubClient
  owner: string
  repo: string
  /** GITHUB_GRAPHQL_URL; undefined: Octokit's `<api>/graphql`. */
  graphqlUrl?: string
  /** The checkout (GITHUB_WORKSPACE); undefined: there is none to read from. */
  workspace?: string
  logger: Logger
}

/** Where the bytes came from so far, for the debug log. */
interface ReadCounts {
  checkout: number
  graphql: number
  rest: number
}

export class FileContents {
  /** Blobs never change: what was read once is reused for the rest of the run (up to KEEP_BYTES). */
  private readonly blobs = new Map<string, Buffer>()
  private graphqlUsable = true
  private readonly counts: ReadCounts = { checkout: 0, graphql: 0, rest: 0 }

  constructor(private readonly options: FileContentsOptions) {}

  /**
   * `files` with their content (the same contract as `Repository.withContent`). `known(path)`
   * offers bytes already held (a download): when their blob sha is the entry's, they are it.
   */
  async withContent(
    files: Iterable<RepoFile>,
    known: (path: string) => Buffer | undefined = () => undefined
  ): Promise<Map<string, RepoFile>> {
    const list = [...files]
    for (const file of list) {
      const bytes = file.content ?? known(file.path)
      if (bytes !== undefined && !this.blobs.has(file.sha) && gitBlobSha(bytes) === file.sha)
        this.blobs.set(file.sha, bytes)
    }
    const bytes = await this.read(list)
    return new Map(list.map(file => [file.path, { ...file, content: bytes.get(file.sha)! }]))
  }

  /** The bytes of every entry, by blob sha. */
  async read(entries: BlobEntry[]): Promise<Map<string, Buffer>> {
    const wanted = new Map<string, BlobEntry[]>()
    for (const entry of entries) {
      if (this.blobs.has(entry.sha)) continue
      wanted.set(entry.sha, [...(wanted.get(entry.sha) ?? []), entry])
    }
    let missing = [...wanted.keys()]
    if (this.options.workspace !== undefined && missing.length > 0) {
      const found = await inParallel(missing, sha =>
        this.fromCheckout(this.options.workspace!, wanted.get(sha)!)
      )
      missing = missing.filter((_, i) => !found[i])
    }
    if (missing.length > 0 && this.graphqlUsable) {
      const firsts = missing.map(sha => wanted.get(sha)![0])
      await this.fromGraphql(firsts.filter(entry => (entry.size ?? 0) <= GRAPHQL_TEXT_BYTES))
      missing = missing.filter(sha => !this.blobs.has(sha))
    }
    // All awaited together: a failed read must never be left unobserved while others run.
    await inParallel(missing, sha => this.fromRest(wanted.get(sha)![0]))
    if (wanted.size > 0) {
      const { checkout, graphql, rest } = this.counts
      this.options.logger.debug(
        `File contents so far: ${checkout} from the checkout, ${graphql} through GraphQL, ${rest} blob reads`
      )
    }
    const read = new Map(entries.map(entry => [entry.sha, this.blobs.get(entry.sha)!]))
    for (const [sha, bytes] of read) if (bytes.length > KEEP_BYTES) this.blobs.delete(sha)
    return read
  }

  /** Whether one of `entries` (same sha) lies in the checkout with exactly these bytes. */
  private async fromCheckout(workspace: string, entries: BlobEntry[]): Promise<boolean> {
    for (const entry of entries) {
      const bytes = await readPlainFile(workspace, entry.path, entry.size)
      if (bytes !== undefined && gitBlobSha(bytes) === entry.sha) {
        this.blobs.set(entry.sha, bytes)
        this.counts.checkout++
        return true
      }
    }
    return false
  }

  private async fromGraphql(entries: BlobEntry[]): Promise<void> {
    for (const batch of batches(entries)) {
      if (!this.graphqlUsable) return
      await this.graphqlBatch(batch)
    }
  }

  /**
   * One request for `batch`. A batch GitHub cannot answer (a timeout, a 5xx) is tried again once,
   * in halves; when a half fails too, GraphQL is given up for this run and REST reads the rest.
   */
  private async graphqlBatch(batch: BlobEntry[], halved = false): Promise<void> {
    const { client, owner, repo, graphqlUrl, logger } = this.options
    let answer: Record<string, unknown> | undefined
    try {
      const data = await client.graphql<{ repository: Record<string, unknown> | null }>({
        query: blobQuery(batch),
        owner,
        name: repo,
        ...(graphqlUrl ? { url: graphqlUrl } : {}),
        // A batch that timed out would time out again: halves are sent instead (below).
        request: { retries: 0 }
      })
      answer = data.repository ?? undefined
    } catch (error) {
      // Errors beside data (one alias failed): what did come back is used.
      answer = partialRepository(error)
      if (answer === undefined) {
        if (!unavailable(error) && !halved && batch.length > 1) {
          logger.debug(`GraphQL read of ${batch.length} files failed (${String(error)}); halving`)
          const half = Math.ceil(batch.length / 2)
          await this.graphqlBatch(batch.slice(0, half), true)
          if (this.graphqlUsable) await this.graphqlBatch(batch.slice(half), true)
          return
        }
        this.graphqlUsable = false
        logger.info(
          `GitHub's GraphQL API could not read files here (${describeFailure(error, 'use it').message}); reading them one by one through the REST API`
        )
        return
      }
    }
    batch.forEach((entry, index) => {
      const text = exactText(answer?.[`b${index}`], entry.sha)
      if (text === undefined) return
      this.blobs.set(entry.sha, text)
      this.counts.graphql++
    })
  }

  private async fromRest(entry: BlobEntry): Promise<void> {
    const { client, owner, repo } = this.options
    try {
      this.blobs.set(entry.sha, await readBlob(client, { owner, repo }, entry.sha))
      this.counts.rest++
    } catch (error) {
      throw describeFailure(error, `read ${entry.path} (blob ${entry.sha}) from ${owner}/${repo}`)
    }
  }
}

/**
 * The bytes of `repoPath` under `workspace` if it is a regular file reached without any link
 * (every directory on the way is checked with lstat, the file is opened with O_NOFOLLOW and
 * checked again on the open descriptor); undefined otherwise. With `size` (the tree listing's),
 * a file of another size is not read at all: it cannot be the blob.
 */
export async function readPlainFile(
  workspace: string,
  repoPath: string,
  size?: number
): Promise<Buffer | undefined> {
  const segments = repoPath.split('/')
  if (segments.some(segment => segment === '' || segment === '.' || segment === '..'))
    return undefined
  let dir = workspace
  for (const segment of segments.slice(0, -1)) {
    dir = path.join(dir, segment)
    const stat = await lstat(dir).catch(() => undefined)
    if (!stat?.isDirectory()) return undefined
  }
  const file = path.join(dir, segments[segments.length - 1])
  // O_NONBLOCK: opening a FIFO must not wait for a writer (it is refused below, as not a file).
  const flags = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)
  const handle = await open(file, flags).catch(() => undefined)
  if (!handle) return undefined
  try {
    const stat: Stats = await handle.stat()
    if (!stat.isFile() || stat.size > MAX_CHECKOUT_BYTES) return undefined
    if (size !== undefined && stat.size !== size) return undefined
    return await handle.readFile()
  } catch {
    return undefined
  } finally {
    await handle.close()
  }
}

/** Consecutive entries grouped so that no request asks for too many blobs or known bytes. */
export function batches(entries: BlobEntry[]): BlobEntry[][] {
  const result: BlobEntry[][] = []
  let current: BlobEntry[] = []
  let bytes = 0
  for (const entry of entries) {
    const size = entry.size ?? 0
    if (current.length > 0 && (current.length >= BATCH_BLOBS || bytes + size > BATCH_BYTES)) {
      result.push(current)
      current = []
      bytes = 0
    }
    current.push(entry)
    bytes += size
  }
  if (current.length > 0) result.push(current)
  return result
}

/** Shas are hex (validated), so they go into the query as literals; one alias per blob. */
function blobQuery(batch: BlobEntry[]): string {
  const fields = batch.map((entry, index) => {
    if (!/^[0-9a-f]{40}$/i.test(entry.sha)) throw new Error(`Not a blob sha: ${entry.sha}`)
    return `b${index}: object(oid: "${entry.sha}") { ... on Blob { byteSize isBinary isTruncated text } }`
  })
  return `query PhrasePullBlobs($owner: String!, $name: String!) {\n  repository(owner: $owner, name: $name) {\n    ${fields.join('\n    ')}\n  }\n}`
}

/** The blob's bytes when GraphQL returned all of them, unchanged; undefined otherwise. */
function exactText(node: unknown, sha: string): Buffer | undefined {
  if (typeof node !== 'object' || node === null) return undefined
  const { text, isBinary, isTruncated, byteSize } = node as Record<string, unknown>
  if (typeof text !== 'string' || isBinary === true || isTruncated === true) return undefined
  const bytes = Buffer.from(text, 'utf8')
  if (typeof byteSize === 'number' && bytes.length !== byteSize) return undefined
  return gitBlobSha(bytes) === sha ? bytes : undefined
}

/** No GraphQL endpoint here (a 4xx from a REST-only proxy or server), or no such repository. */
function unavailable(error: unknown): boolean {
  const status = statusOf(error)
  if (status !== undefined) return status >= 400 && status < 500
  const errors = (error as { errors?: Array<{ type?: string; extensions?: { code?: string } }> })
    ?.errors
  const data = (error as { data?: { repository?: unknown } })?.data
  return (
    Array.isArray(errors) &&
    data?.repository == null &&
    errors.some(item => item.type === 'NOT_FOUND' || item.extensions?.code === 'undefinedField')
  )
}

function partialRepository(error: unknown): Record<string, unknown> | undefined {
  const repository = (error as { data?: { repository?: unknown } })?.data?.repository
  return typeof repository === 'object' && repository !== null
    ? (repository as Record<string, unknown>)
    : undefined
}

/** `work` for every item, at most PARALLEL_READS at a time; results in order. */
async function inParallel<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index])
    }
  }
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, items.length) }, worker))
  return results
}
