/**
 * One end-to-end world: the Phrase simulator, a fake GitHub over a bare repo, a workspace, and
 * a way to run the built action against them exactly as the runner would.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { runAction, type ActionRun } from '../support/env.js'
import { FakeGitHub } from '../support/fake-github.js'
import { PhraseSimulator, type SimulatorOptions } from '../support/phrase-simulator.js'

export const PHRASE_TOKEN = 'phrase-test-token'

export const LOCALES = [
  { id: 'loc-de', name: 'de', code: 'de-DE' },
  { id: 'loc-fr', name: 'fr', code: 'fr-FR' }
]

export function translations(): Record<string, Record<string, string>> {
  return {
    de: { 'greeting.hello': 'Hallo', 'greeting.bye': 'Tschüss', 'cart.title': 'Warenkorb' },
    fr: { 'greeting.hello': 'Bonjour', 'greeting.bye': 'Au revoir', 'cart.title': 'Panier' }
  }
}

export interface Scenario {
  sim: PhraseSimulator
  gh: FakeGitHub
  workspace: string
  run(inputs?: Record<string, string>, env?: Record<string, string>): Promise<ActionRun>
  /** The file Phrase would export now, fetched the way a user would (sync endpoint). */
  exported(locale: string, format?: string): Promise<Buffer>
  stop(): Promise<void>
}

export async function startScenario(
  options: { files?: Record<string, string | Buffer>; sim?: Partial<SimulatorOptions> } = {}
): Promise<Scenario> {
  const sim = await PhraseSimulator.start({
    projects: { p1: { locales: LOCALES, translations: translations() } },
    jobDurationMs: 50,
    ...options.sim
  })
  const gh = await FakeGitHub.start({ files: { 'README.md': '# app\n', ...options.files } })
  const workspace = await mkdtemp(path.join(os.tmpdir(), 'phrase-pull-ws-'))
  return {
    sim,
    gh,
    workspace,
    run: (inputs = {}, env = {}) =>
      runAction(
        {
          'INPUT_API-TOKEN': PHRASE_TOKEN,
          'INPUT_API-URL': sim.apiUrl,
          'INPUT_PROJECT-ID': 'p1',
          'INPUT_FILE-FORMAT': 'yml',
          INPUT_PATH: 'config/locales/<locale_name>.yml',
          'INPUT_GITHUB-TOKEN': gh.token,
          INPUT_TIMEOUT: '30',
          GITHUB_API_URL: gh.apiUrl,
          GITHUB_REPOSITORY: `${gh.owner}/${gh.repo}`,
          GITHUB_REF: 'refs/heads/main',
          ...Object.fromEntries(
            Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])
          ),
          ...env
        },
        { workspace, timeoutMs: 60_000 }
      ),
    async exported(locale, format = 'yml') {
      const locId = LOCALES.find(l => l.name === locale)?.id ?? locale
      const res = await fetch(
        `${sim.apiUrl}/projects/p1/locales/${locId}/download?file_format=${format}`,
        {
          headers: { Authorization: `token ${PHRASE_TOKEN}`, 'User-Agent': 'e2e-test' }
        }
      )
      if (!res.ok) throw new Error(`export failed: ${res.status}`)
      return Buffer.from(await res.arrayBuffer())
    },
    async stop() {
      await Promise.all([sim.stop(), gh.stop()])
      await rm(workspace, { recursive: true, force: true })
    }
  }
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
