/**
 * gettext `.po`. Churn: entry order, `#:` references, PO-Revision-Date and generator headers,
 * obsolete entries, how long strings are wrapped, flag order, octal escapes. Meaning: msgstr, plural forms by
 * index, msgctxt (`msgctxt ""` is a context), fuzzy, translator and extracted comments,
 * msgid_plural, the Plural-Forms and Language headers.
 */
import type { FormatModel } from '../meaning.js'
import type { Rng } from '../random.js'

interface PoEntry {
  id: string
  context?: string
  plural?: string
  forms: string[]
  flags: string[]
  translator?: string
  extracted?: string
}

interface PoDoc {
  language: string
  pluralForms: string
  entries: PoEntry[]
}

/** A PO string; with `rng`, `"` and a tab sometimes as the octal escapes msgfmt also reads. */
const quote = (text: string, rng?: Rng) =>
  `"${text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, () => (rng?.chance(0.3) ? '\\042' : '\\"'))
    .replace(/\n/g, '\\n')
    .replace(/\t/g, () => (rng?.chance(0.3) ? '\\011' : '\\t'))}"`

/** `msgstr "…"`, or wrapped over several lines as msgcat and Phrase do for long text. */
function field(keyword: string, text: string, rng: Rng): string {
  if (text.length < 8 || rng.chance(0.6)) return `${keyword} ${quote(text, rng)}`
  const cut = 1 + rng.int(text.length - 1)
  const safeCut =
    text.charCodeAt(cut - 1) >= 0xd800 && text.charCodeAt(cut - 1) < 0xdc00 ? cut + 1 : cut
  return `${keyword} ""\n${quote(text.slice(0, safeCut), rng)}\n${quote(text.slice(safeCut), rng)}`
}

function renderPo(doc: PoDoc, rng: Rng): string {
  const header = [
    'Project-Id-Version: App',
    `PO-Revision-Date: 2026-07-0${1 + rng.int(9)} 10:00+0000`,
    `Language: ${doc.language}`,
    'Content-Type: text/plain; charset=UTF-8',
    `Plural-Forms: ${doc.pluralForms}`,
    ...(rng.chance(0.5) ? [`X-Generator: Phrase ${rng.int(9)}`] : [])
  ]
  const blocks = [`msgid ""\nmsgstr ""\n${header.map(line => quote(`${line}\n`)).join('\n')}`]
  for (const entry of rng.shuffle(doc.entries)) {
    const lines: string[] = []
    if (entry.translator !== undefined) lines.push(`# ${entry.translator}`)
    if (entry.extracted !== undefined) lines.push(`#. ${entry.extracted}`)
    if (rng.chance(0.5)) lines.push(`#: src/app${rng.int(9)}.js:${rng.int(99)}`)
    if (entry.flags.length > 0) lines.push(`#, ${rng.shuffle(entry.flags).join(', ')}`)
    if (entry.context !== undefined) lines.push(field('msgctxt', entry.context, rng))
    lines.push(field('msgid', entry.id, rng))
    if (entry.plural !== undefined) {
      lines.push(field('msgid_plural', entry.plural, rng))
      // msgfmt takes plural forms in index order only.
      entry.forms.forEach((form, index) => lines.push(field(`msgstr[${index}]`, form, rng)))
    } else {
      lines.push(field('msgstr', entry.forms[0], rng))
    }
    blocks.push(lines.join('\n'))
  }
  if (rng.chance(0.3)) blocks.push(`#~ msgid "old${rng.int(9)}"\n#~ msgstr "alt"`)
  return blocks.join('\n\n') + '\n'
}

function randomEntry(rng: Rng, id: string): PoEntry {
  const entry: PoEntry = { id, forms: [rng.text({ lines: true })], flags: [] }
  if (rng.chance(0.3)) {
    entry.plural = `${id}s`
    entry.forms = [rng.text(), rng.text()]
  }
  if (rng.chance(0.2)) entry.context = rng.pick(['', 'menu', 'button'])
  if (rng.chance(0.2)) entry.flags.push('fuzzy')
  if (rng.chance(0.2)) entry.flags.push('c-format')
  if (rng.chance(0.2)) entry.translator = rng.text()
  if (rng.chance(0.2)) entry.extracted = rng.text()
  return entry
}

export const gettextModel: FormatModel<PoDoc> = {
  format: 'gettext',
  generate(rng) {
    const ids = new Set<string>()
    while (ids.size < 3 + rng.int(8)) ids.add(rng.word())
    return {
      language: 'de',
      pluralForms: 'nplurals=2; plural=(n != 1);',
      entries: [...ids].map(id => randomEntry(rng, id))
    }
  },
  render: renderPo,
  edits: [
    {
      name: 'msgstr changed',
      apply(doc, rng) {
        const entry = rng.pick(doc.entries)
        entry.forms[rng.int(entry.forms.length)] += '!'
        return doc
      }
    },
    {
      name: 'plural forms exchanged',
      apply(doc) {
        const entry = doc.entries.find(e => e.forms.length > 1 && e.forms[0] !== e.forms[1])
        if (!entry) return undefined
        entry.forms.reverse()
        return doc
      }
    },
    {
      name: 'empty context added or removed',
      apply(doc, rng) {
        const entry = rng.pick(doc.entries)
        if (entry.context !== undefined && entry.context !== '') return undefined
        if (doc.entries.some(e => e !== entry && e.id === entry.id)) return undefined
        entry.context = entry.context === undefined ? '' : undefined
        return doc
      }
    },
    {
      name: 'fuzzy toggled',
      apply(doc, rng) {
        const entry = rng.pick(doc.entries)
        entry.flags = entry.flags.includes('fuzzy')
          ? entry.flags.filter(flag => flag !== 'fuzzy')
          : [...entry.flags, 'fuzzy']
        return doc
      }
    },
    {
      name: 'comment changed',
      apply(doc, rng) {
        const entry = rng.pick(doc.entries)
        if (rng.chance(0.5)) entry.translator = `${entry.translator ?? ''}?`
        else entry.extracted = `${entry.extracted ?? ''}?`
        return doc
      }
    },
    {
      name: 'msgid_plural changed',
      apply(doc) {
        const entry = doc.entries.find(e => e.plural !== undefined)
        if (!entry) return undefined
        entry.plural += 'x'
        return doc
      }
    },
    {
      name: 'header changed',
      apply(doc, rng) {
        if (rng.chance(0.5)) doc.language = 'de_AT'
        else doc.pluralForms = 'nplurals=3; plural=(n==1 ? 0 : n==2 ? 1 : 2);'
        return doc
      }
    },
    {
      name: 'entry removed',
      apply(doc, rng) {
        doc.entries.splice(rng.int(doc.entries.length), 1)
        return doc
      }
    }
  ]
}
