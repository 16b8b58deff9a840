import { describe, expect, it } from '@jest/globals'
import {
  expandTemplate,
  fixedDirectory,
  placeFile,
  resolveTemplate,
  toRepoPath
} from '../src/files/targets.js'

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
    ['.git/hooks/post-checkout', /writes into "\.git"/],
    ['a/.GIT/config', /writes into "\.GIT"/],
    ['.github/workflows/x.yml', /writes into "\.github"/],
    ['locales/.gitattributes', /writes into "\.gitattributes"/],
    ['de\0.yml', /NUL/],
    ['./', /names no file/]
  ])('refuses %j', (candidate, why) => {
    expect(() => toRepoPath(candidate, 'locale "x"')).toThrow(why)
  })
})

describe('resolveTemplate', () => {
  it.each([
    ['./config/locales/<locale_name>.yml', '', 'config/locales/<locale_name>.yml'],
    ['./src/locales/<locale_name>.json', 'apps/web', 'apps/web/src/locales/<locale_name>.json'],
    ['src//i18n/./<locale_code>.json', 'apps/web', 'apps/web/src/i18n/<locale_code>.json'],
    // The config's own directory may be left, as long as the repository is not.
    ['../common/<locale_name>.json', 'apps/web', 'apps/common/<locale_name>.json'],
    ['<locale_name>.json', '', '<locale_name>.json']
  ])('resolves %j against %j', (template, baseDir, expected) => {
    expect(resolveTemplate(template, baseDir, 'path')).toBe(expected)
  })

  it.each([
    [
      'locales/*.json',
      /contains "\*": a pull path names the files to write.*the Phrase CLI refuses it too/
    ],
    ['**/<locale_name>.json', /contains "\*"/],
    ['../<locale_name>.json', /leaves the repository/],
    ['/etc/<locale_name>.json', /is an absolute path/],
    ['K:\\Projects\\app\\tr.lproj\\Localizable.strings', /is an absolute path/],
    ['res\\values-<locale_code>\\strings.xml', /contains a backslash/],
    ['.github/<locale_name>.json', /writes into "\.github"/],
    ['<locale_name>/.gitattributes', /writes into "\.gitattributes"/]
  ])('refuses %j', (template, why) => {
    expect(() => resolveTemplate(template, '', 'path')).toThrow(why)
  })

  it('refuses a path that climbs out of the repository from the config directory', () => {
    expect(() => resolveTemplate('../../x/<locale_name>.json', 'apps', 'config: f: file')).toThrow(
      'config: f: file: "../../x/<locale_name>.json" leaves the repository'
    )
  })
})

describe('fixedDirectory', () => {
  it.each([
    ['config/locales/<locale_name>.yml', 'config/locales/'],
    ['config/locales/app.<locale_name>.yml', 'config/locales/'],
    ['web/i18n/<locale_code>/<tag>.json', 'web/i18n/'],
    ['res/values-<locale_code>/strings.xml', 'res/'],
    ['<locale_name>.json', ''],
    ['fixed/de.json', 'fixed/']
  ])('%j names %j', (template, dir) => {
    expect(fixedDirectory(template)).toBe(dir)
  })
})

describe('placeFile', () => {
  const values = (localeName: string, localeCode = 'xx') => ({ localeName, localeCode })

  it('lets a value create subdirectories below the fixed directory', () => {
    expect(placeFile('config/locales/<locale_name>.yml', values('de/formal'), 'o')).toBe(
      'config/locales/de/formal.yml'
    )
    expect(placeFile('<locale_name>.json', values('de/ch'), 'o')).toBe('de/ch.json')
  })

  it.each([
    ['<locale_name>.json', '.github/renovate', /writes into "\.github"/],
    ['<locale_name>.json', '.gitattributes', /writes into "\.gitattributes\.json"/],
    ['<locale_name>', '.gitmodules', /writes into "\.gitmodules"/],
    ['config/locales/<locale_name>.yml', '../../../.github/workflows/x', /leaves the repository/],
    ['config/locales/<locale_name>.yml', 'x/../../y', /leaves the repository/],
    ['config/locales/<locale_name>/.keep', '.git', /writes into "\.git"/],
    ['<locale_name>.json', '/etc/passwd', /absolute path/]
  ])('%j with locale %j is refused, naming the locale', (template, name, why) => {
    const origin = `locale "${name}" in ${template}`
    let message = ''
    try {
      placeFile(template, values(name), origin)
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(why)
    expect(message).toContain(origin)
  })

  it('refuses a value that collapses the path onto the fixed directory itself', () => {
    expect(() => placeFile('config/locales/<locale_name>', values(''), 'locale ""')).toThrow(
      'Refusing to write "config/locales" (locale ""): it is outside config/locales/, the directory the path names'
    )
  })
})
