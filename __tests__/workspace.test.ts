/**
 * Files-only mode reads and writes the checkout without going through a symbolic link (issue 18
 * item 2); the end-to-end cases with the links a hostile commit plants are in
 * __tests__/faults/paths-and-files.test.ts.
 */
import { afterAll, describe, expect, it } from '@jest/globals'
import {
  chmod,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  stat,
  symlink,
  writeFile
} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { readWorkspaceFile, writeWorkspaceFile } from '../src/workspace.js'

const dirs: string[] = []
afterAll(() => Promise.all(dirs.map(dir => rm(dir, { recursive: true, force: true }))))

async function checkout(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'phrase-pull-ws-'))
  dirs.push(dir)
  await mkdir(path.join(dir, 'config/locales'), { recursive: true })
  await mkdir(path.join(dir, '.git'))
  await writeFile(path.join(dir, '.git/config'), '[core]\n')
  return dir
}

describe('writeWorkspaceFile', () => {
  it('creates the directories on the way and leaves no temporary file behind', async () => {
    const ws = await checkout()
    writeWorkspaceFile(ws, 'config/locales/new/de.yml', Buffer.from('de: {}\n'))
    expect(await readFile(path.join(ws, 'config/locales/new/de.yml'), 'utf8')).toBe('de: {}\n')
    expect(await readdir(path.join(ws, 'config/locales/new'))).toEqual(['de.yml'])
  })

  it('keeps the mode of the file it replaces', async () => {
    const ws = await checkout()
    const file = path.join(ws, 'config/locales/de.yml')
    await writeFile(file, 'old\n')
    await chmod(file, 0o755)
    writeWorkspaceFile(ws, 'config/locales/de.yml', Buffer.from('new\n'))
    expect(await readFile(file, 'utf8')).toBe('new\n')
    expect((await stat(file)).mode & 0o777).toBe(0o755)
  })

  it.each([
    ['the file', 'config/locales/de.yml', '../../.git/config', 'it is'],
    ['a directory on the way', 'config/locales', '../.git', 'config/locales is']
  ])(
    'refuses a link at %s, even one that stays inside the checkout',
    async (_, link, target, which) => {
      const ws = await checkout()
      if (link === 'config/locales') await rm(path.join(ws, link), { recursive: true })
      await symlink(target, path.join(ws, link))
      const attempt = () => writeWorkspaceFile(ws, 'config/locales/de.yml', Buffer.from('pwned\n'))
      expect(attempt).toThrow(
        `Refusing to write config/locales/de.yml: ${which} a symbolic link in the checkout`
      )
      expect(() => readWorkspaceFile(ws, 'config/locales/de.yml')).toThrow(/symbolic link/)
      expect(await readFile(path.join(ws, '.git/config'), 'utf8')).toBe('[core]\n')
      expect(await readdir(path.join(ws, '.git'))).toEqual(['config'])
    }
  )

  it('refuses a file where a directory belongs, and a directory where the file belongs', async () => {
    const ws = await checkout()
    await writeFile(path.join(ws, 'config/locales/de'), 'x')
    await mkdir(path.join(ws, 'config/locales/fr.yml'))
    expect(() => writeWorkspaceFile(ws, 'config/locales/de/app.yml', Buffer.from('x'))).toThrow(
      'config/locales/de is a file in the checkout'
    )
    expect(() => writeWorkspaceFile(ws, 'config/locales/fr.yml', Buffer.from('x'))).toThrow(
      'it is a directory in the checkout'
    )
  })
})

describe('readWorkspaceFile', () => {
  it('reads a file, and answers undefined where there is none', async () => {
    const ws = await checkout()
    await writeFile(path.join(ws, 'config/locales/de.yml'), 'de: {}\n')
    expect(readWorkspaceFile(ws, 'config/locales/de.yml')?.toString()).toBe('de: {}\n')
    expect(readWorkspaceFile(ws, 'config/locales/fr.yml')).toBeUndefined()
    expect(readWorkspaceFile(ws, 'config/missing/fr.yml')).toBeUndefined()
  })
})
