/**
 * Linear time on any download (issue 18): a download of hostile values at 256 KB and at 1 MB
 * goes through what a run does with it: every reader decodes, parses and diffs it against the
 * repository's file with the values, and the translation checks read the values (which every
 * reader yields alike, so they are timed once, on the values themselves). Each value is one long
 * run of what made a regular expression backtrack (`{{aaaa…`, `%0000…`, `<!-- >`, an unclosed
 * tag, `%(`…): work that grows with the square of a value's length costs ~16× at four times the
 * size, linear work ~4×. Time is CPU time, the minimum of runs that alternate the sizes, so a
 * loaded machine inflates both alike; the bound (8×) leaves room for garbage collection and other
 * test files running beside this one, and none for quadratic work. Formats that share a reader
 * (the JSON flavours) are timed once.
 */
import { describe, expect, it } from '@jest/globals'
import { textProblems } from '../../src/checks/translation.js'
import { compareFile } from '../../src/files/diff.js'
import { parserFor, SEMANTIC_FORMATS } from '../../src/files/formats/index.js'
import { cpuRatio } from '../support/cpu-ratio.js'

const SMALL = 256 * 1024
const LARGE = 1024 * 1024
const RUNS = 5
/**
 * Linear work measures ~4×, quadratic ~16×; n·log n ~4.6×. Alone this file measures 3.0–4.6×;
 * beside the whole suite in a fresh clone two readers went over 6. 8 leaves room for that noise
 * and still fails quadratic work by 2×.
 */
const MAX_RATIO = 8

/** Long runs of what backtracking scanners choke on; each value about `size / 8` characters. */
function hostileValues(size: number): Record<string, string> {
  const run = Math.floor(size / 8)
  const repeat = (piece: string) => piece.repeat(Math.ceil(run / piece.length)).slice(0, run)
  return {
    i18next: `{{${repeat('a')}`,
    printf: `%${repeat('0')}`,
    comment: repeat('<!-- >'),
    tag: `<a ${repeat('b')}`,
    python: repeat('%('),
    braces: repeat('{ '),
    icu: `{n, plural, one {${repeat('{a}')}`,
    spaces: `a${repeat(' \t')}b`
  }
}

type Renderer = (values: Record<string, string>) => string

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
/** aapt2 reads `"` and `'` as quoting: escaped, the text is the text. */
const escapeAndroid = (text: string) => escapeXml(text.replace(/(["'\\])/g, '\\$1'))
const quoted = (text: string) => JSON.stringify(text)
/** `"…"` with only `"` and `\` escaped (tabs stay tabs). */
const plainQuoted = (text: string) => `"${text.replace(/(["\\])/g, '\\$1')}"`
/** YAML single quotes: no escapes but `''`. */
const yamlQuoted = (text: string) => `'${text.replace(/'/g, "''")}'`
const entries = (values: Record<string, string>) => Object.entries(values)

const json: Renderer = values => JSON.stringify({ app: values })
const RENDER: Record<string, Renderer> = {
  nested_json: json,
  simple_json: json,
  json,
  i18next: json,
  i18next_4: json,
  react_simple_json: json,
  react_nested_json: json,
  angular_translate: json,
  chrome_json: json,
  arb: values => JSON.stringify(values),
  go_i18n: values =>
    JSON.stringify(entries(values).map(([id, translation]) => ({ id, translation }))),
  yml: values => `de:\n${yaml(values).replace(/^/gm, '  ')}\n`,
  yml_symfony: yaml,
  yml_symfony2: yaml,
  yaml,
  gettext: po,
  gettext_template: po,
  strings: values =>
    entries(values)
      .map(([k, v]) => `${plainQuoted(k)} = ${plainQuoted(v)};`)
      .join('\n'),
  stringsdict: values =>
    `<plist version="1.0"><dict>${entries(values)
      .map(([k, v]) => `<key>${k}</key><string>${escapeXml(v)}</string>`)
      .join('')}</dict></plist>`,
  xml: values =>
    `<resources>${entries(values)
      .map(([k, v]) => `<string name="${k}">${escapeAndroid(v)}</string>`)
      .join('\n')}</resources>`,
  properties: values =>
    entries(values)
      .map(([k, v]) => `${k}=${v.replace(/\\/g, '\\\\')}`)
      .join('\n'),
  properties_xml: values =>
    `<properties>${entries(values)
      .map(([k, v]) => `<entry key="${k}">${escapeXml(v)}</entry>`)
      .join('')}</properties>`,
  xlf: xliff12,
  xliff: xliff12,
  symfony_xliff: xliff12,
  xliff_2: values =>
    `<xliff version="2.0" srcLang="en" trgLang="de"><file id="f">${entries(values)
      .map(
        ([k, v]) =>
          `<unit id="${k}"><segment><source>${escapeXml(v)}</source><target>${escapeXml(v)}</target></segment></unit>`
      )
      .join('')}</file></xliff>`
}

function yaml(values: Record<string, string>): string {
  return entries(values)
    .map(([k, v]) => `${k}: ${yamlQuoted(v)}`)
    .join('\n')
}

function po(values: Record<string, string>): string {
  return entries(values)
    .map(([k, v]) => `msgid ${quoted(k)}\nmsgstr ${quoted(v)}\n`)
    .join('\n')
}

function xliff12(values: Record<string, string>): string {
  return `<xliff version="1.2"><file original="f" source-language="en" target-language="de"><body>${entries(
    values
  )
    .map(
      ([k, v]) =>
        `<trans-unit id="${k}"><source>${escapeXml(v)}</source><target>${escapeXml(v)}</target></trans-unit>`
    )
    .join('')}</body></file></xliff>`
}

/** What a run does with one download: compare it with the repository's file, with values. */
function pull(format: string, size: number): () => number {
  const hostile = hostileValues(size)
  const repository = Object.fromEntries(Object.keys(hostile).map(key => [key, 'Hallo']))
  const previous = Buffer.from(RENDER[format](repository))
  const next = Buffer.from(RENDER[format](hostile))
  return () => {
    const comparison = compareFile(format, previous, next, { localeName: 'de', withValues: true })
    return comparison.keys?.changed.length ?? 0
  }
}

/** The checks of every hostile value against the source text of the same key. */
function check(size: number): () => void {
  const values = Object.values(hostileValues(size))
  return () => values.forEach(value => textProblems(`${value}!`, value))
}

/** One format for each reader (formats that share one are the same code), and XLIFF 2.0. */
function oneFormatPerReader(): string[] {
  const seen = new Set<unknown>()
  return SEMANTIC_FORMATS.filter(format => {
    const parser = parserFor(format)
    if (seen.has(parser) && format !== 'xliff_2') return false
    seen.add(parser)
    return true
  })
}

/** CPU time of `large` over `small`, to a tenth; a ratio over the bound gets five more rounds. */
function ratio(small: () => unknown, large: () => unknown): number {
  const tenths = (value: number) => Math.round(value * 10) / 10
  return tenths(cpuRatio(small, large, { runs: RUNS, over: value => tenths(value) > MAX_RATIO }))
}

describe('a hostile download costs time in proportion to its size', () => {
  it('has a hostile file for every format with a parser', () => {
    expect(Object.keys(RENDER).sort()).toEqual([...SEMANTIC_FORMATS].sort())
  })

  it.each(oneFormatPerReader())(
    '%s: reading and diffing 1 MB costs ~4× 256 KB (at most 8×, not quadratic ~16×)',
    format => {
      const small = pull(format, SMALL)
      // The hostile values are read as values: every key compared.
      expect(small()).toBe(Object.keys(hostileValues(SMALL)).length)
      const measured = ratio(small, pull(format, LARGE))
      if (process.env.SHOW_RATIOS) console.info(`${format}: ${measured}`)
      expect({ format, ratio: measured, linear: measured <= MAX_RATIO }).toMatchObject({
        linear: true
      })
    }
  )

  it('checking the values of 1 MB costs ~4× 256 KB (at most 8×, not quadratic ~16×)', () => {
    const measured = ratio(check(SMALL), check(LARGE))
    if (process.env.SHOW_RATIOS) console.info(`checks: ${measured}`)
    expect({ ratio: measured, linear: measured <= MAX_RATIO }).toMatchObject({ linear: true })
  })
})
