/**
 * XLIFF 1.2 (`<trans-unit id>`) and 2.0 (`<unit id>` with segments). Key = unit id (prefixed
 * with the file when a document holds several `<file>`s, and with its groups' ids when the same
 * id stands in several groups); value = the target text. What else changes the unit's meaning is
 * its metadata (value.ts): the attributes of the unit, of its groups and of the target (`approved`,
 * `translate`, `state`), whether there is a target at all, the source, notes, XLIFF 2's segment
 * boundaries and original data. The target language is the document key `[locale]`.
 */
import { LOCALE_KEY } from './document-keys.js'
import { FormatError } from './flatten.js'
import type { FormatParser, TranslationMap } from './types.js'
import { withMeta } from './value.js'
import type { XmlElement } from '@rgrove/parse-xml'
import {
  attributeOf,
  attributeText,
  canonicalContent,
  elementsOf,
  readXml,
  type XmlReadOptions
} from './xml.js'

/**
 * Symfony reads XLIFF with PHP's DOMDocument (libxml2): strict XML. Angular, the main reader of
 * `xlf` and `xliff_2` files, takes a `&` that starts no reference as text.
 */
export const xliffParser = xliffReader({ lenientAmpersands: true })
export const symfonyXliffParser = xliffReader({})

function xliffReader(options: XmlReadOptions): FormatParser {
  return { parse: content => readXliff(content, options) }
}

function readXliff(content: string, options: XmlReadOptions): TranslationMap {
  const xliff = readXml(content, 'XLIFF', options)
  if (xliff.name !== 'xliff') throw new FormatError('invalid XLIFF: no <xliff> element')
  const files = elementsOf(xliff).filter(node => node.name === 'file')
  const units: Unit[] = []
  files.forEach((file, index) => {
    const fileName = attributeOf(file, 'original') ?? attributeOf(file, 'id') ?? String(index)
    collectUnits(file, files.length > 1 ? `${fileName}#` : '', [], units)
  })
  const map: TranslationMap = new Map()
  const languages = new Set(
    [
      attributeOf(xliff, 'trgLang'),
      ...files.map(file => attributeOf(file, 'target-language'))
    ].filter(language => language !== undefined)
  )
  if (languages.size > 0) map.set(LOCALE_KEY, [...languages].join(','))
  for (const [key, value] of keyed(units)) map.set(key, value)
  return map
}

interface Unit {
  prefix: string
  groups: string[]
  id: string
  value: string
}

function collectUnits(node: XmlElement, prefix: string, groups: XmlElement[], units: Unit[]): void {
  for (const child of elementsOf(node)) {
    const tag = child.name
    if (tag === 'trans-unit' || tag === 'unit') {
      const id = attributeOf(child, 'id')
      if (id === undefined) throw new FormatError(`invalid XLIFF: <${tag}> without an id`)
      const inherited = groups
        .map(group => attributeText(group, ['id']))
        .filter(Boolean)
        .join(' / ')
      const value = tag === 'unit' ? unitValue(child, inherited) : transUnitValue(child, inherited)
      units.push({ prefix, groups: groups.map(group => attributeOf(group, 'id') ?? ''), id, value })
    } else if (tag === 'group') {
      collectUnits(child, prefix, [...groups, child], units)
    } else {
      collectUnits(child, prefix, groups, units) // <body>
    }
  }
}

/** Unit ids are keys; an id found in several groups is keyed by its group path (`cart/total`). */
function keyed(units: Unit[]): Array<[string, string]> {
  const seen = new Map<string, number>()
  for (const unit of units)
    seen.set(unit.prefix + unit.id, (seen.get(unit.prefix + unit.id) ?? 0) + 1)
  const entries = new Map<string, string>()
  for (const unit of units) {
    const plain = unit.prefix + unit.id
    const key = seen.get(plain) === 1 ? plain : unit.prefix + [...unit.groups, unit.id].join('/')
    if (entries.has(key))
      throw new FormatError(`invalid XLIFF: unit id "${unit.id}" is used twice in the same place`)
    entries.set(key, unit.value)
  }
  return [...entries]
}

/** XLIFF 1.2: one source, at most one target, notes. */
function transUnitValue(unit: XmlElement, groups: string): string {
  const children = elementsOf(unit)
  const target = children.find(child => child.name === 'target')
  return withMeta(
    target ? canonicalContent(target) : '',
    metaLines({
      unit: attributeText(unit, ['id']),
      group: groups,
      target: target ? attributeText(target, []) : 'none',
      source: textOf(children, 'source'),
      notes: notesOf(children)
    })
  )
}

/**
 * XLIFF 2.0: the text a person reads is the unit's segments and ignorables in order; where one
 * ends and the next begins (and each one's state) is metadata, so `<segment>A</segment>
 * <segment>B</segment>` and `<segment>AB</segment>` differ.
 */
function unitValue(unit: XmlElement, groups: string): string {
  const children = elementsOf(unit)
  const parts = children.filter(child => ['segment', 'ignorable'].includes(child.name))
  const targets = parts.map(part => elementsOf(part).find(child => child.name === 'target'))
  const texts = targets.map(target => (target ? canonicalContent(target) : ''))
  const layout = parts.map((part, index) => {
    const attributes = attributeText(part, [])
    const target = targets[index]
    const length = target ? String(texts[index].length) : 'no target'
    const targetAttributes = target ? attributeText(target, []) : ''
    return [part.name, attributes, targetAttributes && `target ${targetAttributes}`, length]
      .filter(Boolean)
      .join(' ')
  })
  const notes = children.filter(child => child.name === 'notes').flatMap(elementsOf)
  const data = children
    .filter(child => child.name === 'originalData')
    .flatMap(elementsOf)
    .filter(child => child.name === 'data')
    .map(item => `${attributeText(item, [])}=${canonicalContent(item)}`)
    .sort()
  return withMeta(
    texts.join(''),
    metaLines({
      unit: attributeText(unit, ['id']),
      group: groups,
      parts: layout.join(' | '),
      source: JSON.stringify(parts.map(part => textOf(elementsOf(part), 'source'))),
      notes: notesOf(notes),
      data: data.join('\n')
    })
  )
}

function textOf(nodes: XmlElement[], tag: string): string {
  const node = nodes.find(child => child.name === tag)
  return node ? canonicalContent(node) : ''
}

function notesOf(nodes: XmlElement[]): string {
  return nodes
    .filter(child => child.name === 'note')
    .map(note => {
      const attributes = attributeText(note, [])
      return (attributes ? `(${attributes}) ` : '') + canonicalContent(note)
    })
    .join('\n')
}

function metaLines(lines: Record<string, string>): string {
  return Object.entries(lines)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')
}
