/**
 * What a plain (unquoted) YAML scalar means to Rails: Ruby's Psych resolves them with YAML 1.1
 * rules of its own (ruby/psych lib/psych/scalar_scanner.rb, `tokenize`, libyaml backend), so
 * `yes`/`on` are `true`, `010` is 8, `1,000` is 1000, `12:30` is 45000 (base 60), `:foo` is a
 * Symbol and `2024-01-01` a Date. `y` and `n` stay strings, unlike the YAML 1.1 spec. A quoted or
 * block scalar is always a string. Non-strings become `\u0000<type>:<canonical value>` (see
 * value.ts), so `"yes"` and `yes`, `"010"`, `010` and `8`, `1` and `1.0` all differ, while two
 * spellings of one Ruby value (`yes`/`True`, `0x1F`/`31`) compare equal.
 */
import type { ScalarTag } from 'yaml'
import { scalarValue } from './flatten.js'
import { typedScalar } from './value.js'

/** Strings that look like words: only they can be `nil` or booleans (and only up to 5 chars). */
const WORDLIKE = /^[^\d.:-]?[\p{Alphabetic}_ \t\r\n\f\v!@#$%^&*(){}<>|/\\~;=]+/u
const TIME =
  /^(-?\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|\s+)(\d{1,2}):(\d\d):(\d\d)(?:\.(\d*))?(?:\s*(Z|[-+]\d{1,2}:?(?:\d\d)?))?$/
const DATE = /^(\d{4})-(1[012]|0\d|\d)-([12]\d|3[01]|0\d|\d)$/
const SEXAGESIMAL_INT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}$/
const SEXAGESIMAL_FLOAT = /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9]){1,2}\.[0-9_]*$/
const FLOAT = /^[-+]?([0-9][0-9_,]*)?\.[0-9]*([eE][-+][0-9]+)?$/
const INTEGER =
  /^(?:[-+]?0b[_,]*[0-1][0-1_,]*|[-+]?0[_,]*[0-7][0-7_,]*|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)|[-+]?0x[_,]*[0-9a-fA-F][0-9a-fA-F_,]*)$/

/** The Ruby value of a plain scalar, as a TranslationMap value (strings stay as they are). */
export function psychScalar(source: string): string {
  if (source === '') return scalarValue(null)
  if (WORDLIKE.test(source) || source.includes('\n')) return wordlike(source)
  if (TIME.test(source)) return time(source) ?? source
  if (DATE.test(source)) return date(source) ?? source
  if (/^\+?\.inf$/i.test(source)) return float(Infinity)
  if (/^-\.inf$/i.test(source)) return float(-Infinity)
  if (/^\.nan$/i.test(source)) return float(NaN)
  if (/^:./.test(source)) return symbol(source)
  if (SEXAGESIMAL_INT.test(source)) return integer(base60Integer(source))
  if (SEXAGESIMAL_FLOAT.test(source)) return float(base60Float(source))
  if (FLOAT.test(source)) {
    if (/^[-+]?\.$/.test(source)) return source
    return float(Number(source.replace(/[,_]/g, '').replace(/\.([Ee]|$)/, '$1')))
  }
  if (INTEGER.test(source)) return integer(parseInteger(source.replace(/[,_]/g, '')))
  return source
}

function wordlike(source: string): string {
  if (source.length > 5 || /^[^ytonf~]/i.test(source)) return source
  if (source === '~' || /^null$/i.test(source)) return scalarValue(null)
  if (/^(yes|true|on)$/i.test(source)) return scalarValue(true)
  if (/^(no|false|off)$/i.test(source)) return scalarValue(false)
  return source
}

/** `:foo` and `:"foo bar"` are Symbols; Rails symbolizes string keys, so only values tell them apart. */
function symbol(source: string): string {
  const quoted = /^:(["'])(.*)\1/.exec(source)
  const name = quoted ? quoted[2].replace(/^:/, '') : source.slice(1)
  return typedScalar('symbol', name)
}

function integer(value: bigint): string {
  return typedScalar('integer', String(value))
}

function float(value: number): string {
  const text = Number.isInteger(value) && Math.abs(value) < 1e16 ? value.toFixed(1) : String(value)
  return typedScalar('float', text)
}

/** Ruby's `Integer()` after Psych removed `,` and `_`: `0b`, `0x`, and a leading 0 for octal. */
function parseInteger(digits: string): bigint {
  const negative = digits.startsWith('-')
  const unsigned = digits.replace(/^[-+]/, '')
  const value = /^0[0-7]+$/.test(unsigned) ? BigInt(`0o${unsigned.slice(1)}`) : BigInt(unsigned)
  return negative ? -value : value
}

/** Psych's base 60: part i of n counts 60^|i − 2| times, so `1:30:00` and `1:30` are both 5400. */
function base60Integer(source: string): bigint {
  return source
    .split(':')
    .reduce(
      (sum, part, i) => sum + BigInt(part.replace(/_/g, '')) * 60n ** BigInt(Math.abs(i - 2)),
      0n
    )
}

function base60Float(source: string): number {
  return source
    .split(':')
    .reduce((sum, part, i) => sum + Number(part.replace(/_/g, '')) * 60 ** Math.abs(i - 2), 0)
}

/** A valid calendar date (Psych uses a strict `strptime('%F')`), or undefined: then a string. */
function date(source: string): string | undefined {
  const [, year, month, day] = DATE.exec(source)!.map(Number)
  const at = new Date(Date.UTC(year, month - 1, day))
  if (at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day) return undefined
  at.setUTCFullYear(year) // years below 100 are not 19xx
  return typedScalar('date', at.toISOString().slice(0, 10))
}

/**
 * A Time: with a zone, the instant it names; without, the local time as written (Psych reads it
 * in the machine's zone, so only its spelling is known here). Out-of-range fields make Ruby's
 * `Time.utc` raise, and Psych then keeps the string.
 */
function time(source: string): string | undefined {
  const [, year, month, day, hour, minute, second, fraction = '', zone] = TIME.exec(source)!
  const [m, d, h, min, s] = [month, day, hour, minute, second].map(Number)
  if (m < 1 || m > 12 || d < 1 || d > 31 || h > 24 || min > 59 || s > 60) return undefined
  const frac = fraction.replace(/0+$/, '')
  const wall = Date.UTC(Number(year), m - 1, d, h, min, s)
  if (zone === undefined) {
    return typedScalar(
      'time',
      `${new Date(wall).toISOString().slice(0, 19)}${frac ? `.${frac}` : ''} local`
    )
  }
  const offset = zone === 'Z' ? 0 : zoneMinutes(zone)
  const utc = new Date(wall - offset * 60_000).toISOString().slice(0, 19)
  return typedScalar('time', `${utc}${frac ? `.${frac}` : ''}Z`)
}

function zoneMinutes(zone: string): number {
  const [, sign, hours, minutes = '0'] = /^([-+])(\d{1,2}):?(\d\d)?$/.exec(zone)!
  return (sign === '-' ? -1 : 1) * (Number(hours) * 60 + Number(minutes))
}

/**
 * For the `yaml` package: resolves every plain scalar the way Psych does. `<<` is left to the
 * merge-key tag (Psych merges too).
 */
export const psychScalarTag: ScalarTag = {
  tag: 'tag:yaml.org,2002:psych-plain',
  default: true,
  test: /^(?!<<$)[\s\S]*$/,
  resolve: psychScalar
}
