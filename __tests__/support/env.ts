/**
 * Runs the built action (`node dist/index.js`) as a child process the way the GitHub runner does:
 * `INPUT_*` variables (with action.yml defaults filled in), the `GITHUB_*` / `RUNNER_*` context,
 * and fresh `GITHUB_OUTPUT` / `GITHUB_STEP_SUMMARY` files that are parsed afterwards.
 *
 * Tests never reach the real services: a remote action.yml default (`api-url`) becomes a closed
 * local port, and an API URL set by the test that is not 127.0.0.1 / localhost is refused — or
 * a `.test` name (RFC 6761: never resolved on the internet), which only a test proxy resolves.
 * The runner's proxy variables of the machine running the tests are not passed on.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** A closed local port: the default for URLs a test did not set. */
const NOWHERE = 'http://127.0.0.1:9'

export interface RunActionOptions {
  /** GITHUB_WORKSPACE; a temporary directory (removed afterwards) when omitted. */
  workspace?: string
  /** Action inputs by their action.yml names (`api-token`); turned into `INPUT_*` variables. */
  inputs?: Record<string, string>
  /** Kill the action (SIGKILL) after this many ms (default 60 000). */
  timeoutMs?: number
  /** Script to run (default `<repo>/dist/index.js`). */
  entry?: string
  /** Fill inputs missing from `env`/`inputs` with action.yml defaults, as the runner does (default true). */
  actionDefaults?: boolean
  /** Webhook payload written to GITHUB_EVENT_PATH (default `{}`). */
  event?: Record<string, unknown>
}

export interface ActionRun {
  /** Exit code; null when killed. */
  code: number | null
  timedOut: boolean
  stdout: string
  stderr: string
  /** Parsed GITHUB_OUTPUT. */
  outputs: Record<string, string>
  /** Content of GITHUB_STEP_SUMMARY. */
  summary: string
  durationMs: number
}

/** The runner's variable name for an input: `INPUT_` + upper case, spaces → `_`, hyphens kept. */
export function inputName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** `{ 'api-token': 'x' }` → `{ 'INPUT_API-TOKEN': 'x' }`. */
export function inputEnv(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [inputName(name), value]))
}

/** Parses a GITHUB_OUTPUT / GITHUB_ENV file: `name<<DELIMITER` heredocs and `name=value` lines. */
export function parseCommandFile(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const heredoc = /^([^=]+?)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      for (i += 1; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i])
      if (i >= lines.length) throw new Error(`unterminated ${name}<<${delimiter} in command file`)
      result[name] = value.join('\n')
    } else if (line.includes('=')) {
      const at = line.indexOf('=')
      result[line.slice(0, at)] = line.slice(at + 1)
    }
  }
  return result
}

/** Runs the action; `env` is applied last and wins over every default (INPUT_* names included). */
export async function runAction(
  env: Record<string, string> = {},
  options: RunActionOptions = {}
): Promise<ActionRun> {
  const runnerTemp = await mkdtemp(path.join(os.tmpdir(), 'phrase-pull-runner-'))
  const ownWorkspace = options.workspace === undefined
  const workspace =
    options.workspace ?? (await mkdtemp(path.join(os.tmpdir(), 'phrase-pull-workspace-')))
  const files = {
    GITHUB_OUTPUT: path.join(runnerTemp, `output_${randomUUID()}`),
    GITHUB_STEP_SUMMARY: path.join(runnerTemp, `step_summary_${randomUUID()}`),
    GITHUB_ENV: path.join(runnerTemp, `set_env_${randomUUID()}`),
    GITHUB_STATE: path.join(runnerTemp, `save_state_${randomUUID()}`),
    GITHUB_PATH: path.join(runnerTemp, `add_path_${randomUUID()}`),
    GITHUB_EVENT_PATH: path.join(runnerTemp, 'event.json')
  }
  try {
    await Promise.all(
      Object.entries(files).map(([name, file]) =>
        writeFile(file, name === 'GITHUB_EVENT_PATH' ? JSON.stringify(options.event ?? {}) : '')
      )
    )
    const childEnv = await buildEnv(env, options, { runnerTemp, workspace, files })
    refuseRemoteUrls(childEnv)
    const started = performance.now()
    const result = await spawnNode(options.entry ?? path.join(ROOT, 'dist/index.js'), {
      cwd: workspace,
      env: childEnv,
      timeoutMs: options.timeoutMs ?? 60_000
    })
    const [outputs, summary] = await Promise.all([
      readFile(files.GITHUB_OUTPUT, 'utf8').then(parseCommandFile),
      readFile(files.GITHUB_STEP_SUMMARY, 'utf8')
    ])
    return { ...result, outputs, summary, durationMs: performance.now() - started }
  } finally {
    await rm(runnerTemp, { recursive: true, force: true })
    if (ownWorkspace) await rm(workspace, { recursive: true, force: true })
  }
}

async function buildEnv(
  env: Record<string, string>,
  options: RunActionOptions,
  paths: { runnerTemp: string; workspace: string; files: Record<string, string> }
): Promise<NodeJS.ProcessEnv> {
  // Nothing of the caller's own workflow context may leak in (tests may run inside Actions).
  const inherited: NodeJS.ProcessEnv = {}
  for (const [key, value] of Object.entries(process.env))
    if (!/^(INPUT_|GITHUB_|RUNNER_|ACTIONS_|NODE_OPTIONS$|(HTTPS?|NO)_PROXY$)/i.test(key))
      inherited[key] = value
  const explicit = { ...inputEnv(options.inputs ?? {}), ...env }
  const repository = explicit.GITHUB_REPOSITORY ?? 'octo/app'
  const ref = explicit.GITHUB_REF ?? 'refs/heads/main'
  const defaults =
    options.actionDefaults === false
      ? {}
      : await actionDefaults(explicit['INPUT_GITHUB-TOKEN'] ?? '')
  return {
    ...inherited,
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
    // The doubles are local: GitHub's one-second spacing of writes would only slow the tests.
    PHRASE_PULL_WRITE_SPACING_MS: '0',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'test-runner',
    RUNNER_TEMP: paths.runnerTemp,
    GITHUB_WORKSPACE: paths.workspace,
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0],
    GITHUB_API_URL: NOWHERE,
    GITHUB_GRAPHQL_URL: `${NOWHERE}/graphql`,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REF: ref,
    GITHUB_REF_NAME: ref.replace(/^refs\/(heads|tags)\//, ''),
    GITHUB_REF_TYPE: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_EVENT_NAME: 'workflow_dispatch',
    GITHUB_ACTOR: 'octo',
    GITHUB_WORKFLOW: 'Phrase Pull',
    GITHUB_JOB: 'pull',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_NUMBER: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTION: '__run',
    ...paths.files,
    ...defaults,
    ...explicit
  }
}

/** action.yml defaults as `INPUT_*`; `${{ github.token }}` becomes the given token. */
async function actionDefaults(githubToken: string): Promise<Record<string, string>> {
  const manifest = parseYaml(await readFile(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, { default?: unknown }>
  }
  const result: Record<string, string> = {}
  for (const [name, input] of Object.entries(manifest.inputs ?? {})) {
    if (input.default === undefined || input.default === null) continue
    const value = String(input.default).replace(/\$\{\{\s*github\.token\s*\}\}/g, githubToken)
    // Other expressions need a runner to evaluate them.
    if (!value.includes('${{')) result[inputName(name)] = isLocal(value) ? value : localized(value)
  }
  return result
}

/** True unless `value` is an http(s) URL of a host other than this machine. */
function isLocal(value: string): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return true // not a URL: nothing to reach
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return true
  return (
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname) || url.hostname.endsWith('.test')
  )
}

/** The same path on a closed local port. */
function localized(value: string): string {
  return `${NOWHERE}${new URL(value).pathname}`.replace(/\/$/, '')
}

function refuseRemoteUrls(env: NodeJS.ProcessEnv): void {
  for (const key of ['INPUT_API-URL', 'GITHUB_API_URL', 'GITHUB_GRAPHQL_URL']) {
    const value = env[key]
    if (value && !isLocal(value) && !throughLocalProxy(env, value))
      throw new Error(`runAction: ${key}=${value} is not local; tests must use the simulators`)
  }
}

/**
 * A real host name reached only through a local proxy double (proxy-double.ts), which answers the
 * names it was given with local doubles and any other with 502: nothing leaves this machine. Lets
 * a test use Phrase's real host names (api.phrase.com, whose answers carry a data-centre hint).
 */
function throughLocalProxy(env: NodeJS.ProcessEnv, value: string): boolean {
  const proxy = env.HTTPS_PROXY ?? env.https_proxy
  const bypass = `${env.NO_PROXY ?? ''}${env.no_proxy ?? ''}`
  return new URL(value).protocol === 'https:' && !!proxy && isLocal(proxy) && bypass.trim() === ''
}

/**
 * The Node that runs the action: the one running the tests, or ACTION_NODE (the Node 24 that
 * action.yml declares; `npm run test:node24` and .ci/run set it).
 */
export function actionNode(): string {
  const chosen = process.env.ACTION_NODE
  return chosen ? path.resolve(ROOT, chosen) : process.execPath
}

function spawnNode(
  entry: string,
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }
): Promise<{ code: number | null; timedOut: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(actionNode(), [entry], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    let timedOut = false
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, options.timeoutMs)
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
    child.on('error', error => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', code => {
      clearTimeout(timer)
      resolve({
        code,
        timedOut,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8')
      })
    })
  })
}
