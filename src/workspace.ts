/**
 * `create-pull-request: false`: compare with and write into the checkout, for teams that open the
 * pull request with a step of their own.
 *
 * The checkout is as untrusted as the downloads: a committed symbolic link such as
 * `config/locales/de.yml -> ../../.git/config` would send translations into git's config or a
 * workflow. So, as in pull request mode, no path may go through a link: every part that exists is
 * checked with lstat, files are opened with O_NOFOLLOW, and a file is written to a new temporary
 * file beside it that is then renamed over it (a rename replaces a link that appeared meanwhile
 * instead of following it). Synchronous: files are read when the comparison needs them, one at a
 * time, so a run never holds every previous file at once.
 */
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  realpathSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  type Stats
} from 'node:fs'
import path from 'node:path'
import { UnsafePathError } from './files/targets.js'

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants

/** The file's bytes; undefined where there is none. */
export function readWorkspaceFile(workspace: string, repoPath: string): Buffer | undefined {
  const full = checkedPath(workspace, repoPath)
  let fd: number
  try {
    fd = openSync(full, O_RDONLY | O_NOFOLLOW)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    if (errorCode(error) === 'ELOOP') throw linkError(repoPath, repoPath)
    throw error
  }
  try {
    return readFileSync(fd)
  } finally {
    closeSync(fd)
  }
}

export function writeWorkspaceFile(workspace: string, repoPath: string, content: Buffer): void {
  // Checked again right before writing: an earlier write must not have created a way out.
  const full = checkedPath(workspace, repoPath, true)
  const temp = path.join(
    path.dirname(full),
    `.${path.basename(full)}.phrase-pull-${randomBytes(6).toString('hex')}`
  )
  const mode = (statOrUndefined(full)?.mode ?? 0o644) & 0o7777
  const fd = openSync(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode)
  try {
    try {
      writeFileSync(fd, content)
    } finally {
      closeSync(fd)
    }
    // A directory on the way swapped for a link since the check would move the file elsewhere.
    checkedPath(workspace, repoPath)
    renameSync(temp, full)
  } catch (error) {
    try {
      unlinkSync(temp)
    } catch {
      // not there
    }
    throw error
  }
}

/**
 * The absolute path of `repoPath` in the workspace, refused when a part of it that exists is a
 * symbolic link, a part before the last is not a directory, or the last is a directory. With
 * `create`, missing directories are made one at a time, each checked like the others.
 */
function checkedPath(workspace: string, repoPath: string, create = false): string {
  const root = realpathSync(workspace)
  const parts = repoPath.split('/')
  let current = root
  for (const [index, part] of parts.entries()) {
    current = path.join(current, part)
    const prefix = parts.slice(0, index + 1).join('/')
    const isLast = index === parts.length - 1
    let stat = statOrUndefined(current)
    if (!stat && create && !isLast) {
      try {
        mkdirSync(current)
      } catch (error) {
        if (errorCode(error) !== 'EEXIST') throw error
      }
      stat = lstatSync(current)
    }
    if (!stat) break // the rest does not exist yet: nothing to follow, nothing to make
    if (stat.isSymbolicLink()) throw linkError(repoPath, prefix)
    if (isLast && stat.isDirectory())
      throw new UnsafePathError(`Refusing to write ${repoPath}: it is a directory in the checkout`)
    if (!isLast && !stat.isDirectory())
      throw new UnsafePathError(
        `Refusing to write ${repoPath}: ${prefix} is a file in the checkout`
      )
  }
  return path.join(root, ...parts)
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return lstatSync(file)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    throw error
  }
}

function linkError(repoPath: string, link: string): UnsafePathError {
  const which = link === repoPath ? 'it is' : `${link} is`
  return new UnsafePathError(
    `Refusing to write ${repoPath}: ${which} a symbolic link in the checkout. The action writes no file through a link (it could lead into .git/ or .github/); point the path at the real file`
  )
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}
