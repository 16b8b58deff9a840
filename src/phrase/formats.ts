/**
 * The file formats asked for, checked against Phrase's own list (`GET /formats`) before the
 * first export: a mistyped format fails the run with one line and the closest valid names, not
 * with one 422 per locale after every job was started.
 */
import { closestNames } from '../suggest.js'
import type { PhraseFormat } from './types.js'

export class FileFormatError extends Error {
  override name = 'FileFormatError'
}

/** Throws when a format is unknown to Phrase or cannot be exported; one line per bad format. */
export function assertExportableFormats(known: PhraseFormat[], wanted: string[]): void {
  const byName = new Map(known.map(format => [format.apiName, format]))
  const exportable = known.filter(format => format.exportable)
  const problems = [...new Set(wanted)].flatMap(name => {
    const format = byName.get(name)
    if (format?.exportable) return []
    if (format) return [`Phrase can import the file format "${name}" but not export it.`]
    // `po` means gettext, `jsn` was meant to be some JSON: the file extension is a fair guess too.
    const extensions = closestNames(
      name,
      exportable.flatMap(f => (f.extension ? [f.extension] : []))
    )
    const close = [
      ...new Set([
        ...closestNames(
          name,
          exportable.map(f => f.apiName)
        ),
        ...exportable
          .filter(f => f.extension && extensions.includes(f.extension))
          .map(f => f.apiName)
      ])
    ].slice(0, 3)
    const hint = close.length > 0 ? `; did you mean ${close.map(c => `"${c}"`).join(', ')}?` : '.'
    return [
      `Phrase has no file format "${name}" (the file-format input, or params.file_format in the config)${hint} ` +
        "Phrase's names are the api_name values of GET /formats."
    ]
  })
  if (problems.length > 0) throw new FileFormatError(problems.join('\n'))
}
