/**
 * A long download against a long file of the base (memory, issue 18): the GitHub half reads the
 * download from disk only a piece at a time (blob sha, comparison, upload), and the base's file
 * waits on disk for its comparison instead of being held beside the download.
 */
import { afterAll, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { FakeGitHub } from '../support/fake-github.js'
import { sessionFor } from '../support/github-context.js'
import type { Candidate } from '../../src/changes.js'
import { bytesOnDisk, withBytes } from '../../src/files/file-bytes.js'
import { gitBlobSha } from '../../src/github/repository.js'
import { proposePullRequest } from '../../src/propose.js'
import { silentLogger } from '../../src/logger.js'

const dir = mkdtempSync(path.join(os.tmpdir(), 'long-files-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const FILE = 'config/locales/de.yml'

/** A Rails file of 1.1 MB: longer than a tree request carries, and than is kept in memory. */
function railsFile(changed: number): Buffer {
  const lines = ['de:\n  app:\n']
  for (let i = 0; i < 29_000; i++)
    lines.push(`    key_${i}: "${i === changed ? 'Neu' : `Wert ${i}`} ${'x'.repeat(20)}"\n`)
  return Buffer.from(lines.join(''))
}

it('reads a long download only in pieces, and the long file of the base from disk', async () => {
  const base = railsFile(-1)
  const next = railsFile(7)
  const gh = await FakeGitHub.start({ memory: true, files: { [FILE]: base } })
  try {
    writeFileSync(path.join(dir, 'de.yml'), next)
    const disk = bytesOnDisk(path.join(dir, 'de.yml'))
    let wholeReads = 0
    const candidate: Candidate = withBytes(
      {
        planned: {
          path: FILE,
          fileFormat: 'yml',
          locale: { id: 'de', name: 'de', code: 'de' },
          request: { label: 'de', projectId: 'p1', localeId: 'de', params: {} }
        }
      },
      {
        size: disk.size,
        get content() {
          wholeReads++
          return disk.content
        },
        pieces: () => disk.pieces!()
      }
    )
    const spillDir = mkdtempSync(path.join(dir, 'spill-'))
    const session = sessionFor(gh, [FILE], { fast: true })
    const outcome = await proposePullRequest(
      session,
      [candidate],
      silentLogger,
      undefined,
      spillDir
    )

    expect(outcome.outputs.pullRequestOperation).toBe('created')
    expect(outcome.reports[0].keys?.changed).toEqual(['app.key_7'])
    expect(next.length).toBeGreaterThan(1024 * 1024)
    expect((await gh.readFile('phrase/translations', FILE))?.equals(next)).toBe(true)
    expect(wholeReads).toBe(0)
    expect(readdirSync(spillDir)).toEqual([`base-${gitBlobSha(base)}`])
  } finally {
    await gh.stop()
  }
})
