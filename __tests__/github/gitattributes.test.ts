import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {
  attributeFilesFor,
  attributeOf,
  matches,
  rulesFor,
  matchSegment,
  type AttributesFile
} from '../../src/github/gitattributes.js'
import { lfsTracked } from '../../src/github/lfs.js'

const LFS = 'filter=lfs diff=lfs merge=lfs -text'

describe('matches (gitattributes patterns)', () => {
  it.each([
    ['*.po', 'de.po', true],
    ['*.po', 'locales/de.po', true], // no slash: the name at any depth
    ['*.po', 'locales/de.pot', false],
    ['locales/*.po', 'locales/de.po', true],
    ['locales/*.po', 'app/locales/de.po', false], // a slash anchors the pattern
    ['/de.po', 'de.po', true],
    ['/de.po', 'sub/de.po', false],
    ['locales/**', 'locales/de/app.po', true],
    ['locales/**', 'locales', false],
    ['**/de.po', 'de.po', true],
    ['**/de.po', 'a/b/de.po', true],
    ['a/**/b.po', 'a/b.po', true],
    ['a/**/b.po', 'a/x/y/b.po', true],
    ['locales', 'locales/de.po', false], // attributes never reach into a directory
    ['locales/', 'locales/de.po', false],
    ['[dl]e.po', 'de.po', true],
    ['[!d]e.po', 'de.po', false],
    ['[a-c]e.po', 'de.po', false],
    ['?e.po', 'de.po', true],
    ['\\*.po', '*.po', true],
    ['\\*.po', 'de.po', false],
    ['de.p[o', 'de.p[o', true] // an unclosed class is a literal "["
  ])('%s against %s: %s', (pattern, file, expected) => {
    expect(matches(pattern, file)).toBe(expected)
  })

  it('agrees with git check-attr on a sample of patterns and paths', () => {
    const patterns = ['*.po', 'l*/*.json', '**/x/*.yml', 'a/**', '*[0-9].strings', 'b/*/c.*']
    const files = [
      'de.po',
      'locales/de.json',
      'l/x/y.yml',
      'a/b/c.yml',
      'x/de1.strings',
      'b/q/c.po'
    ]
    const repo = mkdtempSync(path.join(os.tmpdir(), 'check-attr-'))
    try {
      expect(spawnSync('git', ['init', '-q', repo]).status).toBe(0)
      writeFileSync(path.join(repo, '.gitattributes'), patterns.map(p => `${p} ${LFS}`).join('\n'))
      for (const file of files) {
        mkdirSync(path.dirname(path.join(repo, file)), { recursive: true })
        writeFileSync(path.join(repo, file), '')
      }
      const out = spawnSync('git', ['-C', repo, 'check-attr', 'filter', '--', ...files], {
        encoding: 'utf8'
      }).stdout
      const byGit = out
        .trim()
        .split('\n')
        .map(line => line.endsWith(': lfs'))
      const ours = files.map(file => patterns.some(pattern => matches(pattern, file)))
      expect(ours).toEqual(byGit)
      expect(byGit.filter(Boolean).length).toBeGreaterThan(2)
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  })

  it('takes time proportional to pattern × name, not exponential, on star-heavy patterns', () => {
    const pattern = `${'*a'.repeat(40)}b`
    const name = 'a'.repeat(5000)
    const started = performance.now()
    expect(matchSegment(pattern, name)).toBe(false)
    // A backtracking matcher needs longer than the age of the universe here.
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('attributeOf', () => {
  const files: AttributesFile[] = [
    {
      dir: '',
      text: `# LFS for binaries\n*.po ${LFS}\n*.json filter=lfs\nlocales/en.po -filter\n`
    },
    { dir: 'locales/fr', text: '*.po !filter\n' },
    { dir: 'other', text: `"with space.po" ${LFS}\n!*.po -filter\n` }
  ]

  const filter = rulesFor('filter', files)

  it('lets a later line and a deeper file override, and says which line decided', () => {
    expect(attributeOf('locales/de.po', filter)).toEqual({
      value: 'lfs',
      line: `*.po ${LFS}`,
      file: '.gitattributes'
    })
    expect(attributeOf('locales/en.po', filter)?.value).toBe(false)
    expect(attributeOf('locales/fr/app.po', filter)).toBeUndefined()
    expect(attributeOf('other/with space.po', filter)?.file).toBe('other/.gitattributes')
    // A negative pattern is ignored (git forbids them in attributes files).
    expect(attributeOf('other/x.po', filter)?.value).toBe('lfs')
    expect(attributeOf('README.md', filter)).toBeUndefined()
  })

  it('names the .gitattributes files that can apply to a set of paths', () => {
    expect(attributeFilesFor(['a/b/de.po', 'a/fr.po', 'x.po']).sort()).toEqual([
      '.gitattributes',
      'a/.gitattributes',
      'a/b/.gitattributes'
    ])
  })

  it('lfsTracked lists only files whose filter is lfs', () => {
    expect(lfsTracked(['locales/de.po', 'locales/en.po', 'app.yml'], files)).toEqual([
      { path: 'locales/de.po', line: `*.po ${LFS}`, file: '.gitattributes' }
    ])
  })
})
