// Builds dist/: tsc emits ES modules into .build/ (inside the project, so ncc resolves packages
// from node_modules; fixed paths, so the bundle is byte-for-byte reproducible), ncc bundles them.
// A lock directory keeps concurrent builds from reading each other's half-written files.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeBundleStamp } from './bundle-stamp.mjs'

const root = fileURLToPath(new URL('..', import.meta.url))
const work = path.join(root, '.build')
const lock = path.join(root, '.build.lock')
const bin = name => path.join(root, 'node_modules', '.bin', name)

function acquireLock() {
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      mkdirSync(lock)
      return
    } catch (error) {
      if (error.code !== 'EEXIST') throw error
      // A build that died long ago left its lock behind.
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })?.mtimeMs > 300_000)
        rmSync(lock, { recursive: true, force: true })
      if (Date.now() > deadline) throw new Error(`another build holds ${lock}`)
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    }
  }
}

acquireLock()
try {
  rmSync(work, { recursive: true, force: true })
  const js = path.join(work, 'js')
  const out = path.join(work, 'dist')
  execFileSync(bin('tsc'), ['-p', 'tsconfig.build.json', '--outDir', js], {
    cwd: root,
    stdio: 'inherit'
  })
  execFileSync(
    bin('ncc'),
    ['build', path.join(js, 'action.js'), '-o', out, '--license', 'licenses.txt', '--quiet'],
    {
      cwd: root,
      stdio: 'inherit'
    }
  )
  // The bundle is the action, run in a worker by the entry (src/index.ts), which imports only
  // Node's own modules and so is copied as tsc wrote it.
  renameSync(path.join(out, 'index.js'), path.join(out, 'action.js'))
  cpSync(path.join(js, 'index.js'), path.join(out, 'index.js'))
  // ncc writes an ES module bundle; dist/package.json tells Node to load it as one.
  writeFileSync(path.join(out, 'package.json'), '{\n  "type": "module"\n}\n')
  rmSync(path.join(root, 'dist'), { recursive: true, force: true })
  cpSync(out, path.join(root, 'dist'), { recursive: true })
  writeBundleStamp(root)
} finally {
  rmSync(work, { recursive: true, force: true })
  rmSync(lock, { recursive: true, force: true })
}
