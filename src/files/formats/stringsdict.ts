/**
 * `.stringsdict` (plist XML) plural rules: `<key>songs</key><dict>…` flattens to
 * `songs.NSStringLocalizedFormatKey`, `songs.count.one`, `songs.count.other`, …
 */
import { FormatError, MAX_DEPTH, scalarValue } from './flatten.js'
import type { FormatParser, TranslationMap } from './types.js'
import { childrenOf, decodeXmlText, parseXml, rawTextOf, tagOf, type OrderedNode } from './xml.js'
import { typedScalar } from './value.js'

export const stringsdictParser: FormatParser = {
  parse(content) {
    const document = parseXml(
      content,
      {
        preserveOrder: true,
        stopNodes: ['*.string', '*.key', '*.integer', '*.real', '*.date', '*.data']
      },
      'stringsdict'
    ) as OrderedNode[]
    const plist = document.find(node => tagOf(node) === 'plist')
    const root = plist && elements(childrenOf(plist))[0]
    if (!root || tagOf(root) !== 'dict')
      throw new FormatError('invalid stringsdict: no <plist><dict> root')
    const map: TranslationMap = new Map()
    addValue(map, root, '', 0)
    return map
  }
}

function addValue(map: TranslationMap, node: OrderedNode, key: string, depth: number): void {
  if (depth > MAX_DEPTH)
    throw new FormatError(`invalid stringsdict: nesting deeper than ${MAX_DEPTH} levels`)
  const tag = tagOf(node)
  if (tag === 'dict') {
    const children = elements(childrenOf(node))
    for (let i = 0; i < children.length; i += 2) {
      const [keyNode, valueNode] = [children[i], children[i + 1]]
      if (tagOf(keyNode) !== 'key' || valueNode === undefined) {
        throw new FormatError(
          `invalid stringsdict: <dict> under "${key}" does not alternate <key> and value`
        )
      }
      const name = decodeXmlText(rawTextOf(keyNode))
      addValue(map, valueNode, key === '' ? name : `${key}.${name}`, depth + 1)
    }
  } else if (tag === 'array') {
    elements(childrenOf(node)).forEach((item, index) =>
      addValue(map, item, `${key}[${index}]`, depth + 1)
    )
  } else if (tag === 'string') {
    map.set(key, decodeXmlText(rawTextOf(node)))
  } else if (tag === 'true' || tag === 'false') {
    map.set(key, scalarValue(tag === 'true'))
  } else {
    map.set(key, typedScalar(String(tag), decodeXmlText(rawTextOf(node))))
  }
}

/** Element children only: whitespace text and comments between entries are layout. */
function elements(nodes: OrderedNode[]): OrderedNode[] {
  return nodes.filter(node => {
    const tag = tagOf(node)
    return tag !== undefined && !tag.startsWith('#')
  })
}
