/**
 * XLIFF 1.2 (`<trans-unit id>`) and 2.0 (`<unit id>` with segments). Key = unit id (prefixed
 * with the file when a document holds several `<file>`s); value = the target. The source, the
 * target state and notes are annotations of the value: when they change the file means
 * something else, although the translation itself did not move.
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

const ANNOTATION_SEPARATOR = '\u0000'

export const xliffParser: FormatParser = {
  parse(content) {
    const document = parseXml(
      content,
      { preserveOrder: true, stopNodes: ['*.source', '*.target', '*.note'] },
      'XLIFF'
    ) as OrderedNode[]
    const xliff = document.find(node => tagOf(node) === 'xliff')
    if (!xliff) throw new FormatError('invalid XLIFF: no <xliff> element')
    const files = childrenOf(xliff).filter(node => tagOf(node) === 'file')
    const map: TranslationMap = new Map()
    files.forEach((file, index) => {
      const fileName = attributeOf(file, 'original') ?? attributeOf(file, 'id') ?? String(index)
      collectUnits(file, files.length > 1 ? `${fileName}#` : '', map)
    })
    return map
  }
}

function collectUnits(node: OrderedNode, prefix: string, map: TranslationMap): void {
  for (const child of childrenOf(node)) {
    const tag = tagOf(child)
    if (tag === 'trans-unit' || tag === 'unit') {
      const id = attributeOf(child, 'id')
      if (id === undefined) throw new FormatError(`invalid XLIFF: <${tag}> without an id`)
      map.set(prefix + id, tag === 'unit' ? unitValue(child) : transUnitValue(child))
    } else if (tag !== undefined && !tag.startsWith('#')) {
      collectUnits(child, prefix, map) // <body>, <group>
    }
  }
}

/** XLIFF 1.2: one source, one target, notes. */
function transUnitValue(unit: OrderedNode): string {
  const children = childrenOf(unit)
  const target = children.find(child => tagOf(child) === 'target')
  return withAnnotations(target ? canonicalXmlText(rawTextOf(target)) : '', {
    state: target && attributeOf(target, 'state'),
    source: textOf(children, 'source'),
    notes: notesOf(children)
  })
}

/** XLIFF 2.0: a unit's text is its segments and ignorables in order. */
function unitValue(unit: OrderedNode): string {
  const parts = childrenOf(unit).filter(child =>
    ['segment', 'ignorable'].includes(tagOf(child) ?? '')
  )
  const notes = childrenOf(unit)
    .filter(child => tagOf(child) === 'notes')
    .flatMap(childrenOf)
  return withAnnotations(parts.map(part => textOf(childrenOf(part), 'target')).join(''), {
    state: parts.map(part => attributeOf(part, 'state') ?? '').join(','),
    source: parts.map(part => textOf(childrenOf(part), 'source')).join(''),
    notes: notesOf(notes)
  })
}

function textOf(nodes: OrderedNode[], tag: string): string {
  const node = nodes.find(child => tagOf(child) === tag)
  return node ? canonicalXmlText(rawTextOf(node)) : ''
}

function notesOf(nodes: OrderedNode[]): string {
  return nodes
    .filter(child => tagOf(child) === 'note')
    .map(note => canonicalXmlText(rawTextOf(note)))
    .join('\n')
}

function withAnnotations(target: string, annotations: Record<string, string | undefined>): string {
  const parts = Object.entries(annotations)
    .filter(([, value]) => value !== undefined && value !== '' && !/^,*$/.test(value))
    .map(([name, value]) => `${name}: ${value}`)
  return parts.length === 0 ? target : target + ANNOTATION_SEPARATOR + parts.join('\n')
}
