/**
 * Turns path templates into repository paths. Locale names, codes and tags come from a remote
 * service, so every path is checked to stay inside the repository before anything is written
 * (and, in the checkout, to go through no symbolic link: workspace.ts).
 */
import path from 'node:path'

export class UnsafePathError extends Error {
  override name = 'UnsafePathError'
}

export interface TemplateValues {
  localeName: string
  localeCode: string
  tag?: string
}

const PLACEHOLDER = /<(locale_name|locale_code|tag)>/

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
 * Makes a path template as a user wrote it repository-relative: `baseDir` is the directory it is
 * relative to (the config file's, as when `phrase pull` runs there; '' for the repository root).
 * `./` and `..` in the written text are resolved like the CLI's `filepath.Abs`; the result must
 * stay inside the repository. `name` says where the template was written, for errors.
 */
export function resolveTemplate(template: string, baseDir: string, name: string): string {
  const refuse = (why: string): never => {
    throw new UnsafePathError(`${name}: ${JSON.stringify(template)} ${why}`)
  }
  // phrase-cli pull_target.go containsStars: pull paths name files, they are not glob patterns.
  if (template.includes('*')) {
    refuse(
      'contains "*": a pull path names the files to write, it is not a pattern (the Phrase CLI refuses it too); use <locale_name> or <locale_code>, e.g. locales/<locale_name>.json'
    )
  }
  if (template.includes('\0')) refuse('contains a NUL character')
  if (template.startsWith('/') || /^[a-zA-Z]:/.test(template)) {
    refuse('is an absolute path: write it relative to the repository')
  }
  if (template.includes('\\')) {
    refuse('contains a backslash: write the path with "/", relative to the repository')
  }
  const joined = path.posix.normalize(path.posix.join(baseDir || '.', template))
  if (joined === '..' || joined.startsWith('../')) refuse('leaves the repository')
  const fixedSegments = joined.split('/').filter(segment => !PLACEHOLDER.test(segment))
  const special = fixedSegments.find(isGitName)
  if (special) refuse(`writes into "${special}", which git and GitHub give meaning to`)
  return joined.replace(/^\.\//, '')
}

/**
 * The directory a template's fixed text names: everything before the first placeholder, up to its
 * last "/" (`config/locales/<locale_name>.yml` → `config/locales/`; `<locale_name>.json` → '').
 */
export function fixedDirectory(template: string): string {
  const match = PLACEHOLDER.exec(template)
  const fixed = match ? template.slice(0, match.index) : template
  const dir = fixed.slice(0, fixed.lastIndexOf('/') + 1)
  const parts = dir.split('/').filter(part => part !== '' && part !== '.')
  return parts.length > 0 ? `${parts.join('/')}/` : ''
}

/**
 * The repository path one set of placeholder values gives. Values may create subdirectories (the
 * Phrase CLI allows that) but never leave the directory the template's fixed text names, and never
 * reach a `.git*` name or `.github/`. `origin` names the locale for the error.
 */
export function placeFile(template: string, values: TemplateValues, origin: string): string {
  const repoPath = toRepoPath(expandTemplate(template, values), origin)
  const dir = fixedDirectory(template)
  if (!repoPath.startsWith(dir)) {
    throw new UnsafePathError(
      `Refusing to write ${JSON.stringify(repoPath)} (${origin}): it is outside ${dir}, the directory the path names`
    )
  }
  return repoPath
}

/**
 * Normalises a path to the repository-relative, slash-separated form git trees use, or throws
 * when it is absolute, leaves the repository, or names a `.git*` file or directory (`.git`,
 * `.gitattributes`, `.gitmodules`, `.github`, …), where a file changes what git or GitHub do.
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
  const special = parts.find(isGitName)
  if (special) refuse(`it writes into "${special}", which git and GitHub give meaning to`)
  if (parts.length === 0) refuse('it names no file')
  return parts.join('/')
}

/** `.git`, `.github`, `.gitattributes`, `.gitmodules`, `.gitignore`, … in any letter case. */
function isGitName(segment: string): boolean {
  return segment.toLowerCase().startsWith('.git')
}
