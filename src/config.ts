/**
 * Reads the Phrase CLI config (`.phrase.yml`, or the older `.phraseapp.yml` with a `phraseapp:`
 * root) into pull targets the way the CLI reads it (phrase/phrase-go `config.go`, phrase/phrase-cli
 * `pull_target.go`), so teams keep the file they already have. Keys the CLI rejects are rejected
 * here too, with the line and the closest known key: an unknown key is usually a typo that would
 * silently pull the wrong files.
 */
import { LineCounter, parseDocument, visit, type Document, type Node } from 'yaml'
import { checkDownloadParams, DownloadParamError, type ParamNote } from './download-params.js'
import {
  AliasExpansionError,
  checkAliasExpansion,
  duplicateKeys,
  LINEAR_PARSE
} from './files/formats/yaml-document.js'
import { didYouMean } from './suggest.js'
import { YamlTree } from './yaml-tree.js'

export interface ConfigTarget {
  /** The path template as written: relative to the directory of the config file. */
  file: string
  projectId?: string
  /** `params.file_format`, else the target's own `file_format`. */
  fileFormat?: string
  localeId?: string
  /** `params.tags`, else the deprecated `params.tag`. */
  tags: string[]
  branch?: string
  /** The other `params`, checked against Phrase's async download fields. */
  params: Record<string, unknown>
}

export interface PhraseConfig {
  /** `phrase`, or `phraseapp` in the older files: the prefix of every key in messages. */
  root: string
  projectId?: string
  fileFormat?: string
  /** `host`: the CLI's name for the API base URL. */
  host?: string
  /** Phrase locale name → the name `<locale_name>` stands for in paths. */
  localeMapping: Record<string, string>
  targets: ConfigTarget[]
  /** What is read but not used (access tokens), for the caller to report. */
  warnings: string[]
  /** Download params that are not sent as written. */
  notes: ParamNote[]
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** The roots the CLI accepts, in the order it looks for them. */
const ROOTS = ['phrase', 'phraseapp']
/** phrase-go `Config.UnmarshalYAML`: every other key fails the CLI's run too. */
const ROOT_KEYS = [
  'access_token',
  'host',
  'debug',
  'page',
  'per_page',
  'project_id',
  'file_format',
  'push',
  'pull',
  'locale_mapping',
  'defaults'
]
const PULL_KEYS = ['targets']
/** phrase-cli `Target`: file, project_id, access_token, file_format, params. */
const TARGET_KEYS = ['file', 'project_id', 'access_token', 'file_format', 'params']

type Json = Record<string, unknown>

export function parsePhraseConfig(text: string, fileName: string): PhraseConfig {
  const lines = new LineCounter()
  // Merge keys (`<<: *defaults`) as the CLI's YAML 1.1 reader resolves them.
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    merge: true,
    ...LINEAR_PARSE
  })
  if (doc.errors.length > 0) {
    const first = doc.errors[0]
    const line = lines.linePos(first.pos[0]).line
    throw new ConfigError(`${fileName}:${line}: invalid YAML: ${first.message.split('\n')[0]}`)
  }
  try {
    checkAliasExpansion(doc)
  } catch (error) {
    if (error instanceof AliasExpansionError) throw new ConfigError(`${fileName}: ${error.message}`)
    throw error
  }
  keepNumericLookingText(doc)
  const tree = new YamlTree(doc, lines, fileName)
  // Resolving once with an alias cap keeps a hostile file (alias bomb) from exhausting memory.
  const data = doc.toJS({ maxAliasCount: 50 }) as unknown
  const rootKey = isObject(data) ? ROOTS.find(key => key in data) : undefined
  if (!isObject(data) || rootKey === undefined) {
    throw new ConfigError(`${fileName}: expected a top-level "phrase" (or "phraseapp") mapping`)
  }
  const rootNode = tree.child(doc.contents, rootKey)
  const root = data[rootKey]
  if (!isObject(root)) throw new ConfigError(`${tree.at(rootNode)}: "${rootKey}" must be a mapping`)
  checkKeys(tree, root, rootNode, ROOT_KEYS, rootKey)

  const warnings = duplicateKeys(doc).map(
    key =>
      `${tree.at(key)}: "${String(key.value)}" is written twice in its mapping; the last value is used, as the Phrase CLI (yaml.v2) does`
  )
  if (present(root.access_token)) warnings.push(tokenWarning(fileName, `${rootKey}.access_token`))
  const config: PhraseConfig = {
    root: rootKey,
    projectId: optionalString(root.project_id, `${rootKey}.project_id`, tree.at(rootNode)),
    fileFormat: optionalString(root.file_format, `${rootKey}.file_format`, tree.at(rootNode)),
    host: optionalString(root.host, `${rootKey}.host`, tree.at(rootNode)),
    localeMapping: readLocaleMapping(
      root.locale_mapping,
      `${rootKey}.locale_mapping`,
      tree,
      rootNode
    ),
    targets: [],
    warnings,
    notes: []
  }

  if (!present(root.pull)) return config
  const pullNode = tree.child(rootNode, 'pull')
  if (!isObject(root.pull))
    throw new ConfigError(`${tree.at(pullNode)}: "${rootKey}.pull" must be a mapping`)
  checkKeys(tree, root.pull, pullNode, PULL_KEYS, `${rootKey}.pull`)
  const list = root.pull.targets
  const listNode = tree.child(pullNode, 'targets')
  if (!present(list)) return config
  if (!Array.isArray(list)) {
    throw new ConfigError(`${tree.at(listNode)}: "${rootKey}.pull.targets" must be a list`)
  }
  list.forEach((item: unknown, i: number) => {
    // The CLI skips an empty list entry (`- ` alone) rather than failing.
    if (item === null || item === undefined) return
    const where = `${rootKey}.pull.targets[${i}]`
    const node = tree.item(listNode, i)
    config.targets.push(readTarget(item, node, where, tree, config))
  })
  return config
}

function readTarget(
  value: unknown,
  node: Node | undefined,
  where: string,
  tree: YamlTree,
  config: PhraseConfig
): ConfigTarget {
  const at = tree.at(node)
  if (!isObject(value))
    throw new ConfigError(`${at}: ${where} must be a mapping with "file" and "params"`)
  checkKeys(tree, value, node, TARGET_KEYS, where)
  if (present(value.access_token)) {
    config.warnings.push(tokenWarning(tree.fileName, `${where}.access_token`))
  }
  const file = optionalString(value.file, `${where}.file`, at)
  if (!file?.trim()) throw new ConfigError(`${at}: ${where}.file is required`)
  checkPlaceholders(file, `${tree.at(tree.child(node, 'file') ?? node)}: ${where}.file`)

  const rawParams = value.params ?? {}
  const paramsNode = tree.child(node, 'params')
  if (!isObject(rawParams))
    throw new ConfigError(`${tree.at(paramsNode)}: ${where}.params must be a mapping`)
  const { locale_id, ...downloadParams } = rawParams
  let checked
  try {
    checked = checkDownloadParams(downloadParams, `${where}.params`)
  } catch (error) {
    if (!(error instanceof DownloadParamError)) throw error
    throw new ConfigError(
      `${tree.at(tree.keyNode(paramsNode, error.key) ?? paramsNode)}: ${error.message}`
    )
  }
  config.notes.push(...checked.notes)
  const { file_format, tags, branch, ...params } = checked.params
  const localeId = optionalString(locale_id, `${where}.params.locale_id`, at)
  checkLocaleSource(file, localeId, `${at}: ${where}`)
  return {
    file,
    projectId: optionalString(value.project_id, `${where}.project_id`, at),
    fileFormat:
      (file_format as string | undefined) ??
      optionalString(value.file_format, `${where}.file_format`, at),
    localeId,
    tags: typeof tags === 'string' ? splitTags(tags) : [],
    branch: (branch as string | undefined) || undefined,
    params
  }
}

const PLACEHOLDERS = ['<locale_name>', '<locale_code>', '<tag>']

/** phrase-cli pull_target.go containsDuplicatePlaceholders: each placeholder at most once. */
function checkPlaceholders(file: string, where: string): void {
  const twice = PLACEHOLDERS.filter(name => file.split(name).length > 2)
  if (twice.length > 0) {
    throw new ConfigError(
      `${where} ${JSON.stringify(file)} uses ${twice.join(', ')} more than once; the Phrase CLI refuses a placeholder used twice in one path`
    )
  }
}

/**
 * phrase-cli pull_target.go containsAmbiguousLocaleInformation: a target names its locale either
 * with `params.locale_id` or with a placeholder in its path, never both and never neither; the
 * CLI refuses either whatever the project holds (a one-locale project is no exception, or the
 * config would break the day a second locale is added).
 */
function checkLocaleSource(file: string, localeId: string | undefined, where: string): void {
  const placeholder = file.includes('<locale_name>') || file.includes('<locale_code>')
  if (localeId === undefined && !placeholder) {
    throw new ConfigError(
      `${where}: no locale information: set params.locale_id, or put <locale_name> or <locale_code> in the file path (${JSON.stringify(file)}), as the Phrase CLI requires`
    )
  }
  if (localeId !== undefined && placeholder) {
    throw new ConfigError(
      `${where}: both params.locale_id (${localeId}) and a <locale_name> or <locale_code> placeholder in ${JSON.stringify(file)}: the Phrase CLI accepts only one of them per target`
    )
  }
}

function readLocaleMapping(
  value: unknown,
  name: string,
  tree: YamlTree,
  parent: Node | undefined
): Record<string, string> {
  if (!present(value)) return {}
  const at = tree.at(tree.child(parent, 'locale_mapping') ?? parent)
  if (!isObject(value))
    throw new ConfigError(`${at}: ${name} must map Phrase locale names to names`)
  const mapping: Record<string, string> = {}
  for (const [remote, local] of Object.entries(value)) {
    // phrase-go ConvertToStringMap: strings, booleans and numbers are written as text.
    if (!['string', 'number', 'boolean'].includes(typeof local)) {
      throw new ConfigError(`${at}: ${name}.${remote} must be a name, got ${JSON.stringify(local)}`)
    }
    mapping[remote] = String(local)
  }
  return mapping
}

/**
 * IDs are hexadecimal and may look like numbers (`012345…`, `1e5`, or too many digits for a
 * double): a plain scalar whose number would not print as written is kept as the text written.
 */
function keepNumericLookingText(doc: Document): void {
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value === 'number' && node.source && String(node.value) !== node.source) {
        node.value = node.source
      }
    }
  })
}

function tokenWarning(fileName: string, key: string): string {
  return `${fileName} contains ${key}: it is ignored. Pass the token with the api-token input from a secret, and remove it from the file.`
}

function checkKeys(
  tree: YamlTree,
  value: Json,
  node: Node | undefined,
  allowed: string[],
  where: string
): void {
  for (const key of Object.keys(value)) {
    if (allowed.includes(key)) continue
    throw new ConfigError(
      `${tree.at(tree.keyNode(node, key) ?? node)}: unknown key "${key}" in ${where}${didYouMean(key, allowed)} (known: ${allowed.join(', ')})`
    )
  }
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null
}

function optionalString(value: unknown, name: string, where: string): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string' || typeof value === 'number') return String(value)
  throw new ConfigError(`${where}: ${name} must be a string`)
}

function splitTags(value: string): string[] {
  return value
    .split(',')
    .map(tag => tag.trim())
    .filter(Boolean)
}
