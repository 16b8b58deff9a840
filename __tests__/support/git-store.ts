/**
 * A real bare git repository driven through git plumbing (async child processes only), the
 * object store behind the fake GitHub. Every tree is built in a throw-away index file, so
 * concurrent requests never share state; refs move with compare-and-swap (`update-ref new old`).
 */
import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

export const ZERO_SHA = '0000000000000000000000000000000000000000'

export interface GitIdentity {
  name: string
  email: string
  /** ISO 8601; default now. */
  date?: string
}

/** What a new commit is made of (the dates default to now). */
export interface NewCommit {
  tree: string
  parents: string[]
  message: string
  author: GitIdentity
  committer: GitIdentity
}

export interface CommitInfo {
  sha: string
  tree: string
  parents: string[]
  author: Required<GitIdentity>
  committer: Required<GitIdentity>
  message: string
}

export interface TreeEntry {
  path: string
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  size?: number
}

/** One change to a tree: a blob/subtree at `path`, or `sha: null` to delete the path (file or dir). */
export interface TreeChange {
  path: string
  mode: string
  sha: string | null
}

export interface DiffFile {
  filename: string
  status: 'added' | 'removed' | 'modified'
  sha: string
  additions: number
  deletions: number
}

export class GitError extends Error {
  constructor(
    message: string,
    readonly stderr: string
  ) {
    super(message)
  }
}

/** git commands that may move, create or delete a ref: they end what the ref cache knows. */
const REF_WRITERS = new Set([
  'update-ref',
  'branch',
  'tag',
  'symbolic-ref',
  'reset',
  'commit',
  'merge',
  'fetch',
  'pack-refs',
  'gc'
])

/** Blobs up to this size are kept in memory once read (tests read the same few files often). */
const CACHED_BLOB_BYTES = 1024 * 1024

/** A full object id, alone or peeled: what it names can never change. */
const IMMUTABLE = /^[0-9a-f]{40}(\^\{(tree|commit)\})?$/

/**
 * Each request of the fake GitHub reads the same refs and objects again; git start-up is most of
 * what a request costs. Objects never change once written, so what is read of them is kept.
 * Ref resolutions are kept until any command that may move a ref runs (tests' own `git` calls
 * included), so a cached ref is never stale.
 */
export class GitStore {
  /** Revision expression → sha; ref-based entries are dropped when a ref may have moved. */
  private readonly resolved = new Map<string, string | undefined>()
  private readonly commits = new Map<string, CommitInfo>()
  private readonly trees = new Map<string, TreeEntry[]>()
  private readonly blobs = new Map<string, Buffer>()
  private readonly types = new Map<string, string>()
  /** Counts ref-changing commands: a resolution is only kept if none ran while it was read. */
  private refGeneration = 0

  private constructor(
    readonly gitDir: string,
    private readonly scratchDir: string
  ) {}

  /** `git init --bare` in `<root>/repo.git`; scratch files go to `<root>/scratch`. */
  static async init(root: string, defaultBranch: string): Promise<GitStore> {
    const gitDir = path.join(root, 'repo.git')
    const scratch = path.join(root, 'scratch')
    await mkdir(scratch, { recursive: true })
    await runGit(root, ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, gitDir], {
      bare: false
    })
    // Objects are written and read back at once, never shipped: skipping zlib saves most of the
    // time large trees take (a 100-locale project writes ~35 MB).
    await runGit(gitDir, ['config', 'core.compression', '0'], {})
    return new GitStore(gitDir, scratch)
  }

  /** Runs git in the repository; rejects with git's stderr on a non-zero exit. */
  async run(args: string[], options: RunOptions = {}): Promise<Buffer> {
    if (REF_WRITERS.has(args[0])) this.forgetRefs()
    try {
      return await runGit(this.gitDir, args, options)
    } finally {
      // Also after: a resolution that started while the ref moved may have been cached stale.
      if (REF_WRITERS.has(args[0])) this.forgetRefs()
    }
  }

  private forgetRefs(): void {
    this.refGeneration++
    for (const revision of this.resolved.keys())
      if (!IMMUTABLE.test(revision)) this.resolved.delete(revision)
  }

  /** The bytes of a blob. */
  async readBlob(sha: string): Promise<Buffer> {
    const known = this.blobs.get(sha)
    if (known) return known
    const bytes = await this.run(['cat-file', 'blob', sha])
    if (bytes.length <= CACHED_BLOB_BYTES && /^[0-9a-f]{40}$/.test(sha)) this.blobs.set(sha, bytes)
    return bytes
  }

  /** The bytes of many objects in one `cat-file --batch` call (undefined: missing or not a blob). */
  async readBlobs(shas: string[]): Promise<Map<string, Buffer | undefined>> {
    const result = new Map<string, Buffer | undefined>(shas.map(sha => [sha, this.blobs.get(sha)]))
    const valid = [...new Set(shas)].filter(
      sha => /^[0-9a-f]{40}$/.test(sha) && !this.blobs.has(sha)
    )
    if (valid.length === 0) return result
    const out = await this.run(['cat-file', '--batch'], { input: valid.join('\n') + '\n' })
    let at = 0
    for (const sha of valid) {
      const end = out.indexOf(0x0a, at)
      const [, type, size] = out.subarray(at, end).toString('utf8').split(' ')
      at = end + 1
      if (type === undefined || type === 'missing' || size === undefined) continue
      const bytes = out.subarray(at, at + Number(size))
      at += Number(size) + 1
      if (type === 'blob') result.set(sha, Buffer.from(bytes))
    }
    return result
  }

  async text(args: string[], options: RunOptions = {}): Promise<string> {
    return (await this.run(args, options)).toString('utf8')
  }

  /** Writes blobs in one `hash-object` call; returns their shas in order. */
  async writeBlobs(contents: Buffer[]): Promise<string[]> {
    if (contents.length === 0) return []
    const dir = path.join(this.scratchDir, `blobs-${randomBytes(6).toString('hex')}`)
    await mkdir(dir)
    try {
      const files = contents.map((_, index) => path.join(dir, String(index)))
      await Promise.all(files.map((file, index) => writeFile(file, contents[index])))
      const out = await this.text(['hash-object', '-w', '--no-filters', '--stdin-paths'], {
        input: files.join('\n') + '\n'
      })
      return out.trim().split('\n')
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }

  /** `blob`, `tree`, `commit`, `tag`, or undefined when the object does not exist. */
  async objectType(sha: string): Promise<string | undefined> {
    if (!/^[0-9a-f]{4,40}$/i.test(sha)) return undefined
    const known = this.types.get(sha)
    if (known) return known
    try {
      const type = (await this.text(['cat-file', '-t', sha])).trim()
      // An object, once written, keeps its type; a missing one may still be written.
      if (sha.length === 40) this.types.set(sha, type)
      return type
    } catch {
      return undefined
    }
  }

  /** Types of many objects in one `cat-file --batch-check` call (undefined: missing). */
  async objectTypes(shas: string[]): Promise<Map<string, string | undefined>> {
    const valid = [...new Set(shas)].filter(sha => /^[0-9a-f]{40}$/i.test(sha))
    const types = new Map<string, string | undefined>(shas.map(sha => [sha, undefined]))
    if (valid.length === 0) return types
    const out = await this.text(['cat-file', '--batch-check'], { input: valid.join('\n') + '\n' })
    out
      .split('\n')
      .filter(Boolean)
      .forEach((line, index) => {
        const [, type] = line.split(' ')
        types.set(valid[index], type === 'missing' ? undefined : type)
      })
    return types
  }

  /** Files that differ between two commits, with line counts (binary files count 0). */
  async diffFiles(from: string, to: string): Promise<DiffFile[]> {
    const raw = await this.text(['diff-tree', '-r', '-z', '--no-renames', from, to])
    const numstat = await this.text([
      'diff-tree',
      '-r',
      '-z',
      '--no-renames',
      '--numstat',
      from,
      to
    ])
    const counts = new Map<string, { additions: number; deletions: number }>()
    const stats = numstat.split('\0').filter(Boolean)
    for (const line of stats) {
      const [additions, deletions, file] = line.split('\t')
      if (file !== undefined)
        counts.set(file, { additions: Number(additions) || 0, deletions: Number(deletions) || 0 })
    }
    const parts = raw.split('\0').filter(Boolean)
    const files: DiffFile[] = []
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const [, , oldSha, newSha, letter] = parts[i].replace(/^:/, '').split(' ')
      const filename = parts[i + 1]
      const status = letter === 'A' ? 'added' : letter === 'D' ? 'removed' : 'modified'
      const count = counts.get(filename) ?? { additions: 0, deletions: 0 }
      files.push({ filename, status, sha: status === 'removed' ? oldSha : newSha, ...count })
    }
    return files
  }

  /** Full sha of a revision expression (`main`, `sha^{tree}`), or undefined. */
  async revParse(revision: string): Promise<string | undefined> {
    if (revision.startsWith('-')) return undefined
    if (this.resolved.has(revision)) return this.resolved.get(revision)
    const generation = this.refGeneration
    let sha: string | undefined
    try {
      sha = (await this.text(['rev-parse', '--verify', '--quiet', revision])).trim() || undefined
    } catch {
      sha = undefined
    }
    // A missing object may be written later; a missing ref is forgotten when refs change.
    const keep = IMMUTABLE.test(revision) ? sha !== undefined : generation === this.refGeneration
    if (keep) this.resolved.set(revision, sha)
    return sha
  }

  async resolveRef(ref: string): Promise<string | undefined> {
    if (!ref.startsWith('refs/')) return undefined
    return this.revParse(`${ref}^{}`)
  }

  /** All refs under `prefix` (e.g. `refs/heads/`), sorted by name. */
  async listRefs(prefix = 'refs/'): Promise<Array<{ ref: string; sha: string }>> {
    const out = await this.text(['for-each-ref', '--format=%(refname) %(objectname)', prefix])
    return out
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [ref, sha] = line.split(' ')
        return { ref, sha }
      })
  }

  /**
   * Moves `ref` to `sha` only if it still points to `expected` (`ZERO_SHA`: must not exist).
   * Returns false when someone else moved it first.
   */
  async updateRef(ref: string, sha: string, expected: string): Promise<boolean> {
    try {
      await this.run(['update-ref', ref, sha, expected])
      return true
    } catch {
      return false
    }
  }

  /**
   * Applies every update in one `git update-ref --stdin` transaction: all or nothing. `expected`
   * undefined = no check, `ZERO_SHA` = must not exist; `sha` `ZERO_SHA` deletes the ref.
   * Returns false (and changes nothing) when any ref is not where it was expected.
   */
  async updateRefs(
    updates: Array<{ ref: string; sha: string; expected?: string }>
  ): Promise<boolean> {
    const lines = updates.map(({ ref, sha, expected }) =>
      sha === ZERO_SHA
        ? `delete ${ref}${expected ? ` ${expected}` : ''}`
        : `update ${ref} ${sha}${expected ? ` ${expected}` : ''}`
    )
    try {
      await this.run(['update-ref', '--stdin'], {
        input: ['start', ...lines, 'prepare', 'commit', ''].join('\n')
      })
      return true
    } catch {
      return false
    }
  }

  /** Paths under `dir` whose content differs between two commits (or trees). */
  async changedPaths(from: string, to: string, dir: string): Promise<string[]> {
    const out = await this.text(['diff-tree', '-r', '-z', '--name-only', from, to, '--', dir])
    return out.split('\0').filter(Boolean)
  }

  async deleteRef(ref: string, expected: string): Promise<boolean> {
    try {
      await this.run(['update-ref', '-d', ref, expected])
      return true
    } catch {
      return false
    }
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.run(['merge-base', '--is-ancestor', ancestor, descendant])
      return true
    } catch {
      return false
    }
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return (await this.text(['merge-base', a, b])).trim() || undefined
    } catch {
      return undefined
    }
  }

  /** Commits reachable from `to` but not from `from`, oldest first. */
  async commitsBetween(from: string, to: string): Promise<string[]> {
    const out = await this.text(['rev-list', '--reverse', to, `^${from}`])
    return out.split('\n').filter(Boolean)
  }

  /** Commits reachable from `head`, newest first (`git rev-list`). */
  async history(head: string): Promise<string[]> {
    return (await this.text(['rev-list', head])).split('\n').filter(Boolean)
  }

  /** Every object, reachable or not, as text (`cat-file --batch-all-objects --batch`). */
  async dumpObjects(): Promise<string> {
    return this.text(['cat-file', '--batch-all-objects', '--batch'])
  }

  async readCommit(sha: string): Promise<CommitInfo | undefined> {
    const known = this.commits.get(sha)
    if (known) return structuredClone(known)
    const info = await this.parseCommit(sha)
    if (info && /^[0-9a-f]{40}$/.test(sha)) this.commits.set(sha, structuredClone(info))
    return info
  }

  private async parseCommit(sha: string): Promise<CommitInfo | undefined> {
    if ((await this.objectType(sha)) !== 'commit') return undefined
    const raw = await this.text(['cat-file', 'commit', sha])
    const split = raw.indexOf('\n\n')
    const header = split < 0 ? raw : raw.slice(0, split)
    const message = split < 0 ? '' : raw.slice(split + 2)
    const info: CommitInfo = {
      sha: (await this.revParse(sha)) ?? sha,
      tree: '',
      parents: [],
      author: { name: '', email: '', date: '' },
      committer: { name: '', email: '', date: '' },
      message
    }
    for (const line of header.split('\n')) {
      const space = line.indexOf(' ')
      const key = line.slice(0, space)
      const value = line.slice(space + 1)
      if (key === 'tree') info.tree = value
      else if (key === 'parent') info.parents.push(value)
      else if (key === 'author') info.author = parseIdentity(value)
      else if (key === 'committer') info.committer = parseIdentity(value)
    }
    return info
  }

  async commitTree(options: NewCommit): Promise<string> {
    const now = new Date().toISOString()
    const env = {
      GIT_AUTHOR_NAME: options.author.name,
      GIT_AUTHOR_EMAIL: options.author.email,
      GIT_AUTHOR_DATE: gitDate(options.author.date ?? now),
      GIT_COMMITTER_NAME: options.committer.name,
      GIT_COMMITTER_EMAIL: options.committer.email,
      GIT_COMMITTER_DATE: gitDate(options.committer.date ?? now)
    }
    const args = ['commit-tree', options.tree, ...options.parents.flatMap(p => ['-p', p])]
    // The message goes in verbatim on stdin (GitHub stores what the API received).
    return (await this.text(args, { input: options.message, env })).trim()
  }

  /** Entries of a tree (`treeish` may be a commit or ref); `recursive` lists subtrees' content too. */
  async listTree(treeish: string, recursive: boolean): Promise<TreeEntry[]> {
    const key = `${recursive ? 'r' : 'n'}:${treeish}`
    const known = this.trees.get(key)
    if (known) return known.map(entry => ({ ...entry }))
    const entries = await this.readTree(treeish, recursive)
    if (/^[0-9a-f]{40}$/.test(treeish))
      this.trees.set(
        key,
        entries.map(entry => ({ ...entry }))
      )
    return entries
  }

  private async readTree(treeish: string, recursive: boolean): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-z', '--long', ...(recursive ? ['-r', '-t'] : []), treeish]
    const out = await this.text(args)
    return out
      .split('\0')
      .filter(Boolean)
      .map(line => {
        const tab = line.indexOf('\t')
        const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/)
        const entry: TreeEntry = {
          path: line.slice(tab + 1),
          mode,
          type: type as TreeEntry['type'],
          sha
        }
        if (type === 'blob') entry.size = Number(size)
        return entry
      })
  }

  /** Applies `changes` to `base` (or to an empty tree) and returns the new tree's sha. */
  async buildTree(base: string | undefined, changes: TreeChange[]): Promise<string> {
    const index = path.join(this.scratchDir, `index-${randomBytes(6).toString('hex')}`)
    const env = { GIT_INDEX_FILE: index }
    try {
      // Without a base the index file does not exist yet: update-index starts from empty.
      if (base) await this.run(['read-tree', base], { env })
      const existing = changes.some(change => change.sha === null || change.mode === '040000')
        ? (await this.text(['ls-files', '-z'], { env })).split('\0').filter(Boolean)
        : []
      const lines: string[] = []
      for (const change of changes) {
        const removals = existing.filter(
          file => file === change.path || file.startsWith(`${change.path}/`)
        )
        if (change.sha === null || change.mode === '040000')
          for (const file of removals) lines.push(`0 ${ZERO_SHA}\t${file}`)
        if (change.sha === null) continue
        if (change.mode === '040000') {
          for (const entry of await this.listTree(change.sha, true))
            if (entry.type !== 'tree')
              lines.push(`${entry.mode} ${entry.sha}\t${change.path}/${entry.path}`)
        } else lines.push(`${change.mode} ${change.sha}\t${change.path}`)
      }
      if (lines.length > 0)
        await this.run(['update-index', '--add', '--replace', '-z', '--index-info'], {
          env,
          input: lines.map(line => `${line}\0`).join('')
        })
      return (await this.text(['write-tree'], { env })).trim()
    } finally {
      await rm(index, { force: true })
    }
  }

  /** Bytes of `file` at `revision`, or undefined when there is no such file. */
  async readFile(revision: string, file: string): Promise<Buffer | undefined> {
    if (revision.startsWith('-')) return undefined
    try {
      return await this.run(['cat-file', 'blob', `${revision}:${file.replace(/^\/+/, '')}`])
    } catch {
      return undefined
    }
  }
}

export interface RunOptions {
  input?: string | Buffer
  env?: Record<string, string>
  /** Run with GIT_DIR set to `cwd` (default true). */
  bare?: boolean
}

/** Environment for git: the caller's git variables and user config must not leak in. */
function gitEnv(gitDir: string | undefined, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env))
    if (!key.startsWith('GIT_')) env[key] = value
  return {
    ...env,
    ...(gitDir ? { GIT_DIR: gitDir } : {}),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    LC_ALL: 'C',
    ...extra
  }
}

function runGit(cwd: string, args: string[], options: RunOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: gitEnv(options.bare === false ? undefined : cwd, options.env),
      stdio: ['pipe', 'pipe', 'pipe']
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', code => {
      const stderr = Buffer.concat(err).toString('utf8')
      if (code === 0) resolve(Buffer.concat(out))
      else reject(new GitError(`git ${args.join(' ')} failed (${code}): ${stderr.trim()}`, stderr))
    })
    child.stdin.on('error', () => {}) // git may exit before reading all input
    child.stdin.end(options.input ?? '')
  })
}

function gitDate(iso: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new Error(`invalid date ${iso}`)
  return `${Math.floor(ms / 1000)} +0000`
}

function parseIdentity(value: string): Required<GitIdentity> {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(value)
  if (!match) return { name: value, email: '', date: new Date(0).toISOString() }
  const date = new Date(Number(match[3]) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return { name: match[1], email: match[2], date }
}
