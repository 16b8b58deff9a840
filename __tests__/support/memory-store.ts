/**
 * The fake GitHub's object store in memory: the same operations as GitStore (git-store.ts) and
 * the same object ids git computes (sha1 of `<type> <size>\0<body>`), without a git process. For
 * tests that make hundreds of runs (the model test); it has no git command line, so `gh.git()`
 * is refused, and line counts of diffs are whole-file counts.
 */
import { createHash } from 'node:crypto'
import {
  ZERO_SHA,
  type CommitInfo,
  type DiffFile,
  type GitIdentity,
  type NewCommit,
  type TreeChange,
  type TreeEntry
} from './git-store.js'

type GitObject =
  | { type: 'blob'; data: Buffer }
  | { type: 'tree'; entries: Array<{ name: string; mode: string; sha: string }> }
  | { type: 'commit'; info: CommitInfo }

/** Path → leaf entry (blob, link, submodule) of a whole tree. */
type Flat = Map<string, { mode: string; sha: string }>

const TREE_MODE = '040000'

export class MemoryStore {
  readonly gitDir = ''
  private readonly objects = new Map<string, GitObject>()
  private readonly refs = new Map<string, string>()

  /** Only `check-ref-format <ref>` (git's rules, man git-check-ref-format); no other command. */
  async run(args: string[]): Promise<Buffer> {
    if (args[0] === 'check-ref-format' && args.length === 2) {
      if (validRefName(args[1])) return Buffer.alloc(0)
      throw new Error(`invalid ref name ${args[1]}`)
    }
    throw new Error(`the in-memory store runs no git command (git ${args.join(' ')})`)
  }

  async text(args: string[]): Promise<string> {
    return (await this.run(args)).toString('utf8')
  }

  async readBlob(sha: string): Promise<Buffer> {
    const object = this.objects.get(sha)
    if (object?.type !== 'blob') throw new Error(`no blob ${sha}`)
    return object.data
  }

  /** Blobs by sha (undefined: no such blob), as GitStore's one `cat-file --batch`. */
  async readBlobs(shas: string[]): Promise<Map<string, Buffer | undefined>> {
    return new Map(
      shas.map(sha => {
        const object = this.objects.get(sha)
        return [sha, object?.type === 'blob' ? object.data : undefined]
      })
    )
  }

  async writeBlobs(contents: Buffer[]): Promise<string[]> {
    return contents.map(data => this.put('blob', data, { type: 'blob', data: Buffer.from(data) }))
  }

  async objectType(sha: string): Promise<string | undefined> {
    return this.objects.get(sha)?.type
  }

  async objectTypes(shas: string[]): Promise<Map<string, string | undefined>> {
    return new Map(shas.map(sha => [sha, this.objects.get(sha)?.type]))
  }

  async diffFiles(from: string, to: string): Promise<DiffFile[]> {
    const [before, after] = [this.flatten(this.treeOf(from)), this.flatten(this.treeOf(to))]
    const paths = [...new Set([...before.keys(), ...after.keys()])].sort()
    return paths.flatMap(filename => {
      const [old, now] = [before.get(filename), after.get(filename)]
      if (old?.sha === now?.sha && old?.mode === now?.mode) return []
      const lines = (entry?: { sha: string }) => (entry ? this.lineCount(entry.sha) : 0)
      const status = !old ? 'added' : !now ? 'removed' : 'modified'
      return [
        {
          filename,
          status,
          sha: (now ?? old)!.sha,
          additions: lines(now),
          deletions: lines(old)
        } satisfies DiffFile
      ]
    })
  }

  async revParse(revision: string): Promise<string | undefined> {
    const match = /^(.*?)(\^\{(tree|commit)?\})?$/.exec(revision)!
    const sha = this.resolveName(match[1])
    if (!sha) return undefined
    if (match[3] === 'tree') return this.peelTree(sha)
    if (match[3] === 'commit') return this.objects.get(sha)?.type === 'commit' ? sha : undefined
    return sha
  }

  async resolveRef(ref: string): Promise<string | undefined> {
    return this.refs.get(ref)
  }

  async listRefs(prefix = 'refs/'): Promise<Array<{ ref: string; sha: string }>> {
    return [...this.refs]
      .filter(([ref]) => ref.startsWith(prefix))
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([ref, sha]) => ({ ref, sha }))
  }

  async updateRef(ref: string, sha: string, expected: string): Promise<boolean> {
    return this.updateRefs([{ ref, sha, expected }])
  }

  async updateRefs(
    updates: Array<{ ref: string; sha: string; expected?: string }>
  ): Promise<boolean> {
    const ok = updates.every(
      ({ ref, expected }) => expected === undefined || (this.refs.get(ref) ?? ZERO_SHA) === expected
    )
    if (!ok) return false
    for (const { ref, sha } of updates) {
      if (sha === ZERO_SHA) this.refs.delete(ref)
      else this.refs.set(ref, sha)
    }
    return true
  }

  async changedPaths(from: string, to: string, dir: string): Promise<string[]> {
    return (await this.diffFiles(from, to))
      .map(file => file.filename)
      .filter(path => path === dir || path.startsWith(`${dir}/`))
  }

  async deleteRef(ref: string, expected: string): Promise<boolean> {
    return this.updateRefs([{ ref, sha: ZERO_SHA, expected }])
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return this.ancestors(descendant).has(ancestor)
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const ofB = this.ancestors(b)
    const common = [...this.ancestors(a)].filter(sha => ofB.has(sha))
    // The best common ancestor: not an ancestor of another common one.
    return common.find(sha =>
      common.every(other => other === sha || !this.ancestors(other).has(sha))
    )
  }

  /** Reachable from `to` but not from `from`, parents before children. */
  async commitsBetween(from: string, to: string): Promise<string[]> {
    const excluded = this.ancestors(from)
    const order: string[] = []
    const seen = new Set<string>()
    const visit = (sha: string) => {
      if (seen.has(sha) || excluded.has(sha)) return
      seen.add(sha)
      for (const parent of this.commit(sha).parents) visit(parent)
      order.push(sha)
    }
    visit(to)
    return order
  }

  /**
   * Commits reachable from `head`, newest first, in git rev-list's default order: the newest
   * commit date among those not yet listed goes next, the one reached first on a tie.
   */
  async history(head: string): Promise<string[]> {
    const order: string[] = []
    const seen = new Set<string>([head])
    const queue = [head]
    while (queue.length > 0) {
      let next = 0
      for (let i = 1; i < queue.length; i++)
        if (this.commitTime(queue[i]) > this.commitTime(queue[next])) next = i
      const [sha] = queue.splice(next, 1)
      order.push(sha)
      for (const parent of this.commit(sha).parents)
        if (!seen.has(parent)) {
          seen.add(parent)
          queue.push(parent)
        }
    }
    return order
  }

  /** Every object as text (what the secrets scan reads): blob bytes, tree entries, commits. */
  async dumpObjects(): Promise<string> {
    return [...this.objects]
      .map(([sha, object]) => {
        const body =
          object.type === 'blob'
            ? object.data.toString('latin1')
            : object.type === 'tree'
              ? object.entries.map(entry => `${entry.mode} ${entry.name} ${entry.sha}`).join('\n')
              : JSON.stringify(object.info)
        return `${sha} ${object.type}\n${body}\n`
      })
      .join('')
  }

  async readCommit(sha: string): Promise<CommitInfo | undefined> {
    const object = this.objects.get(sha)
    return object?.type === 'commit' ? structuredClone(object.info) : undefined
  }

  async commitTree(options: NewCommit): Promise<string> {
    const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
    const person = (who: GitIdentity) => ({ ...who, date: second(who.date ?? now) })
    const author = person(options.author)
    const committer = person(options.committer)
    const line = (who: Required<GitIdentity>) =>
      `${who.name} <${who.email}> ${Math.floor(Date.parse(who.date) / 1000)} +0000`
    const body = [
      `tree ${options.tree}`,
      ...options.parents.map(parent => `parent ${parent}`),
      `author ${line(author)}`,
      `committer ${line(committer)}`,
      '',
      options.message
    ].join('\n')
    const info = { tree: options.tree, parents: options.parents, author, committer }
    return this.put('commit', Buffer.from(body), {
      type: 'commit',
      info: { sha: '', ...info, message: options.message }
    })
  }

  async listTree(treeish: string, recursive: boolean): Promise<TreeEntry[]> {
    const [name, dir] = treeish.includes(':') ? treeish.split(/:(.*)/) : [treeish, '']
    let tree = this.treeOf(name)
    for (const part of dir.split('/').filter(Boolean)) {
      const entry = this.tree(tree).find(item => item.name === part)
      if (entry?.mode !== TREE_MODE) throw new Error(`not a tree: ${treeish}`)
      tree = entry.sha
    }
    const entries: TreeEntry[] = []
    const walk = (sha: string, prefix: string) => {
      for (const item of this.tree(sha)) {
        const path = prefix + item.name
        const type = item.mode === TREE_MODE ? 'tree' : item.mode === '160000' ? 'commit' : 'blob'
        const size = type === 'blob' ? this.sizeOf(item.sha) : undefined
        entries.push({
          path,
          mode: item.mode,
          type,
          sha: item.sha,
          ...(size !== undefined ? { size } : {})
        })
        if (type === 'tree' && recursive) walk(item.sha, `${path}/`)
      }
    }
    walk(tree, '')
    return entries
  }

  async buildTree(base: string | undefined, changes: TreeChange[]): Promise<string> {
    const flat: Flat = base ? this.flatten(this.treeOf(base)) : new Map()
    const drop = (path: string) => {
      for (const key of [...flat.keys()])
        if (key === path || key.startsWith(`${path}/`)) flat.delete(key)
    }
    for (const change of changes) {
      drop(change.path)
      if (change.sha === null) continue
      if (change.mode === TREE_MODE) {
        for (const [path, entry] of this.flatten(change.sha))
          flat.set(`${change.path}/${path}`, entry)
        continue
      }
      // A file in the way of a directory goes, as `update-index --replace` does.
      const parts = change.path.split('/')
      for (let i = 1; i < parts.length; i++) flat.delete(parts.slice(0, i).join('/'))
      flat.set(change.path, { mode: change.mode, sha: change.sha })
    }
    return this.writeFlat(flat)
  }

  async readFile(revision: string, file: string): Promise<Buffer | undefined> {
    const tree = await this.revParse(`${revision}^{tree}`)
    const entry = tree && this.flatten(tree).get(file.replace(/^\/+/, ''))
    return entry ? this.readBlob(entry.sha) : undefined
  }

  // ---- objects ----

  private put(type: string, body: Buffer, object: GitObject): string {
    const sha = createHash('sha1').update(`${type} ${body.length}\0`).update(body).digest('hex')
    if (object.type === 'commit') object.info.sha = sha
    if (!this.objects.has(sha)) this.objects.set(sha, object)
    return sha
  }

  private writeFlat(flat: Flat): string {
    const root = new Map<string, Flat | { mode: string; sha: string }>()
    for (const [path, entry] of flat) {
      const slash = path.indexOf('/')
      if (slash < 0) {
        root.set(path, entry)
        continue
      }
      const dir = path.slice(0, slash)
      const sub = (root.get(dir) as Flat | undefined) ?? new Map()
      sub.set(path.slice(slash + 1), entry)
      root.set(dir, sub)
    }
    const entries = [...root].map(([name, value]) =>
      value instanceof Map
        ? { name, mode: TREE_MODE, sha: this.writeFlat(value) }
        : { name, mode: value.mode, sha: value.sha }
    )
    // Git orders a tree's entries by name, a directory's name as if it ended in '/'.
    const key = (entry: { name: string; mode: string }) =>
      entry.mode === TREE_MODE ? `${entry.name}/` : entry.name
    entries.sort((a, b) => Buffer.compare(Buffer.from(key(a)), Buffer.from(key(b))))
    const body = Buffer.concat(
      entries.map(entry =>
        Buffer.concat([
          Buffer.from(`${entry.mode.replace(/^0/, '')} ${entry.name}\0`),
          Buffer.from(entry.sha, 'hex')
        ])
      )
    )
    return this.put('tree', body, { type: 'tree', entries })
  }

  private resolveName(name: string): string | undefined {
    if (/^[0-9a-f]{40}$/.test(name)) return this.objects.has(name) ? name : undefined
    for (const ref of [name, `refs/heads/${name}`, `refs/tags/${name}`])
      if (this.refs.has(ref)) return this.refs.get(ref)
    return undefined
  }

  private peelTree(sha: string): string | undefined {
    const object = this.objects.get(sha)
    if (object?.type === 'tree') return sha
    return object?.type === 'commit' ? object.info.tree : undefined
  }

  private treeOf(treeish: string): string {
    const sha = this.resolveName(treeish)
    const tree = sha && this.peelTree(sha)
    if (!tree) throw new Error(`not a tree-ish: ${treeish}`)
    return tree
  }

  private tree(sha: string): Array<{ name: string; mode: string; sha: string }> {
    const object = this.objects.get(sha)
    if (object?.type !== 'tree') throw new Error(`no tree ${sha}`)
    return object.entries
  }

  private commit(sha: string): CommitInfo {
    const object = this.objects.get(sha)
    if (object?.type !== 'commit') throw new Error(`no commit ${sha}`)
    return object.info
  }

  private flatten(tree: string, prefix = '', into: Flat = new Map()): Flat {
    for (const item of this.tree(tree)) {
      if (item.mode === TREE_MODE) this.flatten(item.sha, `${prefix}${item.name}/`, into)
      else into.set(prefix + item.name, { mode: item.mode, sha: item.sha })
    }
    return into
  }

  private ancestors(sha: string): Set<string> {
    const seen = new Set<string>()
    const stack = [sha]
    while (stack.length > 0) {
      const next = stack.pop()!
      if (seen.has(next) || this.objects.get(next)?.type !== 'commit') continue
      seen.add(next)
      stack.push(...this.commit(next).parents)
    }
    return seen
  }

  private commitTime(sha: string): number {
    return Date.parse(this.commit(sha).committer.date)
  }

  private sizeOf(sha: string): number | undefined {
    const object = this.objects.get(sha)
    return object?.type === 'blob' ? object.data.length : undefined
  }

  private lineCount(sha: string): number {
    const object = this.objects.get(sha)
    if (object?.type !== 'blob') return 0
    return object.data.toString('utf8').split('\n').length - 1
  }
}

function validRefName(ref: string): boolean {
  const parts = ref.split('/')
  return (
    parts.length > 1 &&
    ![...ref].some(char => char <= ' ' || char === '\x7f' || '~^:?*[\\'.includes(char)) &&
    !/\.\.|@\{/.test(ref) &&
    parts.every(part => part !== '' && !part.startsWith('.') && !part.endsWith('.lock')) &&
    !ref.endsWith('.') &&
    ref !== '@'
  )
}

function second(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace(/\.000Z$/, 'Z')
}
