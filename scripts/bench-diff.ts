/**
 * Diff benchmark: 100 locales × 10,000 keys, as nested_json and as gettext, every file with a
 * handful of real changes (and, for gettext, header churn). Times `compareFile` over all of them,
 * with the values of changed keys and the translation checks as a run does them (the source
 * locale's file parsed once per format), and reports peak RSS. Target: < 2 s and < 400 MB.
 *
 *   npx tsx scripts/bench-diff.ts
 */
import { pathToFileURL } from 'node:url'
import { checkComparison } from '../src/checks/index.js'
import { compareFile, type FileComparison } from '../src/files/diff.js'
import { parserFor } from '../src/files/formats/index.js'

const LOCALES = 100
const KEYS_PER_FILE = 10_000

export interface DiffBenchResult {
  files: number
  keysPerFile: number
  ms: number
  /** Of `ms`: parsing the source files and checking the changed keys. */
  checksMs: number
  /**
   * CPU time (user + system) of the same sections: on a machine shared with other work this
   * moves far less than wall time, which counts the waits for a core.
   */
  cpuMs: number
  peakRssMb: number
}

/** Key `i` of a file: three levels deep, like a real app's screens and sections. */
function keyPath(i: number): string[] {
  return [`screen_${i % 40}`, `section_${Math.floor(i / 40) % 25}`, `label_${i}`]
}

function translation(locale: string, i: number, revision = 0): string {
  // ~35 characters, a typical UI string.
  return `Übersetzung ${i} (${locale})${revision ? ` v${revision}` : ''}: Einstellungen`
}

/** The real changes every file gets: 3 changed values, 1 added key, 1 removed key. */
const CHANGED = [17, 4_321, 9_876]
const REMOVED = 5_001
const ADDED = KEYS_PER_FILE + 1

function nextIndices(): number[] {
  const indices = Array.from({ length: KEYS_PER_FILE }, (_, i) => i).filter(i => i !== REMOVED)
  indices.push(ADDED)
  return indices
}

function nestedJson(locale: string, indices: number[], changed: readonly number[]): Buffer {
  const tree: Record<string, Record<string, Record<string, string>>> = {}
  for (const i of indices) {
    const [screen, section, label] = keyPath(i)
    tree[screen] ??= {}
    tree[screen][section] ??= {}
    tree[screen][section][label] = translation(locale, i, changed.includes(i) ? 1 : 0)
  }
  return Buffer.from(JSON.stringify(tree, null, 2) + '\n')
}

function gettext(
  locale: string,
  indices: number[],
  changed: readonly number[],
  revisionDate: string
): Buffer {
  const lines = [
    'msgid ""',
    'msgstr ""',
    '"Project-Id-Version: Benchmark\\n"',
    `"PO-Revision-Date: ${revisionDate}\\n"`,
    `"Language: ${locale}\\n"`,
    '"MIME-Version: 1.0\\n"',
    '"Content-Type: text/plain; charset=UTF-8\\n"',
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"',
    '"X-Generator: Phrase (phrase.com)\\n"',
    ''
  ]
  for (const i of indices) {
    const value = translation(locale, i, changed.includes(i) ? 1 : 0)
    if (i % 10 === 0) lines.push(`#. Description of label ${i}`)
    if (i % 100 === 0) {
      lines.push(`msgid "${keyPath(i).join('.')}"`, `msgid_plural "${keyPath(i).join('.')}"`)
      lines.push(`msgstr[0] "${value} (one)"`, `msgstr[1] "${value} (other)"`, '')
    } else {
      if (i % 50 === 5) lines.push(`msgctxt "context ${i % 7}"`)
      lines.push(`msgid "${keyPath(i).join('.')}"`, `msgstr "${value}"`, '')
    }
  }
  return Buffer.from(lines.join('\n'))
}

interface Locale {
  format: 'nested_json' | 'gettext'
  locale: string
}

/** The repository's copy of a file: all keys, no changes. */
function previousFile({ format, locale }: Locale): Buffer {
  const all = Array.from({ length: KEYS_PER_FILE }, (_, i) => i)
  return format === 'nested_json'
    ? nestedJson(locale, all, [])
    : gettext(locale, all, [], '2026-07-01 10:00+0000')
}

/** Phrase's download: a few real changes (and, for gettext, a new revision date). */
function downloadedFile({ format, locale }: Locale): Buffer {
  return format === 'nested_json'
    ? nestedJson(locale, nextIndices(), CHANGED)
    : gettext(locale, nextIndices(), CHANGED, '2026-07-08 17:45+0000')
}

/** A wrong result would make the timing meaningless: check every comparison. */
function expectChanges({ format, locale }: Locale, comparison: FileComparison): void {
  const keys = comparison.keys
  const ok =
    comparison.status === 'changed' &&
    keys !== undefined &&
    keys.added.length === 1 &&
    keys.removed.length === 1 &&
    keys.changed.length === CHANGED.length
  if (!ok)
    throw new Error(`unexpected comparison for ${format} ${locale}: ${JSON.stringify(comparison)}`)
}

export async function benchDiff(): Promise<DiffBenchResult> {
  let ms = 0
  let checksMs = 0
  let cpuMicros = 0
  const cpuSince = (start: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(start)
    return used.user + used.system
  }
  let files = 0
  for (const format of ['nested_json', 'gettext'] as const) {
    // The source locale: a file like the others, parsed once, as a run parses it once.
    const sourceBytes = downloadedFile({ format, locale: 'en' })
    const parseStart = performance.now()
    const parseCpu = process.cpuUsage()
    const source = parserFor(format)!.parse(sourceBytes.toString('utf8'), { localeName: 'en' })
    const parseMs = performance.now() - parseStart
    cpuMicros += cpuSince(parseCpu)
    ms += parseMs
    checksMs += parseMs
    const locales: Locale[] = Array.from({ length: LOCALES }, (_, l) => ({
      format,
      locale: `l${String(l).padStart(2, '0')}`
    }))
    // Like the action: every download is in memory; each repository file is read when compared.
    const downloads = locales.map(downloadedFile)
    for (const [index, locale] of locales.entries()) {
      const previous = previousFile(locale)
      const start = performance.now()
      const startCpu = process.cpuUsage()
      const comparison = compareFile(format, previous, downloads[index], {
        localeName: locale.locale,
        withValues: true
      })
      const checked = performance.now()
      const findings = checkComparison(comparison, source, {
        path: `${locale.locale}.${format}`,
        locale: locale.locale
      })
      checksMs += performance.now() - checked
      ms += performance.now() - start
      cpuMicros += cpuSince(startCpu)
      expectChanges(locale, comparison)
      if (findings.length > 0)
        throw new Error(`unexpected findings: ${JSON.stringify(findings[0])}`)
      files++
    }
  }
  return {
    files,
    keysPerFile: KEYS_PER_FILE,
    ms: Math.round(ms),
    checksMs: Math.round(checksMs),
    cpuMs: Math.round(cpuMicros / 1000),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024)
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await benchDiff()
  console.log(JSON.stringify(result))
  const withinTarget = result.ms < 2000 && result.peakRssMb < 400
  console.log(
    withinTarget ? 'within target (< 2000 ms, < 400 MB)' : 'OUTSIDE target (< 2000 ms, < 400 MB)'
  )
  process.exitCode = withinTarget ? 0 : 1
}
