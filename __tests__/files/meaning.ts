/**
 * Property test harness for "no false unchanged": a format model generates documents, renders one
 * document in many equivalent ways (churn: order where the format has none, spacing, quoting,
 * escapes, comments, headers) and knows edits that change what a consumer of the file reads.
 * Every rendering pair must compare unchanged, every edit must compare changed, and the diff
 * shortcut (`parser.diff`) must agree with parsing both files.
 */
import { expect } from '@jest/globals'
import { compareFile, type FileComparison } from '../../src/files/diff.js'
import { translationCount } from '../../src/files/formats/document-keys.js'
import { parserFor } from '../../src/files/formats/index.js'
import { diffMaps } from '../../src/files/formats/map-diff.js'
import type { KeyDiff } from '../../src/files/formats/types.js'
import { Rng } from './random.js'
import { asFileBytes } from '../../src/files/file-bytes.js'

export interface Edit<Doc> {
  name: string
  /** The edited document (the input is a private copy), or undefined when it does not apply. */
  apply(doc: Doc, rng: Rng): Doc | undefined
}

export interface FormatModel<Doc> {
  format: string
  localeName?: string
  generate(rng: Rng): Doc
  /** One of the many equivalent texts of `doc`. */
  render(doc: Doc, rng: Rng): string
  edits: Array<Edit<Doc>>
}

export interface PropertyRun {
  rounds: number
  /** How often `parser.diff` answered (so the shortcut was compared with the full parse). */
  shortcuts: number
}

export function checkMeaning<Doc>(
  model: FormatModel<Doc>,
  seed: number,
  rounds = 100
): PropertyRun {
  const rng = new Rng(seed)
  const run: PropertyRun = { rounds: 0, shortcuts: 0 }
  const applied = new Map<string, number>(model.edits.map(edit => [edit.name, 0]))
  for (let round = 0; round < rounds; round++) {
    const doc = model.generate(rng)
    const first = model.render(doc, rng)
    const churned = model.render(doc, rng)
    const churn = compare(model, first, churned, run)
    if (churn.status !== 'unchanged') {
      fail(
        seed,
        round,
        `churn compared ${churn.status}: ${JSON.stringify(churn.keys ?? churn.note)}`,
        first,
        churned
      )
    }
    const edit = rng.pick(model.edits)
    const edited = edit.apply(structuredClone(doc), rng)
    if (edited === undefined) continue
    applied.set(edit.name, applied.get(edit.name)! + 1)
    const after = model.render(edited, rng)
    const result = compare(model, first, after, run)
    const listed = result.keys
      ? result.keys.added.length + result.keys.changed.length + result.keys.removed.length
      : 0
    if (result.status !== 'changed' || listed === 0) {
      fail(seed, round, `edit "${edit.name}" compared ${result.status}`, first, after)
    }
    run.rounds++
  }
  // Every kind of edit was tried.
  for (const [name, count] of applied)
    expect({ edit: name, tried: count > 0 }).toEqual({ edit: name, tried: true })
  return run
}

/** compareFile, checked against parsing both texts (and against the shortcut when it answers). */
function compare<Doc>(
  model: FormatModel<Doc>,
  a: string,
  b: string,
  run: PropertyRun
): FileComparison {
  const context = { localeName: model.localeName }
  const before = Buffer.from(a)
  const after = Buffer.from(b)
  const parser = parserFor(model.format)!
  const beforeMap = parser.parse(a, context)
  const afterMap = parser.parse(b, context)
  const full = sorted({
    ...diffMaps(beforeMap, afterMap),
    previousKeyCount: translationCount(beforeMap),
    nextKeyCount: translationCount(afterMap)
  })
  const shortcut = parser.diff?.(asFileBytes(before), asFileBytes(after), context)
  if (shortcut) {
    run.shortcuts++
    expect({ shortcut: sorted(shortcut), a, b }).toEqual({ shortcut: full, a, b })
  }
  const comparison = compareFile(model.format, before, after, context)
  if (!before.equals(after)) {
    expect({
      ...comparison.keys,
      previousKeyCount: comparison.previousKeyCount,
      nextKeyCount: comparison.nextKeyCount
    }).toEqual(full)
  }
  return comparison
}

/** Both texts in full: what it takes to reproduce the failure by hand. */
function fail(seed: number, round: number, what: string, before: string, after: string): never {
  throw new Error(
    `seed ${seed}, round ${round}: ${what}\n--- before\n${before}\n--- after\n${after}`
  )
}

function sorted(diff: KeyDiff): KeyDiff {
  return {
    added: [...diff.added].sort(),
    changed: [...diff.changed].sort(),
    removed: [...diff.removed].sort(),
    previousKeyCount: diff.previousKeyCount,
    nextKeyCount: diff.nextKeyCount
  }
}
