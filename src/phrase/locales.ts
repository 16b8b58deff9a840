/**
 * The locales of a project, or of one of its Phrase branches. Phrase addresses a branch with the
 * `branch` parameter, on the locale list and on every download alike (the official description's
 * `branch` query and body field; Phrase's CLI does the same in pull.go: LocalesList with Branch,
 * then the download params with Branch). A branch's locales have ids of their own, so the list
 * and the downloads must name the same branch.
 *
 * An unknown branch answers 404 just like an unknown project; the branch list tells which of the
 * two is missing, so the message can say what to write instead.
 */
import { closestNames, editDistance } from '../suggest.js'
import { PhraseApiError } from './errors.js'
import { namedList } from '../named-list.js'
import type { PhraseClient, PhraseLocale } from './types.js'

export class BranchNotFoundError extends Error {
  override name = 'BranchNotFoundError'
}

export async function listLocales(
  client: PhraseClient,
  projectId: string,
  branch?: string
): Promise<PhraseLocale[]> {
  try {
    return await client.listLocales(projectId, branch)
  } catch (error) {
    if (!branch || !(error instanceof PhraseApiError) || error.status !== 404) throw error
    throw await explainNotFound(client, projectId, branch, error)
  }
}

async function explainNotFound(
  client: PhraseClient,
  projectId: string,
  branch: string,
  original: PhraseApiError
): Promise<Error> {
  const fix =
    'Write an existing branch in the phrase-branch input (or params.branch in the config), or leave it empty to pull the main project.'
  let branches: string[]
  try {
    branches = await client.listBranches(projectId)
  } catch (error) {
    // The project itself is unknown: the original message says so.
    if (error instanceof PhraseApiError && error.status === 404) return original
    return new BranchNotFoundError(
      `Phrase: branch "${branch}" of project "${projectId}" not found (404), and the project's branches could not be listed (${error instanceof Error ? error.message : String(error)}). ${fix}`
    )
  }
  const close = closestNames(branch, branches)
  const known =
    close.length > 0
      ? `did you mean ${close.map(name => `"${name}"`).join(', ')}?`
      : branches.length > 0
        ? `its branches: ${namedList(branches)}`
        : 'the project has no branches'
  return new BranchNotFoundError(
    `Phrase: branch "${branch}" not found in project "${projectId}" (${known}). ${fix}`
  )
}

/**
 * What to write instead of locale names Phrase does not know, for an error message: `DE` when the
 * project has `de` is a case mistake, `de_DE` for `de-DE` a typo, and `de fr` two locales on one
 * line (the list is split at commas and line breaks only). Empty when nothing is close.
 */
export function localeHint(unknown: string[], available: PhraseLocale[]): string {
  const names = available.flatMap(locale => [locale.name, locale.code])
  const known = new Set(names)
  const joined: string[] = []
  const fixes = unknown.flatMap(written => {
    const parts = written.split(/\s+/).filter(Boolean)
    if (parts.length > 1 && parts.every(part => known.has(part))) {
      joined.push(
        `"${written}" is ${parts.length} locales: separate them with commas or new lines (${parts.join(', ')})`
      )
      return []
    }
    // Locale names are short: two edits turn `xx` into `de`; allow one per three letters.
    const [close] = closestNames(written, names, 1)
    const near = close && editDistance(written, close) <= Math.max(1, written.length / 3)
    return near ? [`"${close}" instead of "${written}"`] : []
  })
  const typos = fixes.length > 0 ? [`write ${fixes.join(', ')} (names are case-sensitive)`] : []
  const hints = [...joined, ...typos]
  return hints.length > 0 ? `; ${hints.join('; ')}` : ''
}
