/**
 * Builds the tree of one commit through `POST /git/trees` without sending GitHub a body it cannot
 * process. Past roughly 2–2.5 MB a create-tree request answers 502, or 422 "Sorry, your request
 * timed out … Consider building the tree incrementally", and resending the same body fails the
 * same way. So text goes inline in parts of at most TREE_BODY_BUDGET bytes, each part on the tree
 * the previous one made (`base_tree`); a file too large for a part, or bytes that are not UTF-8,
 * go up as a blob first; and a part GitHub still cannot take is split in half instead of resent.
 */
import { isUtf8 } from 'node:buffer'
import type { BlobStream } from './blobs.js'
import { githubMessage, statusOf } from './errors.js'

/** Bytes of JSON per create-tree request: well under the ~2 MB where GitHub gives up. */
export const TREE_BODY_BUDGET = 1_000_000

/** `{"base_tree":"<sha>","tree":[]}` around the entries. */
const REQUEST_OVERHEAD = 64

export interface NewFile {
  path: string
  /** Undefined (and no `stream`): a blob the repository already has, referenced by `sha` alone. */
  content?: Buffer
  /** Instead of `content`: a file too long for a tree request, uploaded from where it lies. */
  stream?: BlobStream
  mode: '100644' | '100755'
  /** Git blob sha of the file's bytes. */
  sha: string
}

export type TreeEntryInput = { path: string; mode: NewFile['mode']; type: 'blob' } & (
  { content: string } | { sha: string }
)

/** The two writes the tree needs; errors keep GitHub's status so a timeout can be told apart. */
export interface TreeApi {
  /** `retry: false`: a 5xx comes straight back, because this body will be split, not resent. */
  createTree(baseTree: string, entries: TreeEntryInput[], retry: boolean): Promise<string>
  createBlob(file: NewFile): Promise<string>
}

interface Part {
  entry: TreeEntryInput
  file: NewFile
}

/**
 * The sha of `baseTree` with `files` written into it. `onSplit` hears about each part GitHub could
 * not take in one request, before it is sent again in two halves.
 */
export async function writeTree(
  api: TreeApi,
  baseTree: string,
  files: NewFile[],
  onSplit?: (files: number, cause: string) => void
): Promise<string> {
  const parts = await toParts(api, files)
  let tree = baseTree
  for (const batch of packed(parts)) tree = await writeBatch(api, tree, batch, onSplit)
  return tree
}

/** Inline text where it fits a request; a blob for anything else, uploaded once per content. */
async function toParts(api: TreeApi, files: NewFile[]): Promise<Part[]> {
  const uploaded = new Map<string, string>()
  const parts: Part[] = []
  // One upload at a time: GitHub asks for serial writes, and only one large body is in memory.
  for (const file of files) {
    if (file.content === undefined && file.stream === undefined) {
      parts.push({ entry: { path: file.path, mode: file.mode, type: 'blob', sha: file.sha }, file })
      continue
    }
    const inline = file.content && inlineEntry({ ...file, content: file.content })
    if (inline) {
      parts.push({ entry: inline, file })
      continue
    }
    let sha = uploaded.get(file.sha)
    if (sha === undefined) {
      sha = await api.createBlob(file)
      uploaded.set(file.sha, sha)
    }
    parts.push({ entry: { path: file.path, mode: file.mode, type: 'blob', sha }, file })
  }
  return parts
}

/** The file as inline text of a tree request; undefined when it must go up as a blob of its own. */
export function inlineEntry(
  file: Pick<NewFile, 'path' | 'mode'> & { content: Buffer }
): TreeEntryInput | undefined {
  // JSON is never shorter than the bytes it carries: a file over the budget is not even encoded.
  if (file.content.length > TREE_BODY_BUDGET || !isUtf8(file.content)) return undefined
  const inline: TreeEntryInput = {
    path: file.path,
    mode: file.mode,
    type: 'blob',
    content: file.content.toString('utf8')
  }
  return entrySize(inline) + REQUEST_OVERHEAD <= TREE_BODY_BUDGET ? inline : undefined
}

/** Consecutive parts grouped so that each request body stays within the budget. */
function packed(parts: Part[]): Part[][] {
  const batches: Part[][] = []
  let current: Part[] = []
  let size = REQUEST_OVERHEAD
  for (const part of parts) {
    const add = entrySize(part.entry) + 1
    if (current.length > 0 && size + add > TREE_BODY_BUDGET) {
      batches.push(current)
      current = []
      size = REQUEST_OVERHEAD
    }
    current.push(part)
    size += add
  }
  if (current.length > 0) batches.push(current)
  return batches
}

async function writeBatch(
  api: TreeApi,
  baseTree: string,
  batch: Part[],
  onSplit?: (files: number, cause: string) => void
): Promise<string> {
  // A single entry by sha is as small as a request gets: only there may a 5xx be retried as such.
  const canShrink = batch.length > 1 || 'content' in batch[0].entry
  try {
    return await api.createTree(
      baseTree,
      batch.map(part => part.entry),
      !canShrink
    )
  } catch (error) {
    if (!canShrink || !tookTooLong(error)) throw error
    onSplit?.(batch.length, describe(error))
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2)
      const left = await writeBatch(api, baseTree, batch.slice(0, half), onSplit)
      return writeBatch(api, left, batch.slice(half), onSplit)
    }
    // One file GitHub would not take inline: as a blob the tree request shrinks to a sha.
    const [{ entry, file }] = batch
    const sha = await api.createBlob(file)
    return writeBatch(api, baseTree, [{ entry: { ...pick(entry), sha }, file }], onSplit)
  }
}

/** GitHub's answers to a body it could not process in time: a gateway error or the timeout 422. */
export function tookTooLong(error: unknown): boolean {
  const status = statusOf(error)
  if (status === 422) return /timed out|too large/i.test(githubMessage(error))
  return status !== undefined && status >= 500
}

function describe(error: unknown): string {
  const status = statusOf(error)
  return status === 422 ? '422, timed out' : String(status)
}

function pick(entry: TreeEntryInput): { path: string; mode: NewFile['mode']; type: 'blob' } {
  return { path: entry.path, mode: entry.mode, type: entry.type }
}

function entrySize(entry: TreeEntryInput): number {
  return Buffer.byteLength(JSON.stringify(entry))
}
