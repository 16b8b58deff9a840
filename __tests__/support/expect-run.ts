/** Assertions every fault test shares: how a run ended, and that a failure changed nothing. */
import { expect } from '@jest/globals'
import type { RepoState, World, WorldRun } from './world.js'

/** The run failed (exit 1, not killed) with an error annotation matching every pattern. */
export function expectFailure(run: WorldRun, ...patterns: RegExp[]): void {
  expect({ code: run.code, timedOut: run.timedOut }).toEqual({ code: 1, timedOut: false })
  expect(run.error).not.toBe('')
  for (const pattern of patterns) expect(run.error).toMatch(pattern)
}

export function expectSuccess(run: WorldRun): void {
  expect({ code: run.code, timedOut: run.timedOut, error: run.error }).toEqual({
    code: 0,
    timedOut: false,
    error: ''
  })
}

/** Every ref of the bare repo and every pull request are as they were in `before`. */
export async function expectUntouched(world: World, before: RepoState): Promise<void> {
  expect(await world.state()).toEqual(before)
}

/** The run created the PR and its branch holds Phrase's current export of every locale. */
export async function expectProposed(
  world: World,
  run: WorldRun,
  locales: string[]
): Promise<void> {
  expectSuccess(run)
  expect(run.outputs['pull-request-operation']).toBe('created')
  expect(world.gh.pulls()).toHaveLength(1)
  for (const locale of locales) {
    expect(await world.gh.readFile('phrase/translations', `config/locales/${locale}.yml`)).toEqual(
      await world.exported(locale)
    )
  }
}

/** For afterEach: fails the test when a token leaked, then stops the world. */
export async function scanAndStop(world: World | undefined): Promise<void> {
  if (!world) return
  try {
    expect(await world.leaks()).toEqual([])
  } finally {
    await world.stop()
  }
}
