import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {
  BATCH_BLOBS,
  BATCH_BYTES,
  batches,
  FileContents,
  readPlainFile,
  type BlobEntry
} from '../../src/github/file-contents.js'
import { gitBlobSha } from '../../src/github/repository.js'
import { silentLogger } from '../../src/logger.js'
import { FakeGitHub, type FakeGitHubOptions } from '../support/fake-github.js'
import { clientFor } from '../support/github-client.js'

const UTF8 = Buffer.from('msgid "hello"\nmsgstr "Grüß dich"\n')
const LATIN1 = Buffer.from('msgid "hello"\nmsgstr "Grüß dich"\n', 'latin1')
const UTF16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('"a" = "b";\n', 'utf16le')])
/** Over the 512,000 bytes GraphQL's `text` carries. */
const LARGE = Buffer.from(`${'x'.repeat(600_000)}\n`)

const entry = (file: string, bytes: Buffer, size?: number): BlobEntry => ({
  path: file,
  sha: gitBlobSha(bytes),
  size
})

let workspace: string
beforeAll(async () => {
  workspace = await mkdtemp(path.join(os.tmpdir(), 'file-contents-'))
})
afterAll(async () => {
  await rm(workspace, { recursive: true, force: true })
})

describe('readPlainFile', () => {
  it('reads a regular file and nothing reached through a link or that is not a file', async () => {
    const outside = await mkdtemp(path.join(os.tmpdir(), 'outside-'))
    try {
      await mkdir(path.join(workspace, 'plain'), { recursive: true })
      await writeFile(path.join(workspace, 'plain', 'de.po'), UTF8)
      await writeFile(path.join(outside, 'de.po'), UTF8)
      await symlink(path.join(outside, 'de.po'), path.join(workspace, 'plain', 'link.po'))
      await symlink(outside, path.join(workspace, 'linked-dir'))
      expect(await readPlainFile(workspace, 'plain/de.po')).toEqual(UTF8)
      expect(await readPlainFile(workspace, 'plain/de.po', UTF8.length)).toEqual(UTF8)
      // Another size than the tree entry's: not the blob, so not even read.
      expect(await readPlainFile(workspace, 'plain/de.po', UTF8.length + 1)).toBeUndefined()
      expect(await readPlainFile(workspace, 'plain/link.po')).toBeUndefined()
      expect(await readPlainFile(workspace, 'linked-dir/de.po')).toBeUndefined()
      expect(await readPlainFile(workspace, 'plain')).toBeUndefined()
      expect(await readPlainFile(workspace, 'plain/missing.po')).toBeUndefined()
      expect(await readPlainFile(workspace, '../outside/de.po')).toBeUndefined()
      // A FIFO would block a plain open until someone writes to it.
      if (spawnSync('mkfifo', [path.join(workspace, 'plain', 'fifo.po')]).status === 0)
        expect(await readPlainFile(workspace, 'plain/fifo.po')).toBeUndefined()
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
  })
})

describe('batches', () => {
  it('groups entries by count and by the bytes the listing announced', () => {
    const many = Array.from({ length: BATCH_BLOBS * 2 + 1 }, (_, i) => ({
      path: `f${i}`,
      sha: String(i)
    }))
    expect(batches(many).map(batch => batch.length)).toEqual([BATCH_BLOBS, BATCH_BLOBS, 1])
    const big = Array.from({ length: 5 }, (_, i) => ({
      path: `f${i}`,
      sha: String(i),
      size: BATCH_BYTES / 2
    }))
    expect(batches(big).map(batch => batch.length)).toEqual([2, 2, 1])
  })
})

describe('FileContents against the fake GitHub', () => {
  let gh: FakeGitHub | undefined
  afterEach(async () => {
    await gh?.stop()
    gh = undefined
  })

  async function start(files: Record<string, Buffer>, options: FakeGitHubOptions = {}) {
    gh = await FakeGitHub.start({ memory: true, files, ...options })
    return gh
  }

  function contents(fake: FakeGitHub, checkout?: string) {
    return new FileContents({
      client: clientFor(fake),
      owner: fake.owner,
      repo: fake.repo,
      workspace: checkout,
      logger: silentLogger
    })
  }

  const reads = (fake: FakeGitHub) =>
    fake.requests().map(r => `${r.method} ${r.path.replace(/[0-9a-f]{40}/, ':sha')}`)

  it('takes a checkout file whose blob sha matches without a request, and asks for the rest', async () => {
    const fake = await start({ 'i18n/de.po': UTF8, 'i18n/fr.po': LATIN1 })
    const checkout = await mkdtemp(path.join(os.tmpdir(), 'checkout-'))
    try {
      await mkdir(path.join(checkout, 'i18n'))
      await writeFile(path.join(checkout, 'i18n/de.po'), UTF8)
      // Changed in the checkout (another ref, an edit): not the base's blob, so not used.
      await writeFile(path.join(checkout, 'i18n/fr.po'), UTF8)
      const read = await contents(fake, checkout).read([
        entry('i18n/de.po', UTF8),
        entry('i18n/fr.po', LATIN1)
      ])
      expect(read.get(gitBlobSha(UTF8))).toEqual(UTF8)
      expect(read.get(gitBlobSha(LATIN1))).toEqual(LATIN1)
      // fr: GraphQL's text is lossy for Latin-1, so REST reads it exactly.
      expect(reads(fake)).toEqual(['POST /graphql', 'GET /repos/octo/app/git/blobs/:sha'])
    } finally {
      await rm(checkout, { recursive: true, force: true })
    }
  })

  it('reads many UTF-8 files in one GraphQL request, and what GraphQL cannot carry exactly by REST', async () => {
    const texts = Array.from({ length: 30 }, (_, i) => Buffer.from(`key${i}: "Wert ${i} – ü"\n`))
    const files: Record<string, Buffer> = Object.fromEntries(
      texts.map((bytes, i) => [`i18n/l${i}.yml`, bytes])
    )
    const fake = await start({ ...files, 'i18n/big.yml': LARGE, 'i18n/x.strings': UTF16 })
    const wanted = [
      ...texts.map((bytes, i) => entry(`i18n/l${i}.yml`, bytes)),
      // Without a size, GraphQL is asked and says the text is cut.
      entry('i18n/big.yml', LARGE),
      entry('i18n/x.strings', UTF16)
    ]
    const read = await contents(fake).read(wanted)
    for (const file of wanted) expect(gitBlobSha(read.get(file.sha)!)).toBe(file.sha)
    expect(reads(fake).sort()).toEqual([
      'GET /repos/octo/app/git/blobs/:sha',
      'GET /repos/octo/app/git/blobs/:sha',
      'POST /graphql'
    ])
  })

  it('sends a blob the listing says is over 512,000 bytes straight to REST', async () => {
    const fake = await start({ 'big.json': LARGE })
    await contents(fake).read([entry('big.json', LARGE, LARGE.length)])
    expect(reads(fake)).toEqual(['GET /repos/octo/app/git/blobs/:sha'])
  })

  it('keeps what it read for the run, but not a blob over 1 MiB (read again if asked again)', async () => {
    const huge = Buffer.from(`key: "${'x'.repeat(1024 * 1024)}"\n`)
    const fake = await start({ 'big.yml': huge, 'small.yml': UTF8 })
    const reader = contents(fake)
    const wanted = [entry('big.yml', huge, huge.length), entry('small.yml', UTF8)]
    for (let run = 0; run < 2; run++) {
      const read = await reader.read(wanted)
      expect(read.get(gitBlobSha(huge))?.equals(huge)).toBe(true)
      expect(read.get(gitBlobSha(UTF8))?.equals(UTF8)).toBe(true)
    }
    // A changed 60 MiB base file stayed in memory through the commit and the pull request.
    expect(reads(fake).sort()).toEqual([
      'GET /repos/octo/app/git/blobs/:sha',
      'GET /repos/octo/app/git/blobs/:sha',
      'POST /graphql'
    ])
  })

  it('falls back to REST where there is no GraphQL, and says so once', async () => {
    const fake = await start({ 'a.yml': UTF8, 'b.yml': LATIN1 }, { graphql: 'absent' })
    const said: string[] = []
    const reader = new FileContents({
      client: clientFor(fake),
      owner: fake.owner,
      repo: fake.repo,
      logger: { ...silentLogger, info: message => said.push(message) }
    })
    const read = await reader.read([entry('a.yml', UTF8), entry('b.yml', LATIN1)])
    expect(read.size).toBe(2)
    expect(reads(fake)).toEqual([
      'POST /graphql',
      'GET /repos/octo/app/git/blobs/:sha',
      'GET /repos/octo/app/git/blobs/:sha'
    ])
    expect(said).toEqual([expect.stringMatching(/GraphQL API could not read files here.*404/)])
    // Known now: the next read goes to REST at once, and a blob read once is not read again.
    const again = Buffer.from('c: 1\n')
    await fake.commitFiles('main', { 'c.yml': again })
    await reader.read([entry('a.yml', UTF8), entry('c.yml', again)])
    expect(reads(fake).slice(3)).toEqual(['GET /repos/octo/app/git/blobs/:sha'])
  })

  it('halves a batch GitHub could not answer, once', async () => {
    const texts = Array.from({ length: 4 }, (_, i) => Buffer.from(`k: ${i}\n`))
    const fake = await start(Object.fromEntries(texts.map((b, i) => [`f${i}.yml`, b])))
    fake.faults.add({ method: 'POST', path: '/graphql', status: 502 })
    const read = await contents(fake).read(texts.map((b, i) => entry(`f${i}.yml`, b)))
    expect(read.size).toBe(4)
    expect(reads(fake)).toEqual(['POST /graphql', 'POST /graphql', 'POST /graphql'])
  })

  it('gives GraphQL up for the run when a half fails too', async () => {
    const texts = Array.from({ length: 4 }, (_, i) => Buffer.from(`k: ${i}\n`))
    const fake = await start(Object.fromEntries(texts.map((b, i) => [`f${i}.yml`, b])))
    fake.faults.add({ method: 'POST', path: '/graphql', status: 502, times: 2 })
    const read = await contents(fake).read(texts.map((b, i) => entry(`f${i}.yml`, b)))
    expect([...read.values()].map(gitBlobSha)).toEqual(texts.map(gitBlobSha))
    expect(reads(fake).filter(r => r === 'POST /graphql')).toHaveLength(2)
    expect(reads(fake).filter(r => r.startsWith('GET'))).toHaveLength(4)
  })
})
