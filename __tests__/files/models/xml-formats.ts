/**
 * XML formats. Churn everywhere: element order where it means nothing, attribute order and
 * quotes, indentation between elements, comments, the XML declaration, and every spelling of a
 * character (`&amp;`/`&#38;`/`&#x26;`, `"`/`&quot;`, CDATA), entities the DOCTYPE declares, and
 * for Android every spelling aapt2 compiles alike (escapes, quotes, whitespace runs). Meaning:
 * text, the attributes that change how a value is read, markup versus escaped text, list order.
 */
import type { FormatModel } from '../meaning.js'
import type { Rng } from '../random.js'
import { entryEdits, type Entries } from './text-formats.js'

/** Character data, spelled one of its equivalent ways. */
export function xmlText(text: string, rng: Rng): string {
  if (text !== '' && !text.includes(']]>') && rng.chance(0.2)) return `<![CDATA[${text}]]>`
  let out = ''
  for (const char of text) {
    if (char === '&') out += rng.pick(['&amp;', '&#38;', '&#x26;'])
    else if (char === '<') out += rng.pick(['&lt;', '&#60;'])
    else if (char === '>') out += rng.pick(['>', '&gt;'])
    else if (char === '"') out += rng.pick(['"', '&quot;'])
    else if (char === "'") out += rng.pick(["'", '&apos;'])
    else if (char.codePointAt(0)! > 0x7f && rng.chance(0.2)) out += `&#${char.codePointAt(0)};`
    else out += char
  }
  return out
}

/** Attributes in any order, each in single or double quotes. */
export function xmlAttributes(attributes: Record<string, string>, rng: Rng): string {
  return rng
    .shuffle(Object.entries(attributes))
    .map(([name, value]) => {
      const escaped = value.replace(/&/g, '&amp;').replace(/</g, '&lt;')
      return rng.chance(0.5)
        ? ` ${name}="${escaped.replace(/"/g, '&quot;')}"`
        : ` ${name}='${escaped.replace(/'/g, '&apos;')}'`
    })
    .join('')
}

const gap = (rng: Rng) => rng.pick(['', '\n', '\n  ', '\n    ', ' '])
const comment = (rng: Rng) => (rng.chance(0.15) ? `<!-- ${rng.word()} -->` : '')
const declaration = (rng: Rng) =>
  rng.chance(0.5) ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''

/** Text with optional inline markup: `<b>` is markup, `&lt;b>` would be text. */
interface Rich {
  text: string
  bold: boolean
}

const richText = (value: Rich, rng: Rng) =>
  value.bold
    ? `<b${rng.chance(0.5) ? ' ' : ''}>${xmlText(value.text, rng)}</b>`
    : xmlText(value.text, rng)

// ---- Android strings.xml ----

/** An entity the DOCTYPE may declare, longer than fast-xml-parser's 20-character limit. */
const ENTITY = 'greeting_used_across_the_app'
const ENTITY_VALUE = 'Hallo'

/**
 * A value as aapt2 reads it, written one of its equivalent ways: `\\'`, `\\"`, `\\\\` escaped,
 * or the whole value in double quotes (then an apostrophe needs no escape); a space as any run of
 * whitespace outside quotes; outer whitespace when no span keeps it; non-ASCII as `\\uXXXX`;
 * `Hallo` as the declared entity. Then spelled as XML character data.
 */
function androidText(text: string, rng: Rng, options: { entity: boolean; span: boolean }): string {
  const quoted = rng.chance(0.3)
  let out = ''
  for (const char of text) {
    if (char === '\\') out += '\\\\'
    else if (char === '"') out += '\\"'
    else if (char === "'") out += quoted ? rng.pick(["'", "\\'"]) : "\\'"
    else if (char === ' ' && !quoted) out += rng.pick([' ', '  ', '\n    ', ' \t'])
    else if (char.length === 1 && char.charCodeAt(0) > 0x7f && rng.chance(0.3))
      out += `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
    else out += char
  }
  if (quoted) out = `"${out}"`
  else if (!options.span && rng.chance(0.2)) out = `${gap(rng)} ${out}${gap(rng)}`
  const pieces = out.split(ENTITY_VALUE).map(piece => xmlText(piece, rng))
  return pieces.reduce((joined, piece) =>
    options.entity && rng.chance(0.5)
      ? `${joined}&${ENTITY};${piece}`
      : `${joined}${ENTITY_VALUE}${piece}`
  )
}

const androidRich = (value: Rich, rng: Rng, entity: boolean) =>
  value.bold
    ? `<b${rng.chance(0.5) ? ' ' : ''}>${androidText(value.text, rng, { entity, span: true })}</b>`
    : androidText(value.text, rng, { entity, span: false })

interface AndroidResource {
  type: 'string' | 'plurals' | 'string-array'
  name: string
  attributes: Record<string, string>
  items: Array<{ quantity?: string; value: Rich }>
}

export const androidModel: FormatModel<AndroidResource[]> = {
  format: 'xml',
  generate(rng) {
    const names = new Set<string>()
    while (names.size < 2 + rng.int(6)) names.add(rng.word())
    return [...names].map(name => {
      const type = rng.pick(['string', 'string', 'plurals', 'string-array'] as const)
      const attributes: Record<string, string> = {}
      if (rng.chance(0.2)) attributes.formatted = 'false'
      if (rng.chance(0.2)) attributes.translatable = 'false'
      const rich = () => ({ text: rng.text(), bold: rng.chance(0.15) })
      const items =
        type === 'string'
          ? [{ value: rich() }]
          : type === 'plurals'
            ? [
                { quantity: 'one', value: rich() },
                { quantity: 'other', value: rich() }
              ]
            : [{ value: rich() }, { value: rich() }]
      return { type, name, attributes, items }
    })
  },
  render(resources, rng) {
    const entity = rng.chance(0.5)
    const body = rng.shuffle(resources).map(resource => {
      const open = `<${resource.type}${xmlAttributes({ name: resource.name, ...resource.attributes }, rng)}>`
      if (resource.type === 'string')
        return `${open}${androidRich(resource.items[0].value, rng, entity)}</string>`
      const items = (
        resource.type === 'plurals' ? rng.shuffle(resource.items) : resource.items
      ).map(
        item =>
          `${gap(rng)}<item${item.quantity ? xmlAttributes({ quantity: item.quantity }, rng) : ''}>${androidRich(item.value, rng, entity)}</item>`
      )
      return `${open}${items.join('')}${gap(rng)}</${resource.type}>`
    })
    const doctype = entity
      ? `<!DOCTYPE resources [\n  <!ENTITY ${ENTITY} "${ENTITY_VALUE}">\n]>\n`
      : ''
    return `${declaration(rng)}${doctype}<resources${rng.chance(0.5) ? ' xmlns:tools="http://schemas.android.com/tools"' : ''}>${body.map(element => gap(rng) + comment(rng) + element).join('')}\n</resources>\n`
  },
  edits: [
    {
      name: 'text changed',
      apply(resources, rng) {
        rng.pick(rng.pick(resources).items).value.text += '!'
        return resources
      }
    },
    {
      name: 'markup added or removed',
      apply(resources, rng) {
        const value = rng.pick(rng.pick(resources).items).value
        value.bold = !value.bold
        return resources
      }
    },
    {
      name: 'markup turned into text',
      apply(resources, rng) {
        const value = rng.pick(rng.pick(resources).items).value
        if (!value.bold) return undefined
        value.bold = false
        value.text = `<b>${value.text}</b>`
        return resources
      }
    },
    {
      name: 'formatted or translatable toggled',
      apply(resources, rng) {
        const resource = rng.pick(resources)
        const name = rng.pick(['formatted', 'translatable'])
        if (resource.attributes[name]) delete resource.attributes[name]
        else resource.attributes[name] = 'false'
        return resources
      }
    },
    {
      name: 'array items swapped',
      apply(resources) {
        const array = resources.find(
          r =>
            r.type === 'string-array' && JSON.stringify(r.items[0]) !== JSON.stringify(r.items[1])
        )
        if (!array) return undefined
        array.items.reverse()
        return resources
      }
    },
    {
      name: 'plural quantity changed',
      apply(resources) {
        const plurals = resources.find(r => r.type === 'plurals')
        if (!plurals) return undefined
        plurals.items[0].quantity = 'few'
        return resources
      }
    },
    {
      name: 'resource removed',
      apply(resources, rng) {
        resources.splice(rng.int(resources.length), 1)
        return resources
      }
    }
  ]
}

// ---- XML properties, stringsdict ----

export const propertiesXmlModel: FormatModel<Entries> = {
  format: 'properties_xml',
  generate(rng) {
    const keys = new Set<string>()
    while (keys.size < 2 + rng.int(6)) keys.add(`${rng.word()}.${rng.word()}`)
    return [...keys].map(key => [key, rng.text({ spaces: true })])
  },
  render(entries, rng) {
    const body = rng
      .shuffle(entries)
      .map(
        ([key, value]) =>
          `${gap(rng)}${comment(rng)}<entry${xmlAttributes({ key }, rng)}>${xmlText(value, rng)}</entry>`
      )
    const header = rng.chance(0.5) ? `<comment>Generated ${rng.int(99)}</comment>` : ''
    return `${declaration(rng)}<!DOCTYPE properties SYSTEM "http://java.sun.com/dtd/properties.dtd">\n<properties>${header}${body.join('')}\n</properties>\n`
  },
  edits: entryEdits()
}

interface PluralRule {
  key: string
  format: string
  valueType: string
  forms: Record<string, string>
}

export const stringsdictModel: FormatModel<PluralRule[]> = {
  format: 'stringsdict',
  generate(rng) {
    const keys = new Set<string>()
    while (keys.size < 1 + rng.int(4)) keys.add(rng.word())
    return [...keys].map(key => ({
      key,
      format: `%#@${key}@`,
      valueType: rng.pick(['d', 'ld', 'u']),
      forms: Object.fromEntries(
        rng
          .shuffle(['zero', 'one', 'two', 'few', 'many', 'other'])
          .slice(0, 2 + rng.int(3))
          .map(form => [form, rng.text()])
      )
    }))
  },
  render(rules, rng) {
    const pair = (key: string, value: string) =>
      `${gap(rng)}<key>${xmlText(key, rng)}</key>${gap(rng)}${value}`
    const string = (text: string) => `<string>${xmlText(text, rng)}</string>`
    const body = rng.shuffle(rules).map(rule => {
      const variable = [
        pair('NSStringFormatSpecTypeKey', string('NSStringPluralRuleType')),
        pair('NSStringFormatValueTypeKey', string(rule.valueType)),
        ...Object.entries(rule.forms).map(([form, text]) => pair(form, string(text)))
      ]
      const entry = [
        pair('NSStringLocalizedFormatKey', string(rule.format)),
        pair(rule.key, `<dict>${rng.shuffle(variable).join('')}</dict>`)
      ]
      return pair(rule.key, `<dict>${rng.shuffle(entry).join('')}</dict>`)
    })
    return `${declaration(rng)}<plist version="1.0">\n<dict>${body.join('')}\n</dict>\n</plist>\n`
  },
  edits: [
    {
      name: 'form text changed',
      apply(rules, rng) {
        const rule = rng.pick(rules)
        const form = rng.pick(Object.keys(rule.forms))
        rule.forms[form] += '!'
        return rules
      }
    },
    {
      name: 'form renamed',
      apply(rules, rng) {
        const rule = rng.pick(rules)
        const form = rng.pick(Object.keys(rule.forms))
        if (rule.forms.few !== undefined && form !== 'few') return undefined
        const text = rule.forms[form]
        delete rule.forms[form]
        rule.forms[form === 'few' ? 'many_' : 'few'] = text
        return rules
      }
    },
    {
      name: 'value type changed',
      apply(rules, rng) {
        rng.pick(rules).valueType += 'x'
        return rules
      }
    },
    {
      name: 'format changed',
      apply(rules, rng) {
        rng.pick(rules).format += ' %d'
        return rules
      }
    }
  ]
}

// ---- XLIFF 1.2 and 2.0 ----

interface Xliff12Unit {
  id: string
  source: string
  target?: Rich
  state?: string
  approved?: string
  note?: string
}

interface Xliff12Doc {
  language: string
  groups: Array<{ id: string; translate?: string; units: Xliff12Unit[] }>
}

function xliffUnit(rng: Rng, id: string): Xliff12Unit {
  const unit: Xliff12Unit = { id, source: rng.text() }
  if (rng.chance(0.85)) unit.target = { text: rng.text(), bold: rng.chance(0.1) }
  if (rng.chance(0.4)) unit.state = rng.pick(['translated', 'final', 'needs-review-translation'])
  if (rng.chance(0.3)) unit.approved = rng.pick(['yes', 'no'])
  if (rng.chance(0.2)) unit.note = rng.text()
  return unit
}

const units12 = (doc: Xliff12Doc) => doc.groups.flatMap(group => group.units)

export const xliff12Model: FormatModel<Xliff12Doc> = {
  format: 'xlf',
  generate(rng) {
    // Group "" holds the units outside any group; "shared" repeats an id of another group.
    const ids = new Set<string>()
    while (ids.size < 2 + rng.int(6)) ids.add(`${rng.word()}.${rng.word()}`)
    const [first, ...rest] = [...ids]
    const groups: Xliff12Doc['groups'] = [
      { id: '', units: rest.map(id => xliffUnit(rng, id)) },
      { id: 'cart', units: [xliffUnit(rng, first)] }
    ]
    if (rng.chance(0.5)) groups.push({ id: 'shared', units: [xliffUnit(rng, first)] })
    return { language: 'de', groups }
  },
  render(doc, rng) {
    const unit = (u: Xliff12Unit) => {
      const attributes: Record<string, string> = { id: u.id }
      if (u.approved) attributes.approved = u.approved
      const target = u.target
        ? `${gap(rng)}<target${xmlAttributes(u.state ? { state: u.state } : {}, rng)}>${richText(u.target, rng)}</target>`
        : ''
      const note = u.note !== undefined ? `${gap(rng)}<note>${xmlText(u.note, rng)}</note>` : ''
      return `${gap(rng)}<trans-unit${xmlAttributes(attributes, rng)}>${gap(rng)}<source>${xmlText(u.source, rng)}</source>${target}${note}${gap(rng)}</trans-unit>`
    }
    const body = rng.shuffle(doc.groups).map(group => {
      const inner = rng.shuffle(group.units).map(unit).join('')
      if (group.id === '') return inner
      const attributes: Record<string, string> = { id: group.id }
      if (group.translate) attributes.translate = group.translate
      return `${gap(rng)}<group${xmlAttributes(attributes, rng)}>${inner}${gap(rng)}</group>`
    })
    const tool = `<header><tool tool-id="phrase" tool-version="2026-07-0${1 + rng.int(9)}"/></header>`
    return `${declaration(rng)}<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">${gap(rng)}<file${xmlAttributes({ original: 'messages', 'source-language': 'en', 'target-language': doc.language, datatype: 'plaintext' }, rng)}>${gap(rng)}${tool}${gap(rng)}<body>${body.join('')}${gap(rng)}</body>${gap(rng)}</file>\n</xliff>\n`
  },
  edits: [
    {
      name: 'target changed',
      apply(doc, rng) {
        const unit = rng.pick(units12(doc))
        if (!unit.target) return undefined
        unit.target.text += '!'
        return doc
      }
    },
    {
      name: 'target removed (not the same as empty)',
      apply(doc, rng) {
        const unit = rng.pick(units12(doc))
        if (!unit.target) return undefined
        if (unit.target.text === '' || rng.chance(0.5)) delete unit.target
        else unit.target = { text: '', bold: false }
        return doc
      }
    },
    {
      name: 'state changed',
      apply(doc, rng) {
        const unit = rng.pick(units12(doc).filter(u => u.target))
        if (!unit) return undefined
        unit.state = unit.state === 'final' ? 'translated' : 'final'
        return doc
      }
    },
    {
      name: 'approved changed',
      apply(doc, rng) {
        const unit = rng.pick(units12(doc))
        unit.approved = unit.approved === 'yes' ? 'no' : 'yes'
        return doc
      }
    },
    {
      name: 'source or note changed',
      apply(doc, rng) {
        const unit = rng.pick(units12(doc))
        if (rng.chance(0.5)) unit.source += '!'
        else unit.note = `${unit.note ?? ''}?`
        return doc
      }
    },
    {
      name: 'group marked translate="no"',
      apply(doc) {
        const group = doc.groups.find(g => g.id === 'cart')!
        group.translate = group.translate ? undefined : 'no'
        return doc
      }
    },
    {
      name: 'unit of a repeated id changed',
      apply(doc) {
        const shared = doc.groups.find(g => g.id === 'shared')
        if (!shared?.units[0].target) return undefined
        shared.units[0].target.text += '!'
        return doc
      }
    },
    {
      name: 'target-language changed',
      apply(doc) {
        doc.language = 'de-AT'
        return doc
      }
    }
  ]
}

interface Segment {
  kind: 'segment' | 'ignorable'
  source: string
  target: string
  state?: string
}

interface Xliff2Unit {
  id: string
  segments: Segment[]
  data?: string
}

export const xliff2Model: FormatModel<Xliff2Unit[]> = {
  format: 'xliff_2',
  generate(rng) {
    const ids = new Set<string>()
    while (ids.size < 1 + rng.int(5)) ids.add(rng.word())
    return [...ids].map(id => {
      const segments: Segment[] = [{ kind: 'segment', source: rng.text(), target: rng.text() }]
      if (rng.chance(0.5)) segments.push({ kind: 'ignorable', source: ' ', target: ' ' })
      if (rng.chance(0.6))
        segments.push({
          kind: 'segment',
          source: rng.text(),
          target: rng.text(),
          state: rng.pick(['initial', 'translated', 'final'])
        })
      return {
        id,
        segments,
        ...(rng.chance(0.3) ? { data: rng.pick(['{0}', '%s', '<br/>']) } : {})
      }
    })
  },
  render(units, rng) {
    const body = rng.shuffle(units).map(unit => {
      const data =
        unit.data !== undefined
          ? `${gap(rng)}<originalData><data id="d1">${xmlText(unit.data, rng)}</data></originalData>`
          : ''
      const placeholder = unit.data !== undefined ? '<ph id="1" dataRef="d1"/>' : ''
      const segments = unit.segments.map(
        (segment, index) =>
          `${gap(rng)}<${segment.kind}${xmlAttributes(segment.state ? { state: segment.state } : {}, rng)}><source>${xmlText(segment.source, rng)}${index === 0 ? placeholder : ''}</source><target>${xmlText(segment.target, rng)}${index === 0 ? placeholder : ''}</target></${segment.kind}>`
      )
      return `${gap(rng)}<unit${xmlAttributes({ id: unit.id }, rng)}>${data}${segments.join('')}${gap(rng)}</unit>`
    })
    return `${declaration(rng)}<xliff${xmlAttributes({ xmlns: 'urn:oasis:names:tc:xliff:document:2.0', version: '2.0', srcLang: 'en', trgLang: 'de' }, rng)}><file id="f1">${body.join('')}\n</file></xliff>\n`
  },
  edits: [
    {
      name: 'target changed',
      apply(units, rng) {
        rng.pick(rng.pick(units).segments).target += '!'
        return units
      }
    },
    {
      name: 'segments joined',
      apply(units) {
        const unit = units.find(u => u.segments.length > 1)
        if (!unit) return undefined
        const [first] = unit.segments
        unit.segments = [
          {
            ...first,
            source: unit.segments.map(s => s.source).join(''),
            target: unit.segments.map(s => s.target).join('')
          }
        ]
        return units
      }
    },
    {
      name: 'segment split',
      apply(units, rng) {
        const unit = rng.pick(units)
        const segment = unit.segments[0]
        if (segment.target.length < 2) return undefined
        const cut = 1 + rng.int(segment.target.length - 1)
        const code = segment.target.charCodeAt(cut - 1)
        if (code >= 0xd800 && code < 0xdc00) return undefined
        unit.segments.splice(
          0,
          1,
          { ...segment, target: segment.target.slice(0, cut) },
          { kind: 'segment', source: '', target: segment.target.slice(cut) }
        )
        // The placeholder stays in the first segment; its text is what moved.
        return units
      }
    },
    {
      name: 'state changed',
      apply(units, rng) {
        const segment = rng.pick(rng.pick(units).segments)
        if (segment.kind !== 'segment') return undefined
        segment.state = segment.state === 'final' ? 'translated' : 'final'
        return units
      }
    },
    {
      name: 'original data changed',
      apply(units) {
        const unit = units.find(u => u.data !== undefined)
        if (!unit) return undefined
        unit.data += 'x'
        return units
      }
    }
  ]
}
