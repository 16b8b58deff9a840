/**
 * `create-pull-request: false`: compare with and write into the checkout, for teams that open the
 * pull request with a step of their own.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { assertInsideWorkspace } from './files/targets.js'

export async function readWorkspaceFile(
  workspace: string,
  repoPath: string
): Promise<Buffer | undefined> {
  const full = assertInsideWorkspace(workspace, repoPath)
  try {
    return await readFile(full)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

export async function writeWorkspaceFile(
  workspace: string,
  repoPath: string,
  content: Buffer
): Promise<void> {
  // Checked again right before writing: an earlier write must not have created a way out.
  const full = assertInsideWorkspace(workspace, repoPath)
  await mkdir(path.dirname(full), { recursive: true })
  await writeFile(full, content)
}
