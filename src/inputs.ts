/**
 * Reads every input once, masks the tokens, and validates into typed Settings. Every error names the
 * input (or config key) at fault, so a user can fix the workflow without reading code.
 */
import * as core from '@actions/core'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { parse as parseYaml } from 'yaml'
import { ConfigError, parsePhraseConfig, type PhraseConfig } from './config.js'
import {
  checkDownloadParams,
  describeNotes,
  DownloadParamError,
  type CheckedParams
} from './download-params.js'
import { resolveTemplate, UnsafePathError } from './files/targets.js'
import { checkProjectId, checkTimeoutUnit, checkTokenUrl, InputShapeError } from './input-checks.js'
import { readRunAbout } from './run-about.js'
import type { MergeMethod, PullRequestSettings, Settings, Target } from './settings.js'

export class InputError extends Error {
  override name = 'InputError'
}

const DEFAULT_API_URL = 'https://api.phrase.com/v2'
/** Where the Phrase CLI looks for its config, in its order (phrase-go config.go configNames). */
const DEFAULT_CONFIGS = ['.phrase.yml', '.phraseapp.yml']

/** `core.getInput` reads `INPUT_<NAME>`; injectable so the logic is testable without env juggling. */
export type InputReader = (name: string) => string

export function readSettings(
  env: NodeJS.ProcessEnv = process.env,
  input: InputReader = name => core.getInput(name)
): Settings {
  // Mask first: nothing below may log a token, even in an error message.
  const phraseToken = input('api-token')
  if (phraseToken) core.setSecret(phraseToken)
  const githubToken = input('github-token')
  if (githubToken) core.setSecret(githubToken)
  if (!phraseToken) throw new InputError('Input required and not supplied: api-token')

  const warnings: string[] = []
  const workspace = path.resolve(env.GITHUB_WORKSPACE || process.cwd())
  const createPullRequest = readBoolean(input, 'create-pull-request', true)
  if (createPullRequest && !githubToken) {
    throw new InputError(
      'Input required and not supplied: github-token (needed to open the pull request)'
    )
  }
  const [owner, repo] = readRepository(env, createPullRequest)
  const config = readConfig(input, workspace, warnings)
  // The runner always passes the default api-url, so a config `host` wins over the default only.
  const apiUrlInput = input('api-url')
  const apiUrl =
    apiUrlInput && apiUrlInput !== DEFAULT_API_URL
      ? readUrl('api-url', apiUrlInput)
      : config?.config.host
        ? readUrl(`config: ${config.file}: host`, config.config.host)
        : DEFAULT_API_URL

  const base = input('base') || branchFromRef(env)
  const branch = readBranchName(input('branch') || 'phrase/translations')
  if (createPullRequest && base === branch) throw sameBranchError(branch)

  const graphqlUrl = env.GITHUB_GRAPHQL_URL || undefined
  const settings: Settings = {
    phrase: {
      token: phraseToken,
      apiUrl,
      timeoutMs: readTimeout(input) * 1000,
      maxConcurrency: readConcurrency(input, warnings)
    },
    targets: readTargets(input, config, warnings),
    github: {
      token: githubToken,
      apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
      graphqlUrl,
      owner,
      repo,
      writeSpacingMs: readWriteSpacing(env)
    },
    workspace,
    warnings,
    pullRequest: {
      create: createPullRequest,
      base,
      branch,
      commitMessage: input('commit-message') || 'chore(i18n): update translations from Phrase',
      title: input('title') || 'Update translations from Phrase',
      body: input('body'),
      labels: readList(input('labels')),
      assignees: readList(input('assignees')),
      reviewers: readList(input('reviewers')),
      teamReviewers: readList(input('team-reviewers')),
      draft: readBoolean(input, 'draft', false),
      deleteBranch: readBoolean(input, 'delete-branch', false),
      ...readAutoMerge(input, graphqlUrl)
    },
    maxKeyRemoval: readNumber(input, 'max-key-removal', 50, { min: 0, max: 100 }) / 100,
    excludeLocales: readList(input('exclude-locales')),
    checks: {
      mode: readChoice(input, 'checks', ['warn', 'fail', 'off'] as const),
      sourceLocale: input('source-locale').trim() || undefined
    }
  }
  settings.pullRequest.about = readRunAbout(env, settings.targets, apiUrl)
  return settings
}

/** The head branch is rebuilt and force-moved on every run: it can never be the base. */
export function sameBranchError(branch: string): InputError {
  return new InputError(
    `branch: "${branch}" is also the base branch; the action needs a head branch of its own (set base, or another branch)`
  )
}

function readTargets(
  input: InputReader,
  loaded: LoadedConfig | undefined,
  warnings: string[]
): Target[] {
  const locales = readList(input('locales'))
  const downloadParams = readDownloadParams(input('download-params'))
  const { tags: paramTags, branch: paramBranch, ...params } = downloadParams.params
  const tagsInput = readList(input('tags'))
  const tags = tagsInput.length > 0 ? tagsInput : readList(String(paramTags ?? ''))
  const branch = input('phrase-branch') || (paramBranch as string | undefined) || undefined
  const projectInput = input('project-id') || undefined
  const formatInput = input('file-format') || undefined
  const pathInput = input('path') || undefined
  const config = loaded?.config
  warnings.push(...describeNotes([...(config?.notes ?? []), ...downloadParams.notes]))

  if (pathInput) {
    const projectId = projectInput ?? config?.projectId
    const fileFormat = formatInput ?? config?.fileFormat
    if (!projectId) throw new InputError('Input required and not supplied: project-id')
    if (!fileFormat) throw new InputError('Input required and not supplied: file-format')
    return [
      {
        file: checked(() => resolveTemplate(pathInput, '', 'path')),
        projectId: checked(() =>
          checkProjectId(
            projectId,
            projectInput ? 'project-id' : `config: ${loaded?.file}: ${config?.root}.project_id`
          )
        ),
        fileFormat,
        locales,
        localeFilter: [],
        branch,
        tags,
        params
      }
    ]
  }
  if (!loaded || !config || config.targets.length === 0) {
    throw new InputError(
      'Input required and not supplied: path (or a config file with phrase.pull.targets)'
    )
  }
  return config.targets.map((target, i) => {
    const where = `${config.root}.pull.targets[${i}]`
    const projectId = projectInput ?? target.projectId ?? config.projectId
    const fileFormat = formatInput ?? target.fileFormat ?? config.fileFormat
    if (!projectId)
      throw new InputError(
        `${where}: no project_id (set it there, in ${config.root}.project_id or the project-id input)`
      )
    if (!fileFormat)
      throw new InputError(
        `${where}: no file_format (set params.file_format, ${config.root}.file_format or the file-format input)`
      )
    const projectSource = projectInput
      ? 'project-id'
      : `config: ${loaded.file}: ${target.projectId ? where : config.root}.project_id`
    return {
      file: checked(() =>
        resolveTemplate(target.file, loaded.baseDir, `config: ${loaded.file}: ${where}.file`)
      ),
      projectId: checked(() => checkProjectId(projectId, projectSource)),
      fileFormat,
      locales: target.localeId ? [target.localeId] : [],
      localeFilter: locales,
      branch: branch ?? target.branch,
      tags: tags.length > 0 ? tags : target.tags,
      params: { ...target.params, ...params },
      localeMapping: config.localeMapping,
      filePathBase: loaded.baseDir
    }
  })
}

/** A config file as read: its name for messages, and the directory its paths are relative to. */
interface LoadedConfig {
  file: string
  config: PhraseConfig
  /** Repository-relative directory of the file ('' at the root, or when it lies outside). */
  baseDir: string
}

/** Turns the pure checkers' errors into the input error the run reports. */
function checked<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof InputShapeError || error instanceof UnsafePathError) {
      throw new InputError(error.message)
    }
    throw error
  }
}

function readConfig(
  input: InputReader,
  workspace: string,
  warnings: string[]
): LoadedConfig | undefined {
  const named = input('config')
  const implicit = !named && !input('path') && !input('file-format')
  const candidates = named ? [named] : implicit ? DEFAULT_CONFIGS : []
  const file = candidates.find(name => existsSync(path.resolve(workspace, name)))
  if (!file) {
    if (named) throw new InputError(`config: file not found: ${named}`)
    return undefined
  }
  const full = path.resolve(workspace, file)
  let config: PhraseConfig
  try {
    config = parsePhraseConfig(readFileSync(full, 'utf8'), file)
  } catch (error) {
    if (error instanceof ConfigError) throw new InputError(`config: ${error.message}`)
    throw error
  }
  warnings.push(...config.warnings)
  // Paths are relative to the config file, as when `phrase pull` runs in its directory (the CLI
  // finds `.phrase.yml` there). A file outside the checkout has no such place: the root it is.
  const dir = path.relative(workspace, path.dirname(full)).split(path.sep).join('/')
  const baseDir =
    dir === '' || dir === '..' || dir.startsWith('../') || path.isAbsolute(dir) ? '' : dir
  return { file, config, baseDir }
}

function readDownloadParams(text: string): CheckedParams {
  if (!text.trim()) return { params: {}, notes: [] }
  let value: unknown
  try {
    value = parseYaml(text, { maxAliasCount: 50, merge: true })
  } catch (error) {
    throw new InputError(
      `download-params: not valid YAML or JSON: ${(error as Error).message.split('\n')[0]}`
    )
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      'download-params: expected a map such as {include_empty_translations: true}'
    )
  }
  for (const reserved of ['file_format', 'locale_id']) {
    if (reserved in value) {
      throw new InputError(
        `download-params: set ${reserved} with its own input, not in download-params`
      )
    }
  }
  try {
    return checkDownloadParams(value as Record<string, unknown>, 'download-params')
  } catch (error) {
    if (error instanceof DownloadParamError) throw new InputError(error.message)
    throw error
  }
}

function readRepository(env: NodeJS.ProcessEnv, required: boolean): [string, string] {
  const [owner = '', repo = ''] = (env.GITHUB_REPOSITORY ?? '').split('/')
  if (required && (!owner || !repo)) {
    throw new InputError(
      'GITHUB_REPOSITORY is not set to owner/repo: run the action inside a GitHub workflow'
    )
  }
  return [owner, repo]
}

/**
 * Not an input: GitHub asks integrations to space their writes, and a workflow has no reason to
 * change that. Tests against local doubles set it (0) so a run does not sleep between writes.
 */
function readWriteSpacing(env: NodeJS.ProcessEnv): number | undefined {
  const text = env.PHRASE_PULL_WRITE_SPACING_MS?.trim()
  if (!text) return undefined
  const value = Number(text)
  if (!Number.isInteger(value) || value < 0) {
    throw new InputError(
      `PHRASE_PULL_WRITE_SPACING_MS: expected a whole number of milliseconds, got "${text}"`
    )
  }
  return value
}

/** The branch the workflow runs on, when it runs on one (not on a tag or a pull request merge ref). */
function branchFromRef(env: NodeJS.ProcessEnv): string | undefined {
  const ref = env.GITHUB_REF ?? ''
  return ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : undefined
}

function readBranchName(name: string): string {
  // git check-ref-format rules that matter for a name we create ourselves.
  if (/(^[/.]|[/.]$|\.\.|[\s~^:?*[\\]|@\{|\/\/|\.lock$)/.test(name)) {
    throw new InputError(`branch: "${name}" is not a valid branch name`)
  }
  return name
}

function readUrl(name: string, value: string): string {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new InputError(`${name}: "${value}" is not a URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InputError(`${name}: "${value}" must be an http(s) URL`)
  }
  checked(() => checkTokenUrl(url, name))
  return value.replace(/\/+$/, '')
}

export function readList(text: string): string[] {
  return text
    .split(/[,\n]/)
    .map(item => item.trim())
    .filter(Boolean)
}

const MERGE_METHODS: readonly MergeMethod[] = ['merge', 'squash', 'rebase']

/** `auto-merge`: empty (off) or a merge method; `true` gets told which methods there are. */
function readAutoMerge(
  input: InputReader,
  graphqlUrl: string | undefined
): Pick<PullRequestSettings, 'autoMerge'> {
  const value = input('auto-merge').trim().toLowerCase()
  if (value === '' || value === 'off' || value === 'false') return {}
  const method = MERGE_METHODS.find(choice => choice === value)
  if (!method)
    throw new InputError(
      `auto-merge: expected the merge method GitHub should use (merge, squash or rebase), or nothing for off; got "${input('auto-merge').trim()}"`
    )
  return { autoMerge: { method, ...(graphqlUrl ? { graphqlUrl } : {}) } }
}

/** One of `choices` (case-insensitive); empty means the first. */
function readChoice<T extends string>(input: InputReader, name: string, choices: readonly T[]): T {
  const value = input(name).trim().toLowerCase()
  if (value === '') return choices[0]
  const found = choices.find(choice => choice === value)
  if (!found)
    throw new InputError(`${name}: expected ${choices.join(', ')}, got "${input(name).trim()}"`)
  return found
}

function readTimeout(input: InputReader): number {
  checked(() => checkTimeoutUnit(input('timeout'), 'timeout'))
  return readNumber(input, 'timeout', 600, { min: 1, max: 6 * 3600 })
}

function readBoolean(input: InputReader, name: string, fallback: boolean): boolean {
  const value = input(name).trim().toLowerCase()
  if (value === '') return fallback
  if (['true', 'yes', 'on', '1'].includes(value)) return true
  if (['false', 'no', 'off', '0'].includes(value)) return false
  throw new InputError(`${name}: expected true or false, got "${input(name)}"`)
}

/**
 * Phrase allows 4 concurrent requests per user
 * (https://developers.phrase.com/en/api/strings/rate-limiting): more only earns 429s.
 */
const PHRASE_CONCURRENCY = 4

function readConcurrency(input: InputReader, warnings: string[]): number {
  const value = readNumber(input, 'max-concurrency', PHRASE_CONCURRENCY, {
    min: 1,
    max: 100,
    integer: true
  })
  if (value <= PHRASE_CONCURRENCY) return value
  warnings.push(
    `max-concurrency: ${value} is more than Phrase allows (${PHRASE_CONCURRENCY} concurrent requests per user, more are refused with 429); using ${PHRASE_CONCURRENCY}`
  )
  return PHRASE_CONCURRENCY
}

function readNumber(
  input: InputReader,
  name: string,
  fallback: number,
  limits: { min: number; max: number; integer?: boolean }
): number {
  const text = input(name).trim()
  if (text === '') return fallback
  const value = Number(text)
  const kind = limits.integer ? 'a whole number' : 'a number'
  if (
    !Number.isFinite(value) ||
    (limits.integer && !Number.isInteger(value)) ||
    value < limits.min ||
    value > limits.max
  ) {
    throw new InputError(
      `${name}: expected ${kind} from ${limits.min} to ${limits.max}, got "${text}"`
    )
  }
  return value
}
