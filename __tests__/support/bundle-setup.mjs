// Jest globalSetup: the end-to-end suites run dist/index.js, so make sure it was built from the
// sources as they are now — a local run after editing src/ would otherwise test old code.
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { bundleIsCurrent } from '../../scripts/bundle-stamp.mjs'

const root = fileURLToPath(new URL('../../', import.meta.url))

export default function ensureCurrentBundle() {
  if (bundleIsCurrent(root)) return
  process.stderr.write(
    '\ndist/ is not built from the current sources: rebuilding it (npm run package)…\n'
  )
  execFileSync(process.execPath, ['scripts/package.mjs'], { cwd: root, stdio: 'inherit' })
}
