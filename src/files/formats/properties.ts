/** Java `.properties` (via dot-properties) and XML properties (`<entry key>`). */
import { parseLines } from 'dot-properties'
import { FormatError } from './flatten.js'
import type { FormatParser, TranslationMap } from './types.js'
import { attributeOf, elementsOf, plainText, readXml } from './xml.js'

export const propertiesParser: FormatParser = {
  parse(content) {
    const map: TranslationMap = new Map()
    // parseLines yields comments and blank lines as strings, pairs as [key, value].
    for (const line of parseLines(content)) if (Array.isArray(line)) map.set(line[0], line[1])
    return map
  }
}

export const propertiesXmlParser: FormatParser = {
  parse(content) {
    const properties = readXml(content, 'XML properties')
    if (properties.name !== 'properties')
      throw new FormatError('invalid XML properties: no <properties> element')
    const map: TranslationMap = new Map()
    for (const entry of elementsOf(properties).filter(node => node.name === 'entry')) {
      const key = attributeOf(entry, 'key')
      if (key === undefined) throw new FormatError('invalid XML properties: <entry> without a key')
      map.set(key, plainText(entry, 'XML properties'))
    }
    return map
  }
}
