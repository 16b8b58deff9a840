/** JSON format models: nested JSON (key order and layout are churn), ARB, go-i18n v1. */
import type { Edit, FormatModel } from '../meaning.js'
import type { Rng } from '../random.js'

export type JsonNode = string | number | boolean | null | JsonNode[] | { [key: string]: JsonNode }
export type JsonTree = { [key: string]: JsonNode }

export function randomTree(rng: Rng, depth: number): JsonTree {
  const tree: JsonTree = {}
  const size = 2 + rng.int(5)
  for (let i = 0; i < size; i++) {
    const roll = rng.next()
    tree[rng.word()] =
      depth > 0 && roll < 0.25
        ? randomTree(rng, depth - 1)
        : roll < 0.35
          ? [rng.text(), rng.text()]
          : roll < 0.4
            ? rng.pick([1, 0, true, false, null, 2.5])
            : rng.text({ lines: true, spaces: true })
  }
  return tree
}

/** A JSON string literal, escaped one of several equivalent ways. */
export function jsonString(text: string, rng: Rng): string {
  const plain = JSON.stringify(text)
  if (rng.chance(0.5)) return plain
  return plain.replace(/[^\x20-\x7e]|\//g, char =>
    char === '/' ? '\\/' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** JSON text with shuffled keys, random indentation and spacing, random string escapes. */
export function renderJson(
  node: JsonNode,
  rng: Rng,
  indent = rng.pick(['', '  ', '    ', '\t'])
): string {
  const colon = rng.pick([': ', ':', ' : '])
  const emit = (value: JsonNode, level: number): string => {
    const pad = indent ? '\n' + indent.repeat(level + 1) : ''
    const end = indent ? '\n' + indent.repeat(level) : ''
    if (typeof value === 'string') return jsonString(value, rng)
    if (value === null || typeof value !== 'object') return JSON.stringify(value)
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]'
      return `[${value.map(item => pad + emit(item, level + 1)).join(',')}${end}]`
    }
    const keys = rng.shuffle(Object.keys(value))
    if (keys.length === 0) return '{}'
    return `{${keys.map(key => `${pad}${jsonString(key, rng)}${colon}${emit(value[key], level + 1)}`).join(',')}${end}}`
  }
  return emit(node, 0) + (rng.chance(0.5) ? '\n' : '')
}

interface Slot {
  parent: JsonTree | JsonNode[]
  key: string | number
}

/** Every place holding a scalar (not under keys `skip` names). */
function leaves(node: JsonNode, skip: (key: string) => boolean = () => false): Slot[] {
  const slots: Slot[] = []
  const visit = (value: JsonNode) => {
    if (value === null || typeof value !== 'object') return
    const entries: Array<[string | number, JsonNode]> = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value).filter(([key]) => !skip(key))
    for (const [key, child] of entries) {
      if (child !== null && typeof child === 'object') visit(child)
      else slots.push({ parent: value, key })
    }
  }
  visit(node)
  return slots
}

function objects(node: JsonNode): JsonTree[] {
  if (node === null || typeof node !== 'object') return []
  const own = Array.isArray(node) ? [] : [node]
  return [...own, ...Object.values(node).flatMap(objects)]
}

const get = (slot: Slot) => (slot.parent as Record<string | number, JsonNode>)[slot.key]
const set = (slot: Slot, value: JsonNode) => {
  ;(slot.parent as Record<string | number, JsonNode>)[slot.key] = value
}

/** Edits that change what an i18n library reads from a JSON tree. */
export function jsonEdits<Doc>(
  tree: (doc: Doc) => JsonTree,
  skip?: (key: string) => boolean
): Array<Edit<Doc>> {
  const onLeaf =
    (change: (value: JsonNode, rng: Rng) => JsonNode | undefined) => (doc: Doc, rng: Rng) => {
      const slots = leaves(tree(doc), skip)
      if (slots.length === 0) return undefined
      const slot = rng.pick(slots)
      const next = change(get(slot), rng)
      if (next === undefined || next === get(slot)) return undefined
      set(slot, next)
      return doc
    }
  return [
    {
      name: 'text changed',
      apply: onLeaf(value => (typeof value === 'string' ? `${value}!` : undefined))
    },
    {
      name: 'trailing space',
      apply: onLeaf(value => (typeof value === 'string' ? `${value} ` : undefined))
    },
    { name: 'type changed, same text', apply: onLeaf(value => otherType(value)) },
    {
      name: 'key removed',
      apply(doc, rng) {
        const candidates = objects(tree(doc)).filter(o => Object.keys(o).some(k => !skip?.(k)))
        if (candidates.length === 0) return undefined
        const object = rng.pick(candidates)
        const key = rng.pick(Object.keys(object).filter(k => !skip?.(k)))
        if (leaves(object[key]).length === 0 && typeof object[key] === 'object') return undefined
        delete object[key]
        return doc
      }
    },
    {
      name: 'key added',
      apply(doc, rng) {
        const object = rng.pick(objects(tree(doc)))
        object[`new_${rng.word()}`] = rng.text()
        return doc
      }
    },
    {
      // i18next returns the empty object, Rails the empty Hash: not the same as no key.
      name: 'empty map or list added',
      apply(doc, rng) {
        const object = rng.pick(objects(tree(doc)))
        object[`empty_${rng.word()}`] = rng.chance(0.5) ? {} : []
        return doc
      }
    },
    {
      name: 'key renamed',
      apply(doc, rng) {
        const object = rng.pick(objects(tree(doc)))
        const keys = Object.keys(object).filter(
          k => !skip?.(k) && leaves(object[k]).length + (typeof object[k] === 'object' ? 0 : 1) > 0
        )
        if (keys.length === 0) return undefined
        const key = rng.pick(keys)
        object[`${key}_renamed`] = object[key]
        delete object[key]
        return doc
      }
    },
    {
      name: 'array items swapped',
      apply(doc) {
        const arrays = leaves(tree(doc))
          .map(slot => slot.parent)
          .filter(
            (parent): parent is JsonNode[] =>
              Array.isArray(parent) && parent.length > 1 && parent[0] !== parent[1]
          )
        if (arrays.length === 0) return undefined
        const [first, second] = arrays[0]
        arrays[0][0] = second
        arrays[0][1] = first
        return doc
      }
    }
  ]
}

/** `"1"` ↔ `1`, `"true"` ↔ `true`, `"null"` ↔ `null`: the same text, another type. */
function otherType(value: JsonNode): JsonNode | undefined {
  if (typeof value !== 'string') return value === null ? 'null' : String(value)
  return ({ '1': 1, true: true, null: null } as Record<string, JsonNode>)[value]
}

export const nestedJsonModel: FormatModel<JsonTree> = {
  format: 'nested_json',
  generate: rng => {
    const tree = randomTree(rng, 2)
    // Values that read like other types, so the type edits have something to turn.
    tree[`typed_${rng.word()}`] = rng.pick(['1', 'true', 'null'])
    return tree
  },
  render: (tree, rng) => renderJson(tree, rng),
  edits: jsonEdits(tree => tree)
}

interface ArbDoc {
  locale: string
  tree: JsonTree
}

export const arbModel: FormatModel<ArbDoc> = {
  format: 'arb',
  generate(rng) {
    const tree: JsonTree = {
      '@@locale': 'de',
      [`typed_${rng.word()}`]: rng.pick(['1', 'true', 'null'])
    }
    for (let i = 0; i < 2 + rng.int(4); i++) {
      const key = rng.word()
      tree[key] = rng.text()
      if (rng.chance(0.6)) {
        tree[`@${key}`] = {
          description: rng.text(),
          placeholders: { count: { type: rng.pick(['int', 'num', 'String']) } }
        }
      }
    }
    return { locale: 'de', tree }
  },
  // Phrase rewrites @@last_modified on every export: churn.
  render: (doc, rng) =>
    renderJson({ ...doc.tree, '@@last_modified': `2026-07-0${1 + rng.int(9)}T10:00:00.000Z` }, rng),
  // ARB has no lists.
  edits: jsonEdits<ArbDoc>(
    doc => doc.tree,
    key => key === '@@last_modified'
  ).filter(edit => edit.name !== 'array items swapped')
}

interface GoEntry {
  id: string
  translation: string | { one: string; other: string }
  description?: string
}

export const goI18nModel: FormatModel<GoEntry[]> = {
  format: 'go_i18n',
  generate(rng) {
    const ids = new Set<string>()
    while (ids.size < 2 + rng.int(5)) ids.add(rng.word())
    return [...ids].map(id => ({
      id,
      translation: rng.chance(0.3) ? { one: rng.text(), other: rng.text() } : rng.text(),
      ...(rng.chance(0.3) ? { description: rng.text() } : {})
    }))
  },
  // v1 files are a list; its order is churn (entries are keyed by id).
  render: (entries, rng) => renderJson(rng.shuffle(entries) as unknown as JsonNode, rng),
  edits: [
    {
      name: 'translation changed',
      apply(entries, rng) {
        const entry = rng.pick(entries)
        if (typeof entry.translation === 'string') entry.translation += '!'
        else entry.translation.other += '!'
        return entries
      }
    },
    {
      name: 'plural forms swapped',
      apply(entries) {
        const entry = entries.find(
          e => typeof e.translation !== 'string' && e.translation.one !== e.translation.other
        )
        if (!entry || typeof entry.translation === 'string') return undefined
        entry.translation = { one: entry.translation.other, other: entry.translation.one }
        return entries
      }
    },
    {
      name: 'id changed',
      apply(entries, rng) {
        rng.pick(entries).id += '_x'
        return entries
      }
    },
    {
      name: 'entry removed',
      apply(entries, rng) {
        entries.splice(rng.int(entries.length), 1)
        return entries
      }
    },
    {
      name: 'description changed',
      apply(entries, rng) {
        const entry = rng.pick(entries)
        entry.description = `${entry.description ?? ''}?`
        return entries
      }
    }
  ]
}
