/**
 * Translation checks for the keys a pull changes or adds, against the source locale's text:
 * findings go to the log (one warning each, capped), the PR body and the job summary; with
 * `checks: fail` the run stops before anything is committed or written.
 */
import { asFileBytes, type FileBytes } from '../files/file-bytes.js'
import { declaredEncoding, type Candidate, type Change } from '../changes.js'
import type { FileComparison } from '../files/diff.js'
import { parserFor, type TranslationMap } from '../files/formats/index.js'
import { decodeText } from '../files/formats/decode.js'
import { isDocumentKey } from '../files/formats/document-keys.js'
import { namedList } from '../named-list.js'
import { displayText } from '../files/formats/value.js'
import { cappedWarnings, type Logger } from '../logger.js'
import type { PlannedFile } from '../plan.js'
import type { SourcePlan } from './source.js'
import { sourceTextFor, textProblems } from './translation.js'
import type { CheckFinding, CheckMode, CheckSummary } from './types.js'

export type { CheckFinding, CheckMode, CheckSummary } from './types.js'

/** Findings quoted in the error that stops a run with `checks: fail`. */
const MAX_QUOTED_FINDINGS = 5

export class CheckFailure extends Error {
  override name = 'CheckFailure'
  constructor(readonly findings: CheckFinding[]) {
    const quoted = findings.slice(0, MAX_QUOTED_FINDINGS).map(describeFinding)
    const more =
      findings.length > quoted.length ? `\n- … and ${findings.length - quoted.length} more` : ''
    super(
      `Stopped before committing: ${findings.length} translation check ${findings.length === 1 ? 'finding' : 'findings'} (checks: fail):\n- ${quoted.join('\n- ')}${more}\nFix the translations in Phrase, or set checks: warn to propose them with the findings listed.`
    )
  }
}

export interface TranslationChecks {
  readonly mode: CheckMode
  /** Checks every change; logs the findings; throws CheckFailure with `checks: fail`. */
  run(changes: Change[], previous: (path: string) => Buffer | FileBytes | undefined): CheckFinding[]
  /** What the last `run` did (nothing checked before the first). */
  summary(): CheckSummary
}

export function translationChecks(options: {
  mode: CheckMode
  sources: SourcePlan
  candidates: Candidate[]
  logger: Logger
}): TranslationChecks {
  const { mode, sources, logger } = options
  const downloaded = new Map(options.candidates.map(c => [c.planned.path, c]))
  // A run that starts over (the branch moved) checks again: each finding is still logged once.
  const logged = new Set<string>()
  let last: CheckSummary = { mode, keys: 0, findings: 0, withoutSource: 0 }
  return {
    mode,
    summary: () => last,
    run(changes, previous) {
      if (mode === 'off') return []
      const sourceMaps = new Map<string, TranslationMap | undefined>()
      const sourceMap = (file: PlannedFile) => {
        if (!sourceMaps.has(file.path)) {
          const known = downloaded.get(file.path) ?? previous(file.path)
          const bytes = known && asFileBytes(known).content
          sourceMaps.set(file.path, bytes && readMap(file, bytes, logger))
        }
        return sourceMaps.get(file.path)
      }
      const findings: CheckFinding[] = []
      const withoutSource: string[] = []
      for (const change of changes) {
        const source = sources.sourceOf(change.planned)
        const isSource = source?.path === change.planned.path
        const map = source && !isSource ? sourceMap(source) : undefined
        if (!map && !isSource) withoutSource.push(change.planned.path)
        findings.push(...checkChange(change, isSource ? undefined : map))
      }
      if (withoutSource.length > 0) {
        logger.info(
          `No source text for ${namedList(withoutSource)} (no source-locale input, no default locale in Phrase, or no such file in the repository): only ICU syntax and tag nesting were checked there`
        )
      }
      const unlogged = findings.filter(finding => {
        const text = describeFinding(finding)
        if (logged.has(text)) return false
        logged.add(text)
        return true
      })
      logFindings(unlogged, logger)
      last = {
        mode,
        keys: changes.reduce((sum, change) => sum + checkedKeys(change), 0),
        findings: findings.length,
        withoutSource: withoutSource.length
      }
      if (mode === 'fail' && findings.length > 0) throw new CheckFailure(findings)
      return findings
    }
  }
}

/** The changed and added keys of one file; `source` undefined = nothing to compare with. */
export function checkChange(change: Change, source: TranslationMap | undefined): CheckFinding[] {
  const { comparison, planned } = change
  const file = { path: planned.path, locale: planned.locale.name }
  if (comparison.values) return checkComparison(comparison, source, file)
  const { keys } = comparison
  if (!keys) return []
  // A new file (every key is added), or one whose values were too long to keep (diff.ts): read
  // here, one file at a time, so no run holds the maps of many locales at once; a long file's
  // values are checked as they are read.
  const checked =
    comparison.status === 'added' ? undefined : new Set([...keys.changed, ...keys.added])
  const visited = visitValues(planned, change, (key, value) =>
    !checked || checked.has(key) ? checkValue(file, key, value, source) : []
  )
  if (visited) return visited
  const map = readMap(planned, change.content)
  if (!map) return []
  const values = { get: (key: string) => ({ after: map.get(key) }) }
  return checkComparison({ ...comparison, values }, source, file)
}

/**
 * The findings of every value of a file its parser hands over one by one, in the order of their
 * keys (as `checkComparison` finds them); undefined where the file must be parsed into a map.
 */
function visitValues(
  file: PlannedFile,
  bytes: FileBytes,
  check: (key: string, value: string) => CheckFinding[]
): CheckFinding[] | undefined {
  const parser = parserFor(file.fileFormat)
  if (!parser?.visit) return undefined
  const found: CheckFinding[] = []
  try {
    const context = { localeName: file.locale.name, encoding: declaredEncoding(file) }
    const read = parser.visit(bytes, context, (key, value) => {
      if (!isDocumentKey(key)) found.push(...check(key, value))
    })
    // Sorted by key; a key's own findings stay in their order (the sort is stable).
    return read ? found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) : undefined
  } catch {
    return undefined
  }
}

/** The keys `checkChange` reads: changed and added ones, file-describing keys aside. */
function checkedKeys({ comparison }: Change): number {
  const { keys } = comparison
  if (!keys) return 0
  return [...keys.changed, ...keys.added].filter(key => !isDocumentKey(key)).length
}

export function checkComparison(
  comparison: FileComparison,
  source: TranslationMap | undefined,
  file: { path: string; locale: string }
): CheckFinding[] {
  const { keys, values } = comparison
  if (!keys || !values) return []
  const findings: CheckFinding[] = []
  for (const key of [...keys.changed, ...keys.added]) {
    // A gettext header or a Rails locale key describes the file, not a translation.
    if (isDocumentKey(key)) continue
    const value = values.get(key)?.after
    if (value !== undefined) findings.push(...checkValue(file, key, value, source))
  }
  return findings
}

/** The problems of one key's value, against the source text of that key when there is one. */
function checkValue(
  file: { path: string; locale: string },
  key: string,
  value: string,
  source: TranslationMap | undefined
): CheckFinding[] {
  const lookup = (other: string) => {
    const found = source?.get(other)
    return found === undefined ? undefined : displayText(found)
  }
  const text = displayText(value)
  const reference = source ? sourceTextFor(key, lookup) : undefined
  return textProblems(text, reference?.text, reference?.mayDropPlaceholders).map(problem => ({
    ...file,
    key,
    text,
    ...problem
  }))
}

function readMap(file: PlannedFile, bytes: Buffer, logger?: Logger): TranslationMap | undefined {
  const parser = parserFor(file.fileFormat)
  if (!parser) return undefined
  try {
    return parser.parse(decodeText(bytes, declaredEncoding(file)), { localeName: file.locale.name })
  } catch (error) {
    logger?.info(`Source file ${file.path} could not be parsed for the checks: ${String(error)}`)
    return undefined
  }
}

export function describeFinding(finding: CheckFinding): string {
  const token = finding.token !== undefined ? ` ${finding.token}` : ''
  return `${finding.locale} (${finding.path}) ${finding.key}: ${finding.message}${token}`
}

/** Every finding is in the log; the first few are annotations too (see cappedWarnings). */
function logFindings(findings: CheckFinding[], logger: Logger): void {
  const log = cappedWarnings(logger)
  for (const finding of findings) log.warning(`Translation check: ${describeFinding(finding)}`)
  log.close(
    rest =>
      `Translation check: … and ${rest} more ${rest === 1 ? 'finding' : 'findings'} (in the log, and the job summary lists them all)`
  )
}
