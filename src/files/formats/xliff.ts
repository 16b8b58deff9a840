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

export const xliffParser: FormatParser = {
  parse(content) {
    const document = parseXml(
      content,
      { preserveOrder: true, stopNodes: ['*.source', '*.target', '*.note', '*.data'] },
      'XLIFF'
    ) as OrderedNode[]
    const xliff = document.find(node => tagOf(node) === 'xliff')
    if (!xliff) throw new FormatError('invalid XLIFF: no <xliff> element')
    const files = childrenOf(xliff).filter(node => tagOf(node) === 'file')
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
}

interface Unit {
  prefix: string
  groups: string[]
  id: string
  value: string
}

function collectUnits(
  node: OrderedNode,
  prefix: string,
  groups: OrderedNode[],
  units: Unit[]
): void {
  for (const child of childrenOf(node)) {
    const tag = tagOf(child)
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
    } else if (tag !== undefined && !tag.startsWith('#')) {
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
function transUnitValue(unit: OrderedNode, groups: string): string {
  const children = childrenOf(unit)
  const target = children.find(child => tagOf(child) === 'target')
  return withMeta(
    target ? canonicalXmlText(rawTextOf(target)) : '',
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
function unitValue(unit: OrderedNode, groups: string): string {
  const children = childrenOf(unit)
  const parts = children.filter(child => ['segment', 'ignorable'].includes(tagOf(child) ?? ''))
  const targets = parts.map(part => childrenOf(part).find(child => tagOf(child) === 'target'))
  const texts = targets.map(target => (target ? canonicalXmlText(rawTextOf(target)) : ''))
  const layout = parts.map((part, index) => {
    const attributes = attributeText(part, [])
    const target = targets[index]
    const length = target ? String(texts[index].length) : 'no target'
    const targetAttributes = target ? attributeText(target, []) : ''
    return [tagOf(part), attributes, targetAttributes && `target ${targetAttributes}`, length]
      .filter(Boolean)
      .join(' ')
  })
  const notes = children.filter(child => tagOf(child) === 'notes').flatMap(childrenOf)
  const data = children
    .filter(child => tagOf(child) === 'originalData')
    .flatMap(childrenOf)
    .filter(child => tagOf(child) === 'data')
    .map(item => `${attributeText(item, [])}=${canonicalXmlText(rawTextOf(item))}`)
    .sort()
  return withMeta(
    texts.join(''),
    metaLines({
      unit: attributeText(unit, ['id']),
      group: groups,
      parts: layout.join(' | '),
      source: JSON.stringify(parts.map(part => textOf(childrenOf(part), 'source'))),
      notes: notesOf(notes),
      data: data.join('\n')
    })
  )
}

function textOf(nodes: OrderedNode[], tag: string): string {
  const node = nodes.find(child => tagOf(child) === tag)
  return node ? canonicalXmlText(rawTextOf(node)) : ''
}

function notesOf(nodes: OrderedNode[]): string {
  return nodes
    .filter(child => tagOf(child) === 'note')
    .map(note => {
      const attributes = attributeText(note, [])
      return (attributes ? `(${attributes}) ` : '') + canonicalXmlText(rawTextOf(note))
    })
    .join('\n')
}

function metaLines(lines: Record<string, string>): string {
  return Object.entries(lines)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n')
}
