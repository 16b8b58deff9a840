/**
 * The secrets scan: both tokens, everywhere a run can leave text behind, and on every wire.
 *
 * Allowed: the runner's `::add-mask::<token>` line (that is how masking works), the Phrase token
 * in the Authorization header of requests to the Phrase API host, and the GitHub token in the
 * Authorization header of requests to the GitHub API. Everything else is a leak: stdout, stderr,
 * outputs, the job summary, PR titles/bodies/comments, every object and ref in the repository
 * (commit messages, trees, blobs), every file in the workspace, the CDN's requests (which must
 * carry no Authorization at all), and request paths, queries and bodies on either side.
 */
import { lstat, readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { ActionRun } from './env.js'
import type { FakeGitHub } from './fake-github.js'
import type { PhraseSimulator } from './phrase-simulator.js'

export interface ScanInput {
  tokens: { phrase: string; github: string }
  runs: ActionRun[]
  sim: PhraseSimulator
  gh: FakeGitHub
  workspace: string
}

export async function findLeaks(input: ScanInput): Promise<string[]> {
  const { tokens } = input
  const leaks: string[] = []
  const scan = (where: string, text: string | null | undefined) => {
    if (!text) return
    for (const [name, token] of Object.entries(tokens))
      if (text.includes(token)) leaks.push(`${name} token in ${where}`)
  }

  input.runs.forEach((run, i) => {
    const masks = new Set(Object.values(tokens).map(token => `::add-mask::${token}`))
    const stdout = run.stdout
      .split('\n')
      .filter(line => !masks.has(line))
      .join('\n')
    scan(`run ${i + 1} stdout`, stdout)
    scan(`run ${i + 1} stderr`, run.stderr)
    for (const [name, value] of Object.entries(run.outputs))
      scan(`run ${i + 1} output ${name}`, `${name}=${value}`)
    scan(`run ${i + 1} job summary`, run.summary)
  })

  for (const pr of input.gh.pulls()) {
    scan(`PR #${pr.number} title`, pr.title)
    scan(`PR #${pr.number} body`, pr.body)
    pr.comments.forEach((comment, i) => scan(`PR #${pr.number} comment ${i + 1}`, comment))
  }

  // Every object, reachable or not: blobs, trees and commit messages the action ever created.
  scan('the repository objects', await input.gh.objectDump())
  scan('the repository refs', JSON.stringify(await input.gh.refs()))
  for (const file of await listFiles(input.workspace))
    scan(`workspace file ${path.relative(input.workspace, file)}`, await readFile(file, 'latin1'))

  const stats = input.sim.stats()
  stats.requests.forEach((request, i) => {
    const where = `Phrase API request ${i + 1} (${request.method} ${request.path})`
    // A download link on the API host (`linkNeedsToken`) is asked as the Phrase CLI asks it.
    const expected = request.path.startsWith('/exports/')
      ? `Bearer ${tokens.phrase}`
      : `token ${tokens.phrase}`
    if (request.authorization !== undefined && request.authorization !== expected)
      leaks.push(`${where} has an unexpected Authorization header`)
    scan(
      `${where} outside its Authorization header`,
      JSON.stringify({ ...request, authorization: undefined })
    )
    if (request.authorization?.includes(tokens.github)) leaks.push(`github token in ${where}`)
  })
  stats.cdnRequests.forEach((request, i) => {
    const where = `CDN request ${i + 1}`
    if (request.authorization !== undefined) leaks.push(`${where} carries an Authorization header`)
    scan(where, JSON.stringify(request))
  })
  input.gh.requests().forEach((request, i) => {
    const where = `GitHub request ${i + 1} (${request.method} ${request.path})`
    if (request.authorization?.includes(tokens.phrase)) leaks.push(`phrase token in ${where}`)
    scan(
      `${where} outside its Authorization header`,
      JSON.stringify({ ...request, authorization: undefined })
    )
  })
  return leaks
}

/** Regular files below `dir`; symlinks are not followed (one may point outside on purpose). */
async function listFiles(dir: string): Promise<string[]> {
  const files: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) files.push(...(await listFiles(full)))
    else if ((await lstat(full)).isFile()) files.push(full)
  }
  return files
}
