/** YAML translation files: Rails (`yml`, one locale top key) and Symfony (`yml_symfony`). */
import { parse, type ParseOptions, type SchemaOptions, type ToJSOptions } from 'yaml'
import { LOCALE_KEY } from './document-keys.js'
import { FormatError, MAX_DEPTH, isPlainObject, scalarValue } from './flatten.js'
import { psychScalarTag } from './psych-scalars.js'
import { treeParser } from './tree-diff.js'
import { META_SEPARATOR } from './value.js'
import type { ParseContext } from './types.js'

/** Real files use a handful of aliases; a "billion laughs" file uses thousands. */
const MAX_ALIAS_COUNT = 100

/** Rails reads YAML with Ruby's Psych: YAML 1.1 scalars (see psych-scalars.ts). */
const PSYCH: SchemaOptions = { schema: 'failsafe', customTags: [psychScalarTag] }
const NULL = scalarValue(null)

function readYaml(content: string, options: ParseOptions & SchemaOptions & ToJSOptions): unknown {
  try {
    return parse(content, {
      maxAliasCount: MAX_ALIAS_COUNT,
      merge: true,
      // The library checks each key against every earlier key of its map (quadratic: 60,000 keys
      // took minutes). Psych takes duplicates too, the last one wins, as it does here.
      uniqueKeys: false,
      logLevel: 'error',
      ...options
    })
  } catch (error) {
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
  topLevelMap(phpKeys(readYaml(content, { mapAsMap: true }), 0))
)

function phpKeys(node: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new FormatError(`nesting deeper than ${MAX_DEPTH} levels`)
  if (Array.isArray(node)) return node.map(item => phpKeys(item, depth + 1))
  if (!(node instanceof Map)) return node
  const object: Record<string, unknown> = {}
  for (const [key, value] of node) setOwn(object, phpKey(key), phpKeys(value, depth + 1))
  return object
}

/** `object[key] = value`, also for a key named `__proto__` (data, not the prototype). */
function setOwn(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true
  })
}

function phpKey(key: unknown): string {
  if (typeof key === 'string') return key
  if (typeof key === 'number') return Number.isInteger(key) ? String(key) : `!!float ${key}`
  if (typeof key === 'boolean') return `!!bool ${key}`
  if (key === null) return '!!null'
  throw new FormatError('invalid translation file: a YAML map or list as a key')
}

/**
 * Rails files nest everything under the locale (`de:`); stripping it lets keys match across
 * locales and across runs. The locale itself stays as the document key `[locale]`, so a file
 * moved to another locale (`de:` → `de-DE:`) with the same keys is still a change.
 */
export const railsYamlParser = treeParser((content, context) => {
  const tree = topLevelMap(rubyKeys(readYaml(content, PSYCH), 0))
  const localeKey = singleLocaleKey(tree, context)
  if (localeKey === undefined) return tree
  const body = tree[localeKey]
  return { [LOCALE_KEY]: localeKey, ...(isPlainObject(body) ? body : {}) }
})

/**
 * Keys as Rails holds them: I18n symbolizes string keys, so `:foo:` and `foo:` name one key;
 * a key Psych reads as another type (`no:` is `false`, `1:` is 1) is a different key from the
 * string, and gets the YAML tag of its type: `!!bool false`, `!!int 1`.
 */
function rubyKeys(node: unknown, depth: number): unknown {
  if (depth > MAX_DEPTH) throw new FormatError(`nesting deeper than ${MAX_DEPTH} levels`)
  if (Array.isArray(node)) return node.map(item => rubyKeys(item, depth + 1))
  if (!isPlainObject(node)) return node
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
  return sameLocale(key, context.localeName) || LOCALE_CODE.test(key) ? key : undefined
}

/** `en`, `pt-BR`, `zh_Hant_TW`, `sr-Latn`: the shapes Phrase locale codes take. */
const LOCALE_CODE = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/i

function sameLocale(key: string, localeName: string | undefined): boolean {
  const normalise = (value: string) => value.toLowerCase().replace(/_/g, '-')
  return localeName !== undefined && normalise(key) === normalise(localeName)
}
