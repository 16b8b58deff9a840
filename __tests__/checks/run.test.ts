/**
 * The checks runner: which source text each changed file is checked against (the same target's
 * file in the source locale, downloaded or else the repository's), which keys are checked (only
 * changed and added ones), what the log gets (one warning per finding, capped), and `fail`.
 */
import { describe, expect, it } from '@jest/globals'
import { CheckFailure, checkComparison, translationChecks } from '../../src/checks/index.js'
import { planSources, sourceLocaleOf } from '../../src/checks/source.js'
import type { Candidate, Change } from '../../src/changes.js'
import { compareFile } from '../../src/files/diff.js'
import type { Logger } from '../../src/logger.js'
import { planTarget } from '../../src/plan.js'
import type { Target } from '../../src/settings.js'

const LOCALES = [
  { id: 'id-en', name: 'en', code: 'en-US', default: true },
  { id: 'id-de', name: 'de', code: 'de-DE' },
  { id: 'id-fr', name: 'fr', code: 'fr-FR' }
]
const target = (over: Partial<Target> = {}): Target => ({
  file: 'web/<locale_name>.json',
  projectId: 'p1',
  fileFormat: 'nested_json',
  locales: [],
  localeFilter: [],
  tags: [],
  params: {},
  ...over
})

function recorder(): Logger & { warnings: string[]; infos: string[] } {
  const warnings: string[] = []
  const infos: string[] = []
  return {
    warnings,
    infos,
    info: m => infos.push(m),
    warning: m => warnings.push(m),
    debug: () => {},
    startGroup: () => {},
    endGroup: () => {}
  }
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value))

/** Changes as compareAll makes them: the downloads against the repository's files. */
function changes(candidates: Candidate[], repo: Record<string, Buffer>): Change[] {
  return candidates
    .map(candidate => ({
      ...candidate,
      comparison: compareFile('nested_json', repo[candidate.planned.path], candidate.content, {
        withValues: true
      })
    }))
    .filter(change => change.comparison.status !== 'unchanged')
}

describe('source planning', () => {
  it('takes the default locale, or the one source-locale names, and explains an unknown one', () => {
    expect(sourceLocaleOf(LOCALES, undefined, 'p1')?.name).toBe('en')
    expect(sourceLocaleOf(LOCALES, 'fr-FR', 'p1')?.name).toBe('fr')
    expect(sourceLocaleOf(LOCALES.slice(1), undefined, 'p1')).toBeUndefined()
    expect(() => sourceLocaleOf(LOCALES, 'xx', 'p1')).toThrow(
      /^source-locale: Locale "xx" not found in Phrase project p1 \(its locales: en, de, fr\); name one/
    )
    // The same hint as for `locales`: names are case-sensitive.
    expect(() => sourceLocaleOf(LOCALES, 'EN', 'p1')).toThrow(/write "en" instead of "EN"/)
  })

  it('pairs each file with the same target’s source file, and lists those not pulled', () => {
    const web = target()
    const app = target({
      file: 'app/<locale_code>.json',
      params: { include_empty_translations: true }
    })
    const sources = planSources(
      [
        { target: web, available: LOCALES },
        { target: app, available: LOCALES }
      ],
      undefined
    )
    const planned = [...planTarget(web, LOCALES.slice(1)), ...planTarget(app, LOCALES)]
    expect(planned.map(file => sources.sourceOf(file)?.path)).toEqual([
      'web/en.json',
      'web/en.json',
      'app/en-US.json',
      'app/en-US.json',
      'app/en-US.json'
    ])
    expect(sources.extraPaths(planned)).toEqual(['web/en.json'])
  })
})

describe('translationChecks', () => {
  const web = target()
  const planned = planTarget(web, LOCALES)
  const sources = planSources([{ target: web, available: LOCALES }], undefined)
  const en = { cart: { items: '{count} items', title: 'Cart' } }
  const repo = {
    'web/en.json': json(en),
    'web/de.json': json({ cart: { items: '{count} Artikel', title: 'Warenkorb' } })
  }

  it('checks only changed and added keys, against the downloaded source file', () => {
    const candidates: Candidate[] = [
      { planned: planned[0], content: json(en) },
      // title changed (fine), items untouched but already broken in the repository: not checked.
      {
        planned: planned[1],
        content: json({ cart: { items: 'kaputt', title: 'Korb' }, promo: { x: '<b>neu' } })
      }
    ]
    const repoBroken = {
      ...repo,
      'web/de.json': json({ cart: { items: 'kaputt', title: 'Warenkorb' } })
    }
    const logger = recorder()
    const checks = translationChecks({ mode: 'warn', sources, candidates, logger })
    const findings = checks.run(
      changes(candidates, repoBroken),
      path => repoBroken[path as keyof typeof repoBroken]
    )
    expect(findings).toEqual([
      {
        path: 'web/de.json',
        locale: 'de',
        key: 'promo.x',
        check: 'tags',
        message: 'tag not closed',
        token: '<b>',
        text: '<b>neu'
      }
    ])
    expect(logger.warnings).toEqual([
      'Translation check: de (web/de.json) promo.x: tag not closed <b>'
    ])
  })

  it('reads the download for the changed and added keys when their values were too long to keep', () => {
    const candidates: Candidate[] = [
      { planned: planned[0], content: json(en) },
      {
        planned: planned[1],
        content: json({ cart: { items: 'kaputt', title: 'Korb' }, promo: { x: '<b>neu' } })
      }
    ]
    const checks = translationChecks({ mode: 'warn', sources, candidates, logger: recorder() })
    // As compareFile leaves a file with more than VALUE_CHARS of changed text: keys, no values.
    const withoutValues: Change = {
      ...candidates[1],
      comparison: {
        status: 'changed',
        keys: { added: ['promo.x'], changed: ['cart.title'], removed: [] }
      }
    }
    const findings = checks.run([withoutValues], path => repo[path as keyof typeof repo])
    expect(findings.map(finding => [finding.key, finding.check])).toEqual([['promo.x', 'tags']])
  })

  it('reads the source from the repository when the source locale is not downloaded', () => {
    const candidates: Candidate[] = [
      { planned: planned[1], content: json({ cart: { items: 'Artikel', title: 'Warenkorb' } }) }
    ]
    const checks = translationChecks({ mode: 'warn', sources, candidates, logger: recorder() })
    const findings = checks.run(changes(candidates, repo), path => repo[path as keyof typeof repo])
    expect(findings.map(f => `${f.key}: ${f.message} ${f.token}`)).toEqual([
      'cart.items: placeholder missing {count}'
    ])
  })

  it('annotates 5 findings and one "and N more", logs the rest as lines, and fails with `fail`', () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, `<i>${i}`]))
    const candidates: Candidate[] = [{ planned: planned[2], content: json(many) }]
    const logger = recorder()
    const run = () =>
      translationChecks({ mode: 'fail', sources, candidates, logger }).run(
        changes(candidates, repo),
        path => repo[path as keyof typeof repo]
      )
    expect(run).toThrow(CheckFailure)
    // GitHub shows 10 warning annotations per step: findings leave room for the others.
    expect(logger.warnings).toHaveLength(6)
    expect(logger.warnings[5]).toBe(
      'Translation check: … and 25 more findings (in the log, and the job summary lists them all)'
    )
    expect(logger.infos.filter(line => line.startsWith('Translation check: '))).toHaveLength(25)
    try {
      run()
    } catch (error) {
      expect((error as CheckFailure).findings).toHaveLength(30)
      expect((error as Error).message).toMatch(
        /^Stopped before committing: 30 translation check findings \(checks: fail\):\n- fr \(web\/fr\.json\) k0: tag not closed <i>\n/
      )
      expect((error as Error).message).toContain('- … and 25 more\nFix the translations in Phrase')
    }
  })

  it('checks every key of a new locale’s file', () => {
    const candidates: Candidate[] = [
      { planned: planned[2], content: json({ cart: { items: 'articles', title: 'Panier' } }) }
    ]
    const [change] = changes(candidates, {})
    expect(change.comparison.status).toBe('added')
    const checks = translationChecks({ mode: 'warn', sources, candidates, logger: recorder() })
    expect(checks.run([change], path => repo[path as keyof typeof repo])).toEqual([
      {
        path: 'web/fr.json',
        locale: 'fr',
        key: 'cart.items',
        check: 'placeholders',
        message: 'placeholder missing',
        token: '{count}',
        text: 'articles'
      }
    ])
  })

  it('logs a finding once, however often a run checks again (it starts over when the branch moved)', () => {
    const candidates: Candidate[] = [
      { planned: planned[0], content: json(en) },
      { planned: planned[1], content: json({ cart: { items: 'Artikel', title: 'Warenkorb' } }) }
    ]
    const logger = recorder()
    const checks = translationChecks({ mode: 'warn', sources, candidates, logger })
    const read = (path: string) => repo[path as keyof typeof repo]
    const first = checks.run(changes(candidates, repo), read)
    const again = checks.run(changes(candidates, repo), read)
    expect(again).toEqual(first)
    expect(first).toHaveLength(1)
    expect(logger.warnings).toHaveLength(1)
  })

  it('does nothing with `off`', () => {
    const candidates: Candidate[] = [{ planned: planned[1], content: json({ a: '<b>' }) }]
    const checks = translationChecks({ mode: 'off', sources, candidates, logger: recorder() })
    expect(checks.run(changes(candidates, repo), () => undefined)).toEqual([])
  })
})

describe('checkComparison', () => {
  it('skips document keys: a gettext header or a Rails locale key is no translation', () => {
    const source = new Map([
      ['[header] Language-Team', 'English <en@example.com>'],
      ['greeting', 'Hello']
    ])
    const comparison = {
      status: 'changed' as const,
      keys: { added: [], changed: ['[header] Language-Team', 'greeting'], removed: [] },
      values: new Map([
        ['[header] Language-Team', { before: 'German', after: '' }],
        ['greeting', { before: 'Hallo', after: '' }]
      ])
    }
    const findings = checkComparison(comparison, source, { path: 'de.po', locale: 'de' })
    expect(findings.map(finding => [finding.key, finding.check])).toEqual([['greeting', 'empty']])
  })
})
