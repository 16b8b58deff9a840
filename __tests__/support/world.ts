/**
 * The one end-to-end world: the Phrase simulator, a fake GitHub over a bare repo, a workspace,
 * and `run()`, which runs the built action against them exactly as the runner would. Tokens are
 * distinctive so a leak of either one is unmistakable; every run is recorded, and `leaks()` scans
 * everything a run can leave behind for both tokens (see secrets.ts).
 */
import { lstat, mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { inputEnv, runAction, type ActionRun } from './env.js'
import { FakeGitHub, type FakeGitHubOptions, type PullRecord } from './fake-github.js'
import { PhraseSimulator, type SimulatorOptions } from './phrase-simulator.js'
import { findLeaks } from './secrets.js'

/** Shaped like real tokens, and unlike anything else a run prints. */
export const PHRASE_TOKEN = 'phr_live_SECRET_7f3a9c1e5b2d48600aa1b2c3'
export const GITHUB_TOKEN = 'ghs_SECRET_Zq8Lm2Np4Rt6Vx9Bc1Df3Gh5Jk7'

export const LOCALES = [
  { id: 'loc-de', name: 'de', code: 'de-DE' },
  { id: 'loc-fr', name: 'fr', code: 'fr-FR' }
]

/** The User-Agent of `exported()`: tells the test's own requests from the action's. */
export const EXPORT_USER_AGENT = 'test-export'

export const STALE_DE = 'de:\n  greeting:\n    hello: Hallo alt\n'

/** The action's default head branch. */
const HEAD_BRANCH = 'phrase/translations'

export function translations(): Record<string, Record<string, string>> {
  return {
    de: { 'greeting.hello': 'Hallo', 'greeting.bye': 'Tschüss', 'cart.title': 'Warenkorb' },
    fr: { 'greeting.hello': 'Bonjour', 'greeting.bye': 'Au revoir', 'cart.title': 'Panier' }
  }
}

const MEASURE_RSS = fileURLToPath(new URL('./measure-rss.mjs', import.meta.url))
const BUNDLE = fileURLToPath(new URL('../../dist/index.js', import.meta.url))

/** What must not change when a run fails: refs of the repository, pull requests, the checkout. */
export interface RepoState {
  refs: Array<{ ref: string; sha: string }>
  pulls: PullRecord[]
  workspace: Record<string, string>
}

export interface RunOptions {
  /** Extra environment (GITHUB_API_URL, GITHUB_REF, …), applied last. */
  env?: Record<string, string>
  /** Kill the action after this many ms (default 60 000). */
  timeoutMs?: number
  /** Measure the action's peak RSS (bytes) into `peakRss`. */
  measureRss?: boolean
}

export interface WorldRun extends ActionRun {
  /** The `::error::` lines, joined: what the user reads in the annotation. */
  error: string
  /** Peak resident set size of the action process in bytes, with `measureRss`. */
  peakRss?: number
}

export interface World {
  sim: PhraseSimulator
  gh: FakeGitHub
  workspace: string
  runs: WorldRun[]
  run(inputs?: Record<string, string>, options?: RunOptions): Promise<WorldRun>
  /** The file Phrase exports now (sync endpoint, outside the recorded action runs). */
  exported(locale: string, format?: string): Promise<Buffer>
  state(): Promise<RepoState>
  /**
   * The state a first run leaves, made directly: Phrase's files on the head branch in the
   * action's marked commit on main, and its open pull request. Saves a run of the bundle where
   * the first run is not what a test is about.
   */
  seedPullRequest(): Promise<void>
  /** Every place a token turned up where it must not; empty when clean. */
  leaks(): Promise<string[]>
  stop(): Promise<void>
}

export interface WorldOptions {
  /** Files of the first commit on main (a README is always added). */
  files?: Record<string, string | Buffer>
  symlinks?: FakeGitHubOptions['symlinks']
  /** The fake GitHub's Git Data size limits, where a test needs others than github.com's. */
  limits?: FakeGitHubOptions['limits']
  sim?: Partial<SimulatorOptions>
  /** The fake GitHub's token grants, collaborators, labels and GraphQL (see FakeGitHubOptions). */
  github?: Pick<
    FakeGitHubOptions,
    | 'grants'
    | 'collaborators'
    | 'labels'
    | 'graphql'
    | 'teamsWithAccess'
    | 'signsApiCommits'
    | 'requireSignedCommits'
    | 'rateLimit'
    | 'autoMerge'
    | 'pullSettleMs'
    | 'memory'
  >
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const sim = await PhraseSimulator.start({
    projects: { p1: { locales: LOCALES, translations: translations() } },
    jobDurationMs: 50,
    tokens: { write: [PHRASE_TOKEN] },
    ...options.sim
  })
  const gh = await FakeGitHub.start({
    token: GITHUB_TOKEN,
    files: { 'README.md': '# app\n', ...options.files },
    symlinks: options.symlinks,
    limits: options.limits,
    // No run is about git itself: objects in memory (memory-store.ts, held to real git's ids in
    // support-fake-github.test.ts) spare each request its git processes.
    memory: true,
    ...options.github
  })
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'phrase-pull-faults-'))
  const runs: WorldRun[] = []

  const world: World = {
    sim,
    gh,
    workspace,
    runs,
    async run(inputs = {}, runOptions = {}) {
      const rssFile = path.join(workspace, '..', `rss-${path.basename(workspace)}-${runs.length}`)
      const env: Record<string, string> = {
        'INPUT_API-TOKEN': PHRASE_TOKEN,
        'INPUT_API-URL': sim.apiUrl,
        'INPUT_PROJECT-ID': 'p1',
        'INPUT_FILE-FORMAT': 'yml',
        INPUT_PATH: 'config/locales/<locale_name>.yml',
        'INPUT_GITHUB-TOKEN': GITHUB_TOKEN,
        INPUT_TIMEOUT: '20',
        GITHUB_API_URL: gh.apiUrl,
        // The runner sets it next to GITHUB_API_URL; GraphQL never goes through a REST proxy.
        GITHUB_GRAPHQL_URL: `${gh.apiUrl}/graphql`,
        GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
        GITHUB_REF: 'refs/heads/main',
        ...inputEnv(inputs),
        ...runOptions.env
      }
      if (runOptions.measureRss) Object.assign(env, { RSS_REPORT: rssFile, ACTION_ENTRY: BUNDLE })
      const result = await runAction(env, {
        workspace,
        timeoutMs: runOptions.timeoutMs ?? 60_000,
        entry: runOptions.measureRss ? MEASURE_RSS : undefined
      })
      const run: WorldRun = { ...result, error: errorLines(result.stdout) }
      if (runOptions.measureRss) {
        run.peakRss = Number(await readFile(rssFile, 'utf8')) * 1024
        await rm(rssFile, { force: true })
      }
      runs.push(run)
      return run
    },
    async exported(locale, format = 'yml') {
      const locId = LOCALES.find(l => l.name === locale)?.id ?? locale
      const url = `${sim.apiUrl}/projects/p1/locales/${locId}/download?file_format=${format}`
      const headers = { Authorization: `token ${PHRASE_TOKEN}`, 'User-Agent': EXPORT_USER_AGENT }
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(url, { headers })
        // A test with a tiny rate window may have spent it: wait for the next one.
        if (res.status === 429 && attempt < 20) {
          await res.arrayBuffer()
          await new Promise(resolve => setTimeout(resolve, 250))
          continue
        }
        if (!res.ok) throw new Error(`export failed: ${res.status}`)
        return Buffer.from(await res.arrayBuffer())
      }
    },
    async state() {
      return { refs: await gh.refs(), pulls: gh.pulls(), workspace: await snapshot(workspace) }
    },
    async seedPullRequest() {
      await gh.commitFiles(
        HEAD_BRANCH,
        {
          'config/locales/de.yml': await world.exported('de'),
          'config/locales/fr.yml': await world.exported('fr')
        },
        'chore(i18n): update translations from Phrase\n\nPhrase-Pull: base=main\n'
      )
      const opened = await fetch(`${gh.apiUrl}/repos/${gh.owner}/${gh.repo}/pulls`, {
        method: 'POST',
        headers: { Authorization: `token ${gh.token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          head: HEAD_BRANCH,
          base: 'main',
          title: 'Update translations from Phrase'
        })
      })
      if (opened.status !== 201) throw new Error(`seeding the pull request: ${opened.status}`)
    },
    leaks: () =>
      findLeaks({
        tokens: { phrase: PHRASE_TOKEN, github: GITHUB_TOKEN },
        runs,
        sim,
        gh,
        workspace
      }),
    async stop() {
      await Promise.all([sim.stop(), gh.stop()])
      await rm(workspace, { recursive: true, force: true })
    }
  }
  return world
}

/**
 * The messages of `::error::` / `::warning::` workflow commands in a run's stdout, decoded as the
 * runner decodes them (`%25` → `%`, `%0A` → newline).
 */
export function annotations(stdout: string, kind: 'error' | 'warning'): string[] {
  return stdout
    .split('\n')
    .filter(line => line.startsWith(`::${kind}::`) || line.startsWith(`::${kind} `))
    .map(line =>
      line
        .slice(line.indexOf('::', 2) + 2)
        .replace(/%0D/g, '\r')
        .replace(/%0A/g, '\n')
        .replace(/%25/g, '%')
    )
}

/** `::error::` annotations joined: what the user reads. */
export function errorLines(stdout: string): string {
  return annotations(stdout, 'error').join('\n')
}

/** Path → file content, or `-> target` for a symlink; no link is followed. */
export async function snapshot(dir: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    const stat = await lstat(full)
    if (stat.isSymbolicLink()) result[entry.name] = `-> ${await readlink(full)}`
    else if (stat.isDirectory())
      for (const [name, content] of Object.entries(await snapshot(full)))
        result[`${entry.name}/${name}`] = content
    else result[entry.name] = await readFile(full, 'utf8')
  }
  return result
}
