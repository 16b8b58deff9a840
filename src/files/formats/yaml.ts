/** YAML translation files: Rails (`yml`, one locale top key) and Symfony (`yml_symfony`). */
import { parse } from 'yaml'
import { FormatError, isPlainObject } from './flatten.js'
import { treeParser } from './tree-diff.js'
import type { ParseContext } from './types.js'

/** Real files use a handful of aliases; a "billion laughs" file uses thousands. */
const MAX_ALIAS_COUNT = 100

function parseYamlTree(content: string): Record<string, unknown> {
  let tree: unknown
  try {
    tree = parse(content, { maxAliasCount: MAX_ALIAS_COUNT, merge: true, logLevel: 'error' })
  } catch (error) {
    throw new FormatError(`invalid YAML: ${(error as Error).message.split('\n')[0]}`)
  }
  if (tree === null || tree === undefined) return {}
  if (!isPlainObject(tree))
    throw new FormatError('invalid translation file: the top level must be a YAML map')
  return tree
}

export const yamlParser = treeParser(parseYamlTree)

/**
 * Rails files nest everything under the locale (`de:`); stripping it lets keys match across
 * locales and across runs in which the locale was renamed.
 */
export const railsYamlParser = treeParser((content, context) => {
  const tree = parseYamlTree(content)
  const localeKey = singleLocaleKey(tree, context)
  return localeKey === undefined ? tree : (tree[localeKey] ?? {})
})

function singleLocaleKey(tree: Record<string, unknown>, context: ParseContext): string | undefined {
  const keys = Object.keys(tree)
  if (keys.length !== 1) return undefined
  const [key] = keys
  const value = tree[key]
  if (value !== null && !isPlainObject(value)) return undefined
  return sameLocale(key, context.localeName) || LOCALE_CODE.test(key) ? key : undefined
}

/** `en`, `pt-BR`, `zh_Hant_TW`, `sr-Latn`: the shapes Phrase locale codes take. */
const LOCALE_CODE = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/i

function sameLocale(key: string, localeName: string | undefined): boolean {
  const normalise = (value: string) => value.toLowerCase().replace(/_/g, '-')
  return localeName !== undefined && normalise(key) === normalise(localeName)
}
