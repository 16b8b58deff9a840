/**
 * Hostile names and hostile files: a locale name or code that tries to leave the repository, a
 * symlink in the checkout (files-only) or in the repository (pull request mode) that points
 * outside, and a 100 MB download. Each is refused with a message that names it, nothing is
 * written anywhere, and the 100 MB file never makes the action's memory grow with it.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fillerChunks } from '../support/phrase-faults.js'
import { expectFailure, expectUntouched, scanAndStop } from '../support/expect-run.js'
import {
  LOCALES,
  snapshot,
  STALE_DE,
  startWorld,
  translations,
  type World
} from '../support/world.js'

let world: World | undefined
const cleanups: string[] = []
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
  await Promise.all(cleanups.splice(0).map(dir => rm(dir, { recursive: true, force: true })))
})

const FILES_ONLY = { 'create-pull-request': 'false', 'github-token': '' }

/** A project whose third locale comes from a hostile (or broken) Phrase account. */
function withLocale(name: string, code = 'xx') {
  const evil = { id: 'loc-evil', name, code }
  return {
    projects: {
      p1: {
        locales: [...LOCALES, evil],
        translations: { ...translations(), [name]: { 'greeting.hello': 'pwned' } }
      }
    }
  }
}

async function outsideDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'phrase-pull-outside-'))
  cleanups.push(dir)
  return dir
}

describe('a locale name or code that tries to leave the repository', () => {
  it.each([
    [
      'a ../ name',
      withLocale('../../../../tmp/evil'),
      {},
      /"\.\.\/\.\.\/\.\.\/\.\.\/tmp\/evil" .*leaves the repository/
    ],
    [
      'an absolute code',
      withLocale('xx', '/etc/cron.d/evil'),
      { path: '<locale_code>.yml' },
      /"\/etc\/cron\.d\/evil\.yml" .*absolute path/
    ],
    ['a backslash name', withLocale('..\\..\\evil'), {}, /contains a backslash/],
    [
      'a .git name',
      withLocale('.git'),
      { path: '<locale_name>/hooks/post-checkout' },
      /writes into "\.git"/
    ],
    [
      // Issue 11 item 5: a name may create subdirectories, but never reach .github/ or .git*.
      'a .github/renovate name',
      withLocale('.github/renovate'),
      { path: '<locale_name>.json', 'file-format': 'simple_json' },
      /"\.github\/renovate\.json" \(locale "\.github\/renovate" in <locale_name>\.json\): it writes into "\.github"/
    ]
  ])('%s is refused before any download, in both modes', async (_case, sim, inputs, reason) => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE }, sim })
    const before = await world.state()
    const pr = await world.run(inputs)
    expectFailure(pr, /Refusing to write /, /locale "/, reason)
    await expectUntouched(world, before)

    const filesOnly = await world.run({ ...inputs, ...FILES_ONLY })
    expectFailure(filesOnly, /Refusing to write /, reason)
    expect(await snapshot(world.workspace)).toEqual({})
    expect(world.sim.stats().jobsCreated).toBe(0)
  })
})

describe('a symlink in the checkout (files-only mode)', () => {
  it('a directory symlink pointing outside: refused, nothing written on either side', async () => {
    world = await startWorld()
    const outside = await outsideDir()
    await mkdir(path.join(world.workspace, 'config'))
    await symlink(outside, path.join(world.workspace, 'config/locales'))
    const before = await snapshot(world.workspace)
    const run = await world.run(FILES_ONLY)
    expectFailure(run, /config\/locales is a symbolic link in the checkout/)
    expect(await snapshot(world.workspace)).toEqual(before)
    expect(await readdir(outside)).toEqual([])
  })

  it('a file symlink pointing outside: refused, the outside file keeps its bytes', async () => {
    world = await startWorld()
    const outside = await outsideDir()
    await writeFile(path.join(outside, 'victim.yml'), 'precious\n')
    await mkdir(path.join(world.workspace, 'config/locales'), { recursive: true })
    await symlink(
      path.join(outside, 'victim.yml'),
      path.join(world.workspace, 'config/locales/fr.yml')
    )
    const before = await snapshot(world.workspace)
    const run = await world.run(FILES_ONLY)
    expectFailure(
      run,
      /Refusing to write config\/locales\/fr\.yml: it is a symbolic link in the checkout/
    )
    expect(await snapshot(world.workspace)).toEqual(before)
    expect(await snapshot(outside)).toEqual({ 'victim.yml': 'precious\n' })
  })

  it('a dangling symlink pointing outside: refused, nothing is created there', async () => {
    world = await startWorld()
    const outside = await outsideDir()
    await mkdir(path.join(world.workspace, 'config/locales'), { recursive: true })
    await symlink(
      path.join(outside, 'planted.yml'),
      path.join(world.workspace, 'config/locales/de.yml')
    )
    const before = await snapshot(world.workspace)
    const run = await world.run(FILES_ONLY)
    expectFailure(
      run,
      /Refusing to write config\/locales\/de\.yml: it is a symbolic link in the checkout/
    )
    expect(await snapshot(world.workspace)).toEqual(before)
    expect(await readdir(outside)).toEqual([])
  })
})

describe('links that stay inside the checkout (files-only mode, issue 18 item 2)', () => {
  it('de.yml -> .git/config and fr.yml -> a workflow: refused before any write, both files keep their bytes', async () => {
    world = await startWorld()
    const ws = world.workspace
    await mkdir(path.join(ws, '.git'))
    await writeFile(path.join(ws, '.git/config'), '[core]\n\tbare = false\n')
    await mkdir(path.join(ws, '.github/workflows'), { recursive: true })
    await writeFile(path.join(ws, '.github/workflows/ci.yml'), 'on: push\n')
    await mkdir(path.join(ws, 'config/locales'), { recursive: true })
    await symlink('../../.git/config', path.join(ws, 'config/locales/de.yml'))
    await symlink('../../.github/workflows/ci.yml', path.join(ws, 'config/locales/fr.yml'))
    const before = await snapshot(ws)

    const run = await world.run(FILES_ONLY)

    expectFailure(
      run,
      /Refusing to write config\/locales\/de\.yml: it is a symbolic link in the checkout\. The action writes no file through a link/
    )
    expect(await snapshot(ws)).toEqual(before)
    expect(await readFile(path.join(ws, '.git/config'), 'utf8')).toBe('[core]\n\tbare = false\n')
    expect(await readFile(path.join(ws, '.github/workflows/ci.yml'), 'utf8')).toBe('on: push\n')
  })

  it('a directory link inside the checkout: refused too, as pull request mode refuses it', async () => {
    world = await startWorld()
    const ws = world.workspace
    await mkdir(path.join(ws, 'common/locales'), { recursive: true })
    await mkdir(path.join(ws, 'config'))
    await symlink('../common/locales', path.join(ws, 'config/locales'))
    const before = await snapshot(ws)
    const run = await world.run(FILES_ONLY)
    expectFailure(run, /config\/locales is a symbolic link in the checkout/)
    expect(await snapshot(ws)).toEqual(before)
  })
})

describe('a symlink committed in the repository (pull request mode)', () => {
  it.each([
    [
      'a directory',
      { 'config/locales': '../../../etc' },
      /config\/locales is a symbolic link in octo\/app/
    ],
    [
      'a file',
      { 'config/locales/de.yml': '/etc/passwd' },
      /config\/locales\/de\.yml: it is a symbolic link in octo\/app/
    ]
  ])('%s symlink: refused before any write', async (_case, symlinks, message) => {
    world = await startWorld({ symlinks })
    const before = await world.state()
    const run = await world.run()
    expectFailure(run, /Refusing to write config\/locales\/de\.yml/, message)
    expect(world.gh.requests().filter(r => r.method !== 'GET')).toEqual([])
    await expectUntouched(world, before)
  })
})

describe('a 101 MiB download (GitHub refuses files over 100 MiB)', () => {
  const SIZE = 101 * 1024 * 1024
  const MEMORY_BOUND = 250 * 1024 * 1024

  it.each([
    ['announced by Content-Length', { size: SIZE }],
    ['streamed without a length', { bytes: () => fillerChunks(SIZE) }]
  ])('%s: refused while streaming, with bounded memory', async (_case, fault) => {
    world = await startWorld({ files: { 'config/locales/de.yml': STALE_DE } })
    const before = await world.state()
    world.sim.faults.add({ on: 'cdn', locale: 'de', ...fault })
    const run = await world.run({}, { measureRss: true })
    expectFailure(
      run,
      /de \(config\/locales\/de\.yml\): the file is larger than the limit of 100 MiB/
    )
    expect(run.peakRss).toBeGreaterThan(10 * 1024 * 1024) // the probe measured a real process
    expect(run.peakRss).toBeLessThan(MEMORY_BOUND)
    await expectUntouched(world, before)
  })
})

describe('a long file changed on the base branch (issue 18 item 6)', () => {
  const MiB = 1024 * 1024
  /** A CSV file (compared by bytes: no parser's own cost in the figure) of about `size` bytes. */
  const csv = (size: number, word: string) => {
    const line = (i: number) => `"screen.label_${i}","${word} ${i}: Übersetzung mit etwas Text"\n`
    const lines: string[] = []
    for (let i = 0, length = 0; length < size; i++) length += (lines[i] = line(i)).length
    return Buffer.from(lines.join(''))
  }

  it('read from GitHub, compared and uploaded with peak memory ≤ 250 MB + 4 × the file', async () => {
    const next = csv(24 * MiB, 'Neu')
    world = await startWorld({ files: { 'config/locales/de.csv': csv(24 * MiB, 'Alt') } })
    world.sim.faults.add({ on: 'cdn', locale: 'de', bytes: next })
    const run = await world.run(
      { 'file-format': 'csv', path: 'config/locales/<locale_name>.csv' },
      { measureRss: true, timeoutMs: 120_000 }
    )
    expect(run.error).toBe('')
    expect(run.outputs['pull-request-operation']).toBe('created')
    expect(
      (await world.gh.readFile('phrase/translations', 'config/locales/de.csv'))?.equals(next)
    ).toBe(true)
    // Before: the base file could not be read at all (Octokit's JSON parser gave up at ~20 MiB).
    expect(run.peakRss).toBeLessThan(250e6 + 4 * next.length)
  })

  /** A Rails file of about `size` bytes, one `de.app` map; `word` is in every value. */
  const rails = (size: number, word: string) => {
    const line = (i: number) => `    label_${i}: "${word} ${i}: Übersetzung für den Bildschirm"\n`
    const lines = ['de:\n  app:\n']
    for (let i = 0, length = 0; length < size; i++) length += (lines[i + 1] = line(i)).length
    return Buffer.from(lines.join(''))
  }

  // A parsed format: on Node 24 (action.yml's runtime) V8 grew the young generation to ~200 MB
  // while the two trees were read: 368 MB for this file; the action's worker caps it (index.ts).
  // Every key changed: more text than a run keeps (VALUE_CHARS), so the report names the keys and
  // the checks read the download.
  it('a parsed format (Rails YAML, 6 MiB, every key changed) within the same bound', async () => {
    const next = Buffer.concat([rails(6 * MiB, 'Neu'), Buffer.from('    broken: "<b>Neu"\n')])
    world = await startWorld({ files: { 'config/locales/de.yml': rails(6 * MiB, 'Alt') } })
    world.sim.faults.add({ on: 'cdn', locale: 'de', bytes: next })
    const run = await world.run({}, { measureRss: true, timeoutMs: 120_000 })
    expect(run.error).toBe('')
    expect(run.outputs['pull-request-operation']).toBe('created')
    expect(run.stdout).toMatch(/config\/locales\/de\.yml \(de\): \+1 ~\d{6} −0 keys/)
    expect(run.stdout).toContain('app.broken: tag not closed <b>')
    const body = world.gh.pulls()[0].body
    expect(body).toMatch(/Changed \(\d{3},\d{3}\)/)
    expect(body).not.toContain('Alt 1: Übersetzung')
    expect(run.peakRss).toBeLessThan(250e6 + 4 * next.length)
  })
})
