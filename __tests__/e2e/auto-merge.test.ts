/**
 * Issue 20 end to end on the bundle: `auto-merge` turns GitHub's auto-merge on while the
 * translation checks find nothing, off when a later run finds a problem, and only warns (the run
 * succeeds, the pull request stays) when GitHub refuses: the repository does not allow it, or the
 * pull request is in "clean" status because nothing is required before a merge. A draft is never
 * asked for, and without the input the action never touches auto-merge.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { annotations, startWorld, type World } from '../support/world.js'
import { scanAndStop } from '../support/expect-run.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

const LOCALES = [
  { id: 'loc-en', name: 'en', code: 'en-US', default: true },
  { id: 'loc-de', name: 'de', code: 'de-DE' }
]
const EN = { 'cart.items': '{count} items', 'cart.title': 'Cart' }
const DE = { 'cart.items': '{count} Artikel', 'cart.title': 'Warenkorb' }
const INPUTS = { 'file-format': 'nested_json', path: 'web/<locale_name>.json' }

async function autoMergeWorld(autoMerge: { allowed: boolean; requiredChecks: boolean }) {
  return startWorld({
    files: { 'web/en.json': JSON.stringify({ cart: { title: 'Cart' } }) },
    sim: { projects: { p1: { locales: LOCALES, translations: { en: EN, de: DE } } } },
    github: { autoMerge }
  })
}

/** The auto-merge mutations the action sent, in order. */
function autoMergeRequests(w: World): string[] {
  return w.gh
    .requests()
    .filter(r => r.method === 'POST' && r.path.endsWith('/graphql'))
    .map(
      r =>
        /(enable|disable)PullRequestAutoMerge/.exec(
          String((r.body as { query?: string }).query)
        )?.[0]
    )
    .filter((name): name is string => name !== undefined)
}

describe('auto-merge', () => {
  it('is on while the checks find nothing, off after a run that finds a problem, on again after', async () => {
    world = await autoMergeWorld({ allowed: true, requiredChecks: true })
    const { gh, sim } = world
    const first = await world.run({ ...INPUTS, 'auto-merge': 'squash' })
    expect(first.code).toBe(0)
    expect(first.outputs['pull-request-operation']).toBe('created')
    expect(gh.pulls()[0].auto_merge).toEqual({ merge_method: 'squash' })
    expect(annotations(first.stdout, 'warning')).toEqual([])
    expect(first.stdout).toContain('Auto-merge (squash) is on for #1')

    // A translator drops the placeholder: the check finds it, auto-merge goes off.
    sim.project('p1').translations.de['cart.items'] = 'Artikel'
    const broken = await world.run({ ...INPUTS, 'auto-merge': 'squash' })
    expect(broken.code).toBe(0)
    expect(broken.outputs['check-findings']).toBe('1')
    expect(gh.pulls()[0].auto_merge).toBeNull()
    expect(annotations(broken.stdout, 'warning')).toContain(
      'Turned auto-merge off for #1: the translation checks found 1 problem(s), listed in the pull request. The first run whose checks find nothing turns it on again.'
    )

    sim.project('p1').translations.de['cart.items'] = '{count} Artikel im Korb'
    const fixed = await world.run({ ...INPUTS, 'auto-merge': 'squash' })
    expect(fixed.code).toBe(0)
    expect(gh.pulls()[0].auto_merge).toEqual({ merge_method: 'squash' })
    // An unchanged rerun asks GitHub nothing more: auto-merge is already on.
    const again = await world.run({ ...INPUTS, 'auto-merge': 'squash' })
    expect(again.outputs['pull-request-operation']).toBe('unchanged')
    expect(autoMergeRequests(world)).toEqual([
      'enablePullRequestAutoMerge',
      'disablePullRequestAutoMerge',
      'enablePullRequestAutoMerge'
    ])
  })

  it('warns and keeps the pull request when GitHub refuses, never asks for a draft, and is left alone without the input', async () => {
    world = await autoMergeWorld({ allowed: false, requiredChecks: true })
    const { gh } = world
    const notAllowed = await world.run({ ...INPUTS, 'auto-merge': 'rebase' })
    expect(notAllowed.code).toBe(0)
    expect(notAllowed.outputs['pull-request-operation']).toBe('created')
    expect(annotations(notAllowed.stdout, 'warning')).toEqual([
      'Could not turn on auto-merge for #1: GitHub answered "Auto merge is not allowed for this repository". A repository admin can allow it under Settings → General → Pull Requests → "Allow auto-merge"; or remove the auto-merge input. The pull request is open as it is.'
    ])

    // Allowed now, but nothing is required on main: the pull request could be merged at once.
    gh.configureAutoMerge({ allowed: true, requiredChecks: false })
    const clean = await world.run({ ...INPUTS, 'auto-merge': 'rebase' })
    expect(clean.code).toBe(0)
    const [warning] = annotations(clean.stdout, 'warning')
    expect(warning).toMatch(
      /^Auto-merge not turned on for #1: GitHub answered "Pull request Pull request is in clean status": nothing on main is left to wait for/
    )
    expect(warning).toContain('require a status check on main')
    expect(gh.pulls()[0].auto_merge ?? null).toBeNull()
    expect(gh.pulls()[0].state).toBe('open')
    const asked = autoMergeRequests(world).length
    expect(asked).toBe(2)

    // Without the input nothing is asked; nor for a draft.
    const off = await world.run(INPUTS)
    expect(off.code).toBe(0)
    expect(autoMergeRequests(world)).toHaveLength(asked)
    gh.configureAutoMerge({ requiredChecks: true })
    const draft = await world.run({
      ...INPUTS,
      'auto-merge': 'squash',
      draft: 'true',
      branch: 'phrase/draft'
    })
    expect(draft.code).toBe(0)
    expect(gh.pulls()[1]).toMatchObject({ number: 2, draft: true })
    expect(draft.stdout).toContain('#2 is a draft: GitHub does not auto-merge drafts')
    expect(autoMergeRequests(world)).toHaveLength(asked)
  })
})
