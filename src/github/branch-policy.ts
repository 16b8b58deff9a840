/**
 * Which branch a run writes to, how the action marks its own commits, and what the commits on that
 * branch are: pure decisions, tested without GitHub.
 *
 * One head branch serves one base. The `branch` input is the head for the repository's default
 * branch; any other base gets `<branch>--<base>` (a run from `feature/wip` writes
 * `phrase/translations--feature/wip`), so a rebuild on one base can never pull another base's
 * commits into the other's pull request. Git refuses `a/b` next to `a/b/c`, but `a/b--c/d` is a
 * sibling of `a/b`; and because bases are themselves branches that coexist, their heads do too.
 */

/** The trailer key of the action's commits: `Phrase-Pull: base=<base>`. */
export const TRAILER_KEY = 'Phrase-Pull'
/**
 * One trailer per file the commit carries over from an earlier run (not part of this run's plan):
 * `Phrase-Pull-Carried: <ISO date of the run that wrote the bytes> <path>`. The next run reads
 * the dates back, so a file carried again and again keeps the date it was written.
 */
export const CARRIED_KEY = 'Phrase-Pull-Carried'

const TRAILER_LINE = /^([A-Za-z0-9][A-Za-z0-9-]*):[ \t]/
const OUR_TRAILER = new RegExp(`^${TRAILER_KEY}:[ \\t]*base=(\\S+)[ \\t]*$`)

export function headBranchFor(branch: string, base: string, defaultBranch: string): string {
  return base === defaultBranch ? branch : `${branch}--${base}`
}

/**
 * `message` with the action's trailers (the base, then one line per carried file). Git reads
 * trailers from the last paragraph only, so they join a last paragraph of trailers the user wrote
 * (`Signed-off-by: …`) and otherwise start a paragraph of their own. GitHub stores a commit
 * message through the API as sent.
 */
export function markedMessage(
  message: string,
  base: string,
  carried: Map<string, string> = new Map()
): string {
  const text = message.replace(/\r\n/g, '\n').trimEnd()
  const trailers = [`${TRAILER_KEY}: base=${base}`]
  // A path is one line of a trailer; a path with a line break (never planned) keeps no date.
  for (const [path, date] of carried)
    if (!/[\r\n]/.test(path)) trailers.push(`${CARRIED_KEY}: ${date} ${path}`)
  const paragraphs = text.split(/\n{2,}/)
  const last = paragraphs[paragraphs.length - 1].split('\n')
  const endsInTrailers = paragraphs.length > 1 && last.every(line => TRAILER_LINE.test(line))
  return `${text}${endsInTrailers ? '\n' : '\n\n'}${trailers.join('\n')}\n`
}

/** Path → date of the `Phrase-Pull-Carried` trailers of one of the action's commits. */
export function carriedDates(message: string): Map<string, string> {
  const dates = new Map<string, string>()
  const prefix = `${CARRIED_KEY}: `
  for (const line of lastParagraph(message)) {
    if (!line.startsWith(prefix)) continue
    const rest = line.slice(prefix.length)
    const space = rest.indexOf(' ')
    if (space > 0 && space < rest.length - 1) dates.set(rest.slice(space + 1), rest.slice(0, space))
  }
  return dates
}

function lastParagraph(message: string): string[] {
  const paragraphs = message
    .replace(/\r\n/g, '\n')
    .trimEnd()
    .split(/\n{2,}/)
  return paragraphs.length < 2 ? [] : paragraphs[paragraphs.length - 1].split('\n')
}

/** The base in the action's trailer; undefined when the action did not make this commit. */
export function markedBase(message: string): string | undefined {
  const lines = lastParagraph(message)
  for (let i = lines.length - 1; i >= 0; i--) {
    const match = OUR_TRAILER.exec(lines[i])
    if (match) return match[1]
  }
  return undefined
}

export interface BranchCommit {
  sha: string
  parents: string[]
  message: string
  /** Login, or the git author name when GitHub knows no account. */
  author: string
  /** Committer date (ISO 8601): when the action made it, for its own commits. */
  date?: string
  /** Tree sha, where the listing that named the commit gave it. */
  tree?: string
}

export interface BranchHistory {
  /** Commits the action made (marked, or an unmarked one with the configured message). */
  ours: BranchCommit[]
  /** Commits someone added on top of the action's: a reviewer's fix. */
  others: BranchCommit[]
  /** Commits below the action's that the base does not have: another base's history. */
  foreign: BranchCommit[]
  /** Bases other than this run's that the action's own commits name. */
  otherBases: string[]
}

/**
 * Sorts the commits the head branch has and the base does not (`ahead`, as compare lists them).
 * A merge that only brings in the base's own commits ("Update branch") carries nothing of its own
 * and counts as none of these. `legacyMessage` recognises commits made before the trailer existed.
 */
export function classifyHistory(
  ahead: BranchCommit[],
  base: string,
  legacyMessage: string
): BranchHistory {
  const bySha = new Map(ahead.map(commit => [commit.sha, commit]))
  const isOurs = (commit: BranchCommit) =>
    markedBase(commit.message) !== undefined || commit.message.trim() === legacyMessage.trim()
  const above = new Map<string, boolean>()
  const aboveOurs = (commit: BranchCommit): boolean => {
    const known = above.get(commit.sha)
    if (known !== undefined) return known
    above.set(commit.sha, false) // a cycle cannot happen in git; this only guards the recursion
    const result = commit.parents.some(sha => {
      const parent = bySha.get(sha)
      return parent !== undefined && (isOurs(parent) || aboveOurs(parent))
    })
    above.set(commit.sha, result)
    return result
  }
  const mergesOnlyBase = (commit: BranchCommit) =>
    commit.parents.length > 1 && commit.parents.slice(1).every(sha => !bySha.has(sha))

  const history: BranchHistory = { ours: [], others: [], foreign: [], otherBases: [] }
  for (const commit of ahead) {
    if (isOurs(commit)) {
      history.ours.push(commit)
      const marked = markedBase(commit.message)
      if (marked !== undefined && marked !== base && !history.otherBases.includes(marked))
        history.otherBases.push(marked)
    } else if (mergesOnlyBase(commit)) continue
    else if (aboveOurs(commit)) history.others.push(commit)
    else history.foreign.push(commit)
  }
  return history
}

/** `abc1234 "Fix typo" (alice)`: how a commit is named in messages. */
export function describeCommit(commit: BranchCommit): string {
  const subject = commit.message.split('\n')[0].trim()
  return `${commit.sha.slice(0, 7)} "${subject}" (${commit.author})`
}

export function foreignCommitsError(
  head: string,
  base: string,
  history: BranchHistory,
  more: number
): Error {
  const listed = history.foreign.slice(0, 5).map(describeCommit)
  const count = history.foreign.length + more
  const rest = count > listed.length ? ` and ${count - listed.length} more` : ''
  const built =
    history.otherBases.length > 0
      ? ` An earlier run built it for ${history.otherBases.join(', ')}.`
      : ''
  return new Error(
    `Refusing to update branch ${head}: it carries ${count} commit(s) that ${base} does not have and Phrase Pull did not make: ${listed.join(', ')}${rest}.${built} ` +
      `Rebuilding it on ${base} would drop them, and a pull request from it would bring them into ${base}. ` +
      `Delete the branch ${head} (the next run rebuilds it from ${base}), or give this workflow another branch (the branch input).`
  )
}

export function otherBasePullError(
  head: string,
  base: string,
  pull: { number: number; base: string }
): Error {
  return new Error(
    `Refusing to update branch ${head}: it is the head of pull request #${pull.number} into ${pull.base}, and this run's base is ${base}. ` +
      `One branch can serve one base. Give this workflow its own branch (the branch input), or merge or close #${pull.number} first.`
  )
}
