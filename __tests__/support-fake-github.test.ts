import { afterEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { access } from 'node:fs/promises'
import { FakeGitHub } from './support/fake-github.js'

const running: FakeGitHub[] = []
async function start(options: Parameters<typeof FakeGitHub.start>[0] = {}): Promise<FakeGitHub> {
  const gh = await FakeGitHub.start({
    files: { 'README.md': '# app\n', 'config/locales/en.yml': 'en:\n  a: A\n' },
    ...options
  })
  running.push(gh)
  return gh
}

afterEach(async () => {
  await Promise.all(running.splice(0).map(gh => gh.stop()))
})

/** A tiny REST client over fetch: JSON in, status + JSON out. */
function api(gh: FakeGitHub, auth = `token ${gh.token}`) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(
      `${gh.apiUrl}${path.replace('/R/', `/repos/${gh.owner}/${gh.repo}/`)}`,
      {
        method,
        headers: {
          Authorization: auth,
          Accept: 'application/vnd.github+json',
          'User-Agent': 'test'
        },
        body: body === undefined ? undefined : JSON.stringify(body)
      }
    )
    const text = await response.text()
    return { status: response.status, json: (text ? JSON.parse(text) : undefined) as any } // eslint-disable-line @typescript-eslint/no-explicit-any
  }
}

/** Commits `files` on top of `branch` through the Git Data API; returns the new commit sha. */
async function commitViaApi(gh: FakeGitHub, branch: string, tree: unknown[]): Promise<string> {
  const call = api(gh)
  const head = (await call('GET', `/R/git/ref/heads%2F${encodeURIComponent(branch)}`)).json.object
    .sha
  const base = (await call('GET', `/R/git/commits/${head}`)).json.tree.sha
  const newTree = await call('POST', '/R/git/trees', { base_tree: base, tree })
  expect(newTree.status).toBe(201)
  const commit = await call('POST', '/R/git/commits', {
    message: 'chore(i18n): update',
    tree: newTree.json.sha,
    parents: [head]
  })
  expect(commit.status).toBe(201)
  return commit.json.sha
}

describe('FakeGitHub: repository and git objects', () => {
  it('starts fast over a real bare repository with the given files and symlinks', async () => {
    const started = performance.now()
    const gh = await start({ symlinks: { 'link.yml': '../outside.yml' } })
    expect(performance.now() - started).toBeLessThan(2000) // generous: other suites share the CPU
    expect(await gh.git('rev-parse', '--is-bare-repository')).toBe('true\n')
    expect(await gh.listFiles('main')).toEqual(['README.md', 'config/locales/en.yml', 'link.yml'])
    expect((await gh.git('ls-tree', 'main', 'link.yml')).split(' ')[0]).toBe('120000')
    expect((await gh.readFile('main', 'config/locales/en.yml'))?.toString()).toBe('en:\n  a: A\n')
    expect(await gh.readFile('main', 'missing.yml')).toBeUndefined()

    const repo = await api(gh)('GET', '/repos/octo/app')
    expect(repo.json).toMatchObject({ full_name: 'octo/app', default_branch: 'main' })
    const branch = await api(gh)('GET', '/R/branches/main')
    expect(branch.json.commit.sha).toBe(await gh.headSha('main'))
  })

  it('writes blobs, trees (base_tree, nested paths, deletions) and signed commits into the bare repo', async () => {
    const gh = await start()
    const call = api(gh)
    const blob = await call('POST', '/R/git/blobs', {
      content: Buffer.from([0xff, 0x00, 0xfe]).toString('base64'),
      encoding: 'base64'
    })
    expect(blob.status).toBe(201)
    expect(await gh.git('cat-file', '-t', blob.json.sha)).toBe('blob\n')
    expect((await call('GET', `/R/git/blobs/${blob.json.sha}`)).json).toMatchObject({
      encoding: 'base64',
      size: 3
    })

    const sha = await commitViaApi(gh, 'main', [
      {
        path: 'config/locales/de/deep/de.yml',
        mode: '100644',
        type: 'blob',
        content: 'de:\n  a: B\n'
      },
      { path: 'bin.dat', mode: '100644', type: 'blob', sha: blob.json.sha },
      { path: 'README.md', mode: '100644', type: 'blob', sha: null }
    ])
    const commit = await call('GET', `/R/git/commits/${sha}`)
    expect(commit.json.verification.verified).toBe(true)
    expect(commit.json.parents[0].sha).toBe(await gh.headSha('main'))
    expect(await gh.git('cat-file', '-t', sha)).toBe('commit\n')

    const created = await call('POST', '/R/git/refs', {
      ref: 'refs/heads/phrase/translations',
      sha
    })
    expect(created.status).toBe(201)
    expect(await gh.listFiles('phrase/translations')).toEqual([
      'bin.dat',
      'config/locales/de/deep/de.yml',
      'config/locales/en.yml'
    ])
    expect(await gh.readFile('phrase/translations', 'bin.dat')).toEqual(
      Buffer.from([0xff, 0x00, 0xfe])
    )

    const tree = await call('GET', `/R/git/trees/${commit.json.tree.sha}?recursive=1`)
    expect(tree.json.tree.map((entry: { path: string }) => entry.path)).toContain(
      'config/locales/de/deep/de.yml'
    )
    const content = await call(
      'GET',
      '/R/contents/config/locales/de/deep/de.yml?ref=phrase/translations'
    )
    expect(Buffer.from(content.json.content, 'base64').toString()).toBe('de:\n  a: B\n')
    const compare = await call('GET', '/R/compare/main...phrase%2Ftranslations')
    expect(compare.json).toMatchObject({ status: 'ahead', ahead_by: 1, behind_by: 0 })
  })

  it('rejects malformed trees and commits with 422', async () => {
    const gh = await start()
    const call = api(gh)
    const escape = await call('POST', '/R/git/trees', {
      tree: [{ path: '../evil', mode: '100644', type: 'blob', content: 'x' }]
    })
    expect(escape.status).toBe(422)
    const missing = await call('POST', '/R/git/trees', {
      tree: [{ path: 'a', mode: '100644', type: 'blob', sha: 'f'.repeat(40) }]
    })
    expect(missing.status).toBe(422)
    const orphan = await call('POST', '/R/git/commits', {
      message: 'x',
      tree: 'f'.repeat(40),
      parents: []
    })
    expect(orphan.status).toBe(422)
  })
})

describe('FakeGitHub: github.com’s size limits on Git Data writes', () => {
  it.each([
    [502, /^Server Error$/],
    [422, /^Sorry, your request timed out\..*Consider building the tree incrementally/]
  ] as const)(
    'answers %s to a create-tree body over the limit, every time, and takes it in parts',
    async (treeFailure, message) => {
      const gh = await start({ limits: { treeBodyBytes: 50_000, treeFailure } })
      const call = api(gh)
      const base = (await call('GET', '/R/git/commits/' + (await gh.headSha('main')))).json.tree.sha
      const entry = (name: string) => ({
        path: name,
        mode: '100644',
        type: 'blob',
        content: 'x'.repeat(30_000)
      })
      const whole = { base_tree: base, tree: [entry('a.txt'), entry('b.txt')] }
      for (let attempt = 0; attempt < 2; attempt++) {
        const refused = await call('POST', '/R/git/trees', whole)
        expect(refused.status).toBe(treeFailure)
        expect(refused.json.message).toMatch(message)
      }
      const first = await call('POST', '/R/git/trees', { base_tree: base, tree: [entry('a.txt')] })
      const second = await call('POST', '/R/git/trees', {
        base_tree: first.json.sha,
        tree: [entry('b.txt')]
      })
      expect([first.status, second.status]).toEqual([201, 201])
      expect(second.json.tree.map((e: { path: string }) => e.path)).toEqual(
        expect.arrayContaining(['a.txt', 'b.txt', 'README.md'])
      )
    }
  )

  it('refuses a blob at the limit with 422 (decoded bytes count, not the base64 body)', async () => {
    const gh = await start({ limits: { blobBytes: 30_000 } })
    const call = api(gh)
    const under = await call('POST', '/R/git/blobs', {
      content: Buffer.alloc(29_999, 1).toString('base64'), // 40 KB of base64
      encoding: 'base64'
    })
    expect(under.status).toBe(201)
    const at = await call('POST', '/R/git/blobs', {
      content: Buffer.alloc(30_000, 1).toString('base64'),
      encoding: 'base64'
    })
    expect(at.status).toBe(422)
    expect(at.json.message).toMatch(/^Sorry, your input was too large to process\./)
    // Nothing was stored for the refused blob.
    const refusedSha = createHash('sha1')
      .update(Buffer.concat([Buffer.from('blob 30000\0'), Buffer.alloc(30_000, 1)]))
      .digest('hex')
    await expect(gh.git('cat-file', '-e', refusedSha)).rejects.toThrow()
  })
})

describe('FakeGitHub: refs', () => {
  it('follows GitHub ref semantics: exists, fast-forward, force, protection, delete', async () => {
    const gh = await start()
    const call = api(gh)
    const main = (await gh.headSha('main')) as string
    expect((await call('POST', '/R/git/refs', { ref: 'refs/heads/x', sha: main })).status).toBe(201)
    const duplicate = await call('POST', '/R/git/refs', { ref: 'refs/heads/x', sha: main })
    expect(duplicate).toMatchObject({ status: 422, json: { message: 'Reference already exists' } })

    const ahead = await commitViaApi(gh, 'x', [
      { path: 'f', mode: '100644', type: 'blob', content: '1' }
    ])
    const sideways = await commitViaApi(gh, 'main', [
      { path: 'g', mode: '100644', type: 'blob', content: '2' }
    ])
    expect((await call('PATCH', '/R/git/refs/heads%2Fx', { sha: ahead })).status).toBe(200)
    const notFf = await call('PATCH', '/R/git/refs/heads%2Fx', { sha: sideways })
    expect(notFf).toMatchObject({ status: 422, json: { message: 'Update is not a fast forward' } })
    expect(await gh.headSha('x')).toBe(ahead)
    expect(
      (await call('PATCH', '/R/git/refs/heads/x', { sha: sideways, force: true })).status
    ).toBe(200)
    expect(await gh.headSha('x')).toBe(sideways)

    gh.protect('x')
    expect((await call('PATCH', '/R/git/refs/heads%2Fx', { sha: main, force: true })).status).toBe(
      422
    )
    expect((await call('DELETE', '/R/git/refs/heads%2Fx')).status).toBe(422)

    const matching = await call('GET', '/R/git/matching-refs/heads%2F')
    expect(matching.json.map((ref: { ref: string }) => ref.ref)).toEqual([
      'refs/heads/main',
      'refs/heads/x'
    ])
    expect((await call('GET', '/R/git/ref/heads%2Fnope')).status).toBe(404)

    expect((await call('POST', '/R/git/refs', { ref: 'refs/heads/y', sha: main })).status).toBe(201)
    expect((await call('DELETE', '/R/git/refs/heads%2Fy')).status).toBe(204)
    expect(await gh.headSha('y')).toBeUndefined()
    expect((await call('DELETE', '/R/git/refs/heads%2Fy')).status).toBe(422)
  })

  it('lets another actor push and faults move a branch mid-run', async () => {
    const gh = await start()
    const call = api(gh)
    const main = (await gh.headSha('main')) as string
    await call('POST', '/R/git/refs', { ref: 'refs/heads/work', sha: main })
    const mine = await commitViaApi(gh, 'work', [
      { path: 'f', mode: '100644', type: 'blob', content: 'x' }
    ])

    gh.faults.add({
      method: 'PATCH',
      path: /\/git\/refs\/heads\/work$/,
      before: async () => {
        await gh.commitFiles('work', { 'README.md': null, 'other.txt': 'theirs' }, 'their change')
      }
    })
    const raced = await call('PATCH', '/R/git/refs/heads%2Fwork', { sha: mine })
    expect(raced.status).toBe(422)
    const history = await gh.commits('work')
    expect(history.map(c => c.message)).toEqual(['their change', 'Initial commit'])
    expect(history[0].parents).toEqual([main])
    expect(await gh.listFiles('work')).toEqual(['config/locales/en.yml', 'other.txt'])

    gh.faults.add({
      method: 'GET',
      path: '/repos/octo/app/git/ref/heads/work',
      status: 502,
      times: 2
    })
    expect((await call('GET', '/R/git/ref/heads%2Fwork')).status).toBe(502)
    expect((await call('GET', '/R/git/ref/heads%2Fwork')).status).toBe(502)
    expect((await call('GET', '/R/git/ref/heads%2Fwork')).status).toBe(200)
  })
})

/**
 * The end-to-end world keeps its objects in memory (memory-store.ts): it must answer exactly as
 * the bare repository does. The same history, built through the API on both, gives the same
 * object ids, listings, histories and diffs; only compare's line counts differ (whole files).
 */
describe('FakeGitHub: the in-memory store answers as the bare repository does', () => {
  /** Builds a history with nested trees, a symlink, binary bytes, deletions, a merge and a tie. */
  async function history(gh: FakeGitHub) {
    const call = api(gh)
    const ids: Record<string, string> = {}
    const commit = async (name: string, parents: string[], tree: unknown[], date: string) => {
      const base = parents.length ? (await call('GET', `/R/git/commits/${parents[0]}`)).json : null
      const made = await call('POST', '/R/git/trees', { base_tree: base?.tree.sha, tree })
      expect(made.status).toBe(201)
      const who = { name: 'Tester', email: 't@example.com', date }
      const created = await call('POST', '/R/git/commits', {
        message: `${name}\n\nbody of ${name}\n`,
        tree: made.json.sha,
        parents,
        author: who,
        committer: who
      })
      expect(created.status).toBe(201)
      ids[name] = created.json.sha
      return created.json.sha as string
    }
    const blob = await call('POST', '/R/git/blobs', {
      content: Buffer.from([0xff, 0x00, 0xfe, 0x0a]).toString('base64'),
      encoding: 'base64'
    })
    ids.blob = blob.json.sha
    const root = (await gh.headSha('main'))!
    const a = await commit(
      'a',
      [root],
      [
        { path: 'config/locales/de/deep/de.yml', mode: '100644', type: 'blob', content: 'de: 1\n' },
        { path: 'bin.dat', mode: '100644', type: 'blob', sha: ids.blob },
        { path: 'README.md', mode: '100644', type: 'blob', sha: null }
      ],
      '2024-05-01T10:00:00Z'
    )
    const subtree = (await call('GET', `/R/git/trees/${a}`)).json.tree.find(
      (entry: { path: string }) => entry.path === 'config'
    ).sha
    // Two commits at the same second on either side: rev-list breaks the tie by arrival.
    const b = await commit(
      'b',
      [a],
      [{ path: 'copy', mode: '040000', type: 'tree', sha: subtree }],
      '2024-05-02T10:00:00Z'
    )
    const c = await commit(
      'c',
      [a],
      [{ path: 'config/locales/fr.yml', mode: '100644', type: 'blob', content: 'fr: 1\n' }],
      '2024-05-02T10:00:00Z'
    )
    const merged = await commit('merge', [b, c], [], '2024-05-03T10:00:00Z')
    await call('POST', '/R/git/refs', { ref: 'refs/heads/side', sha: c })
    await call('POST', '/R/git/refs', { ref: 'refs/heads/phrase/translations', sha: merged })
    return ids
  }

  async function observe(gh: FakeGitHub) {
    const call = api(gh)
    const ids = await history(gh)
    const branch = 'phrase/translations'
    const compare = (await call('GET', '/R/compare/side...phrase%2Ftranslations')).json
    return {
      ids,
      mainTree: (await call('GET', `/R/git/commits/${await gh.headSha('main')}`)).json.tree.sha,
      refs: (await gh.refs()).map(({ ref, sha }) => [ref, sha === ids.merge ? 'merge' : sha]),
      tree: await gh.tree(branch),
      treeBelow: await gh.tree(`${branch}:config`),
      listing: (await call('GET', `/R/git/trees/${ids.merge}?recursive=1`)).json.tree.map(
        ({ url: _url, ...entry }: Record<string, unknown>) => entry
      ),
      commits: (await gh.commits(branch)).map(({ sha, parents }) => ({ sha, parents })),
      merge: await gh.commit(ids.merge),
      twoDot: await gh.changedFiles('side', branch),
      threeDot: await gh.changedFiles('main', 'side', { threeDot: true }),
      between: await gh.commitsBetween('side', branch),
      compare: {
        status: compare.status,
        ahead: compare.ahead_by,
        behind: compare.behind_by,
        mergeBase: compare.merge_base_commit.sha,
        commits: compare.commits.map((entry: { sha: string }) => entry.sha),
        files: compare.files.map((file: Record<string, unknown>) => [
          file.filename,
          file.status,
          file.sha
        ])
      },
      contents: (
        await call('GET', '/R/contents/copy/locales/de/deep/de.yml?ref=phrase/translations')
      ).json.sha,
      binary: (await gh.readFile(branch, 'bin.dat'))?.toString('hex')
    }
  }

  it('gives the same ids, listings, histories and diffs for the same history', async () => {
    const files = { 'README.md': '# app\n', 'config/locales/en.yml': 'en: 1\n' }
    const symlinks = { 'link.yml': '../outside.yml' }
    // The same first commit for both, whatever second each store starts in.
    const firstCommitDate = '2024-04-30T10:00:00Z'
    const [onDisk, inMemory] = await Promise.all([
      start({ files, symlinks, firstCommitDate }),
      start({ files, symlinks, firstCommitDate, memory: true })
    ])
    const expected = await observe(onDisk)
    expect(expected.commits.map(({ sha }) => sha).slice(0, 4)).toEqual([
      expected.ids.merge,
      expected.ids.b,
      expected.ids.c,
      expected.ids.a
    ])
    expect(await observe(inMemory)).toEqual(expected)
  })

  it('holds every object for the secrets scan, reachable or not', async () => {
    const [inBlob, inName, inMessage] = ['tok_BLOB_0123', 'tok_NAME_4567', 'tok_MESSAGE_89']
    for (const gh of await Promise.all([start(), start({ memory: true })])) {
      // A blob no tree holds, a file name, a commit message.
      await api(gh)('POST', '/R/git/blobs', { content: `key: ${inBlob}\n`, encoding: 'utf-8' })
      await gh.commitFiles('main', { [`${inName}.txt`]: 'x' }, 'a file')
      await gh.commitFiles('main', { 'x.txt': 'y' }, `message with ${inMessage}`)
      const dump = await gh.objectDump()
      for (const secret of [inBlob, inName, inMessage]) expect(dump).toContain(secret)
    }
  })
})

describe('FakeGitHub: what it keeps between requests', () => {
  it('never answers with a ref that moved, however it was moved', async () => {
    const gh = await start()
    const call = api(gh)
    const before = (await call('GET', '/R/git/ref/heads%2Fmain')).json.object.sha
    expect((await call('GET', '/R/git/ref/heads%2Fmain')).json.object.sha).toBe(before)
    // Moved behind the API's back, as a test moves a branch with plain git.
    const other = await gh.commitFiles('main', { 'NOTES.md': 'moved\n' })
    await gh.git('update-ref', 'refs/heads/main', before)
    expect((await call('GET', '/R/git/ref/heads%2Fmain')).json.object.sha).toBe(before)
    await gh.git('update-ref', 'refs/heads/main', other)
    expect((await call('GET', '/R/git/ref/heads%2Fmain')).json.object.sha).toBe(other)
    const tree = (await call('GET', `/R/git/trees/${other}?recursive=1`)).json.tree
    expect(tree.map((entry: { path: string }) => entry.path)).toContain('NOTES.md')
  })
})

describe('FakeGitHub: pull requests', () => {
  async function withBranch(gh: FakeGitHub, branch: string): Promise<void> {
    const main = (await gh.headSha('main')) as string
    await api(gh)('POST', '/R/git/refs', { ref: `refs/heads/${branch}`, sha: main })
    await gh.commitFiles(branch, { 'config/locales/de.yml': 'de:\n  a: B\n' })
  }

  it('creates one PR per head+base, refuses duplicates and empty ones', async () => {
    const gh = await start()
    const call = api(gh)
    await withBranch(gh, 'phrase/translations')
    const pr = {
      title: 'Update translations',
      head: 'phrase/translations',
      base: 'main',
      body: 'Hi'
    }
    const created = await call('POST', '/R/pulls', { ...pr, draft: true })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ number: 1, state: 'open', draft: true, changed_files: 1 })
    expect(created.json.head.sha).toBe(await gh.headSha('phrase/translations'))

    const duplicate = await call('POST', '/R/pulls', { ...pr, head: 'octo:phrase/translations' })
    expect(duplicate.status).toBe(422)
    expect(duplicate.json.errors[0].message).toMatch(/already exists/)
    const empty = await call('POST', '/R/pulls', { ...pr, head: 'main' })
    expect(empty.status).toBe(422)
    expect(empty.json.errors[0].message).toMatch(/No commits between/)
    expect(gh.pulls()).toHaveLength(1)
  })

  it('filters the list by head, base and state', async () => {
    const gh = await start()
    const call = api(gh)
    await withBranch(gh, 'a')
    await withBranch(gh, 'b')
    await call('POST', '/R/pulls', { title: 'A', head: 'a', base: 'main' })
    await call('POST', '/R/pulls', { title: 'B', head: 'b', base: 'main' })
    await call('PATCH', '/R/pulls/2', { state: 'closed' })

    const titles = async (query: string) =>
      (await call('GET', `/R/pulls${query}`)).json.map((p: { title: string }) => p.title)
    expect(await titles('')).toEqual(['A'])
    expect(await titles('?state=all')).toEqual(['B', 'A'])
    expect(await titles('?state=closed&head=octo:b')).toEqual(['B'])
    expect(await titles('?head=octo:b')).toEqual([])
    expect(await titles('?head=someone-else:a')).toEqual([])
    expect(await titles('?base=develop')).toEqual([])
  })

  it('updates title/body/state (not draft) and records labels, assignees, reviewers, comments', async () => {
    const gh = await start()
    const call = api(gh)
    await withBranch(gh, 'phrase/translations')
    await call('POST', '/R/pulls', { title: 'T', head: 'phrase/translations', base: 'main' })

    const patched = await call('PATCH', '/R/pulls/1', { title: 'T2', body: 'B2', draft: true })
    expect(patched.json).toMatchObject({ title: 'T2', body: 'B2', draft: false })
    expect((await call('POST', '/R/issues/1/labels', { labels: ['i18n'] })).status).toBe(200)
    expect((await call('PATCH', '/R/issues/1', { labels: ['bot', 'i18n'] })).status).toBe(200)
    expect((await call('POST', '/R/issues/1/assignees', { assignees: ['alice'] })).status).toBe(201)
    const reviewers = await call('POST', '/R/pulls/1/requested_reviewers', {
      reviewers: ['bob'],
      team_reviewers: ['translators']
    })
    expect(reviewers.status).toBe(201)
    const self = await call('POST', '/R/pulls/1/requested_reviewers', {
      reviewers: ['github-actions[bot]']
    })
    expect(self.status).toBe(422)
    expect((await call('POST', '/R/issues/1/comments', { body: 'note' })).status).toBe(201)

    expect(gh.pulls()[0]).toMatchObject({
      title: 'T2',
      labels: ['bot', 'i18n'],
      assignees: ['alice'],
      requested_reviewers: ['bob'],
      requested_teams: ['translators'],
      comments: ['note'],
      merged: false,
      html_url: 'https://github.com/octo/app/pull/1'
    })

    await call('DELETE', '/R/git/refs/heads%2Fphrase%2Ftranslations')
    expect(gh.pulls()[0].state).toBe('closed') // GitHub closes PRs whose head branch is deleted
  })
})

describe('FakeGitHub: requests', () => {
  it('answers 401 without a valid token, accepts Bearer, logs every request', async () => {
    const gh = await start()
    const noToken = await api(gh, '')('GET', '/repos/octo/app')
    expect(noToken).toMatchObject({ status: 401, json: { message: 'Bad credentials' } })
    expect((await api(gh, 'Bearer wrong')('GET', '/repos/octo/app')).status).toBe(401)
    expect((await api(gh, `Bearer ${gh.token}`)('GET', '/repos/octo/app')).status).toBe(200)
    expect((await api(gh)('GET', '/rate_limit')).json.resources.core.limit).toBe(5000)
    expect(gh.requests().map(r => [r.method, r.path, r.status])).toEqual([
      ['GET', '/repos/octo/app', 401],
      ['GET', '/repos/octo/app', 401],
      ['GET', '/repos/octo/app', 200],
      ['GET', '/rate_limit', 200]
    ])
    expect(gh.requests()[2].authorization).toBe(`Bearer ${gh.token}`)
  })

  it('stop() removes the temporary repository', async () => {
    const gh = await FakeGitHub.start()
    await gh.stop()
    await expect(access(gh.bareRepo)).rejects.toThrow()
  })
})

// GitHub's rate-limit answers, as https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api describes them.
describe('FakeGitHub: rate limits', () => {
  it('counts requests in x-ratelimit-* headers and refuses with remaining 0 until the reset', async () => {
    let now = Date.UTC(2025, 0, 1, 10, 0, 0)
    const gh = await start({ rateLimit: 2, now: () => now })
    const get = () =>
      fetch(`${gh.apiUrl}/repos/octo/app`, { headers: { Authorization: `token ${gh.token}` } })
    const first = await get()
    expect(first.headers.get('x-ratelimit-limit')).toBe('2')
    expect(first.headers.get('x-ratelimit-remaining')).toBe('1')
    expect(first.headers.get('x-ratelimit-reset')).toBe(String(Date.UTC(2025, 0, 1, 11) / 1000))
    expect((await get()).headers.get('x-ratelimit-remaining')).toBe('0')
    const refused = await get()
    expect(refused.status).toBe(403)
    expect(refused.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(((await refused.json()) as { message: string }).message).toMatch(
      /^API rate limit exceeded/
    )
    // /rate_limit costs nothing and tells the same.
    const status = await api(gh)('GET', '/rate_limit')
    expect(status.json.rate).toMatchObject({ limit: 2, remaining: 0, used: 2 })
    now += 3600_000
    expect((await get()).status).toBe(200)

    gh.rateLimits.exhaust(600, 429)
    const limited = await get()
    expect(limited.status).toBe(429)
    expect(limited.headers.get('x-ratelimit-reset')).toBe(String(now / 1000 + 600))
  })

  it('refuses with a secondary-limit message and Retry-After until that time has passed', async () => {
    let now = Date.UTC(2025, 0, 1, 10, 0, 0)
    const gh = await start({ now: () => now })
    gh.rateLimits.tripSecondary(60)
    const refused = await api(gh)('POST', '/R/git/blobs', { content: 'x' })
    expect(refused.status).toBe(403)
    expect(refused.json.message).toMatch(/secondary rate limit/)
    now += 30_000
    const again = await fetch(`${gh.apiUrl}/repos/octo/app`, {
      headers: { Authorization: `token ${gh.token}` }
    })
    expect(again.headers.get('retry-after')).toBe('30')
    now += 30_000
    expect((await api(gh)('POST', '/R/git/blobs', { content: 'x' })).status).toBe(201)
    gh.rateLimits.tripSecondary(60, { retryAfter: false })
    const bare = await fetch(`${gh.apiUrl}/repos/octo/app`, {
      headers: { Authorization: `token ${gh.token}` }
    })
    expect([bare.status, bare.headers.get('retry-after')]).toEqual([403, null])
  })
})
