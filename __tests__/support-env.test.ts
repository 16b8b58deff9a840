import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { inputEnv, inputName, parseCommandFile, runAction } from './support/env.js'

describe('runner naming and command files', () => {
  it('names inputs like the runner: upper case, spaces to underscores, hyphens kept', () => {
    expect(inputName('api-token')).toBe('INPUT_API-TOKEN')
    expect(inputName('my input')).toBe('INPUT_MY_INPUT')
    expect(inputEnv({ 'team-reviewers': 'a,b' })).toEqual({ 'INPUT_TEAM-REVIEWERS': 'a,b' })
  })

  it('parses heredoc and key=value lines of GITHUB_OUTPUT', () => {
    const text = [
      'changed-files<<ghadelimiter_1',
      '["a.yml",',
      '"b.yml"]',
      'ghadelimiter_1',
      'has-changes=true',
      'empty<<EOF',
      'EOF',
      ''
    ].join('\n')
    expect(parseCommandFile(text)).toEqual({
      'changed-files': '["a.yml",\n"b.yml"]',
      'has-changes': 'true',
      empty: ''
    })
    expect(() => parseCommandFile('x<<END\nvalue\n')).toThrow(/unterminated/)
  })
})

describe('runAction', () => {
  let dir: string
  let entry: string

  beforeAll(async () => {
    dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'support-env-test-')))
    entry = path.join(dir, 'fake-action.mjs')
    // Stands in for dist/index.js: reports its environment, writes outputs and a summary.
    await writeFile(
      entry,
      `import { appendFileSync } from 'node:fs'
if (process.env['INPUT_MODE'] === 'hang') setInterval(() => {}, 1000)
else {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => /^(INPUT_|GITHUB_|RUNNER_)/.test(k)))
  console.log(JSON.stringify({ env, cwd: process.cwd() }))
  appendFileSync(process.env.GITHUB_OUTPUT, 'lines<<ghadelimiter_x\\none\\ntwo\\nghadelimiter_x\\n')
  appendFileSync(process.env.GITHUB_OUTPUT, 'has-changes<<ghadelimiter_y\\ntrue\\nghadelimiter_y\\n')
  appendFileSync(process.env.GITHUB_STEP_SUMMARY, '### Summary\\n')
  process.exitCode = 3
}
`
    )
  })

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('sets the runner context, fills action.yml defaults and parses outputs and summary', async () => {
    process.env.INPUT_LEAKED_FROM_PARENT = 'x'
    const workspace = await mkdtemp(path.join(dir, 'ws-'))
    try {
      const run = await runAction(
        { 'INPUT_API-TOKEN': 'secret', GITHUB_API_URL: 'http://127.0.0.1:1234' },
        { entry, workspace, inputs: { 'github-token': 'gh-token', 'max-concurrency': '2' } }
      )
      expect(run.code).toBe(3)
      expect(run.timedOut).toBe(false)
      expect(run.outputs).toEqual({ lines: 'one\ntwo', 'has-changes': 'true' })
      expect(run.summary).toBe('### Summary\n')

      const { env, cwd } = JSON.parse(run.stdout) as { env: Record<string, string>; cwd: string }
      expect(cwd).toBe(workspace)
      expect(env).toMatchObject({
        'INPUT_API-TOKEN': 'secret',
        'INPUT_GITHUB-TOKEN': 'gh-token',
        'INPUT_MAX-CONCURRENCY': '2',
        INPUT_BRANCH: 'phrase/translations', // action.yml default
        GITHUB_API_URL: 'http://127.0.0.1:1234',
        GITHUB_WORKSPACE: workspace,
        GITHUB_REPOSITORY: 'octo/app',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_EVENT_NAME: 'workflow_dispatch'
      })
      // The remote default of api-url must never be reachable from a test.
      expect(new URL(env['INPUT_API-URL']).hostname).toBe('127.0.0.1')
      expect(env.RUNNER_TEMP).toBeTruthy()
      expect(env.GITHUB_OUTPUT.startsWith(env.RUNNER_TEMP)).toBe(true)
      expect(env).not.toHaveProperty('INPUT_LEAKED_FROM_PARENT')
    } finally {
      delete process.env.INPUT_LEAKED_FROM_PARENT
    }
  })

  it('refuses API URLs that are not local', async () => {
    await expect(
      runAction({ 'INPUT_API-URL': 'https://api.phrase.com/v2' }, { entry })
    ).rejects.toThrow(/not local/)
  })

  it('kills the action after timeoutMs', async () => {
    const run = await runAction({ INPUT_MODE: 'hang' }, { entry, timeoutMs: 300 })
    expect(run.timedOut).toBe(true)
    expect(run.code).toBeNull()
  })
})
