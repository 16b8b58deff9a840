/**
 * `npm run demo`: the built action end to end against the Phrase simulator and a fake GitHub over
 * a temporary bare repository with stale translations. Prints the pull request it made, then runs
 * again to show that an unchanged Phrase project changes nothing, then again after a translator's
 * edit, then the .phrase.yml variant. After every run it shows what that run changed: the commit
 * it added to the branch (or none) and the pull request body when it changed.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { runAction, type ActionRun } from '../__tests__/support/env.js'
import { FakeGitHub } from '../__tests__/support/fake-github.js'
import { PhraseSimulator } from '../__tests__/support/phrase-simulator.js'
import { demoLocales, demoRepositoryFiles, demoTranslations } from './demo-data.js'

const bold = (text: string) => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text)

const locales = demoLocales
const translations = demoTranslations()

async function main(): Promise<void> {
  const sim = await PhraseSimulator.start({
    projects: {
      demo: { locales, translations },
      web: { locales: locales.slice(0, 2), translations: demoTranslations() }
    },
    jobDurationMs: locale => 300 + 200 * locales.findIndex(l => l.name === locale),
    latencyMs: 20
  })
  const gh = await FakeGitHub.start({
    files: demoRepositoryFiles
  })
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'phrase-pull-demo-'))
  const env = (inputs: Record<string, string>) => ({
    'INPUT_API-TOKEN': 'phrase-test-token',
    'INPUT_API-URL': sim.apiUrl,
    'INPUT_GITHUB-TOKEN': gh.token,
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_REF: 'refs/heads/main',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]))
  })
  const run = async (title: string, inputs: Record<string, string>): Promise<ActionRun> => {
    console.log(`\n${bold(`▶ ${title}`)}`)
    const branch = inputs.branch ?? 'phrase/translations'
    const before = { head: await gh.headSha(branch), bodies: bodies(gh) }
    const started = Date.now()
    const result = await runAction(env(inputs), { workspace, timeoutMs: 120_000 })
    console.log(`  exit ${result.code} in ${Date.now() - started} ms; outputs:`)
    for (const [name, value] of Object.entries(result.outputs))
      console.log(`    ${name} = ${value}`)
    if (result.code !== 0) {
      console.log(
        result.stdout
          .split('\n')
          .filter(line => line.startsWith('::error'))
          .join('\n')
      )
      throw new Error(`the action failed (exit ${result.code})`)
    }
    await printWhatChanged(gh, branch, before)
    return result
  }

  try {
    console.log(bold('Phrase Pull demo'))
    console.log(
      `Phrase simulator ${sim.apiUrl} (CDN ${sim.cdnUrl}); fake GitHub ${gh.apiUrl} over ${gh.bareRepo}`
    )
    const inputs = {
      'project-id': 'demo',
      'file-format': 'yml',
      path: 'config/locales/<locale_name>.yml',
      labels: 'i18n'
    }

    const first = await run('Run 1: stale translations in the repository', inputs)
    await printPullRequest(gh, Number(first.outputs['pull-request-number']))
    console.log(`\n  ${bold('Job summary (GITHUB_STEP_SUMMARY)')}`)
    console.log(indent(first.summary.trimEnd()))

    await run('Run 2: same translations in Phrase (expect: unchanged, no new commit)', inputs)

    // de exists on main, so the change shows as old → new (fr is a new file as a whole).
    sim.project('demo').translations.de['nav.cart'] = 'Einkaufswagen'
    await run('Run 3: a translator changed de nav.cart (expect: updated, same PR)', inputs)

    await writeFile(
      path.join(workspace, '.phrase.yml'),
      (await gh.readFile('main', '.phrase.yml')) ?? ''
    )
    const config = await run('Run 4: the .phrase.yml variant (two targets, two projects, one PR)', {
      branch: 'phrase/from-config'
    })
    await printPullRequest(gh, Number(config.outputs['pull-request-number']))
    console.log(
      `\nCDN requests carrying an Authorization header: ${sim.stats().cdnRequests.filter(r => r.authorization).length}`
    )
  } finally {
    await Promise.all([sim.stop(), gh.stop()])
    await rm(workspace, { recursive: true, force: true })
  }
}

function bodies(gh: FakeGitHub): Map<number, string> {
  return new Map(gh.pulls().map(pr => [pr.number, pr.body ?? '']))
}

/** What one run changed: the commit it put on the branch, and every pull request body it changed. */
async function printWhatChanged(
  gh: FakeGitHub,
  branch: string,
  before: { head?: string; bodies: Map<number, string> }
): Promise<void> {
  const head = await gh.headSha(branch)
  console.log(`\n  ${bold('What this run changed')}`)
  if (head === before.head) console.log(indent(`no new commit on ${branch}`))
  else if (before.head) {
    const diff = await gh.git('diff', '--no-color', '-U0', before.head, head!)
    console.log(
      indent(`${branch}: ${before.head.slice(0, 7)} → ${head!.slice(0, 7)}\n${diff.trimEnd()}`)
    )
  } else console.log(indent(`${branch} created at ${head!.slice(0, 7)}`))
  const changed = gh.pulls().filter(pr => before.bodies.get(pr.number) !== (pr.body ?? ''))
  if (changed.length === 0) console.log(indent('no pull request body changed'))
  for (const pr of changed) {
    if (!before.bodies.has(pr.number)) continue // a new pull request: printed in full below
    console.log(indent(`body of #${pr.number} now:\n${pr.body ?? ''}`))
  }
}

async function printPullRequest(gh: FakeGitHub, number: number): Promise<void> {
  const pr = gh.pulls().find(p => p.number === number)
  if (!pr) throw new Error(`PR #${number} not found`)
  console.log(
    `\n  ${bold(`PR #${pr.number}: ${pr.title}`)}  (${pr.head} → ${pr.base}, ${pr.state}${pr.labels.length ? `, labels: ${pr.labels.join(', ')}` : ''})`
  )
  console.log(indent(pr.body ?? ''))
  const files = await gh.git('diff', '--stat', `${pr.base}...${pr.head}`)
  console.log(indent(files.trimEnd()))
  const diff = await gh.git('diff', '--no-color', '-U1', `${pr.base}...${pr.head}`)
  const lines = diff.trimEnd().split('\n')
  console.log(
    indent(
      lines.slice(0, 40).join('\n') +
        (lines.length > 40 ? `\n… ${lines.length - 40} more lines` : '')
    )
  )
}

const indent = (text: string) =>
  text
    .split('\n')
    .map(line => `    │ ${line}`)
    .join('\n')

main().catch(error => {
  console.error(`demo failed: ${error instanceof Error ? error.message : error}`)
  process.exit(1)
})
