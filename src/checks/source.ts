/**
 * Which file holds the source text for each planned file: the same target's file in the source
 * locale (the `source-locale` input, else the locale Phrase marks as the project's default). That
 * file is checked against whether or not it is pulled: when it is excluded or not selected, the
 * repository's version of it is the source.
 */
import { findLocale, planTarget, unknownLocales, type PlannedFile } from '../plan.js'
import type { DownloadRequest, PhraseLocale } from '../phrase/types.js'
import type { Target } from '../settings.js'

export class SourceLocaleError extends Error {
  override name = 'SourceLocaleError'
}

export function sourceLocaleOf(
  available: PhraseLocale[],
  wanted: string | undefined,
  projectId: string
): PhraseLocale | undefined {
  if (!wanted) return available.find(locale => locale.default)
  const found = findLocale(available, wanted)
  if (!found) {
    throw new SourceLocaleError(
      `source-locale: ${unknownLocales([wanted], available, `Phrase project ${projectId}`)}; name one of them, or leave source-locale empty to use the project's default locale`
    )
  }
  return found
}

/** Files of one download request differ only by locale: project and parameters identify them. */
function requestKey(request: DownloadRequest): string {
  return `${request.projectId}\u0000${JSON.stringify(request.params)}`
}

export interface SourcePlan {
  /** The source locale's file for `file` (maybe `file` itself); undefined when none is known. */
  sourceOf(file: PlannedFile): PlannedFile | undefined
  /** Source files the pull does not download: read from the repository instead. */
  extraPaths(planned: PlannedFile[]): string[]
}

export function planSources(
  listed: Array<{ target: Target; available: PhraseLocale[] }>,
  wanted: string | undefined
): SourcePlan {
  const byRequest = new Map<string, PlannedFile>()
  for (const { target, available } of listed) {
    const source = sourceLocaleOf(available, wanted, target.projectId)
    if (!source) continue
    let files: PlannedFile[]
    try {
      files = planTarget(target, [source])
    } catch {
      continue // a path the plan refuses is never read; its locales are checked without a source
    }
    for (const file of files) {
      const key = requestKey(file.request)
      if (!byRequest.has(key)) byRequest.set(key, file)
    }
  }
  return {
    sourceOf: file => byRequest.get(requestKey(file.request)),
    extraPaths(planned) {
      const pulled = new Set(planned.map(file => file.path))
      return [...new Set([...byRequest.values()].map(file => file.path))].filter(
        path => !pulled.has(path)
      )
    }
  }
}
