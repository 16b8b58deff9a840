/**
 * Turns path templates into repository paths. Locale names, codes and tags come from a remote
 * service, so every path is checked to stay inside the repository before anything is written.
 */
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs'
import path from 'node:path'

export class UnsafePathError extends Error {
  override name = 'UnsafePathError'
}

export interface TemplateValues {
  localeName: string
  localeCode: string
  tag?: string
}

export function templateUsesTag(template: string): boolean {
  return template.includes('<tag>')
}

export function templateUsesLocale(template: string): boolean {
  return template.includes('<locale_name>') || template.includes('<locale_code>')
}

export function expandTemplate(template: string, values: TemplateValues): string {
  return template
    .replaceAll('<locale_name>', values.localeName)
    .replaceAll('<locale_code>', values.localeCode)
    .replaceAll('<tag>', values.tag ?? '')
}

/**
 * Normalises a path to the repository-relative, slash-separated form git trees use, or throws
 * when it is absolute, leaves the repository, or points into `.git`.
 */
export function toRepoPath(candidate: string, origin: string): string {
  const refuse = (why: string): never => {
    throw new UnsafePathError(`Refusing to write ${JSON.stringify(candidate)} (${origin}): ${why}`)
  }
  if (candidate.includes('\0')) refuse('it contains a NUL character')
  if (candidate.includes('\\')) refuse('it contains a backslash')
  if (candidate.startsWith('/') || /^[a-zA-Z]:/.test(candidate)) refuse('it is an absolute path')
  const parts = candidate.split('/').filter(part => part !== '' && part !== '.')
  // Any `..` is refused, even one that climbs back in: it only arises from hostile values.
  if (parts.includes('..')) refuse('it leaves the repository (".." segment)')
  if (parts.some(part => part.toLowerCase() === '.git')) refuse('it points into .git')
  if (parts.length === 0) refuse('it names no file')
  return parts.join('/')
}

/**
 * Refuses a path whose existing parts in the checkout go through a symlink that resolves outside
 * the workspace (a symlink committed to the repository could otherwise redirect the write).
 */
export function assertInsideWorkspace(workspace: string, repoPath: string): string {
  const root = realpathSync(workspace)
  let current = root
  for (const part of repoPath.split('/')) {
    current = path.join(current, part)
    let isLink = false
    try {
      isLink = lstatSync(current).isSymbolicLink()
    } catch {
      break // the rest does not exist yet: nothing to follow
    }
    if (isLink) {
      const link = path.relative(root, current)
      const target = linkTarget(current)
      if (target !== root && !target.startsWith(root + path.sep)) {
        throw new UnsafePathError(
          `Refusing to write ${repoPath}: ${link} is a symlink that points outside the repository`
        )
      }
      // Writing through a dangling link would create its target, wherever a chain of links leads.
      if (!existsSync(current)) {
        throw new UnsafePathError(
          `Refusing to write ${repoPath}: ${link} is a symlink to a file that does not exist`
        )
      }
    }
  }
  return path.join(root, repoPath)
}

/** Where a symlink leads: resolved fully when it can be, else its own target read as a path. */
function linkTarget(link: string): string {
  try {
    return realpathSync(link)
  } catch {
    return path.resolve(path.dirname(link), readlinkSync(link))
  }
}
