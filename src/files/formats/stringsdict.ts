/**
 * `.stringsdict` (plist XML) plural rules: `<key>songs</key><dict>…` flattens to
 * `songs.NSStringLocalizedFormatKey`, `songs.count.one`, `songs.count.other`, …
 */
import { FormatError, MAX_DEPTH, scalarValue } from './flatten.js'
import type { FormatParser, TranslationMap } from './types.js'
import type { XmlElement } from '@rgrove/parse-xml'
import { elementsOf, plainText, readXml } from './xml.js'
import { typedScalar } from './value.js'

export const stringsdictParser: FormatParser = {
  parse(content) {
    const plist = readXml(content, 'stringsdict')
    const root = plist.name === 'plist' ? elementsOf(plist)[0] : undefined
    if (!root || root.name !== 'dict')
      throw new FormatError('invalid stringsdict: no <plist><dict> root')
    const map: TranslationMap = new Map()
    addValue(map, root, '', 0)
    return map
  }
}

function addValue(map: TranslationMap, node: XmlElement, key: string, depth: number): void {
  if (depth > MAX_DEPTH)
    throw new FormatError(`invalid stringsdict: nesting deeper than ${MAX_DEPTH} levels`)
  const tag = node.name
  if (tag === 'dict') {
    const children = elementsOf(node)
    for (let i = 0; i < children.length; i += 2) {
      const [keyNode, valueNode] = [children[i], children[i + 1]]
      if (keyNode.name !== 'key' || valueNode === undefined) {
        throw new FormatError(
          `invalid stringsdict: <dict> under "${key}" does not alternate <key> and value`
        )
      }
      const name = plainText(keyNode, 'stringsdict')
      addValue(map, valueNode, key === '' ? name : `${key}.${name}`, depth + 1)
    }
  } else if (tag === 'array') {
    elementsOf(node).forEach((item, index) => addValue(map, item, `${key}[${index}]`, depth + 1))
  } else if (tag === 'string') {
    map.set(key, plainText(node, 'stringsdict'))
  } else if (tag === 'true' || tag === 'false') {
    map.set(key, scalarValue(tag === 'true'))
  } else {
    map.set(key, typedScalar(tag, plainText(node, 'stringsdict')))
  }
}
