// What dist/ is built from, hashed, and a stamp of the last build: lets the tests know whether
// the bundle they run (dist/index.js) was built from the sources as they are now.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const INPUT_FILES = [
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
  'scripts/package.mjs'
]

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? listFiles(full) : [full]
  })
}

/** sha256 over the names and bytes of everything the bundle is built from, plus the bundle. */
function currentStamp(root) {
  const hash = createHash('sha256')
  const files = [
    ...INPUT_FILES.map(file => path.join(root, file)),
    ...listFiles(path.join(root, 'src'))
  ]
  for (const file of files.sort()) {
    hash
      .update(`${path.relative(root, file)}\0`)
      .update(readFileSync(file))
      .update('\0')
  }
  for (const name of ['dist/index.js', 'dist/action.js']) {
    const bundle = path.join(root, name)
    hash.update(existsSync(bundle) ? readFileSync(bundle) : 'no bundle')
  }
  return hash.digest('hex')
}

function stampFile(root) {
  return path.join(root, 'node_modules/.cache/phrase-pull/bundle.sha256')
}

/** Called by the build once dist/ is written. */
export function writeBundleStamp(root) {
  mkdirSync(path.dirname(stampFile(root)), { recursive: true })
  writeFileSync(stampFile(root), currentStamp(root))
}

/** True when dist/ was built by this checkout from exactly the current sources. */
export function bundleIsCurrent(root) {
  const file = stampFile(root)
  return existsSync(file) && readFileSync(file, 'utf8') === currentStamp(root)
}
