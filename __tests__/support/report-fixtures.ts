/**
 * Change sets of realistic shape for the change report, as a nightly pull of a shop app looks:
 * every locale loses the three `promo.blackFriday.*` keys and gains `account.deleteConfirm` (the
 * source changed), `checkout.title` got a new text everywhere, one translator edited `nav.cart`
 * in fr (and dropped a placeholder from fr's `checkout.title`: a check finding), the last locale
 * is new, and one locale alone lost `common.save` (Phrase leaves an emptied translation out of its
 * export): the anomaly a reviewer must see. Used by the report tests and scripts/render-body.ts
 * (which screenshots them as GitHub renders them).
 */
import type { CheckFinding, CheckSummary } from '../../src/checks/types.js'
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
  'et',
  'zh-Hans',
  'tr'
]

/** Locale i: a real-looking name for the first few, then `x012`-style names. */
export function localeName(i: number): string {
  return i < LOCALE_NAMES.length ? LOCALE_NAMES[i] : `x${String(i).padStart(3, '0')}`
}

export const SHARED_REMOVED = [
  'promo.blackFriday.title',
  'promo.blackFriday.subtitle',
  'promo.blackFriday.cta'
]
export const SHARED_ADDED = 'account.deleteConfirm'
export const ANOMALY_KEY = 'common.save'
const NEW_LOCALE_KEYS = 40

/** The locale that alone loses `common.save`: `et` once there are enough locales. */
export function anomalyLocale(count: number): string {
  return localeName(Math.min(LOCALE_NAMES.indexOf('et'), count - 2))
}

export function sampleReports(count: number): {
  files: FileReport[]
  findings: CheckFinding[]
  checks: CheckSummary
} {
  const files: FileReport[] = []
  const findings: CheckFinding[] = []
  const anomaly = anomalyLocale(count)
  for (let i = 0; i < count; i++) {
    const locale = localeName(i)
    const path = `config/locales/${locale}.yml`
    if (i === count - 1 && count > 2) {
      files.push({
        path,
        locale,
        status: 'added',
        keys: {
          added: Array.from({ length: NEW_LOCALE_KEYS }, (_, j) => `shop.key_${j}`),
          changed: [],
          removed: []
        }
      })
      continue
    }
    const title = locale === 'fr' ? 'Payer les articles' : `Pay for %{count} items (${locale})`
    const values = new Map([
      ['checkout.title', { before: `Checkout: %{count} items (${locale})`, after: title }]
    ])
    const changed = ['checkout.title']
    if (locale === 'fr') {
      changed.push('nav.cart')
      values.set('nav.cart', { before: 'Panier', after: 'Mon panier' })
      findings.push({
        path,
        locale,
        key: 'checkout.title',
        check: 'placeholders',
        message: 'placeholder missing',
        token: '%{count}',
        text: title
      })
    }
    const removed = [...SHARED_REMOVED, ...(locale === anomaly ? [ANOMALY_KEY] : [])]
    files.push({
      path,
      locale,
      status: 'changed',
      keys: { added: [SHARED_ADDED], changed, removed },
      values
    })
  }
  const keys = files.reduce(
    (sum, file) => sum + file.keys!.added.length + file.keys!.changed.length,
    0
  )
  return {
    files,
    findings,
    checks: { mode: 'warn', keys, findings: findings.length, withoutSource: 0 }
  }
}

/** The lines of the report's `#### title` section, up to the next blank line; none without it. */
export function section(markdown: string, title: string): string[] {
  const start = markdown.indexOf(`#### ${title}\n\n`)
  if (start < 0) return []
  const body = markdown.slice(start + title.length + 7)
  return body.slice(0, body.indexOf('\n\n')).split('\n')
}
