/**
 * Key–value text formats. `.strings` (Apple): churn is entry order, comments, spacing, unquoted
 * keys, escape spelling (`\U00e9` for é, `\"`); `.properties` (Java): order, comments (`#`, `!`),
 * separators (`=`, `:`, space), `\uXXXX` escapes, line continuations. Meaning: values (also a
 * trailing space), keys, entries added or removed.
 */
import type { Edit, FormatModel } from '../meaning.js'
import type { Rng } from '../random.js'

export type Entries = Array<[key: string, value: string]>

function uniqueKeys(rng: Rng): string[] {
  const keys = new Set<string>()
  while (keys.size < 2 + rng.int(8))
    keys.add(rng.chance(0.2) ? `${rng.word()} ${rng.word()}` : `${rng.word()}.${rng.word()}`)
  return [...keys]
}

function randomEntries(rng: Rng): Entries {
  return uniqueKeys(rng).map(key => [key, rng.text({ lines: true, spaces: true })])
}

/** Edits of a list of key–value entries (order is churn in every such format). */
export function entryEdits(): Array<Edit<Entries>> {
  return [
    {
      name: 'value changed',
      apply(entries, rng) {
        rng.pick(entries)[1] += '!'
        return entries
      }
    },
    {
      name: 'trailing space',
      apply(entries, rng) {
        rng.pick(entries)[1] += ' '
        return entries
      }
    },
    {
      name: 'key renamed',
      apply(entries, rng) {
        rng.pick(entries)[0] += '_x'
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
      name: 'entry added',
      apply(entries, rng) {
        entries.push([`new.${rng.word()}_${entries.length}`, rng.text()])
        return entries
      }
    }
  ]
}

function stringsLiteral(text: string, rng: Rng): string {
  if (/^[A-Za-z0-9_.]+$/.test(text) && rng.chance(0.5)) return text
  let out = '"'
  for (const char of text) {
    const code = char.codePointAt(0)!
    if (char === '"' || char === '\\') out += `\\${char}`
    else if (char === '\n') out += rng.chance(0.5) ? '\\n' : '\\012'
    else if (code > 0x7f && code < 0xffff && rng.chance(0.3))
      out += `\\U${code.toString(16).padStart(4, '0')}`
    else out += char
  }
  return `${out}"`
}

export const stringsModel: FormatModel<Entries> = {
  format: 'strings',
  generate: randomEntries,
  render(entries, rng) {
    return rng
      .shuffle(entries)
      .map(([key, value]) => {
        const comment = rng.chance(0.3)
          ? rng.chance(0.5)
            ? `/* ${rng.word()} */\n`
            : `// ${rng.word()}\n`
          : ''
        return `${comment}${stringsLiteral(key, rng)}${rng.pick([' = ', '=', '  =\t'])}${stringsLiteral(value, rng)};`
      })
      .join(rng.pick(['\n', '\n\n', '\r\n']))
  },
  edits: entryEdits()
}

/** Java's `saveConvert`: what must be escaped in a key or value, one of its spellings. */
function propertiesText(text: string, rng: Rng, isKey: boolean): string {
  let out = ''
  let index = 0
  for (const char of text) {
    const code = char.codePointAt(0)!
    const leading = index++ === 0 && char === ' '
    if (char === '\\') out += '\\\\'
    else if (char === '\n') out += '\\n'
    else if (char === '\t') out += '\\t'
    else if ((isKey && (char === ' ' || char === '=' || char === ':')) || leading)
      out += `\\${char}`
    // A first `#`/`!` would start a comment, a first `=`/`:` would read as the separator.
    else if ('#!=:'.includes(char) && index === 1) out += `\\${char}`
    else if (code > 0x7e && code <= 0xffff && rng.chance(0.4))
      out += `\\u${code.toString(16).padStart(4, '0')}`
    else if ((char === '=' || char === ':') && rng.chance(0.3)) out += `\\${char}`
    else out += char
  }
  return out
}

export const propertiesModel: FormatModel<Entries> = {
  format: 'properties',
  generate: randomEntries,
  render(entries, rng) {
    const lines = rng.chance(0.5) ? [`# ${rng.word()} ${rng.int(99)}`] : []
    for (const [key, value] of rng.shuffle(entries)) {
      if (rng.chance(0.2)) lines.push(rng.pick(['', `! ${rng.word()}`, `# ${rng.word()}`]))
      let escaped = propertiesText(value, rng, false)
      // A line continuation after a space: the next line's leading spaces are not part of the value.
      const cut = escaped.indexOf(' ') + 1
      const rest = escaped.slice(cut)
      if (
        cut > 1 &&
        rng.chance(0.2) &&
        !rest.startsWith(' ') &&
        !escaped.slice(0, cut - 1).endsWith('\\')
      ) {
        escaped = `${escaped.slice(0, cut)}\\\n    ${rest}`
      }
      lines.push(
        `${propertiesText(key, rng, true)}${rng.pick(['=', ' = ', ':', ' : ', ' '])}${escaped}`
      )
    }
    return lines.join('\n') + '\n'
  },
  edits: entryEdits()
}
