import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub, type GitDataLimits } from '../support/fake-github.js'
import { createGitHubClient, type GitHubClient } from '../../src/github/octokit.js'
import {
  BranchMovedError,
  gitBlobSha,
  Repository,
  UnsafeRepoPathError
} from '../../src/github/repository.js'
import { TREE_BODY_BUDGET } from '../../src/github/tree-writer.js'

const OWNER = 'octo'
const REPO = 'app'
const DE = 'de:\n  hello: Hallo\n'
const FR = 'fr:\n  hello: Bonjour\n'

/**
 * Bytes as hex text: Jest's toEqual walks a Buffer one index at a time (seconds for a few MB);
 * hex strings compare at once and still show where they differ.
 */
const hex = (bytes: Uint8Array | undefined) => bytes && Buffer.from(bytes).toString('hex')

/** Adds a commit on `branch` whose tree also holds `entry` (a symlink or a submodule), via the API. */
async function addSpecialEntry(
  branch: string,
  entry: { path: string; mode: '120000' | '160000'; target: string }
): Promise<void> {
  const ids = { owner: OWNER, repo: REPO }
  const head = (await repository.branchHead(branch))!
  const sha =
    entry.mode === '120000'
      ? (await client.rest.git.createBlob({ ...ids, content: entry.target, encoding: 'utf-8' }))
          .data.sha
      : entry.target
  const type = entry.mode === '120000' ? ('blob' as const) : ('commit' as const)
  const { data: tree } = await client.rest.git.createTree({
    ...ids,
    base_tree: head.treeSha,
    tree: [{ path: entry.path, mode: entry.mode, type, sha }]
  })
  const { data: commit } = await client.rest.git.createCommit({
    ...ids,
    message: 'special entry',
    tree: tree.sha,
    parents: [head.commitSha]
  })
  await client.rest.git.updateRef({ ...ids, ref: `heads/${branch}`, sha: commit.sha })
}

let fake: FakeGitHub
let client: GitHubClient
let repository: Repository

/** A fake GitHub (with `limits`, if given), and a Repository on it. */
async function startFake(limits?: Partial<GitDataLimits>): Promise<void> {
  fake = await FakeGitHub.start({
    memory: true,
    owner: OWNER,
    repo: REPO,
    token: 'gh-test-token',
    files: { 'config/locales/de.yml': DE, 'config/locales/fr.yml': FR, 'README.md': '# app\n' },
    limits
  })
  client = createGitHubClient({
    token: 'gh-test-token',
    baseUrl: fake.apiUrl,
    userAgent: 'phrase-pull-test',
    retryAfterBaseMs: 1,
    writeSpacingMs: 0
  })
  repository = new Repository(client, OWNER, REPO)
}

beforeEach(() => startFake())

afterEach(async () => {
  await fake.stop()
})

describe('Repository reads', () => {
  it('knows the default branch and reads a branch head', async () => {
    expect((await repository.info()).defaultBranch).toBe('main')
    const head = await repository.branchHead('main')
    expect(head?.commitSha).toBe(await fake.headSha('main'))
    expect(head?.treeSha).toBe((await fake.commit(head!.commitSha))?.tree)
    expect(await repository.branchHead('no/such-branch')).toBeUndefined()
  })

  it('reads present files with content and blob sha, and leaves out missing ones', async () => {
    const head = (await repository.branchHead('main'))!
    const files = await repository.readFiles(head.treeSha, [
      'config/locales/de.yml',
      'config/locales/it.yml',
      'missing/dir/x.yml'
    ])
    expect([...files.keys()]).toEqual(['config/locales/de.yml'])
    const de = files.get('config/locales/de.yml')!
    expect(de.content?.toString()).toBe(DE)
    expect(de.sha).toBe(gitBlobSha(Buffer.from(DE)))
    expect(de.mode).toBe('100644')
  })

  it('falls back to walking directories when GitHub truncates the recursive tree', async () => {
    const head = (await repository.branchHead('main'))!
    // Simulate a huge repository: the recursive listing comes back truncated and incomplete.
    client.hook.after('request', (response, options) => {
      const data = response.data as { truncated?: boolean; tree?: Array<{ path: string }> }
      if (String(options.url).includes('/git/trees/') && options.recursive !== undefined) {
        data.truncated = true
        data.tree = (data.tree ?? []).filter(entry => !entry.path.includes('/'))
      }
    })
    const files = await repository.readFiles(head.treeSha, [
      'config/locales/fr.yml',
      'config/other/x.yml'
    ])
    expect(files.get('config/locales/fr.yml')?.content?.toString()).toBe(FR)
    expect(files.size).toBe(1)
    const treeReads = fake
      .requests()
      .filter(r => r.method === 'GET' && r.path.includes('/git/trees/'))
    // The recursive read, then root, config and config/locales one by one; config/other is missing.
    expect(treeReads.map(r => 'recursive' in r.query)).toEqual([true, false, false, false])
  })

  it('refuses a path that is a symlink or lies below one', async () => {
    await addSpecialEntry('main', {
      path: 'config/locales/it.yml',
      mode: '120000',
      target: '/etc/passwd'
    })
    await addSpecialEntry('main', {
      path: 'linked',
      mode: '120000',
      target: '../outside'
    })
    const head = (await repository.branchHead('main'))!
    await expect(repository.readFiles(head.treeSha, ['config/locales/it.yml'])).rejects.toThrow(
      /config\/locales\/it\.yml: it is a symbolic link/
    )
    await expect(repository.readFiles(head.treeSha, ['linked/de.yml'])).rejects.toThrow(
      UnsafeRepoPathError
    )
    await expect(repository.readFiles(head.treeSha, ['linked/de.yml'])).rejects.toThrow(
      /linked is a symbolic link/
    )
    // Other paths still read fine.
    expect((await repository.readFiles(head.treeSha, ['config/locales/de.yml'])).size).toBe(1)
  })

  it('refuses a path inside a submodule', async () => {
    const someCommit = await fake.headSha('main')
    await addSpecialEntry('main', {
      path: 'vendor/i18n',
      mode: '160000',
      target: someCommit!
    })
    const head = (await repository.branchHead('main'))!
    await expect(repository.readFiles(head.treeSha, ['vendor/i18n/de.yml'])).rejects.toThrow(
      /vendor\/i18n is a submodule/
    )
  })
})

describe('Repository writes', () => {
  /** phrase/translations made by a commit of one changed file on main. */
  async function branchWithChange() {
    const base = (await repository.branchHead('main'))!
    const files = [{ path: 'config/locales/de.yml', content: Buffer.from('de:\n  a: 1\n') }]
    const first = await repository.commitFiles({ parent: base, files, message: 'm' })
    await repository.updateBranch('phrase/translations', first.commitSha, undefined)
    return { base, current: (await repository.branchHead('phrase/translations'))! }
  }

  it('commits files on the parent through blobs, a tree with base_tree and a commit', async () => {
    const base = (await repository.branchHead('main'))!
    const binary = Buffer.from([0, 255, 10, 13, 10, 128])
    const commit = await repository.commitFiles({
      parent: base,
      files: [
        { path: 'config/locales/de.yml', content: Buffer.from('de:\n  hello: Servus\n') },
        { path: 'config/locales/new/pt-BR.yml', content: Buffer.from('pt-BR:\n  hello: Olá\n') },
        { path: 'assets/raw.bin', content: binary }
      ],
      message: 'Update translations from Phrase'
    })
    await repository.updateBranch('phrase/translations', commit.commitSha, undefined)

    expect(await fake.headSha('phrase/translations')).toBe(commit.commitSha)
    const written = await fake.commit(commit.commitSha)
    expect(written).toMatchObject({
      parents: [base.commitSha],
      tree: commit.treeSha,
      message: 'Update translations from Phrase'
    })
    expect((await fake.readFile('phrase/translations', 'config/locales/de.yml'))?.toString()).toBe(
      'de:\n  hello: Servus\n'
    )
    expect(
      (await fake.readFile('phrase/translations', 'config/locales/new/pt-BR.yml'))?.toString()
    ).toBe('pt-BR:\n  hello: Olá\n')
    expect(
      Buffer.compare(
        Buffer.from((await fake.readFile('phrase/translations', 'assets/raw.bin'))!),
        binary
      )
    ).toBe(0)
    // base_tree kept everything else.
    expect((await fake.readFile('phrase/translations', 'config/locales/fr.yml'))?.toString()).toBe(
      FR
    )
    expect((await fake.readFile('phrase/translations', 'README.md'))?.toString()).toBe('# app\n')
    // main is untouched.
    expect(await fake.headSha('main')).toBe(base.commitSha)
    // No author or committer given: GitHub signs the commit.
    const { data } = await client.rest.git.getCommit({
      owner: OWNER,
      repo: REPO,
      commit_sha: commit.commitSha
    })
    expect(data.verification?.verified).toBe(true)
  })

  it('sends UTF-8 text inline in the tree, without a blob request per file', async () => {
    const base = (await repository.branchHead('main'))!
    const commit = await repository.commitFiles({
      parent: base,
      files: [
        { path: 'a.yml', content: Buffer.from('a: ä\r\n') },
        { path: 'b.yml', content: Buffer.from('\ufeffb: 1') }
      ],
      message: 'm'
    })
    expect(fake.requests().filter(r => r.path.endsWith('/git/blobs'))).toHaveLength(0)
    expect(await fake.readFile(commit.commitSha, 'a.yml')).toEqual(Buffer.from('a: ä\r\n'))
    expect(await fake.readFile(commit.commitSha, 'b.yml')).toEqual(Buffer.from('\ufeffb: 1'))
  })

  it('uploads identical binary content once', async () => {
    const base = (await repository.branchHead('main'))!
    const same = Buffer.from([0xff, 0xfe, 0x00, 0x41])
    await repository.commitFiles({
      parent: base,
      files: ['a.yml', 'b.yml', 'c.yml'].map(path => ({ path, content: same })),
      message: 'm'
    })
    const blobPosts = fake
      .requests()
      .filter(r => r.method === 'POST' && r.path.endsWith('/git/blobs'))
    expect(blobPosts).toHaveLength(1)
  })

  it('writes a blob the repository already has by its sha alone: no bytes travel', async () => {
    const { base, current } = await branchWithChange()
    const de = (await repository.findFiles(current.treeSha, ['config/locales/de.yml'])).get(
      'config/locales/de.yml'
    )!
    const before = fake.requests().length
    const commit = await repository.commitFiles({
      parent: base,
      files: [{ path: 'web/de.yml', sha: de.sha }],
      message: 'm'
    })
    const [tree] = fake
      .requests()
      .slice(before)
      .filter(r => r.method === 'POST' && r.path.endsWith('/git/trees'))
    expect(tree.body).toMatchObject({ tree: [{ path: 'web/de.yml', sha: de.sha }] })
    expect(JSON.stringify(tree.body)).not.toContain('content')
    expect((await fake.readFile(commit.commitSha, 'web/de.yml'))?.toString()).toBe('de:\n  a: 1\n')
  })

  it('lists the files two trees differ in (for a branch compare lists only in part)', async () => {
    const { base, current } = await branchWithChange()
    const de = (await repository.findFiles(current.treeSha, ['config/locales/de.yml'])).get(
      'config/locales/de.yml'
    )!
    expect(await repository.diffTrees(base.treeSha, current.treeSha)).toEqual(
      new Map([['config/locales/de.yml', de.sha]])
    )
    expect(await repository.diffTrees(current.treeSha, base.treeSha)).toEqual(
      new Map([
        [
          'config/locales/de.yml',
          (await repository.findFiles(base.treeSha, ['config/locales/de.yml'])).get(
            'config/locales/de.yml'
          )!.sha
        ]
      ])
    )
  })

  it('returns the parent when the files change nothing', async () => {
    const base = (await repository.branchHead('main'))!
    const result = await repository.commitFiles({
      parent: base,
      files: [{ path: 'config/locales/de.yml', content: Buffer.from(DE) }],
      message: 'noop'
    })
    expect(result).toEqual({ commitSha: base.commitSha, treeSha: base.treeSha })
    expect(fake.requests().some(r => r.method === 'POST' && r.path.endsWith('/git/commits'))).toBe(
      false
    )
  })

  it('moves an existing branch only from the commit it expects', async () => {
    const base = (await repository.branchHead('main'))!
    const first = await repository.commitFiles({
      parent: base,
      files: [{ path: 'x.yml', content: Buffer.from('1') }],
      message: 'one'
    })
    await repository.updateBranch('phrase/translations', first.commitSha, undefined)
    const second = await repository.commitFiles({
      parent: base,
      files: [{ path: 'x.yml', content: Buffer.from('2') }],
      message: 'two'
    })
    await repository.updateBranch('phrase/translations', second.commitSha, first.commitSha)
    expect(await fake.headSha('phrase/translations')).toBe(second.commitSha)
    // Force-update: the branch was rewritten onto base, not stacked.
    expect((await fake.commit(second.commitSha))?.parents).toEqual([base.commitSha])
  })

  it('throws BranchMovedError and keeps the other writer’s commit when the ref moved', async () => {
    const base = (await repository.branchHead('main'))!
    const ours = await repository.commitFiles({
      parent: base,
      files: [{ path: 'x.yml', content: Buffer.from('1') }],
      message: 'one'
    })
    await repository.updateBranch('phrase/translations', ours.commitSha, undefined)
    // Another run pushes in between.
    await fake.commitFiles('phrase/translations', { 'x.yml': 'theirs' })
    const theirs = await fake.headSha('phrase/translations')
    const next = await repository.commitFiles({
      parent: base,
      files: [{ path: 'x.yml', content: Buffer.from('2') }],
      message: 'two'
    })

    const attempt = repository.updateBranch('phrase/translations', next.commitSha, ours.commitSha)
    await expect(attempt).rejects.toBeInstanceOf(BranchMovedError)
    await expect(attempt).rejects.toThrow(/phrase\/translations moved/)
    expect(await fake.headSha('phrase/translations')).toBe(theirs)
  })

  it('throws BranchMovedError when the branch appeared or vanished since we looked', async () => {
    const base = (await repository.branchHead('main'))!
    const ours = await repository.commitFiles({
      parent: base,
      files: [{ path: 'x.yml', content: Buffer.from('1') }],
      message: 'one'
    })
    await fake.commitFiles('phrase/translations', { 'x.yml': 'theirs' })
    const theirs = await fake.headSha('phrase/translations')
    // We believed the branch did not exist.
    await expect(
      repository.updateBranch('phrase/translations', ours.commitSha, undefined)
    ).rejects.toBeInstanceOf(BranchMovedError)
    expect(await fake.headSha('phrase/translations')).toBe(theirs)
    // We believed it was at `theirs`, but it is gone.
    await repository.deleteBranch('phrase/translations')
    await expect(
      repository.updateBranch('phrase/translations', ours.commitSha, theirs)
    ).rejects.toBeInstanceOf(BranchMovedError)
    expect(await fake.headSha('phrase/translations')).toBeUndefined()
  })

  it('deletes a branch, and deleting it again is fine', async () => {
    const base = (await repository.branchHead('main'))!
    await repository.updateBranch('phrase/translations', base.commitSha, undefined)
    await repository.deleteBranch('phrase/translations')
    expect(await repository.branchHead('phrase/translations')).toBeUndefined()
    await expect(repository.deleteBranch('phrase/translations')).resolves.toBeUndefined()
  })

  it('explains a refused update of a protected branch', async () => {
    const base = (await repository.branchHead('main'))!
    await repository.updateBranch('phrase/translations', base.commitSha, undefined)
    fake.protect('phrase/translations')
    const next = await repository.commitFiles({
      parent: base,
      files: [{ path: 'x.yml', content: Buffer.from('1') }],
      message: 'one'
    })
    await expect(
      repository.updateBranch('phrase/translations', next.commitSha, base.commitSha)
    ).rejects.toThrow(
      /Could not update branch phrase\/translations in octo\/app\. GitHub answered 422/
    )
  })

  it('retries a 502 from GitHub while creating a blob', async () => {
    fake.faults.add({ method: 'POST', path: '/repos/octo/app/git/blobs', status: 502, times: 1 })
    const base = (await repository.branchHead('main'))!
    const binary = Buffer.from([0xff, 0x00, 0x80])
    const commit = await repository.commitFiles({
      parent: base,
      files: [{ path: 'x.bin', content: binary }],
      message: 'one'
    })
    expect(
      fake
        .requests()
        .filter(r => r.path.endsWith('/git/blobs'))
        .map(r => r.status)
    ).toEqual([502, 201])
    expect(await fake.readFile(commit.commitSha, 'x.bin')).toEqual(binary)
  })

  it('names the missing permission on a 403', async () => {
    fake.faults.add({ method: 'POST', path: '/repos/octo/app/git/trees', status: 403, times: 1 })
    const base = (await repository.branchHead('main'))!
    await expect(
      repository.commitFiles({
        parent: base,
        files: [{ path: 'x.yml', content: Buffer.from('1') }],
        message: 'one'
      })
    ).rejects.toThrow(
      /Could not create a tree in octo\/app\. GitHub answered 403.*permissions: contents: write/
    )
  })
})

/** The test's fake replaced by one with other Git Data limits; a Repository on it. */
async function withLimits(limits: Partial<GitDataLimits>): Promise<Repository> {
  await fake.stop()
  await startFake(limits)
  return repository
}

/** `count` YAML-ish text files of about `bytes` each, different per file. */
function textFiles(count: number, bytes: number): Array<{ path: string; content: Buffer }> {
  return Array.from({ length: count }, (_, i) => {
    const line = `  key_${i}: "Übersetzung Nummer ${i} mit \\"Anführungszeichen\\""\n`
    return {
      path: `config/locales/l${i}.yml`,
      content: Buffer.from(`l${i}:\n${line.repeat(Math.ceil(bytes / line.length))}`)
    }
  })
}

const treePosts = () =>
  fake.requests().filter(r => r.method === 'POST' && r.path.endsWith('/git/trees'))

describe('Repository writes of large change sets', () => {
  it('builds a tree GitHub cannot take in one request in parts chained on base_tree, with one commit', async () => {
    const base = (await repository.branchHead('main'))!
    const files = textFiles(8, 300_000) // ~2.5 MB: past the fake's (and GitHub's) limit at once
    const commit = await repository.commitFiles({ parent: base, files, message: 'many' })

    const posts = treePosts()
    expect(posts.map(r => r.status)).toEqual(posts.map(() => 201))
    expect(posts.length).toBeGreaterThan(1)
    for (const post of posts)
      expect(Buffer.byteLength(JSON.stringify(post.body))).toBeLessThanOrEqual(TREE_BODY_BUDGET)
    // Each part builds on the tree the parts before it made, starting from the parent's tree.
    const bodies = posts.map(r => r.body as { base_tree: string; tree: Array<{ path: string }> })
    expect(bodies[0].base_tree).toBe(base.treeSha)
    for (let i = 1; i < bodies.length; i++) {
      const listed = await fake.listFiles(bodies[i].base_tree)
      const earlier = bodies.slice(0, i).flatMap(body => body.tree.map(entry => entry.path))
      expect(listed).toEqual(expect.arrayContaining(earlier))
    }
    expect(fake.requests().filter(r => r.path.endsWith('/git/commits'))).toHaveLength(1)
    expect(fake.requests().filter(r => r.path.endsWith('/git/blobs'))).toHaveLength(0)
    for (const file of files)
      expect(hex(await fake.readFile(commit.commitSha, file.path))).toBe(hex(file.content))
    expect((await fake.readFile(commit.commitSha, 'config/locales/de.yml'))?.toString()).toBe(DE)
  })

  it.each([502, 422] as const)(
    'splits a part GitHub answers %s instead of sending the same body again',
    async treeFailure => {
      const repo = await withLimits({ treeBodyBytes: 300_000, treeFailure })
      const base = (await repo.branchHead('main'))!
      const files = textFiles(4, 140_000)
      const commit = await repo.commitFiles({ parent: base, files, message: 'm' })

      const posts = treePosts()
      const failed = posts.filter(r => r.status === treeFailure)
      expect(failed.length).toBeGreaterThan(0)
      // No body GitHub could not take is ever sent again (neither by us nor the retry plugin).
      const bodies = posts.map(r => JSON.stringify(r.body))
      for (const post of failed)
        expect(bodies.filter(body => body === JSON.stringify(post.body))).toHaveLength(1)
      expect(posts.at(-1)?.status).toBe(201)
      for (const file of files)
        expect(hex(await fake.readFile(commit.commitSha, file.path))).toBe(hex(file.content))
      expect(fake.requests().filter(r => r.path.endsWith('/git/commits'))).toHaveLength(1)
    }
  )

  it('sends one file GitHub will not take inline as a blob, and a file too large for a part at once', async () => {
    const repo = await withLimits({ treeBodyBytes: 100_000 })
    const base = (await repo.branchHead('main'))!
    const [middle] = textFiles(1, 150_000) // fits our budget, not this GitHub's
    const big = { path: 'big.yml', content: textFiles(1, 1_200_000)[0].content } // over our budget
    const commit = await repo.commitFiles({ parent: base, files: [middle, big], message: 'm' })

    const blobs = fake.requests().filter(r => r.method === 'POST' && r.path.endsWith('/git/blobs'))
    expect(blobs.map(r => r.status)).toEqual([201, 201])
    // Both in one part: too much for this GitHub; the inline file alone too; then by sha.
    expect(treePosts().map(r => r.status)).toEqual([502, 502, 201, 201])
    expect(hex(await fake.readFile(commit.commitSha, middle.path))).toBe(hex(middle.content))
    expect(hex(await fake.readFile(commit.commitSha, 'big.yml'))).toBe(hex(big.content))
  })

  it('names the size and GitHub’s blob limit when GitHub refuses a file as too large', async () => {
    const repo = await withLimits({ blobBytes: 1024 * 1024 })
    const base = (await repo.branchHead('main'))!
    const big = { path: 'big.yml', content: textFiles(1, 1_500_000)[0].content }
    await expect(repo.commitFiles({ parent: base, files: [big], message: 'm' })).rejects.toThrow(
      /Could not upload big\.yml to octo\/app\. GitHub answered 422: Sorry, your input was too large to process.*The file is 1\.\d MiB; GitHub's API stores files up to about 40 MiB/
    )
    expect(
      fake.requests().filter(r => r.method === 'POST' && !r.path.endsWith('/git/blobs'))
    ).toEqual([])
  })
})

describe('Repository reads only what it does not hold', () => {
  it('skips a blob whose sha the bytes it was given have, and reads the others once', async () => {
    const head = (await repository.branchHead('main'))!
    const entries = await repository.findFiles(head.treeSha, [
      'config/locales/de.yml',
      'config/locales/fr.yml'
    ])
    expect(fake.requests().some(r => r.path.includes('/git/blobs/'))).toBe(false)
    const known = new Map([
      ['config/locales/de.yml', Buffer.from(DE)], // same bytes: no read
      ['config/locales/fr.yml', Buffer.from('fr:\n  hello: Salut\n')] // other bytes: read
    ])
    const files = await repository.withContent(entries.values(), path => known.get(path))
    expect(files.get('config/locales/de.yml')?.content?.toString()).toBe(DE)
    expect(files.get('config/locales/fr.yml')?.content?.toString()).toBe(FR)
    const reads = fake.requests().filter(r => r.path.includes('/git/blobs/'))
    expect(reads.map(r => r.path.split('/').at(-1))).toEqual([
      entries.get('config/locales/fr.yml')!.sha
    ])
  })

  it('rejects with the failed read while an earlier read is still pending', async () => {
    // The process-level half (no unhandled rejection, a reported failure) is the end-to-end test
    // in __tests__/faults/github-reads.test.ts: jest does not surface unhandled rejections here.
    const head = (await repository.branchHead('main'))!
    const entries = await repository.findFiles(head.treeSha, [
      'config/locales/de.yml',
      'config/locales/fr.yml'
    ])
    const blob = (path: string) => `/repos/octo/app/git/blobs/${entries.get(path)!.sha}`
    fake.faults.add({
      method: 'GET',
      path: blob('config/locales/de.yml'),
      before: () => new Promise(resolve => setTimeout(resolve, 300))
    })
    fake.faults.add({ method: 'GET', path: blob('config/locales/fr.yml'), status: 404 })
    await expect(repository.withContent(entries.values())).rejects.toThrow(
      /Could not read config\/locales\/fr\.yml \(blob [0-9a-f]{40}\) from octo\/app\. GitHub answered 404/
    )
  })
})
