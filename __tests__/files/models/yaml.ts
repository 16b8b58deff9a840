/**
 * YAML format models. Rails (`yml`): Ruby's Psych reads the file, so `yes`, `010`, `:foo` and
 * `12:30` are typed; Symfony (`yml_symfony`): YAML 1.2 core schema. Churn: key order, quoting
 * style, indentation, comments, `---`; a value is written in any spelling its reader gives the
 * same value for (`yes`/`On`/`true`, `8`/`010`/`0x8`, `~`/`null`).
 */
import { psychScalar } from '../../../src/files/formats/psych-scalars.js'
import type { Edit, FormatModel } from '../meaning.js'
import type { Rng } from '../random.js'

export type Leaf =
  | { kind: 'string'; text: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'null' }
  | { kind: 'symbol'; name: string }
export type YamlNode = Leaf | YamlNode[] | YamlMap
/** Keys: strings, or `%true` / `%false` / `%1` for keys the reader types. */
export interface YamlMap {
  [key: string]: YamlNode
}

interface Dialect {
  /** Equivalent spellings of a typed leaf. */
  spellings(leaf: Exclude<Leaf, { kind: 'string' }>): string[]
  /** True when `text` may be written unquoted and still read as this very string. */
  plainSafe(text: string): boolean
  /** Texts that read as another type when unquoted. */
  typedTexts: Array<[text: string, leaf: Leaf]>
  /** A key that is a string quoted and another type unquoted, and its model name when typed. */
  typedKey: [string, string]
}

/** Leaves carry a string `kind`; a map's values are nodes, never strings. */
const isLeaf = (node: YamlNode): node is Leaf =>
  !Array.isArray(node) && typeof node.kind === 'string'

const SIMPLE = /^[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ0-9 %{}$]*[A-Za-zÀ-ÿ0-9}]$/

export const psych: Dialect = {
  spellings(leaf) {
    switch (leaf.kind) {
      case 'bool':
        return leaf.value
          ? ['true', 'yes', 'on', 'True', 'YES', 'On']
          : ['false', 'no', 'off', 'False', 'NO', 'Off']
      case 'int':
        return [
          String(leaf.value),
          `0${leaf.value.toString(8)}`,
          `0x${leaf.value.toString(16)}`,
          `0b${leaf.value.toString(2)}`
        ]
      case 'float':
        return [
          String(leaf.value) + (Number.isInteger(leaf.value) ? '.0' : ''),
          `${leaf.value}0`.replace(/^(\d+)0$/, '$1.0')
        ]
      case 'null':
        return ['~', 'null', 'Null', '']
      case 'symbol':
        return [`:${leaf.name}`, `:"${leaf.name}"`]
    }
  },
  plainSafe: text => SIMPLE.test(text) && psychScalar(text) === text,
  typedTexts: [
    ['yes', { kind: 'bool', value: true }],
    ['off', { kind: 'bool', value: false }],
    ['010', { kind: 'int', value: 8 }],
    ['12:30', { kind: 'int', value: 45000 }],
    ['1.0', { kind: 'float', value: 1 }],
    [':foo', { kind: 'symbol', name: 'foo' }],
    ['~', { kind: 'null' }]
  ],
  typedKey: ['no', '%false']
}

export const core: Dialect = {
  spellings(leaf) {
    switch (leaf.kind) {
      case 'bool':
        return leaf.value ? ['true', 'True', 'TRUE'] : ['false', 'False', 'FALSE']
      case 'int':
        return [String(leaf.value), `0x${leaf.value.toString(16)}`, `0o${leaf.value.toString(8)}`]
      case 'float':
        return [String(leaf.value) + (Number.isInteger(leaf.value) ? '.0' : ''), `${leaf.value}e0`]
      case 'null':
        return ['~', 'null', 'NULL', '']
      case 'symbol':
        throw new Error('no symbols in YAML 1.2')
    }
  },
  plainSafe: text => SIMPLE.test(text) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(text),
  typedTexts: [
    ['true', { kind: 'bool', value: true }],
    ['0x1f', { kind: 'int', value: 31 }],
    ['null', { kind: 'null' }],
    ['1.5', { kind: 'float', value: 1.5 }]
  ],
  typedKey: ['true', '%true']
}

export function randomMap(rng: Rng, dialect: Dialect, depth: number): YamlMap {
  const map: YamlMap = {}
  if (rng.chance(0.3)) map[dialect.typedKey[0]] = leafString(rng)
  const size = 2 + rng.int(4)
  for (let i = 0; i < size; i++) {
    const roll = rng.next()
    map[rng.word()] =
      depth > 0 && roll < 0.25
        ? randomMap(rng, dialect, depth - 1)
        : roll < 0.32
          ? [leafString(rng), leafString(rng)]
          : roll < 0.42
            ? { kind: 'string', text: rng.pick(dialect.typedTexts)[0] }
            : roll < 0.5
              ? rng.pick(dialect.typedTexts)[1]
              : leafString(rng)
  }
  return map
}

function leafString(rng: Rng): Leaf {
  return {
    kind: 'string',
    text: rng.chance(0.3)
      ? rng.pick(['Hallo Welt', 'Speichern', 'Über uns'])
      : rng.text({ lines: true, spaces: true })
  }
}

function scalar(leaf: Leaf, dialect: Dialect, rng: Rng): string {
  if (leaf.kind !== 'string') return rng.pick(dialect.spellings(leaf))
  const { text } = leaf
  const styles = ['double']
  if (!text.includes('\n')) styles.push('single')
  if (dialect.plainSafe(text)) styles.push('plain')
  switch (rng.pick(styles)) {
    case 'plain':
      return text
    case 'single':
      return `'${text.replace(/'/g, "''")}'`
    default:
      return JSON.stringify(text)
  }
}

function keyText(key: string, dialect: Dialect, rng: Rng): string {
  if (key === '%true' || key === '%false')
    return rng.pick(dialect.spellings({ kind: 'bool', value: key === '%true' }))
  if (dialect === psych && rng.chance(0.2) && /^\w+$/.test(key) && psychScalar(key) === key)
    return `:${key}`
  return scalar({ kind: 'string', text: key }, dialect, rng)
}

export function renderYaml(
  map: YamlMap,
  dialect: Dialect,
  rng: Rng,
  level = 0,
  unit = rng.pick(['  ', '    '])
): string {
  const pad = unit.repeat(level)
  let out = ''
  for (const key of rng.shuffle(Object.keys(map))) {
    if (rng.chance(0.1)) out += `${pad}# ${rng.text().replace(/\n/g, ' ')}\n`
    const value = map[key]
    const name = keyText(key, dialect, rng)
    if (Array.isArray(value)) {
      out += `${pad}${name}:\n`
      for (const item of value) out += `${pad}${unit}- ${scalar(item as Leaf, dialect, rng)}\n`
    } else if (isLeaf(value)) {
      const text = scalar(value, dialect, rng)
      out += `${pad}${name}:${text === '' ? '' : ' '}${text}\n`
    } else if (Object.keys(value).length === 0) {
      out += `${pad}${name}: {}\n`
    } else {
      out += `${pad}${name}:\n${renderYaml(value, dialect, rng, level + 1, unit)}`
    }
  }
  return out
}

interface Slot {
  parent: YamlMap | YamlNode[]
  key: string | number
}

function slots(node: YamlNode): Slot[] {
  if (isLeaf(node)) return []
  const entries: Array<[string | number, YamlNode]> = Array.isArray(node)
    ? node.map((item, index) => [index, item])
    : Object.entries(node)
  return entries.flatMap(([key, child]) => (isLeaf(child) ? [{ parent: node, key }] : slots(child)))
}

function maps(node: YamlNode): YamlMap[] {
  if (isLeaf(node) || Array.isArray(node)) return []
  return [node, ...Object.values(node).flatMap(maps)]
}

const at = (slot: Slot) => (slot.parent as Record<string | number, YamlNode>)[slot.key] as Leaf
const put = (slot: Slot, leaf: Leaf) => {
  ;(slot.parent as Record<string | number, YamlNode>)[slot.key] = leaf
}

export function yamlEdits<Doc>(tree: (doc: Doc) => YamlMap, dialect: Dialect): Array<Edit<Doc>> {
  const onLeaf = (change: (leaf: Leaf, rng: Rng) => Leaf | undefined) => (doc: Doc, rng: Rng) => {
    const candidates = slots(tree(doc)).filter(slot => change(at(slot), rng) !== undefined)
    if (candidates.length === 0) return undefined
    const slot = rng.pick(candidates)
    put(slot, change(at(slot), rng)!)
    return doc
  }
  const typed = new Map(dialect.typedTexts)
  return [
    {
      name: 'text changed',
      apply: onLeaf(leaf =>
        leaf.kind === 'string' ? { kind: 'string', text: `${leaf.text}!` } : undefined
      )
    },
    {
      name: 'quoted text unquoted: another type',
      apply: onLeaf(leaf => (leaf.kind === 'string' ? typed.get(leaf.text) : undefined))
    },
    {
      name: 'typed value changed',
      apply: onLeaf(leaf =>
        leaf.kind === 'bool'
          ? { kind: 'bool', value: !leaf.value }
          : leaf.kind === 'int'
            ? nextNumber(leaf.value, dialect)
            : leaf.kind === 'float'
              ? { kind: 'float', value: leaf.value + 1 }
              : leaf.kind === 'null'
                ? { kind: 'string', text: '' }
                : leaf.kind === 'symbol'
                  ? { kind: 'string', text: leaf.name }
                  : undefined
      )
    },
    {
      name: 'key removed',
      apply(doc, rng) {
        const candidates = slots(tree(doc)).filter(slot => !Array.isArray(slot.parent))
        if (candidates.length === 0) return undefined
        const slot = rng.pick(candidates)
        delete (slot.parent as YamlMap)[slot.key as string]
        return doc
      }
    },
    {
      // Rails reads an empty Hash there, Symfony an empty array: not the same as no key.
      name: 'empty map added',
      apply(doc, rng) {
        rng.pick(maps(tree(doc)))[`empty_${rng.word()}`] = {}
        return doc
      }
    },
    {
      name: 'key renamed',
      apply(doc, rng) {
        const candidates = slots(tree(doc)).filter(slot => !Array.isArray(slot.parent))
        if (candidates.length === 0) return undefined
        const slot = rng.pick(candidates)
        const parent = slot.parent as YamlMap
        parent[`${slot.key}_x`] = parent[slot.key as string]
        delete parent[slot.key as string]
        return doc
      }
    },
    {
      name: 'key typed',
      apply(doc) {
        // `"no":` → `no:` (Rails: false), `"true":` → `true:` (Symfony: true).
        const map = maps(tree(doc)).find(candidate => candidate[dialect.typedKey[0]] !== undefined)
        if (!map) return undefined
        map[dialect.typedKey[1]] = map[dialect.typedKey[0]]
        delete map[dialect.typedKey[0]]
        return doc
      }
    },
    {
      name: 'list items swapped',
      apply(doc) {
        const list = slots(tree(doc))
          .map(slot => slot.parent)
          .find(
            (parent): parent is YamlNode[] =>
              Array.isArray(parent) && JSON.stringify(parent[0]) !== JSON.stringify(parent[1])
          )
        if (!list) return undefined
        list.reverse()
        return doc
      }
    }
  ]
}

/** Rails tells 1 from 1.0 (Integer, Float); PHP's YAML does too, but JSON-like readers may not. */
function nextNumber(value: number, dialect: Dialect): Leaf {
  return value === 1 && dialect === psych
    ? { kind: 'float', value: 1 }
    : { kind: 'int', value: value + 1 }
}

interface RailsDoc {
  locale: string
  tree: YamlMap
}

export const railsModel: FormatModel<RailsDoc> = {
  format: 'yml',
  localeName: 'de',
  generate: rng => ({ locale: 'de', tree: randomMap(rng, psych, 2) }),
  render: (doc, rng) =>
    `${rng.chance(0.5) ? '---\n' : ''}${rng.chance(0.2) ? '# Phrase export\n' : ''}${keyText(doc.locale, psych, rng)}:\n${renderYaml(doc.tree, psych, rng, 1)}`,
  edits: [
    ...yamlEdits<RailsDoc>(doc => doc.tree, psych),
    {
      name: 'locale key changed',
      apply(doc) {
        doc.locale = 'de-DE'
        return doc
      }
    }
  ]
}

export const symfonyModel: FormatModel<YamlMap> = {
  format: 'yml_symfony',
  generate: rng => randomMap(rng, core, 2),
  render: (map, rng) => `${rng.chance(0.5) ? '---\n' : ''}${renderYaml(map, core, rng)}`,
  edits: yamlEdits<YamlMap>(map => map, core)
}
