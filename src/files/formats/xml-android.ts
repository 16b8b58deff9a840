/**
 * Android `strings.xml`: `<string name>` → `name`, `<plurals>` items → `name.one`, arrays →
 * `name[0]`; other resource types → `type/name`. `translatable="false"` strings are kept: they
 * are still file content a reviewer should see change.
 */
import { FormatError } from './flatten.js'
import type { FormatParser, TranslationMap } from './types.js'
import {
  attributeOf,
  canonicalXmlText,
  childrenOf,
  parseXml,
  rawTextOf,
  tagOf,
  type OrderedNode
} from './xml.js'

const ARRAY_TAGS = ['string-array', 'array', 'integer-array']

export const androidXmlParser: FormatParser = {
  parse(content) {
    const document = parseXml(
      content,
      {
        preserveOrder: true,
        // Values may hold markup: read them raw (see xml.ts). Other resource types are plain text.
        stopNodes: [
          'resources.string',
          ...['plurals', ...ARRAY_TAGS].map(tag => `resources.${tag}.item`)
        ]
      },
      'Android XML'
    ) as OrderedNode[]
    const resources = document.find(node => tagOf(node) === 'resources')
    if (!resources) throw new FormatError('invalid Android XML: no <resources> element')
    const map: TranslationMap = new Map()
    for (const resource of childrenOf(resources)) addResource(map, resource)
    return map
  }
}

function addResource(map: TranslationMap, resource: OrderedNode): void {
  const tag = tagOf(resource)
  if (tag === undefined || tag === '#text' || tag === '#comment') return
  const name = attributeOf(resource, 'name')
  if (name === undefined) throw new FormatError(`invalid Android XML: <${tag}> without a name`)
  const product = attributeOf(resource, 'product')
  const key = product === undefined ? name : `${name}@${product}`
  if (tag === 'string') {
    map.set(key, canonicalXmlText(rawTextOf(resource)))
  } else if (tag === 'plurals') {
    for (const item of items(resource)) {
      const quantity = attributeOf(item, 'quantity')
      if (quantity === undefined)
        throw new FormatError(`invalid Android XML: plural "${name}" has an item without quantity`)
      map.set(`${key}.${quantity}`, canonicalXmlText(rawTextOf(item)))
    }
  } else if (ARRAY_TAGS.includes(tag)) {
    items(resource).forEach((item, index) =>
      map.set(`${key}[${index}]`, canonicalXmlText(rawTextOf(item)))
    )
  } else {
    map.set(`${tag}/${key}`, rawTextOf(resource))
  }
}

function items(resource: OrderedNode): OrderedNode[] {
  return childrenOf(resource).filter(child => tagOf(child) === 'item')
}
