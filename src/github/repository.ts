/**
 * The repository through the Git Data API only (blobs, trees, commits, refs) — never `git push` —
 * so GitHub signs the commits and no credential touches the checkout.
 */
import { createHash } from 'node:crypto'
import { asFileBytes, piecesOf, sizeOf, type FileBytes } from '../files/file-bytes.js'
import { silentLogger, type Logger } from '../logger.js'
import { formatBytes } from '../phrase/transfer.js'
import { blobSize, readBlob, uploadBlob, type BlobStream } from './blobs.js'
import { describeFailure, githubMessage, statusOf } from './errors.js'
import type { GitHubClient } from './octokit.js'
import { writeTree, type NewFile, type TreeEntryInput } from './tree-writer.js'

export interface RepoFile {
  path: string
  /** Git blob sha. */
  sha: string
  mode: string
  content?: Buffer
  /** Bytes, when the tree listing said. */
  size?: number
}

export interface BranchHead {
  commitSha: string
  treeSha: string
  /** Parent commit shas of the head commit: tells whether the branch still sits on the base head. */
  parents: string[]
  /** The head commit's message: tells whether this action made it (its trailer). */
  message?: string
}

/** Another writer moved (or created, or deleted) the branch since we read it. */
export class BranchMovedError extends Error {
  override name = 'BranchMovedError'
  constructor(
    readonly branch: string,
    readonly expected: string | undefined,
    readonly actual: string | undefined
  ) {
    super(
      `Branch ${branch} moved while this run worked: expected ${expected ? expected.slice(0, 7) : 'no branch'}, found ${actual ? actual.slice(0, 7) : 'no branch'}`
    )
  }
}

/** Refused: writing here would follow a symlink, enter a submodule, or replace a directory. */
export class UnsafeRepoPathError extends Error {
  override name = 'UnsafeRepoPathError'
}

/** sha1("blob <len>\0" + content), as `git hash-object` computes it; a file on disk in pieces. */
export function gitBlobSha(content: Buffer | FileBytes): string {
  const bytes = asFileBytes(content)
  const hash = createHash('sha1').update(`blob ${sizeOf(bytes)}\0`)
  for (const piece of piecesOf(bytes)) hash.update(piece)
  return hash.digest('hex')
}

const MODE_FILE = '100644' as const
const MODE_SYMLINK = '120000'
const MODE_SUBMODULE = '160000'

interface TreeEntry {
  path: string
  mode: string
  type: string
  sha: string
  size?: number
}

export class Repository {
  private readonly where: string
  private infoRead: Promise<{ defaultBranch: string; nodeId: string }> | undefined
  /** Commits read, by sha (a commit never changes). */
  private readonly commits = new Map<string, Promise<BranchHead>>()
  /** Recursive listings read whole, by tree sha (a tree never changes): path → entry. */
  private readonly listings = new Map<string, Map<string, TreeEntry>>()

  constructor(
    private readonly client: GitHubClient,
    private readonly owner: string,
    private readonly repo: string,
    private readonly logger: Logger = silentLogger
  ) {
    this.where = `${owner}/${repo}`
  }

  /** The default branch and the GraphQL node id, read once. */
  info(): Promise<{ defaultBranch: string; nodeId: string }> {
    this.infoRead ??= this.client.rest.repos.get({ owner: this.owner, repo: this.repo }).then(
      ({ data }) => ({ defaultBranch: data.default_branch, nodeId: data.node_id }),
      error => {
        throw describeFailure(error, `read the repository ${this.where}`)
      }
    )
    return this.infoRead
  }

  /** Undefined when the branch does not exist. */
  async branchHead(branch: string): Promise<BranchHead | undefined> {
    const commitSha = await this.refSha(branch)
    return commitSha === undefined ? undefined : this.commitAt(commitSha, branch)
  }

  /** The commit `sha` as a branch head (`branch` names it in errors); read once per run. */
  commitAt(commitSha: string, branch: string): Promise<BranchHead> {
    let read = this.commits.get(commitSha)
    if (!read) {
      read = this.client.rest.git.getCommit({ ...this.ids, commit_sha: commitSha }).then(
        ({ data }) => ({
          commitSha,
          treeSha: data.tree.sha,
          parents: data.parents.map(parent => parent.sha),
          message: data.message
        }),
        error => {
          this.commits.delete(commitSha)
          throw describeFailure(error, `read commit ${commitSha} of ${branch} in ${this.where}`)
        }
      )
      this.commits.set(commitSha, read)
    }
    return read
  }

  /**
   * The files at `paths` in a tree, with content. Missing paths are simply absent from the map.
   * A path that is (or lies below) a symlink or a submodule, or that is a directory, is refused.
   */
  async readFiles(treeSha: string, paths: string[]): Promise<Map<string, RepoFile>> {
    return this.withContent((await this.findFiles(treeSha, paths)).values())
  }

  /** Like `readFiles`, but without content: the tree entries (blob sha, mode) only. */
  async findFiles(treeSha: string, paths: string[]): Promise<Map<string, RepoFile>> {
    const lookup = await this.entryLookup(treeSha)
    const files = new Map<string, RepoFile>()
    for (const path of paths) {
      const entry = await this.checkedEntry(lookup, path)
      if (entry) files.set(path, { path, sha: entry.sha, mode: entry.mode, size: entry.size })
    }
    return files
  }

  /**
   * The blob sha at each path of a tree (undefined: no file there), from the same cached listing
   * as `findFiles`; nothing is refused, since nothing is written through these paths.
   */
  async blobShas(treeSha: string, paths: string[]): Promise<Map<string, string | undefined>> {
    const lookup = await this.entryLookup(treeSha)
    const entries = await Promise.all(paths.map(path => lookup(path)))
    return new Map(
      paths.map((path, i) => [path, entries[i]?.type === 'blob' ? entries[i]!.sha : undefined])
    )
  }

  /**
   * Path → blob sha of every file whose blob differs between two trees (undefined: not in `to`).
   * For a branch whose changes GitHub's compare lists only in part; a tree too large for one
   * listing is refused, since a part of it would be read as files the branch removed.
   */
  async diffTrees(from: string, to: string): Promise<Map<string, string | undefined>> {
    const [before, after] = await Promise.all([this.wholeListing(from), this.wholeListing(to)])
    const changed = new Map<string, string | undefined>()
    for (const [path, entry] of after)
      if (before.get(path)?.sha !== entry.sha) changed.set(path, entry.sha)
    for (const path of before.keys()) if (!after.has(path)) changed.set(path, undefined)
    return changed
  }

  private async wholeListing(treeSha: string): Promise<Map<string, TreeEntry>> {
    let listing = this.listings.get(treeSha)
    if (!listing) {
      const read = await this.readTree(treeSha, true)
      if (read.truncated)
        throw new Error(
          `The tree ${treeSha.slice(0, 7)} of ${this.where} is too large for GitHub to list whole, so the files the pull request branch changes are unknown. Delete the branch: the next run rebuilds it.`
        )
      listing = new Map(read.entries.map(entry => [entry.path, entry]))
      this.listings.set(treeSha, listing)
    }
    return new Map([...listing].filter(([, entry]) => entry.type === 'blob'))
  }

  /**
   * `files` with their content. `known(path)` offers bytes we already hold (a download): when
   * their blob sha is the entry's, they are the content and GitHub is not asked.
   */
  async withContent(
    files: Iterable<RepoFile>,
    known: (path: string) => Buffer | undefined = () => undefined
  ): Promise<Map<string, RepoFile>> {
    const list = [...files]
    const held = new Map<string, Buffer>()
    for (const file of list) {
      const bytes = file.content ?? known(file.path)
      if (bytes !== undefined && gitBlobSha(bytes) === file.sha) held.set(file.sha, bytes)
    }
    const wanted = [...new Set(list.map(file => file.sha))].filter(sha => !held.has(sha))
    // All reads at once, and all of them awaited together: a failed read must never be left
    // unobserved while another is pending (Node would end the process without a report).
    const read = await Promise.all(
      wanted.map(sha => this.readBlob(sha, list.find(file => file.sha === sha)!.path))
    )
    wanted.forEach((sha, index) => held.set(sha, read[index]))
    return new Map(list.map(file => [file.path, { ...file, content: held.get(file.sha)! }]))
  }

  /**
   * One commit on `parent` that sets `files`: a tree on the parent's tree (built in parts that
   * GitHub can take, see tree-writer.ts), then a commit. A file without `content` is a blob the
   * repository already has (`sha`). Returns the parent itself when the files change nothing.
   */
  async commitFiles(opts: {
    parent: { commitSha: string; treeSha: string }
    files: Array<{
      path: string
      content?: Buffer
      /** With its `sha`: a long file uploaded from where it lies. */
      stream?: BlobStream
      sha?: string
      mode?: '100644' | '100755'
    }>
    message: string
  }): Promise<{ commitSha: string; treeSha: string }> {
    const files: NewFile[] = opts.files.map(file => ({
      path: file.path,
      content: file.content,
      stream: file.stream,
      mode: file.mode ?? MODE_FILE,
      sha: file.content ? gitBlobSha(file.content) : file.sha!
    }))
    const treeSha = await writeTree(
      {
        createTree: (baseTree, entries, retry) => this.createTree(baseTree, entries, retry),
        createBlob: file => this.createBlob(file.content ?? file.stream!, file.sha, file.path)
      },
      opts.parent.treeSha,
      files,
      (count, cause) =>
        this.logger.info(
          `GitHub could not build a tree of ${count} file(s) in one request (${cause}); sending them in two smaller parts`
        )
    )
    if (treeSha === opts.parent.treeSha) return { commitSha: opts.parent.commitSha, treeSha }
    try {
      const { data } = await this.client.rest.git.createCommit({
        ...this.ids,
        message: opts.message,
        tree: treeSha,
        parents: [opts.parent.commitSha]
      })
      return { commitSha: data.sha, treeSha: data.tree.sha }
    } catch (error) {
      throw describeFailure(error, `create a commit in ${this.where}`)
    }
  }

  /**
   * Points `branch` at `sha`, but only if it still is where we saw it (`expectedOld`; undefined =
   * it did not exist). The REST API has no compare-and-swap on refs, so the ref is re-read right
   * before a forced update: this narrows the race with another run to the two requests, and we
   * never overwrite a commit we did not see at that moment.
   */
  async updateBranch(branch: string, sha: string, expectedOld: string | undefined): Promise<void> {
    if (expectedOld === undefined) {
      try {
        await this.client.rest.git.createRef({ ...this.ids, ref: `refs/heads/${branch}`, sha })
        return
      } catch (error) {
        if (statusOf(error) === 422 && /already exists/i.test(githubMessage(error))) {
          throw new BranchMovedError(branch, undefined, await this.refSha(branch))
        }
        throw describeFailure(error, `create branch ${branch} in ${this.where}`)
      }
    }
    const current = await this.refSha(branch)
    if (current !== expectedOld) throw new BranchMovedError(branch, expectedOld, current)
    try {
      await this.client.rest.git.updateRef({
        ...this.ids,
        ref: `heads/${branch}`,
        sha,
        force: true
      })
    } catch (error) {
      throw describeFailure(error, `update branch ${branch} in ${this.where}`)
    }
  }

  /** Deleting a branch that is already gone is fine. */
  async deleteBranch(branch: string): Promise<void> {
    try {
      await this.client.rest.git.deleteRef({ ...this.ids, ref: `heads/${branch}` })
    } catch (error) {
      const status = statusOf(error)
      if (status === 404 || (status === 422 && /does not exist/i.test(githubMessage(error)))) return
      throw describeFailure(error, `delete branch ${branch} in ${this.where}`)
    }
  }

  private get ids(): { owner: string; repo: string } {
    return { owner: this.owner, repo: this.repo }
  }

  /** The commit `branch` points at; undefined when it does not exist. */
  async refSha(branch: string): Promise<string | undefined> {
    try {
      // Octokit encodes the ref as one path segment (heads%2Fname), as the API describes it.
      const { data } = await this.client.rest.git.getRef({ ...this.ids, ref: `heads/${branch}` })
      return data.object.sha
    } catch (error) {
      // 409: the repository is empty, so no branch exists yet.
      if (statusOf(error) === 404 || statusOf(error) === 409) return undefined
      throw describeFailure(error, `read branch ${branch} in ${this.where}`)
    }
  }

  /** `retry: false` turns the retry plugin off for this request (the caller splits instead). */
  private async createTree(
    baseTree: string,
    entries: TreeEntryInput[],
    retry: boolean
  ): Promise<string> {
    try {
      const { data } = await this.client.rest.git.createTree({
        ...this.ids,
        base_tree: baseTree,
        tree: entries,
        ...(retry ? {} : { request: { retries: 0 } })
      })
      return data.sha
    } catch (error) {
      throw describeFailure(error, `create a tree in ${this.where}`)
    }
  }

  private async createBlob(
    content: Buffer | BlobStream,
    expectedSha: string,
    path: string
  ): Promise<string> {
    try {
      // Streamed: a 60 MiB file's base64 JSON body is never built in memory.
      const sha = await uploadBlob(this.client, this.ids, content)
      if (sha !== expectedSha) {
        throw new Error(
          `GitHub stored ${path} as blob ${sha}, expected ${expectedSha}: the bytes changed in transit`
        )
      }
      return sha
    } catch (error) {
      if (statusOf(error) === undefined) throw error
      const failure = describeFailure(error, `upload ${path} to ${this.where}`)
      if (statusOf(error) === 422 && /too large/i.test(githubMessage(error))) {
        // Measured on github.com: the blob API refuses 40 MiB and more, although git takes 100 MiB.
        failure.message += `. The file is ${formatBytes(blobSize(content))}; GitHub's API stores files up to about 40 MiB. Make it smaller (\`tags\`, or several targets).`
      }
      throw failure
    }
  }

  private async readBlob(sha: string, path: string): Promise<Buffer> {
    try {
      return await readBlob(this.client, this.ids, sha)
    } catch (error) {
      throw describeFailure(error, `read ${path} (blob ${sha}) from ${this.where}`)
    }
  }

  private async readTree(
    sha: string,
    recursive: boolean
  ): Promise<{ entries: TreeEntry[]; truncated: boolean }> {
    try {
      const { data } = await this.client.rest.git.getTree({
        ...this.ids,
        tree_sha: sha,
        ...(recursive ? { recursive: 'true' } : {})
      })
      const entries = data.tree.flatMap(item =>
        item.path && item.mode && item.type && item.sha
          ? [{ path: item.path, mode: item.mode, type: item.type, sha: item.sha, size: item.size }]
          : []
      )
      return { entries, truncated: data.truncated }
    } catch (error) {
      throw describeFailure(error, `read tree ${sha} of ${this.where}`)
    }
  }

  /**
   * Path → tree entry. One recursive read covers most repositories; when GitHub truncates it (very
   * large trees), the directories on the way to each wanted path are listed one by one instead.
   */
  private async entryLookup(
    rootSha: string
  ): Promise<(path: string) => Promise<TreeEntry | undefined>> {
    const known = this.listings.get(rootSha)
    if (known) return async path => known.get(path)
    const full = await this.readTree(rootSha, true)
    if (!full.truncated) {
      const byPath = new Map(full.entries.map(entry => [entry.path, entry]))
      this.listings.set(rootSha, byPath)
      return async path => byPath.get(path)
    }
    const listings = new Map<string, Promise<Map<string, TreeEntry>>>()
    const list = (dir: string, sha: string) => {
      if (!listings.has(dir)) {
        listings.set(
          dir,
          this.readTree(sha, false).then(
            ({ entries }) =>
              new Map(
                entries.map(entry => [
                  entry.path,
                  { ...entry, path: dir ? `${dir}/${entry.path}` : entry.path }
                ])
              )
          )
        )
      }
      return listings.get(dir)!
    }
    const lookup = async (path: string): Promise<TreeEntry | undefined> => {
      const slash = path.lastIndexOf('/')
      const dir = slash < 0 ? '' : path.slice(0, slash)
      let dirSha = rootSha
      if (dir !== '') {
        const parent = await lookup(dir)
        if (!parent || parent.type !== 'tree') return undefined
        dirSha = parent.sha
      }
      return (await list(dir, dirSha)).get(path.slice(slash + 1))
    }
    return lookup
  }

  /** The entry at `path` if it is a regular file; refuses anything we must not write through. */
  private async checkedEntry(
    lookup: (path: string) => Promise<TreeEntry | undefined>,
    path: string
  ): Promise<TreeEntry | undefined> {
    const segments = path.split('/')
    if (segments.some(segment => segment === '' || segment === '.' || segment === '..')) {
      throw new UnsafeRepoPathError(`Refusing repository path "${path}": not a plain relative path`)
    }
    for (let depth = 1; depth <= segments.length; depth++) {
      const prefix = segments.slice(0, depth).join('/')
      const entry = await lookup(prefix)
      if (!entry) return undefined
      const isTarget = depth === segments.length
      if (entry.mode === MODE_SYMLINK) {
        throw new UnsafeRepoPathError(
          `Refusing to write ${path}: ${isTarget ? 'it is' : `${prefix} is`} a symbolic link in ${this.where}`
        )
      }
      if (entry.mode === MODE_SUBMODULE) {
        throw new UnsafeRepoPathError(
          `Refusing to write ${path}: ${isTarget ? 'it is' : `${prefix} is`} a submodule in ${this.where}`
        )
      }
      if (isTarget) {
        if (entry.type !== 'blob')
          throw new UnsafeRepoPathError(
            `Refusing to write ${path}: it is a directory in ${this.where}`
          )
        return entry
      }
      if (entry.type !== 'tree') {
        throw new UnsafeRepoPathError(
          `Refusing to write ${path}: ${prefix} is a file in ${this.where}`
        )
      }
    }
    return undefined
  }
}
