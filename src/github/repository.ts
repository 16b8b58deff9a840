/**
 * The repository through the Git Data API only (blobs, trees, commits, refs) — never `git push` —
 * so GitHub signs the commits and no credential touches the checkout.
 */
import { isUtf8 } from 'node:buffer'
import { createHash } from 'node:crypto'
import { describeFailure, githubMessage, statusOf } from './errors.js'
import type { GitHubClient } from './octokit.js'

export interface RepoFile {
  path: string
  /** Git blob sha. */
  sha: string
  mode: string
  content?: Buffer
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

/** sha1("blob <len>\0" + content), as `git hash-object` computes it. */
export function gitBlobSha(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex')
}

const MODE_FILE = '100644' as const
const MODE_SYMLINK = '120000'
const MODE_SUBMODULE = '160000'

interface TreeEntry {
  path: string
  mode: string
  type: string
  sha: string
}

export class Repository {
  private readonly where: string
  private infoRead: Promise<{ defaultBranch: string; nodeId: string }> | undefined

  constructor(
    private readonly client: GitHubClient,
    private readonly owner: string,
    private readonly repo: string
  ) {
    this.where = `${owner}/${repo}`
  }

  async defaultBranch(): Promise<string> {
    return (await this.info()).defaultBranch
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
    if (commitSha === undefined) return undefined
    try {
      const { data } = await this.client.rest.git.getCommit({ ...this.ids, commit_sha: commitSha })
      return {
        commitSha,
        treeSha: data.tree.sha,
        parents: data.parents.map(parent => parent.sha),
        message: data.message
      }
    } catch (error) {
      throw describeFailure(error, `read commit ${commitSha} of ${branch} in ${this.where}`)
    }
  }

  /**
   * The files at `paths` in a tree, with content. Missing paths are simply absent from the map.
   * A path that is (or lies below) a symlink or a submodule, or that is a directory, is refused.
   */
  async readFiles(treeSha: string, paths: string[]): Promise<Map<string, RepoFile>> {
    const lookup = await this.entryLookup(treeSha)
    const found: TreeEntry[] = []
    for (const path of paths) {
      const entry = await this.checkedEntry(lookup, path)
      if (entry) found.push(entry)
    }
    const contents = new Map<string, Promise<Buffer>>()
    for (const entry of found) {
      if (!contents.has(entry.sha)) contents.set(entry.sha, this.readBlob(entry.sha, entry.path))
    }
    const files = new Map<string, RepoFile>()
    for (const entry of found) {
      files.set(entry.path, {
        path: entry.path,
        sha: entry.sha,
        mode: entry.mode,
        content: await contents.get(entry.sha)!
      })
    }
    return files
  }

  /**
   * One commit on `parent` that sets `files`: blobs (base64, so any bytes survive), a tree on the
   * parent's tree, a commit. Returns the parent itself when the files change nothing.
   */
  async commitFiles(opts: {
    parent: { commitSha: string; treeSha: string }
    files: Array<{ path: string; content: Buffer; mode?: '100644' | '100755' }>
    message: string
    /** The branch head this commit would replace: reused when it already is this exact commit. */
    current?: BranchHead
  }): Promise<{ commitSha: string; treeSha: string }> {
    // UTF-8 text goes inline in the tree (GitHub makes the blob): one write instead of one per
    // file, which matters because GitHub asks for writes to be spaced a second apart.
    const blobs = new Map<string, Promise<string>>()
    for (const file of opts.files) {
      const sha = gitBlobSha(file.content)
      if (!isUtf8(file.content) && !blobs.has(sha)) {
        blobs.set(sha, this.createBlob(file.content, sha, file.path))
      }
    }
    const entries = await Promise.all(
      opts.files.map(async file => {
        const entry = { path: file.path, mode: file.mode ?? MODE_FILE, type: 'blob' as const }
        const blob = blobs.get(gitBlobSha(file.content))
        return blob
          ? { ...entry, sha: await blob }
          : { ...entry, content: file.content.toString('utf8') }
      })
    )
    let treeSha: string
    try {
      const { data } = await this.client.rest.git.createTree({
        ...this.ids,
        base_tree: opts.parent.treeSha,
        tree: entries
      })
      treeSha = data.sha
    } catch (error) {
      throw describeFailure(error, `create a tree in ${this.where}`)
    }
    if (treeSha === opts.parent.treeSha) return { commitSha: opts.parent.commitSha, treeSha }
    const current = opts.current
    if (
      current &&
      current.treeSha === treeSha &&
      current.parents.length === 1 &&
      current.parents[0] === opts.parent.commitSha
    ) {
      // Same tree on the same parent: the branch already holds this change, no new commit.
      return { commitSha: current.commitSha, treeSha }
    }
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

  private async createBlob(content: Buffer, expectedSha: string, path: string): Promise<string> {
    try {
      const { data } = await this.client.rest.git.createBlob({
        ...this.ids,
        content: content.toString('base64'),
        encoding: 'base64'
      })
      if (data.sha !== expectedSha) {
        throw new Error(
          `GitHub stored ${path} as blob ${data.sha}, expected ${expectedSha}: the bytes changed in transit`
        )
      }
      return data.sha
    } catch (error) {
      if (statusOf(error) === undefined) throw error
      throw describeFailure(error, `upload ${path} to ${this.where}`)
    }
  }

  private async readBlob(sha: string, path: string): Promise<Buffer> {
    try {
      const { data } = await this.client.rest.git.getBlob({ ...this.ids, file_sha: sha })
      return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')
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
          ? [{ path: item.path, mode: item.mode, type: item.type, sha: item.sha }]
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
    const full = await this.readTree(rootSha, true)
    if (!full.truncated) {
      const byPath = new Map(full.entries.map(entry => [entry.path, entry]))
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
