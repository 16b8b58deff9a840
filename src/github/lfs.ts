/**
 * Translation files that Git LFS tracks cannot go through this action: GitHub's API serves the
 * LFS pointer file, not the translations, and a commit through the API would store the new file
 * as a plain git blob beside the LFS objects. Such a target is refused before anything is written,
 * naming the file and the `.gitattributes` line that tracks it.
 */
import { attributeFilesFor, attributeOf, rulesFor, type AttributesFile } from './gitattributes.js'
import type { BlobEntry } from './file-contents.js'
import { byCause, namedList } from '../named-list.js'

export class LfsTargetError extends Error {
  override name = 'LfsTargetError'
}

/** Where the base's `.gitattributes` files come from: blob shas from the tree, bytes by sha. */
export interface AttributesSource {
  blobShas(treeSha: string, paths: string[]): Promise<Map<string, string | undefined>>
  read(entries: BlobEntry[]): Promise<Map<string, Buffer>>
}

/** Throws LfsTargetError when `.gitattributes` in the tree marks one of `paths` `filter=lfs`. */
export async function refuseLfsTargets(
  source: AttributesSource,
  treeSha: string,
  paths: string[]
): Promise<void> {
  const shas = await source.blobShas(treeSha, attributeFilesFor(paths))
  const entries = [...shas].flatMap(([path, sha]) => (sha ? [{ path, sha }] : []))
  if (entries.length === 0) return
  const bytes = await source.read(entries)
  const files = entries.map(entry => ({
    dir: entry.path.slice(0, Math.max(0, entry.path.lastIndexOf('/'))),
    text: bytes.get(entry.sha)!.toString('utf8')
  }))
  const tracked = lfsTracked(paths, files)
  if (tracked.length === 0) return
  const byLine = byCause(tracked, ({ line, file }) => `\`${line}\` in ${file}`)
  const named = [...byLine].map(
    ([where, items]) => `${namedList(items.map(i => i.path))} (${where})`
  )
  throw new LfsTargetError(
    `Refusing to write ${named.join('; ')}: Git LFS tracks ${tracked.length === 1 ? 'it' : 'them'}. ` +
      "This action reads and commits files through GitHub's API, which sees the LFS pointer files instead of the translations and would commit the translations as plain files. " +
      'Stop tracking the translation files with LFS (they are text), or set `create-pull-request: false` and commit them with git and git-lfs in a later step.'
  )
}

/** The paths whose `filter` attribute is `lfs`, with the line that makes it so. */
export function lfsTracked(
  paths: string[],
  files: AttributesFile[]
): Array<{ path: string; line: string; file: string }> {
  const rules = rulesFor('filter', files)
  return paths.flatMap(path => {
    const filter = attributeOf(path, rules)
    return filter?.value === 'lfs' ? [{ path, line: filter.line, file: filter.file }] : []
  })
}
