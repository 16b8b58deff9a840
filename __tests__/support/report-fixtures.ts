/**
 * Change sets of realistic shape for the change report: N locales of a shop app, each with a few
 * changed texts, some added and removed keys, a few new locales and a few check findings. Used by
 * the report tests and scripts/render-body.ts (which screenshots them as GitHub renders them).
 */
import type { CheckFinding } from '../../src/checks/types.js'
import type { FileReport } from '../../src/change-report.js'

const LOCALE_NAMES = [
  'de',
  'fr',
  'ja',
  'es',
  'it',
  'pt-BR',
  'nl',
  'sv',
  'pl',
  'ko',
  'zh-Hans',
  'tr'
]
const SECTIONS = ['checkout', 'cart', 'account', 'search', 'onboarding', 'settings']
const FIELDS = ['title', 'subtitle', 'button_label', 'empty_state', 'error_message', 'hint']

/** Locale i: a real-looking name for the first few, then `xx-001`-style names. */
export function localeName(i: number): string {
  return i < LOCALE_NAMES.length ? LOCALE_NAMES[i] : `x${String(i).padStart(3, '0')}`
}

function key(i: number, j: number): string {
  return `${SECTIONS[(i + j) % SECTIONS.length]}.${FIELDS[j % FIELDS.length]}_${j}`
}

export function sampleReports(count: number): { files: FileReport[]; findings: CheckFinding[] } {
  const files: FileReport[] = []
  const findings: CheckFinding[] = []
  for (let i = 0; i < count; i++) {
    const locale = localeName(i)
    const path = `config/locales/${locale}.yml`
    // Every 7th locale is new: all of its keys are added.
    if (i % 7 === 6) {
      files.push({
        path,
        locale,
        status: 'added',
        keys: {
          added: Array.from({ length: 40 }, (_, j) => key(i, j)),
          changed: [],
          removed: []
        }
      })
      continue
    }
    const changed = Array.from({ length: 1 + (i % 5) }, (_, j) => key(i, j))
    const added = Array.from({ length: i % 3 === 0 ? 5 : i % 4 }, (_, j) => key(i, 100 + j))
    const removed = Array.from({ length: i % 2 === 0 ? 3 : 0 }, (_, j) => `legacy.banner_${j}`)
    // Every 10th locale's translator dropped the placeholder of its first changed key.
    const slip = i % 10 === 1
    const after = (j: number) =>
      slip && j === 0
        ? `New text for ${locale}: items in your cart`
        : `New text ${j} for ${locale}: %{count} items in your shopping cart, ready to check out`
    const values = new Map(
      changed.map((k, j) => [
        k,
        { before: `Old text ${j} for ${locale}: %{count} items in your cart`, after: after(j) }
      ])
    )
    files.push({ path, locale, status: 'changed', keys: { added, changed, removed }, values })
    if (slip) {
      findings.push({
        path,
        locale,
        key: changed[0],
        check: 'placeholders',
        message: 'placeholder missing',
        token: '%{count}',
        text: after(0)
      })
    }
  }
  return { files, findings }
}
