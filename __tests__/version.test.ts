import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { ACTION_VERSION, USER_AGENT } from '../src/version.js'

describe('version', () => {
  it('sends the package version in the User-Agent', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
    expect(ACTION_VERSION).toBe(pkg.version)
    expect(USER_AGENT).toMatch(
      new RegExp(`^phrase-pull-action/${pkg.version.replace(/\./g, '\\.')} `)
    )
    expect(USER_AGENT.endsWith(` node/${process.version}`)).toBe(true)
  })
})
