/**
 * Which attributes `.gitattributes` files give a path, as gitattributes(5) says: a line is a
 * pattern and attributes (`attr` set, `-attr` unset, `attr=value`, `!attr` unspecified); patterns
 * match as in .gitignore, except that negative patterns are ignored and a pattern naming a
 * directory does not reach the files inside it; a later line overrides an earlier one, and a file
 * in a deeper directory overrides its parents' (https://git-scm.com/docs/gitattributes).
 *
 * The files come from the repository, so matching is done without regular expressions built from
 * them: wildcards are matched segment by segment with one remembered star, in time proportional to
 * pattern × path at worst. Macros (`[attr]`) are not expanded.
 */

/** One `.gitattributes` file: the directory it lies in ('' for the root) and its text. */
export interface AttributesFile {
  dir: string
  text: string
}

/** What `attribute` is for a path, and the line that said so (`<file>: <line>`). */
export interface AttributeValue {
  /** true: set; false: unset; a string: its value. */
  value: true | false | string
  line: string
  file: string
}

/** One line that says something about the attribute: where it applies and what it makes it. */
export interface AttributeRule {
  /** The directory of its file, with a trailing slash ('' for the root). */
  prefix: string
  pattern: string
  /** null: unspecified again (`!attr`). */
  state: true | false | string | null
  line: string
  file: string
}

/**
 * The lines of `files` that mention `attribute`, in the order git applies them (root first, then
 * deeper directories; within a file, top to bottom): parsed once, matched against many paths.
 */
export function rulesFor(attribute: string, files: AttributesFile[]): AttributeRule[] {
  const ordered = [...files].sort((a, b) => depth(a.dir) - depth(b.dir))
  return ordered.flatMap(source => {
    const prefix = source.dir === '' ? '' : `${source.dir}/`
    return source.text.split(/\r?\n/).flatMap(line => {
      const parsed = parseLine(line)
      // The last mention on a line wins, as git reads the line left to right.
      const states = (parsed?.attributes ?? [])
        .map(token => stateOf(token, attribute))
        .filter(state => state !== undefined)
      if (!parsed || states.length === 0) return []
      const state = states[states.length - 1]
      return [
        {
          prefix,
          pattern: parsed.pattern,
          state,
          line: line.trim(),
          file: `${prefix}.gitattributes`
        }
      ]
    })
  })
}

/** The state `rules` (of one attribute) give `file`; undefined when none sets it, or unspecified. */
export function attributeOf(file: string, rules: AttributeRule[]): AttributeValue | undefined {
  let found: AttributeValue | undefined
  for (const rule of rules) {
    if (!file.startsWith(rule.prefix) || !matches(rule.pattern, file.slice(rule.prefix.length)))
      continue
    found =
      rule.state === null ? undefined : { value: rule.state, line: rule.line, file: rule.file }
  }
  return found
}

/** The `.gitattributes` files that can apply to `paths`: the root's and every directory's on the way. */
export function attributeFilesFor(paths: string[]): string[] {
  const files = new Set<string>()
  for (const file of paths) {
    const segments = file.split('/').slice(0, -1)
    for (let i = 0; i <= segments.length; i++)
      files.add([...segments.slice(0, i), '.gitattributes'].join('/'))
  }
  return [...files]
}

function depth(dir: string): number {
  return dir === '' ? 0 : dir.split('/').length
}

/** `attr` → true, `-attr` → false, `attr=v` → 'v', `!attr` → null, another attribute → undefined. */
function stateOf(token: string, attribute: string): true | false | string | null | undefined {
  if (token === attribute) return true
  if (token === `-${attribute}`) return false
  if (token === `!${attribute}`) return null
  if (token.startsWith(`${attribute}=`)) return token.slice(attribute.length + 1)
  return undefined
}

function parseLine(line: string): { pattern: string; attributes: string[] } | undefined {
  const text = line.trim()
  if (text === '' || text.startsWith('#') || text.startsWith('[attr]')) return undefined
  let pattern: string
  let rest: string
  if (text.startsWith('"')) {
    const end = closingQuote(text)
    if (end < 0) return undefined
    pattern = unquote(text.slice(1, end))
    rest = text.slice(end + 1)
  } else {
    const space = text.search(/\s/)
    pattern = space < 0 ? text : text.slice(0, space)
    rest = space < 0 ? '' : text.slice(space)
  }
  // Negative patterns are forbidden in attributes files: git ignores them.
  if (pattern.startsWith('!')) return undefined
  return { pattern, attributes: rest.split(/\s+/).filter(Boolean) }
}

function closingQuote(text: string): number {
  for (let i = 1; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === '"') return i
  }
  return -1
}

/** C-style quoting as git writes it: `\"`, `\\`, `\t`, `\n`, octal bytes are rare in names. */
function unquote(text: string): string {
  return text.replace(/\\(.)/g, (_, char: string) =>
    char === 't' ? '\t' : char === 'n' ? '\n' : char
  )
}

/** Whether a pattern of a `.gitattributes` file matches `path`, relative to that file's directory. */
export function matches(pattern: string, path: string): boolean {
  // A trailing slash names directories only, and attributes never reach into a directory.
  if (pattern.endsWith('/')) return false
  if (!pattern.includes('/')) {
    // No slash: the pattern matches the name at any depth.
    return matchSegment(pattern, path.slice(path.lastIndexOf('/') + 1))
  }
  // A slash at the start or in the middle anchors it to the directory of the file.
  return matchSegments(pattern.replace(/^\//, '').split('/'), path.split('/'))
}

/** `**` as a whole segment matches any number of directories (at least one at the end). */
function matchSegments(pattern: string[], path: string[]): boolean {
  // reachable[j]: the pattern so far can have consumed exactly the first j path segments.
  let reachable = Array.from({ length: path.length + 1 }, (_, j) => j === 0)
  for (const [i, segment] of pattern.entries()) {
    const next = new Array<boolean>(path.length + 1).fill(false)
    if (segment === '**') {
      const last = i === pattern.length - 1
      let seen = false
      for (let j = 0; j <= path.length; j++) {
        // A trailing `/**` needs something inside; elsewhere `**` may be empty.
        if (seen || (!last && reachable[j])) next[j] = true
        if (reachable[j]) seen = true
      }
    } else {
      for (let j = 0; j < path.length; j++)
        if (reachable[j] && matchSegment(segment, path[j])) next[j + 1] = true
    }
    reachable = next
  }
  return reachable[path.length]
}

/**
 * `*` (any run without `/`), `?`, `[...]` classes and `\` escapes within one path segment. One
 * star is remembered: on a mismatch the last star takes one more character, which is enough for
 * `*` (no backtracking into earlier stars is ever needed).
 */
export function matchSegment(pattern: string, name: string): boolean {
  let p = 0
  let n = 0
  let starAt = -1
  let starName = 0
  while (n < name.length) {
    if (p < pattern.length && pattern[p] === '*') {
      while (p < pattern.length && pattern[p] === '*') p++
      starAt = p
      starName = n
      continue
    }
    const next = p < pattern.length ? matchOne(pattern, p, name[n]) : -1
    if (next >= 0) {
      p = next
      n++
    } else if (starAt >= 0) {
      p = starAt
      n = ++starName
    } else return false
  }
  while (p < pattern.length && pattern[p] === '*') p++
  return p === pattern.length
}

/** The pattern index after one element that matches `char`; -1 when it does not match. */
function matchOne(pattern: string, p: number, char: string): number {
  const c = pattern[p]
  if (c === '?') return char === '/' ? -1 : p + 1
  if (c === '\\' && p + 1 < pattern.length) return pattern[p + 1] === char ? p + 2 : -1
  if (c === '[') {
    const klass = parseClass(pattern, p)
    if (klass) return klass.test(char) ? klass.end : -1
  }
  return c === char ? p + 1 : -1
}

/** A `[...]` class at `start`: `!` or `^` negates, `a-z` ranges, `]` first is literal. */
function parseClass(
  pattern: string,
  start: number
): { test: (char: string) => boolean; end: number } | undefined {
  let i = start + 1
  const negated = pattern[i] === '!' || pattern[i] === '^'
  if (negated) i++
  const ranges: Array<[string, string]> = []
  let first = true
  for (; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === ']' && !first) {
      return {
        end: i + 1,
        test: char =>
          char !== '/' && ranges.some(([lo, hi]) => lo <= char && char <= hi) !== negated
      }
    }
    first = false
    const low = c === '\\' && i + 1 < pattern.length ? pattern[++i] : c
    if (pattern[i + 1] === '-' && i + 2 < pattern.length && pattern[i + 2] !== ']') {
      ranges.push([low, pattern[i + 2]])
      i += 2
    } else ranges.push([low, low])
  }
  return undefined // no closing bracket: `[` is a literal character
}
