#!/usr/bin/env node
// Builds specs/github/api.github.com.subset.json from @octokit/openapi (see specs/github/README.md).
// Extract a small, self-contained subset of GitHub's REST OpenAPI description.
//
// Usage: node extract-subset.mjs <path-to-api.github.com.json> <out.json>
//
// Keeps `openapi`, `info`, `servers`, the operations listed in WANTED, and every
// component they reach through `$ref` (and discriminator mappings), transitively.
// Everything else (other paths, tags, externalDocs, x-webhooks, unused components)
// is dropped. Zero dependencies; Node 18+.

// One line per operation: "METHOD /path/as/written/in/the/description".
const WANTED = [
  'GET /repos/{owner}/{repo}',
  'GET /repos/{owner}/{repo}/branches/{branch}',
  'GET /repos/{owner}/{repo}/git/ref/{ref}',
  'GET /repos/{owner}/{repo}/git/matching-refs/{ref}',
  'POST /repos/{owner}/{repo}/git/refs',
  'PATCH /repos/{owner}/{repo}/git/refs/{ref}',
  'DELETE /repos/{owner}/{repo}/git/refs/{ref}',
  'GET /repos/{owner}/{repo}/git/commits/{commit_sha}',
  'POST /repos/{owner}/{repo}/git/commits',
  'GET /repos/{owner}/{repo}/git/trees/{tree_sha}',
  'POST /repos/{owner}/{repo}/git/trees',
  'POST /repos/{owner}/{repo}/git/blobs',
  'GET /repos/{owner}/{repo}/git/blobs/{file_sha}',
  'GET /repos/{owner}/{repo}/contents/{path}',
  'GET /repos/{owner}/{repo}/compare/{basehead}',
  'GET /repos/{owner}/{repo}/pulls',
  'POST /repos/{owner}/{repo}/pulls',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}',
  'PATCH /repos/{owner}/{repo}/pulls/{pull_number}',
  'POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers',
  'GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews',
  'PATCH /repos/{owner}/{repo}/issues/{issue_number}',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/labels',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/assignees',
  'POST /repos/{owner}/{repo}/issues/{issue_number}/comments',
  'GET /rate_limit'
]

// Output is pretty-printed unless that would exceed this many bytes.
const PRETTY_LIMIT_BYTES = 1_000_000

import { readFileSync, writeFileSync } from 'node:fs'

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']

function fail(message) {
  console.error(`extract-subset: ${message}`)
  process.exit(1)
}

function decodePointer(ref) {
  // "#/components/schemas/a~1b" -> ["components", "schemas", "a/b"]
  if (!ref.startsWith('#/')) fail(`unsupported non-local $ref: ${ref}`)
  return ref
    .slice(2)
    .split('/')
    .map(s => decodeURIComponent(s).replace(/~1/g, '/').replace(/~0/g, '~'))
}

// Collect every local reference in a value: `$ref` strings and discriminator mappings.
function collectRefs(value, out) {
  if (Array.isArray(value)) {
    for (const v of value) collectRefs(v, out)
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref' && typeof v === 'string') out.push(v)
      else if (k === 'discriminator' && v && typeof v.mapping === 'object') {
        // Mapping values are either references or bare schema names.
        for (const m of Object.values(v.mapping))
          if (typeof m === 'string') out.push(m.startsWith('#') ? m : `#/components/schemas/${m}`)
        collectRefs(v, out)
      } else collectRefs(v, out)
    }
  }
  return out
}

const [inPath, outPath] = process.argv.slice(2)
if (!inPath || !outPath)
  fail('usage: node extract-subset.mjs <path-to-api.github.com.json> <out.json>')

let spec
try {
  spec = JSON.parse(readFileSync(inPath, 'utf8'))
} catch (e) {
  fail(`cannot read ${inPath}: ${e.message}`)
}
if (typeof spec.openapi !== 'string' || !spec.paths)
  fail(`${inPath} is not an OpenAPI 3 description`)

// 1. The wanted operations.
const wanted = new Map() // path -> Set(method)
for (const line of WANTED) {
  const m = /^([A-Za-z]+)\s+(\/\S*)$/.exec(line.trim())
  if (!m || !HTTP_METHODS.includes(m[1].toLowerCase())) fail(`malformed WANTED entry: "${line}"`)
  const [, method, path] = m
  if (!wanted.has(path)) wanted.set(path, new Set())
  wanted.get(path).add(method.toLowerCase())
}

const missing = WANTED.filter(line => {
  const [method, path] = line.trim().split(/\s+/)
  return !spec.paths[path] || !spec.paths[path][method.toLowerCase()]
})
if (missing.length) fail(`wanted operation(s) missing from ${inPath}:\n  ${missing.join('\n  ')}`)

const paths = {}
for (const [path, methods] of wanted) {
  const item = spec.paths[path]
  if (item.$ref) fail(`path item ${path} uses $ref, which this script does not support`)
  const kept = {}
  for (const [k, v] of Object.entries(item)) {
    // Keep path-level fields (parameters, summary, ...) and only the wanted methods.
    if (!HTTP_METHODS.includes(k) || methods.has(k)) kept[k] = v
  }
  paths[path] = kept
}

// 2. Transitive closure of the components they reference.
const keep = new Map() // "type/name" -> [type, name]
const queue = collectRefs(paths, [])
const securityNames = new Set()
for (const item of Object.values(paths))
  for (const op of Object.values(item))
    for (const req of (op && op.security) || [])
      for (const name of Object.keys(req)) securityNames.add(name)
for (const name of securityNames) queue.push(`#/components/securitySchemes/${name}`)

while (queue.length) {
  const ref = queue.pop()
  const parts = decodePointer(ref)
  if (parts[0] !== 'components' || parts.length < 3)
    fail(`unsupported $ref target (only #/components/<type>/<name>...): ${ref}`)
  const [, type, name] = parts
  const key = `${type}/${name}`
  if (keep.has(key)) continue
  let target = spec
  for (const p of parts) {
    target = target && typeof target === 'object' ? target[p] : undefined
  }
  if (target === undefined) fail(`unresolvable $ref: ${ref}`)
  const component = spec.components[type][name]
  keep.set(key, [type, name])
  collectRefs(component, queue)
}

// Rebuild components in the input's order, so regenerated files diff cleanly.
const components = {}
for (const [type, entries] of Object.entries(spec.components || {})) {
  for (const name of Object.keys(entries)) {
    if (!keep.has(`${type}/${name}`)) continue
    ;(components[type] ??= {})[name] = entries[name]
  }
}

// Paths in input order too.
const orderedPaths = {}
for (const path of Object.keys(spec.paths)) if (paths[path]) orderedPaths[path] = paths[path]

const subset = { openapi: spec.openapi, info: spec.info }
if (spec.servers) subset.servers = spec.servers
subset.paths = orderedPaths
subset.components = components

let text = JSON.stringify(subset, null, 2) + '\n'
if (Buffer.byteLength(text) > PRETTY_LIMIT_BYTES) text = JSON.stringify(subset) + '\n'
writeFileSync(outPath, text)

const counts = Object.entries(components)
  .map(([t, e]) => `${Object.keys(e).length} ${t}`)
  .join(', ')
const ops = [...wanted.values()].reduce((n, s) => n + s.size, 0)
console.log(
  `extract-subset: ${ops} operations on ${Object.keys(orderedPaths).length} paths; ${counts}; ${Buffer.byteLength(text)} bytes -> ${outPath}`
)
