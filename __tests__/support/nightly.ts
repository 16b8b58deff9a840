/**
 * A scheduled run over many files, as the budget test and `npm run bench` measure it: the base
 * holds what Phrase exported last time (gettext with an older `PO-Revision-Date`), Phrase has
 * changed `changed` of the locales since, and the workspace is a fresh checkout of the base (or
 * empty, as without `actions/checkout`).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { FakeGitHub, type FakeGitHubOptions } from './fake-github.js'
import { encodeText, findFormat, renderLocaleFile } from './phrase-render.js'
import { PhraseSimulator } from './phrase-simulator.js'

export interface NightlyOptions {
  files: number
  /** Phrase format api_name (default gettext: every export has a new revision date). */
  format?: string
  /** How many locales Phrase changed since the base was committed. */
  changed: number | 'all'
  /** The workspace is a checkout of the base (default true). */
  checkout?: boolean
  /** The `encoding` download parameter (the base is stored the same way). */
  encoding?: string
  github?: Omit<FakeGitHubOptions, 'files'>
}

export interface Nightly {
  sim: PhraseSimulator
  gh: FakeGitHub
  workspace: string
  /** Action inputs and environment for `runAction` (tokens and URLs included). */
  env: Record<string, string>
  /** Repository paths of the files, in locale order. */
  paths: string[]
  stop(): Promise<void>
}

const TOKEN = 'phrase-test-token'
const OLD_REVISION = new Date(Date.UTC(2024, 0, 1, 3, 17))

export async function startNightly(options: NightlyOptions): Promise<Nightly> {
  const format = options.format ?? 'gettext'
  const extension = findFormat(format)?.extension ?? format
  const names = Array.from({ length: options.files }, (_, i) => `l${String(i).padStart(4, '0')}`)
  const paths = names.map(name => `i18n/${name}.${extension}`)
  const before = (name: string) => ({
    'app.title': `Title ${name}`,
    'app.ok': 'OK',
    'cart.empty': `Your cart is empty (${name})`,
    'cart.total': 'Total: {amount}'
  })
  const changedCount = options.changed === 'all' ? names.length : options.changed
  const translations = Object.fromEntries(
    names.map((name, i) => [
      name,
      i < changedCount ? { ...before(name), 'app.title': `New title ${name}` } : before(name)
    ])
  )
  const files = Object.fromEntries(
    names.map((name, i) => [
      paths[i],
      encodeText(
        renderLocaleFile(format, {
          localeName: name,
          localeCode: name,
          translations: before(name),
          revisionDate: OLD_REVISION
        }),
        options.encoding
      )
    ])
  )
  const sim = await PhraseSimulator.start({
    projects: {
      p1: {
        locales: names.map((name, i) => ({ id: `id-${name}`, name, code: name, default: i === 0 })),
        translations
      }
    },
    jobDurationMs: 0,
    // A project this size needs more than the default 1,000 requests per 5 minutes.
    rateLimit: { limit: 100_000, windowMs: 300_000 }
  })
  const gh = await FakeGitHub.start({
    ...options.github,
    files: { 'README.md': '# app\n', ...files }
  })
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'phrase-pull-nightly-'))
  if (options.checkout !== false) {
    await mkdir(path.join(workspace, 'i18n'))
    await writeFile(path.join(workspace, 'README.md'), '# app\n')
    for (const [file, bytes] of Object.entries(files))
      await writeFile(path.join(workspace, file), bytes)
  }
  const env: Record<string, string> = {
    'INPUT_API-TOKEN': TOKEN,
    'INPUT_API-URL': sim.apiUrl,
    'INPUT_PROJECT-ID': 'p1',
    'INPUT_FILE-FORMAT': format,
    INPUT_PATH: `i18n/<locale_name>.${extension}`,
    'INPUT_GITHUB-TOKEN': gh.token,
    INPUT_TIMEOUT: '600',
    // Finding-free translations: the checks only cost time here.
    INPUT_CHECKS: 'off',
    ...(options.encoding
      ? { 'INPUT_DOWNLOAD-PARAMS': JSON.stringify({ encoding: options.encoding }) }
      : {}),
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_GRAPHQL_URL: `${gh.apiUrl}/graphql`,
    GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
    GITHUB_REF: 'refs/heads/main'
  }
  return {
    sim,
    gh,
    workspace,
    env,
    paths,
    async stop() {
      await Promise.all([sim.stop(), gh.stop()])
      await rm(workspace, { recursive: true, force: true })
    }
  }
}
