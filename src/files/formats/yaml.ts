/** YAML translation files: Rails (`yml`, one locale top key) and Symfony (`yml_symfony`). */
import {
  LineCounter,
  parseDocument,
  type ParseOptions,
  type SchemaOptions,
  type ToJSOptions
} from 'yaml'
import { LOCALE_KEY } from './document-keys.js'
import { FormatError, MAX_DEPTH, flattenTree, isPlainObject, scalarValue } from './flatten.js'
import { psychScalarTag } from './psych-scalars.js'
import { decodePieces, decodeText } from './decode.js'
import { diffTrees, treeParser } from './tree-diff.js'
import { FlatStream } from './flat-stream.js'
import { StreamedTreeDiff } from './tree-stream-diff.js'
import { checkAliasExpansion, duplicateKeys, LINEAR_PARSE } from './yaml-document.js'
import { setOwn, TreeBuilder } from './parts.js'
import { readYamlInParts, yamlTreeInParts, type YamlPartOptions } from './yaml-parts.js'
import { META_SEPARATOR } from './value.js'
import type { FormatParser, KeyDiff, ParseContext, TranslationMap } from './types.js'
import type { FileBytes } from '../file-bytes.js'

/** Real files use a handful of aliases; a "billion laughs" file uses thousands. */
const MAX_ALIAS_COUNT = 100

const NULL = scalarValue(null)

type YamlOptions = ParseOptions & SchemaOptions & ToJSOptions

const COMMON: YamlOptions = { maxAliasCount: MAX_ALIAS_COUNT, merge: true, ...LINEAR_PARSE }

/** Rails reads YAML with Ruby's Psych: YAML 1.1 scalars (see psych-scalars.ts). */
export const RAILS_YAML: YamlOptions = {
  ...COMMON,
  schema: 'failsafe',
  customTags: [psychScalarTag]
}

/** Symfony: the YAML 1.2 core schema, integers exact, keys of any type (see `phpKeys`). */
export const SYMFONY_YAML: YamlOptions = { ...COMMON, mapAsMap: true, intAsBigInt: true }

/**
 * `duplicates`: Psych keeps the last value of a key written twice (a Ruby Hash); Symfony's parser
 * refuses the file ("Duplicate key detected").
 */
function readYaml(content: string, options: YamlOptions, duplicates: 'last' | 'refuse'): unknown {
  // A file Phrase exports is read a part at a time; the whole document only when it must be.
  const parts = yamlTreeInParts(content, {
    read: options,
    duplicates: duplicates === 'last' ? 'last' : 'whole',
    check: doc => duplicates === 'last' || duplicateKeys(doc).length === 0
  })
  return parts ? parts.tree : readWholeYaml(content, options, duplicates)
}

/** The whole document at once: aliases, merge keys, and the error of a file that is wrong. */
function readWholeYaml(content: string, options: YamlOptions, duplicates: 'last' | 'refuse') {
  const lineCounter = new LineCounter()
  const all = { ...options, lineCounter }
  try {
    const doc = parseDocument(content, all)
    if (doc.errors.length > 0) throw doc.errors[0]
    const [duplicate] = duplicates === 'refuse' ? duplicateKeys(doc) : []
    if (duplicate) {
      const line = lineCounter.linePos(duplicate.range?.[0] ?? 0).line
      throw new FormatError(
        `invalid YAML: duplicate key "${String(duplicate.value)}" at line ${line}`
      )
    }
    checkAliasExpansion(doc)
    return doc.toJS(all)
  } catch (error) {
    if (error instanceof FormatError) throw error
    throw new FormatError(`invalid YAML: ${(error as Error).message.split('\n')[0]}`)
  }
}

function topLevelMap(tree: unknown): Record<string, unknown> {
  if (tree === null || tree === undefined || tree === NULL) return {}
  if (!isPlainObject(tree))
    throw new FormatError('invalid translation file: the top level must be a YAML map')
  return tree
}

/**
 * Symfony reads YAML 1.2 into PHP arrays, whose keys are strings or integers (`1:` and `"1":` are
 * one key); a `true:` or `~:` key is not the string key `"true"` (Symfony refuses or casts it),
 * so it keeps its YAML tag: `!!bool true`, `!!null`.
 */
export const yamlParser = treeParser(content =>
  topLevelMap(phpKeys(readYaml(content, SYMFONY_YAML, 'refuse'), 0))
)

function phpKeys(node: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new FormatError(`nesting deeper than ${MAX_DEPTH} levels`)
  if (Array.isArray(node)) return node.map(item => phpKeys(item, depth + 1))
  if (!(node instanceof Map)) return node
  const object: Record<string, unknown> = {}
  for (const [key, value] of node) setOwn(object, phpKey(key), phpKeys(value, depth + 1))
  return object
}

function phpKey(key: unknown): string {
  if (typeof key === 'string') return key
  if (typeof key === 'bigint') return String(key)
  if (typeof key === 'number') return Number.isInteger(key) ? String(key) : `!!float ${key}`
  if (typeof key === 'boolean') return `!!bool ${key}`
  if (key === null) return '!!null'
  throw new FormatError('invalid translation file: a YAML map or list as a key')
}

export const railsYamlParser: FormatParser = {
  parse: (content, context) => railsMap(content, context),
  visit(bytes, context, visitor) {
    const flat = new FlatStream({ ...railsStreaming(context), visit: visitor })
    const text = decodePieces(bytes, context.encoding)
    const read = tryParts(() => readYamlInParts(text, RAILS_PARTS, flat))
    return read !== undefined && 'parts' in read
  },
  /**
   * Reads the download in parts and compares each with the repository's tree as it comes, so
   * that a long download's tree is never held (see tree-stream-diff.ts).
   */
  diff: (previous, next, context) => railsDiff(previous, next, context)
}

/**
 * A long file goes into the map a part at a time, without a tree of the whole file. `parts`: how
 * large the parts are (tests read tiny ones).
 */
export function railsMap(
  content: string,
  context: ParseContext,
  parts?: Pick<YamlPartOptions, 'partItems' | 'lookEvery'>
): TranslationMap {
  const flat = new FlatStream(railsStreaming(context))
  const read = tryParts(() => readYamlInParts(content, { ...RAILS_PARTS, ...parts }, flat))
  if (read && 'parts' in read) return flat.map
  const tree = read ? read.whole : readWholeYaml(content, RAILS_YAML, 'last')
  return flattenTree(railsShape(tree, context))
}

/** `parts`: how large the download's parts are (tests read tiny ones). */
export function railsDiff(
  previous: FileBytes,
  next: FileBytes,
  context: ParseContext,
  parts?: Pick<YamlPartOptions, 'partItems' | 'lookEvery'>
): KeyDiff | undefined {
  try {
    // The texts in pieces: neither file is ever one string.
    const built = new TreeBuilder()
    const early = tryParts(() =>
      readYamlInParts(decodePieces(previous, context.encoding), RAILS_PARTS, built)
    )
    const tree = early ? ('whole' in early ? early.whole : built.tree) : undefined
    const before = tree
      ? railsShape(tree, context)
      : railsTree(decodeText(previous.content, context.encoding), context)
    const stream = new StreamedTreeDiff(before, railsStreaming(context))
    const options = { ...RAILS_PARTS, ...parts }
    const read = readYamlInParts(decodePieces(next, context.encoding), options, stream)
    if (!read) return undefined
    if ('parts' in read) return stream.result()
    return diffTrees(before, railsShape(read.whole, context))
  } catch {
    return undefined // the caller's full parse names the side and the problem
  }
}

const RAILS_PARTS: YamlPartOptions = { read: RAILS_YAML, duplicates: 'last', check: () => true }

/** How a Rails file read in parts maps to its tree: the locale root, keys Rails renames. */
function railsStreaming(context: ParseContext) {
  return {
    rootKey: (key: string) => (isLocaleKey(key, context) ? LOCALE_KEY : undefined),
    renamed: (key: string) => key.startsWith(META_SEPARATOR)
  }
}

/** Parts read or not; a part that fails in any way leaves the file to the whole-document path. */
function tryParts<T>(read: () => T | undefined): T | undefined {
  try {
    return read()
  } catch {
    return undefined
  }
}

function railsTree(content: string, context: ParseContext): Record<string, unknown> {
  return railsShape(readYaml(content, RAILS_YAML, 'last'), context)
}

/**
 * Rails files nest everything under the locale (`de:`); stripping it lets keys match across
 * locales and across runs. The locale itself stays as the document key `[locale]`, so a file
 * moved to another locale (`de:` → `de-DE:`) with the same keys is still a change.
 */
function railsShape(read: unknown, context: ParseContext): Record<string, unknown> {
  const tree = topLevelMap(rubyKeys(read, 0))
  const localeKey = singleLocaleKey(tree, context)
  if (localeKey === undefined) return tree
  const body = tree[localeKey]
  return { [LOCALE_KEY]: localeKey, ...(isPlainObject(body) ? body : {}) }
}

/**
 * Keys as Rails holds them: I18n symbolizes string keys, so `:foo:` and `foo:` name one key;
 * a key Psych reads as another type (`no:` is `false`, `1:` is 1) is a different key from the
 * string, and gets the YAML tag of its type: `!!bool false`, `!!int 1`.
 */
function rubyKeys(node: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new FormatError(`nesting deeper than ${MAX_DEPTH} levels`)
  if (Array.isArray(node)) return node.map(item => rubyKeys(item, depth + 1))
  if (!isPlainObject(node)) return node
  const keys = Object.keys(node)
  // No key to rename (the usual file): the map stays, not copied (half a million keys, say).
  if (!keys.some(key => key.startsWith(META_SEPARATOR))) {
    for (const key of keys) {
      const value = node[key]
      const inner = rubyKeys(value, depth + 1)
      if (inner !== value) setOwn(node, key, inner)
    }
    return node
  }
  const renamed: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    setOwn(renamed, rubyKey(key), rubyKeys(value, depth + 1))
  }
  return renamed
}

const TYPE_TAGS: Record<string, string> = {
  boolean: '!!bool',
  integer: '!!int',
  float: '!!float',
  object: '!!null',
  date: '!!timestamp',
  time: '!!timestamp'
}

function rubyKey(key: string): string {
  if (!key.startsWith(META_SEPARATOR)) return key
  const colon = key.indexOf(':')
  const type = key.slice(1, colon)
  const value = key.slice(colon + 1)
  if (type === 'symbol') return value
  return type === 'object' ? '!!null' : `${TYPE_TAGS[type] ?? `!!${type}`} ${value}`
}

function singleLocaleKey(tree: Record<string, unknown>, context: ParseContext): string | undefined {
  const keys = Object.keys(tree)
  if (keys.length !== 1) return undefined
  const [key] = keys
  const value = tree[key]
  if (value !== NULL && !isPlainObject(value)) return undefined
  return isLocaleKey(key, context) ? key : undefined
}

function isLocaleKey(key: string, context: ParseContext): boolean {
  return sameLocale(key, context.localeName) || LOCALE_CODE.test(key)
}

/** `en`, `pt-BR`, `zh_Hant_TW`, `sr-Latn`: the shapes Phrase locale codes take. */
const LOCALE_CODE = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/i

function sameLocale(key: string, localeName: string | undefined): boolean {
  const normalise = (value: string) => value.toLowerCase().replace(/_/g, '-')
  return localeName !== undefined && normalise(key) === normalise(localeName)
}
