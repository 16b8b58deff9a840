/**
 * Android `strings.xml`: `<string name>` → `name`, `<plurals>` items → `name.one`, arrays →
 * `name[0]`; other resource types → `type/name`. `translatable="false"` strings are kept: they
 * are still file content a reviewer should see change. Attributes other than those that name the
 * resource (`formatted="false"`, `translatable`, `tools:ignore`, an `<item>`'s `type`/`format`)
 * change how the build reads the value: they are its metadata (value.ts), inherited by items.
 * A resource defined twice fails the build (aapt2 "duplicate resource"), so it is refused here.
 */
import { FormatError } from './flatten.js'
import type { FormatParser, TranslationMap } from './types.js'
import { withMeta } from './value.js'
import {
  attributeOf,
  attributeText,
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
  const meta = attributeText(resource, NAMING)
  const set = (entryKey: string, text: string, itemMeta = meta) => {
    if (map.has(entryKey))
      throw new FormatError(`invalid Android XML: "${entryKey}" is defined twice`)
    map.set(entryKey, withMeta(text, itemMeta))
  }
  if (tag === 'string') {
    set(key, canonicalXmlText(rawTextOf(resource)))
  } else if (tag === 'plurals') {
    for (const item of items(resource)) {
      const quantity = attributeOf(item, 'quantity')
      if (quantity === undefined)
        throw new FormatError(`invalid Android XML: plural "${name}" has an item without quantity`)
      set(
        `${key}.${quantity}`,
        canonicalXmlText(rawTextOf(item)),
        joinMeta(meta, attributeText(item, ['quantity']))
      )
    }
  } else if (ARRAY_TAGS.includes(tag)) {
    items(resource).forEach((item, index) =>
      set(
        `${key}[${index}]`,
        canonicalXmlText(rawTextOf(item)),
        joinMeta(meta, attributeText(item, []))
      )
    )
  } else {
    set(`${tag}/${key}`, rawTextOf(resource))
  }
}

/** Attributes that make the key, not the meaning. */
const NAMING = ['name', 'product']

function joinMeta(...parts: string[]): string {
  return parts.filter(part => part !== '').join(' ')
}

function items(resource: OrderedNode): OrderedNode[] {
  return childrenOf(resource).filter(child => tagOf(child) === 'item')
}
