import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { assertInsideWorkspace, expandTemplate, toRepoPath } from '../src/files/targets.js'

describe('expandTemplate', () => {
  it('fills every placeholder', () => {
    expect(
      expandTemplate('<locale_code>/<tag>/<locale_name>.<locale_name>.json', {
        localeName: 'de',
        localeCode: 'de-DE',
        tag: 'web'
      })
    ).toBe('de-DE/web/de.de.json')
  })
})

describe('toRepoPath', () => {
  it('normalises ./ prefixes and duplicate slashes', () => {
    expect(toRepoPath('./config//locales/./de.yml', 'test')).toBe('config/locales/de.yml')
  })

  it.each([
    ['../outside.yml', /leaves the repository/],
    ['config/../../etc/passwd', /leaves the repository/],
    ['config/../config/de.yml', /leaves the repository/],
    ['/etc/passwd', /absolute path/],
    ['C:/Windows/x.yml', /absolute path/],
    ['config\\..\\x.yml', /backslash/],
    ['.git/hooks/post-checkout', /into \.git/],
    ['a/.GIT/config', /into \.git/],
    ['de\0.yml', /NUL/],
    ['./', /names no file/]
  ])('refuses %j', (candidate, why) => {
    expect(() => toRepoPath(candidate, 'locale "x"')).toThrow(why)
  })
})

describe('assertInsideWorkspace', () => {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'ws-'))
  const outside = mkdtempSync(path.join(os.tmpdir(), 'outside-'))
  mkdirSync(path.join(workspace, 'inside'))
  symlinkSync(outside, path.join(workspace, 'escape'))
  symlinkSync(path.join(workspace, 'inside'), path.join(workspace, 'alias'))

  it('allows new and existing paths inside', () => {
    expect(assertInsideWorkspace(workspace, 'inside/new/de.yml')).toBe(
      path.join(workspace, 'inside/new/de.yml')
    )
    expect(assertInsideWorkspace(workspace, 'alias/de.yml')).toContain('alias')
  })

  it('refuses a symlink that points outside', () => {
    expect(() => assertInsideWorkspace(workspace, 'escape/de.yml')).toThrow(
      /escape is a symlink that points outside/
    )
  })
})
