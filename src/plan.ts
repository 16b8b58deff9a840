/**
 * Decides which files to pull: targets × selected locales (× tags), each with its safe repository
 * path and the Phrase download request that fills it. Pure, so every rule is tested without I/O.
 */
import path from 'node:path'
import { placeFile, templateUsesLocale, templateUsesTag } from './files/targets.js'
import { silentLogger, type Logger } from './logger.js'
import { namedList } from './named-list.js'
import { localeHint } from './phrase/locales.js'
import type { DownloadRequest, PhraseLocale } from './phrase/types.js'
import type { Target } from './settings.js'

export interface PlannedFile {
  /** Repository-relative path, already checked to stay inside the repository. */
  path: string
  fileFormat: string
  locale: PhraseLocale
  request: DownloadRequest
}

export class PlanError extends Error {
  override name = 'PlanError'
}

/** Whether `entry` (of `locales`, `exclude-locales`, `locale_id`, …) names `locale`: id, name or code. */
export function namesLocale(locale: PhraseLocale, entry: string): boolean {
  return entry === locale.id || entry === locale.name || entry === locale.code
}

/** The locale `entry` names: an id first, then a name, then a code (ids and names are unique). */
export function findLocale(available: PhraseLocale[], entry: string): PhraseLocale | undefined {
  return (
    available.find(l => l.id === entry) ??
    available.find(l => l.name === entry) ??
    available.find(l => l.code === entry)
  )
}

/** What a user reads when entries name no locale: the project's locales and the likely fix. */
export function unknownLocales(
  entries: string[],
  available: PhraseLocale[],
  where: string
): string {
  const known =
    namedList(
      available.map(l => l.name),
      30
    ) || 'none'
  return `Locale ${entries.map(m => `"${m}"`).join(', ')} not found in ${where} (its locales: ${known})${localeHint(entries, available)}`
}

/** Picks locales by name, code or id; names every wanted locale the project does not have. */
export function selectLocales(
  available: PhraseLocale[],
  wanted: string[],
  projectId: string
): PhraseLocale[] {
  if (wanted.length === 0) return available
  const missing = wanted.filter(want => !findLocale(available, want))
  if (missing.length > 0) {
    throw new PlanError(unknownLocales(missing, available, `Phrase project ${projectId}`))
  }
  return [...new Set(wanted.map(want => findLocale(available, want)!))]
}

/**
 * One request per locale (and per tag with `<tag>`). Locales whose values give one path (two
 * locales with one code under `<locale_code>`) are written the way the Phrase CLI writes them: one
 * after the other, so the last in Phrase's list wins; here only that one is downloaded, and a
 * warning names the others.
 */
export function planTarget(
  target: Target,
  locales: PhraseLocale[],
  logger: Logger = silentLogger
): PlannedFile[] {
  if (locales.length > 1 && !templateUsesLocale(target.file)) {
    throw new PlanError(
      `Path "${target.file}" has no <locale_name> or <locale_code> placeholder, but ${locales.length} locales are selected`
    )
  }
  const perTag = templateUsesTag(target.file)
  if (perTag && target.tags.length === 0) {
    throw new PlanError(
      `Path "${target.file}" uses <tag> but no tags are given (tags input or params.tags)`
    )
  }
  const tagGroups: Array<string | undefined> = perTag ? [...new Set(target.tags)] : [undefined]
  const files = new Map<string, PlannedFile>()
  const shadowed = new Map<string, string[]>()
  for (const locale of locales) {
    for (const tag of tagGroups) {
      const repoPath = placeFile(
        target.file,
        {
          localeName: target.localeMapping?.[locale.name] ?? locale.name,
          localeCode: locale.code,
          tag
        },
        `locale "${locale.name}" in ${target.file}`
      )
      const previous = files.get(repoPath)
      if (previous) {
        shadowed.set(repoPath, [...(shadowed.get(repoPath) ?? []), previous.locale.name])
      }
      files.set(repoPath, plannedFile(target, locale, repoPath, tag))
    }
  }
  for (const [repoPath, others] of shadowed) {
    const winner = files.get(repoPath)!.locale.name
    logger.warning(
      `Locales ${[...others, winner].map(name => `"${name}"`).join(', ')} all give ${repoPath} (${target.file}): as with the Phrase CLI, the last in Phrase's list ("${winner}") is written, and the others are not downloaded. To choose, put <locale_name> in the path or select one locale (locales input or params.locale_id).`
    )
  }
  return [...files.values()]
}

function plannedFile(
  target: Target,
  locale: PhraseLocale,
  repoPath: string,
  tag: string | undefined
): PlannedFile {
  const tags = tag ?? (target.tags.length > 0 ? target.tags.join(',') : undefined)
  return {
    path: repoPath,
    fileFormat: target.fileFormat,
    locale,
    request: {
      label: `${locale.name} (${repoPath})`,
      projectId: target.projectId,
      localeId: locale.id,
      params: {
        ...target.params,
        ...keyPrefixFor(target, repoPath),
        file_format: target.fileFormat,
        ...(target.branch ? { branch: target.branch } : {}),
        ...(tags ? { tags } : {})
      }
    }
  }
}

/**
 * phrase-cli placeholders.ResolveTranslationKeyPrefix: the first `<file_path>` becomes the file's
 * path relative to where the CLI runs (here: the config file's directory).
 */
function keyPrefixFor(target: Target, repoPath: string): Record<string, string> {
  const prefix = target.params.translation_key_prefix
  if (typeof prefix !== 'string' || !prefix.includes('<file_path>')) return {}
  const relative = path.posix.relative(target.filePathBase ?? '', repoPath)
  return { translation_key_prefix: prefix.replace('<file_path>', () => relative) }
}

/**
 * Plans every target against the locales its project has. The `locales` filter narrows each
 * target; a filter entry that no target has is an error (a typo), and so is a plan with no file.
 */
export function planAll(
  targets: Array<{ target: Target; available: PhraseLocale[] }>,
  logger: Logger = silentLogger,
  exclude: string[] = []
): PlannedFile[] {
  const matched = new Set<string>()
  const files: PlannedFile[] = []
  let excludedAny = false
  for (const { target, available } of targets) {
    let locales = selectLocales(available, target.locales, target.projectId)
    if (target.localeFilter.length > 0) {
      locales = locales.filter(locale => {
        const hits = target.localeFilter.filter(entry => namesLocale(locale, entry))
        hits.forEach(hit => matched.add(hit))
        return hits.length > 0
      })
    }
    // Before the paths are planned: an excluded locale never takes a path from another one.
    const kept = locales.filter(locale => !exclude.some(entry => namesLocale(locale, entry)))
    excludedAny ||= kept.length < locales.length
    files.push(...planTarget(target, kept, logger))
  }
  const everyLocale = targets.flatMap(({ available }) => available)
  for (const entry of exclude.filter(e => !everyLocale.some(l => namesLocale(l, e))))
    logger.warning(`exclude-locales: "${entry}" matches no locale of the Phrase project`)
  const filter = targets[0]?.target.localeFilter ?? []
  const unmatched = filter.filter(wanted => !matched.has(wanted))
  if (unmatched.length > 0) {
    throw new PlanError(
      `Locale ${unmatched.map(m => `"${m}"`).join(', ')} (locales input) matches no locale of any target` +
        localeHint(
          unmatched,
          targets.flatMap(({ available }) => available)
        )
    )
  }
  if (files.length === 0) {
    throw new PlanError(
      excludedAny
        ? `Nothing to pull: exclude-locales (${exclude.join(', ')}) leaves out every selected locale`
        : 'Nothing to pull: the selected Phrase projects have no locales to download'
    )
  }
  assertDistinctPaths(files)
  return files
}

/** Two requests writing one path would make the result depend on which finished last. */
export function assertDistinctPaths(files: PlannedFile[]): void {
  const seen = new Map<string, PlannedFile>()
  for (const file of files) {
    const other = seen.get(file.path)
    if (other) {
      throw new PlanError(
        `Two downloads would write ${file.path}: ${other.request.label} and ${file.request.label}; make the path templates distinct`
      )
    }
    seen.set(file.path, file)
  }
}
