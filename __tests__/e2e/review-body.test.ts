/**
 * Issue 20 end to end on the bundle: at 30 and 200 locales the pull request body is organised
 * around keys. Every locale loses the two `promo.blackFriday.*` keys and gains
 * `account.deleteConfirm` (listed once, with their count); `et` alone loses `common.save`, because
 * its translation was emptied and Phrase leaves empty translations out of its exports: that one
 * anomaly comes first, above every fold. The body says the checks ran (report.test.ts shows the
 * `checks: off` line), names the run at its foot, and a rerun that finds nothing new leaves it as
 * it was.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { startWorld, type World } from '../support/world.js'
import { scanAndStop } from '../support/expect-run.js'
import { section } from '../support/report-fixtures.js'

let world: World | undefined
afterEach(async () => {
  await scanAndStop(world)
  world = undefined
})

const KEPT = ['common.save', 'common.cancel', 'nav.home', 'checkout.total']
const DROPPED = ['promo.blackFriday.title', 'promo.blackFriday.cta']

function localeNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) =>
    i === 0 ? 'en' : i === 7 ? 'et' : `l${String(i).padStart(3, '0')}`
  )
}

const text = (name: string, key: string) =>
  key === 'checkout.total' ? `Total: %{amount} (${name})` : `${key} ${name}`

/** The repository's file of a locale: nested YAML, as Rails keeps it. */
function repoFile(name: string): string {
  const groups = new Map<string, string[]>()
  for (const key of [...KEPT, ...DROPPED]) {
    const dot = key.lastIndexOf('.')
    const group = key.slice(0, dot)
    groups.set(group, [...(groups.get(group) ?? []), `${key.slice(dot + 1)}: "${text(name, key)}"`])
  }
  const lines = [`${name}:`]
  for (const [group, entries] of groups) {
    const parts = group.split('.')
    parts.forEach((part, depth) => lines.push(`${'  '.repeat(depth + 1)}${part}:`))
    for (const entry of entries) lines.push(`${'  '.repeat(parts.length + 1)}${entry}`)
  }
  return lines.join('\n') + '\n'
}

async function shopWorld(count: number): Promise<World> {
  const names = localeNames(count)
  const phrase = (name: string) => ({
    ...Object.fromEntries(KEPT.map(key => [key, text(name, key)])),
    'account.deleteConfirm': `Delete account? (${name})`,
    // Emptied in Phrase: left out of the export.
    ...(name === 'et' ? { 'common.save': '' } : {})
  })
  return startWorld({
    files: Object.fromEntries(names.map(name => [`config/locales/${name}.yml`, repoFile(name)])),
    sim: {
      projects: {
        p1: {
          locales: names.map((name, i) => ({
            id: `id-${name}`,
            name,
            code: name,
            ...(i === 0 ? { default: true } : {})
          })),
          translations: Object.fromEntries(names.map(name => [name, phrase(name)]))
        }
      },
      jobDurationMs: 10
    }
  })
}

function expectKeyView(body: string, count: number): void {
  const firstFold = body.indexOf('<details>')
  const open = body.slice(0, firstFold)
  expect(open).toContain(
    `**${count} locales · ${count} files · keys: ${count} added, 0 changed, ${2 * count + 1} removed**`
  )
  expect(section(open, 'Look here first')).toEqual(['- **Removed** in `et` only: `common.save`'])
  expect(section(open, 'Across locales')).toEqual([
    `- **Removed** in all ${count} locales (2 keys): \`promo.blackFriday.cta\`, \`promo.blackFriday.title\``,
    `- **Added** in all ${count} locales: \`account.deleteConfirm\``
  ])
  // The first screen: a dozen lines, not a block per locale.
  expect(open.split('\n').length).toBeLessThan(25)
  const all = body.slice(firstFold, body.indexOf('</details>', firstFold))
  expect(all).toContain(`<summary>All ${count} files</summary>`)
  expect(all).toContain('| `config/locales/et.yml` | 1 | 0 | 3 |')
}

describe('the pull request body at scale', () => {
  it('30 locales: one anomaly first, shared changes once, the checks ran, the run at the foot', async () => {
    world = await shopWorld(30)
    const first = await world.run()
    expect(first.code).toBe(0)
    const [pr] = world.gh.pulls()
    for (const text of [pr.body!, first.summary]) {
      expectKeyView(text, 30)
      expect(text).toContain('**Checks:** 30 changed keys checked, no findings.')
    }
    expect(pr.body!.trimEnd().split('\n').at(-2)).toMatch(
      /^<sub>Pulled from Phrase project `p1` \(127\.0\.0\.1:\d+\) by \[Phrase Pull #1\]\(https:\/\/github\.com\/octo\/app\/actions\/runs\/1\) \(workflow\\_dispatch by octo\) on \d{4}-\d\d-\d\d at \d\d:\d\d UTC\.<\/sub>$/
    )

    // The next night's run finds nothing new: the pull request is left as it was, foot included.
    const rerun = await world.run({}, { env: { GITHUB_RUN_ID: '2', GITHUB_RUN_NUMBER: '2' } })
    expect(rerun.outputs['pull-request-operation']).toBe('unchanged')
    expect(world.gh.pulls()[0].body).toBe(pr.body)
  }, 60_000)

  it('200 locales: the anomaly on the first screen, within GitHub’s body limit', async () => {
    world = await shopWorld(200)
    const result = await world.run({ timeout: '120' })
    expect(result.code).toBe(0)
    const body = world.gh.pulls()[0].body!
    expect(body.length).toBeLessThanOrEqual(65_536)
    expectKeyView(body, 200)
    expectKeyView(result.summary, 200)
  }, 120_000)
})
