/** JSON translation files (simple/nested JSON, i18next, React, Angular, ARB, go-i18n). */
import { FormatError, flattenTree, isPlainObject } from './flatten.js'
import { treeParser } from './tree-diff.js'
import type { FormatParser, TranslationMap } from './types.js'

function parseJsonTree(content: string): unknown {
  let tree: unknown
  try {
    tree = JSON.parse(content)
  } catch (error) {
    // Deeply nested input overflows the stack inside JSON.parse: report it like a syntax error.
    throw new FormatError(`invalid JSON: ${(error as Error).message}`)
  }
  if (typeof tree !== 'object' || tree === null) {
    throw new FormatError('invalid translation file: the top level must be a JSON object')
  }
  return tree
}

export const jsonParser = treeParser(parseJsonTree)

/**
 * ARB (Flutter): `@key` metadata (descriptions, placeholders) matters to translators and stays;
 * `@@last_modified` is a timestamp Phrase rewrites on every export.
 */
export const arbParser = treeParser(content => {
  const tree = parseJsonTree(content)
  if (isPlainObject(tree)) delete tree['@@last_modified']
  return tree
})

/**
 * go-i18n v1 files are an array of `{ id, translation }`; keying by id (not by position) keeps
 * reordered entries equal. v2 files are plain maps and flatten like nested JSON.
 */
export const goI18nParser: FormatParser = {
  parse(content) {
    const tree = parseJsonTree(content)
    if (!Array.isArray(tree)) return flattenTree(tree)
    const map: TranslationMap = new Map()
    tree.forEach((entry, index) => {
      if (!isPlainObject(entry) || typeof entry.id !== 'string') {
        throw new FormatError(`invalid go-i18n file: entry ${index} has no string "id"`)
      }
      const { id, translation, ...rest } = entry
      if (translation !== undefined) flattenTree(translation, map, id)
      flattenTree(rest, map, id)
    })
    return map
  }
}
