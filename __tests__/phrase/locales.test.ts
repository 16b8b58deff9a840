import { describe, expect, it } from '@jest/globals'
import { apiError, type RequestSubject } from '../../src/phrase/errors.js'
import { BranchNotFoundError, listLocales, localeHint } from '../../src/phrase/locales.js'
import type { PhraseClient, PhraseLocale } from '../../src/phrase/types.js'

const LOCALES: PhraseLocale[] = [
  { id: 'b-de', name: 'de', code: 'de-DE' },
  { id: 'b-fr', name: 'fr', code: 'fr-FR' }
]

const notFound = (operation: RequestSubject['operation'], what: string) =>
  apiError(404, '{"message":"Not Found"}', {
    action: 'list',
    notFound: what,
    scope: 'read',
    operation
  })

/** A client whose project p1 has the branches given; other projects do not exist. */
function stub(branches: string[] | Error): Pick<PhraseClient, 'listLocales' | 'listBranches'> {
  return {
    async listLocales(projectId, branch) {
      if (projectId !== 'p1') throw notFound('listLocales', `project "${projectId}"`)
      if (branch && (branches instanceof Error || !branches.includes(branch)))
        throw notFound('listLocales', `project "${projectId}"`)
      return LOCALES
    },
    async listBranches(projectId) {
      if (projectId !== 'p1') throw notFound('listBranches', `project "${projectId}"`)
      if (branches instanceof Error) throw branches
      return branches
    }
  }
}

const list = (client: ReturnType<typeof stub>, projectId: string, branch?: string) =>
  listLocales(client as PhraseClient, projectId, branch)

describe('listLocales with a Phrase branch', () => {
  it('lists the branch’s locales', async () => {
    await expect(list(stub(['feature-x']), 'p1', 'feature-x')).resolves.toEqual(LOCALES)
  })

  it('says the branch is missing, not the project, and suggests the closest branch', async () => {
    const error = await list(stub(['feature-x', 'release-2']), 'p1', 'Feature_X').catch(e => e)
    expect(error).toBeInstanceOf(BranchNotFoundError)
    expect(error.message).toBe(
      'Phrase: branch "Feature_X" not found in project "p1" (did you mean "feature-x"?). ' +
        'Write an existing branch in the phrase-branch input (or params.branch in the config), ' +
        'or leave it empty to pull the main project.'
    )
  })

  it('lists the branches when none is close, or says there are none', async () => {
    const far = await list(stub(['release-2']), 'p1', 'hotfix').catch(e => e)
    expect(far.message).toMatch(
      /branch "hotfix" not found in project "p1" \(its branches: release-2\)/
    )
    const none = await list(stub([]), 'p1', 'hotfix').catch(e => e)
    expect(none.message).toMatch(/\(the project has no branches\)/)
  })

  it('keeps "project not found" when the project itself is unknown', async () => {
    const error = await list(stub(['x']), 'nope', 'x').catch(e => e)
    expect(error.message).toMatch(/project "nope" not found \(404\)/)
    expect(error).not.toBeInstanceOf(BranchNotFoundError)
  })

  it('names the branch when the branch list cannot be read either', async () => {
    const forbidden = apiError(403, '{"message":"Branching is not enabled"}', {
      action: 'list the branches of project "p1"',
      notFound: 'project "p1"',
      scope: 'read',
      operation: 'listBranches'
    })
    const error = await list(stub(forbidden), 'p1', 'x').catch(e => e)
    expect(error).toBeInstanceOf(BranchNotFoundError)
    expect(error.message).toMatch(
      /branch "x" of project "p1" not found \(404\).*Branching is not enabled/
    )
  })
})

describe('localeHint', () => {
  it('says what to write for a locale in the wrong case, or with a typo', () => {
    expect(localeHint(['DE'], LOCALES)).toBe(
      '; write "de" instead of "DE" (names are case-sensitive)'
    )
    expect(localeHint(['fr_FR', 'xx'], LOCALES)).toBe(
      '; write "fr-FR" instead of "fr_FR" (names are case-sensitive)'
    )
    expect(localeHint(['xx'], LOCALES)).toBe('')
  })

  it('says that locales on one line need commas or new lines between them', () => {
    expect(localeHint(['de fr-FR'], LOCALES)).toBe(
      '; "de fr-FR" is 2 locales: separate them with commas or new lines (de, fr-FR)'
    )
    // Only when every part is a locale: a name with a space stays a typo question.
    expect(localeHint(['de xx'], LOCALES)).toBe('')
  })
})
