/**
 * Reads the Phrase CLI config (`.phrase.yml`) into pull targets, so teams keep the file they already
 * have. Strict on purpose: an unknown key is usually a typo that would silently pull the wrong files.
 */
import { isMap, isScalar, LineCounter, parseDocument, type Node, type YAMLMap } from 'yaml'

export interface ConfigTarget {
  file: string
  projectId?: string
  fileFormat?: string
  localeId?: string
  tags: string[]
  branch?: string
  /** Every other `params` entry, passed to the download request as is. */
  params: Record<string, unknown>
}

export interface PhraseConfig {
  projectId?: string
  fileFormat?: string
  /** `phrase.host`: the CLI's name for the API base URL. */
  host?: string
  targets: ConfigTarget[]
  /** Set when the file holds an access token: it is never read, the caller warns. */
  hasAccessToken: boolean
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

const PHRASE_KEYS = new Set([
  'access_token',
  'project_id',
  'file_format',
  'host',
  'per_page',
  'pull',
  'push',
  'defaults',
  'locale_id',
  'branch',
  'username',
  'tfa',
  'tfa_token',
  'verbose',
  'debug'
])
const PULL_KEYS = new Set(['targets'])
const TARGET_KEYS = new Set(['file', 'project_id', 'params'])

export function parsePhraseConfig(text: string, fileName: string): PhraseConfig {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false })
  const at = (node: Node | null | undefined): string => {
    const offset = node?.range?.[0]
    return offset === undefined ? fileName : `${fileName}:${lines.linePos(offset).line}`
  }
  if (doc.errors.length > 0) {
    const first = doc.errors[0]
    const line = lines.linePos(first.pos[0]).line
    throw new ConfigError(`${fileName}:${line}: invalid YAML: ${first.message.split('\n')[0]}`)
  }
  // Resolving once with an alias cap keeps a hostile file (alias bomb) from exhausting memory.
  const data = doc.toJS({ maxAliasCount: 50 }) as { phrase?: Record<string, unknown> }
  const root = doc.contents
  if (!isMap(root))
    throw new ConfigError(`${fileName}: expected a mapping with a top-level "phrase" key`)
  const phrase = root.get('phrase', true)
  if (!isMap(phrase)) throw new ConfigError(`${at(root)}: expected a top-level "phrase" mapping`)
  checkKeys(phrase, PHRASE_KEYS, 'phrase', at)

  const pull = phrase.get('pull', true)
  let targets: ConfigTarget[] = []
  if (pull !== undefined) {
    if (!isMap(pull)) throw new ConfigError(`${at(pull as Node)}: "phrase.pull" must be a mapping`)
    checkKeys(pull, PULL_KEYS, 'phrase.pull', at)
    const list = (data.phrase?.pull as { targets?: unknown } | undefined)?.targets
    const nodes = (pull.get('targets', true) as { items?: Node[] } | undefined)?.items ?? []
    if (list !== undefined && !Array.isArray(list)) {
      throw new ConfigError(`${at(pull)}: "phrase.pull.targets" must be a list`)
    }
    targets = (list ?? []).map((item: unknown, i: number) =>
      readTarget(item, nodes[i], `phrase.pull.targets[${i}]`, at)
    )
  }

  const json = data.phrase ?? {}
  return {
    projectId: optionalString(json.project_id, 'phrase.project_id', at(phrase)),
    fileFormat: optionalString(json.file_format, 'phrase.file_format', at(phrase)),
    host: optionalString(json.host, 'phrase.host', at(phrase)),
    targets,
    hasAccessToken: json.access_token !== undefined && json.access_token !== null
  }
}

function readTarget(
  value: unknown,
  node: Node | undefined,
  where: string,
  at: (node: Node | null | undefined) => string
): ConfigTarget {
  if (!isMap(node) || typeof value !== 'object' || value === null) {
    throw new ConfigError(`${at(node)}: ${where} must be a mapping with "file" and "params"`)
  }
  checkKeys(node, TARGET_KEYS, where, at)
  const target = value as Record<string, unknown>
  const file = optionalString(target.file, `${where}.file`, at(node))
  if (!file) throw new ConfigError(`${at(node)}: ${where}.file is required`)
  const params = target.params ?? {}
  if (typeof params !== 'object' || Array.isArray(params) || params === null) {
    throw new ConfigError(`${at(node)}: ${where}.params must be a mapping`)
  }
  const { file_format, locale_id, tags, branch, ...rest } = params as Record<string, unknown>
  return {
    file,
    projectId: optionalString(target.project_id, `${where}.project_id`, at(node)),
    fileFormat: optionalString(file_format, `${where}.params.file_format`, at(node)),
    localeId: optionalString(locale_id, `${where}.params.locale_id`, at(node)),
    tags: splitTags(tags, `${where}.params.tags`, at(node)),
    branch: optionalString(branch, `${where}.params.branch`, at(node)),
    params: rest
  }
}

function checkKeys(
  map: YAMLMap,
  allowed: Set<string>,
  where: string,
  at: (node: Node | null | undefined) => string
): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    if (!allowed.has(key)) {
      const known = [...allowed].join(', ')
      throw new ConfigError(
        `${at(pair.key as Node)}: unknown key "${key}" in ${where} (known: ${known})`
      )
    }
  }
}

function optionalString(value: unknown, name: string, where: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  throw new ConfigError(`${where}: ${name} must be a string`)
}

function splitTags(value: unknown, name: string, where: string): string[] {
  if (value === undefined || value === null) return []
  if (Array.isArray(value)) return value.map(tag => String(tag).trim()).filter(Boolean)
  if (typeof value === 'string')
    return value
      .split(',')
      .map(tag => tag.trim())
      .filter(Boolean)
  throw new ConfigError(`${where}: ${name} must be a comma-separated string or a list`)
}
