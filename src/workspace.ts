/**
 * `create-pull-request: false`: compare with and write into the checkout, for teams that open the
 * pull request with a step of their own.
 *
 * The checkout is as untrusted as the downloads: a committed symbolic link such as
 * `config/locales/de.yml -> ../../.git/config` would send translations into git's config or a
 * workflow. So, as in pull request mode, no path may go through a link: every part that exists is
 * checked with lstat, files are opened with O_NOFOLLOW, and a file is written to a new temporary
 * file beside it that is then renamed over it (a rename replaces a link that appeared meanwhile
 * instead of following it).
 */
import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, mkdir, open, realpath, rename, unlink } from 'node:fs/promises'
import path from 'node:path'
import { UnsafePathError } from './files/targets.js'

const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = constants

export async function readWorkspaceFile(
  workspace: string,
  repoPath: string
): Promise<Buffer | undefined> {
  const full = await checkedPath(workspace, repoPath)
  let file
  try {
    file = await open(full, O_RDONLY | O_NOFOLLOW)
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined
    if (errorCode(error) === 'ELOOP') throw linkError(repoPath, repoPath)
    throw error
  }
  try {
    return await file.readFile()
  } finally {
    await file.close()
  }
}

export async function writeWorkspaceFile(
  workspace: string,
  repoPath: string,
  content: Buffer
): Promise<void> {
  // Checked again right before writing: an earlier write must not have created a way out.
  const full = await checkedPath(workspace, repoPath, true)
  const temp = path.join(
    path.dirname(full),
    `.${path.basename(full)}.phrase-pull-${randomBytes(6).toString('hex')}`
  )
  const mode = await lstat(full).then(
    stat => stat.mode & 0o7777,
    () => 0o644
  )
  const file = await open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, mode)
  try {
    await file.writeFile(content)
    await file.close()
    // A directory on the way swapped for a link since the check would move the file elsewhere.
    await checkedPath(workspace, repoPath)
    await rename(temp, full)
  } catch (error) {
    await file.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw error
  }
}

/**
 * The absolute path of `repoPath` in the workspace, refused when a part of it that exists is a
 * symbolic link, a part before the last is not a directory, or the last is a directory. With
 * `create`, missing directories are made one at a time, each checked like the others.
 */
async function checkedPath(workspace: string, repoPath: string, create = false): Promise<string> {
  const root = await realpath(workspace)
  const parts = repoPath.split('/')
  let current = root
  for (const [index, part] of parts.entries()) {
    current = path.join(current, part)
    const prefix = parts.slice(0, index + 1).join('/')
    const isLast = index === parts.length - 1
    let stat = await lstat(current).catch(() => undefined)
    if (!stat && create && !isLast) {
      await mkdir(current).catch(error => {
        if (errorCode(error) !== 'EEXIST') throw error
      })
      stat = await lstat(current)
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

function linkError(repoPath: string, link: string): UnsafePathError {
  const which = link === repoPath ? 'it is' : `${link} is`
  return new UnsafePathError(
    `Refusing to write ${repoPath}: ${which} a symbolic link in the checkout. The action writes no file through a link (it could lead into .git/ or .github/); point the path at the real file`
  )
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code
}
