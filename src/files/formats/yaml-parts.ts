/**
 * Reads a long YAML file without holding its whole syntax tree and document model (together some
 * 15 times the file). The `yaml` parser runs a token at a time; every so often the complete items
 * of the maps it is inside are composed as documents of their own (each on a copy of the items
 * that lead to its map), added to the JS tree, and dropped from the syntax tree. At the end the
 * rest is read the same way.
 *
 * The tree is the one `parseDocument(source).toJS()` gives: an item is composed whole by the
 * `yaml` package, or (an item whose map was read in parts) its map's items are, in document
 * order, so a key written twice keeps its first place and its last value as when the map is
 * converted whole. Where a part could mean something else than in the whole document (anchors
 * and aliases, merge keys, directives, a second document) or where anything is wrong, the caller
 * reads the document whole instead, which also names the error: `undefined`.
 */
import {
  Composer,
  CST,
  Lexer,
  Parser,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
  type ToJSOptions
} from 'yaml'
import { TreeBuilder, entriesOf, isJsMap, type JsMap, type PartSink } from './parts.js'

export type YamlReadOptions = ParseOptions & DocumentOptions & SchemaOptions & ToJSOptions

export interface YamlPartOptions {
  read: YamlReadOptions
  /** Sees each composed document before it is converted; false: read the file whole. */
  check(doc: Document): boolean
  /** `last`: a key written again replaces its value (Psych); `whole`: read the file whole. */
  duplicates: 'last' | 'whole'
  /** Complete items composed together once there are this many (tests read tiny parts). */
  partItems?: number
  /** Lines between two looks at the parser's stack. */
  lookEvery?: number
}

/**
 * Small parts, often: items that are dropped before the young generation's collections promote
 * them cost the least (200 and 64: 292 MB peak for a 20 MiB file; 1,000 and 256: 346 MB).
 */
const PART_ITEMS = 200
const LOOK_EVERY = 64

/** Meaning that reaches across items or documents: such a file is read whole. */
const WHOLE_FILE_TOKENS = new Set(['anchor', 'alias', 'directive-line', 'doc-end'])

type Item = CST.BlockMap['items'][number]
/** One step from the root: a map and its item the next step is inside. */
type Step = { map: CST.BlockMap; item: Item & { sep: CST.SourceToken[] } }
export function yamlTreeInParts(
  source: string | Iterable<string>,
  options: YamlPartOptions
): { tree: unknown } | undefined {
  const builder = new TreeBuilder(options.duplicates)
  const read = readYamlInParts(source, options, builder)
  if (!read) return undefined
  return 'whole' in read ? { tree: read.whole } : { tree: builder.tree }
}

/**
 * Sends a long document's items to `sink` a part at a time; a short one (no part was composed)
 * comes back whole, as its tree.
 */
export function readYamlInParts<Slot>(
  source: string | Iterable<string>,
  options: YamlPartOptions,
  sink: PartSink<Slot>
): { whole: unknown } | { parts: true } | undefined {
  const parser = new Parser()
  const composer = new Composer(options.read)
  const tokens: CST.Token[] = []
  const documents: Document[] = []
  const parts = new PartReader(options, sink)
  const lookEvery = options.lookEvery ?? LOOK_EVERY
  let lines = 0
  let length = 0
  let scalarSource = false
  for (const lexeme of lexemes(source, piece => (length += piece.length))) {
    // The source of a plain or block scalar follows its marker; a plain `<<` is a merge key.
    const type: string | null = scalarSource ? null : CST.tokenType(lexeme)
    if ((type && WHOLE_FILE_TOKENS.has(type)) || (scalarSource && lexeme === '<<')) return undefined
    scalarSource = type === 'scalar'
    for (const token of parser.next(lexeme)) {
      // The first document is complete only when a second one starts.
      if (token.type === 'document') return undefined
      documents.push(...composer.next(token))
    }
    if (type === 'newline' && ++lines % lookEvery === 0 && !parts.readComplete(parser.stack))
      return undefined
  }
  for (const token of parser.end()) {
    tokens.push(token)
    documents.push(...composer.next(token))
  }
  documents.push(...composer.end(true, length))
  const [doc] = documents
  if (documents.length !== 1 || doc.errors.length > 0 || !options.check(doc)) return undefined
  if (!parts.started) return { whole: flattenStrings(doc.toJS(options.read)) }
  const document = tokens.find(token => token.type === 'document')
  return document && parts.readRest(document) ? { parts: true } : undefined
}

/**
 * The text's lexemes; text in pieces is lexed as it comes, whole lines at a time (the `yaml`
 * lexer reads indentation split between two pieces as two tokens, which the parser does not).
 * The lexer reads a construct that is not complete yet (a block scalar, say) again from its start
 * when more text comes: whenever a feed gives no lexeme, or has no line end, the next one is
 * twice as long, so a long construct is read a few times, not once per piece.
 */
function* lexemes(source: string | Iterable<string>, seen: (piece: string) => void) {
  const lexer = new Lexer()
  if (typeof source === 'string') {
    seen(source)
    return yield* lexer.lex(source)
  }
  let pending: string[] = []
  let pendingLength = 0
  let feed = 0
  for (const piece of source) {
    seen(piece)
    pending.push(piece)
    pendingLength += piece.length
    if (pendingLength < feed) continue
    const text = pending.join('')
    const lines = text.lastIndexOf('\n') + 1
    pending = [text.slice(lines)]
    pendingLength = pending[0].length
    if (lines === 0) {
      feed = 2 * pendingLength
      continue
    }
    let lexed = false
    for (const lexeme of lexer.lex(text.slice(0, lines), true)) {
      lexed = true
      yield lexeme
    }
    feed = lexed ? 0 : 2 * lines
  }
  yield* lexer.lex(pending.join(''), false)
}

class PartReader<Slot> {
  private root: Slot | undefined
  /** Items composed in parts while they were open, and where their map's items go. */
  private readonly open = new Map<Item, Slot>()

  constructor(
    private readonly options: YamlPartOptions,
    private readonly sink: PartSink<Slot>
  ) {}

  get started(): boolean {
    return this.root !== undefined
  }

  /**
   * Composes and drops the complete items of the block maps on the parser's stack, once there
   * are enough of them. The last item of each map stays (the next map on the stack is inside
   * it), and of the innermost map the two last: the parser may still add a comment to the one
   * before the last.
   */
  readComplete(stack: CST.Token[]): boolean {
    const [document] = stack
    if (document?.type !== 'document') return true
    const levels: Array<{ path: Step[]; map: CST.BlockMap; items: Item[] }> = []
    const path: Step[] = []
    for (let depth = 1; isBlockMap(stack[depth]); depth++) {
      const map = stack[depth] as CST.BlockMap
      const last = map.items[map.items.length - 1]
      const inside = isBlockMap(stack[depth + 1]) && isOpenPair(last)
      const items = map.items.slice(0, inside ? -1 : -2)
      // A part is whole pairs; a comment-only item stays with the rest of the document.
      if (!items.every(isPair)) break
      levels.push({ path: [...path], map, items })
      if (!inside) break
      path.push({ map, item: last as Step['item'] })
    }
    const complete = levels.reduce((sum, level) => sum + level.items.length, 0)
    if (complete < (this.options.partItems ?? PART_ITEMS)) return true
    for (const { path: steps, map, items } of levels) {
      if (!this.readItems(document, steps, map, items)) return false
      map.items.splice(0, items.length)
      // The composer measures an item without tokens before its key (after a block scalar, say)
      // from the end of the item before it, or from where its map starts: now the item left.
      if (items.length > 0) map.offset = startOf(map.items[0])
    }
    return true
  }

  /** The rest of the document, once the parser has read all of it. */
  readRest(document: CST.Document): boolean {
    const root = document.value
    return isBlockMap(root) && this.readItems(document, [], root, root.items)
  }

  /** `items` of `map` in document order: runs of them composed together, open ones in parts. */
  private readItems(document: CST.Document, path: Step[], map: CST.BlockMap, items: Item[]) {
    let run: Item[] = []
    for (const item of items) {
      if (!this.open.has(item)) {
        run.push(item)
        continue
      }
      if (run.length > 0 && !this.compose(document, path, map, run)) return false
      run = []
      const inner = item.value
      if (!isBlockMap(inner)) return false
      const step = { map, item: item as Step['item'] }
      if (!this.readItems(document, [...path, step], inner, inner.items)) return false
      this.open.delete(item)
    }
    return run.length === 0 || this.compose(document, path, map, run)
  }

  /** Composes `items` of `map`, on copies of the maps and items of `path`, into the tree. */
  private compose(document: CST.Document, path: Step[], map: CST.BlockMap, items: Item[]) {
    let node: CST.Token = { ...map, offset: offsetOf(map, items[0]), items }
    for (let level = path.length - 1; level >= 0; level--) {
      const { map: parent, item } = path[level]
      const offset = offsetOf(parent, item)
      node = { ...parent, offset, items: [{ ...item, value: node }] }
    }
    const [doc] = new Composer(this.options.read).compose([{ ...document, value: node, end: [] }])
    if (!doc || doc.errors.length > 0 || !this.options.check(doc)) return false
    let part: unknown = flattenStrings(doc.toJS(this.options.read))
    if (!isJsMap(part)) return false
    let target = (this.root ??= this.sink.root(part))
    if (target === undefined) return false
    for (const { item } of path) {
      const entries = entriesOf(part as JsMap)
      if (entries.length !== 1 || !isJsMap(entries[0][1])) return false
      const [key, inner] = entries[0]
      let next = this.open.get(item)
      if (next === undefined) {
        next = this.sink.open(target, key, inner as JsMap)
        if (next === undefined) return false
        this.open.set(item, next)
      }
      target = next
      part = inner
    }
    for (const [key, value] of entriesOf(part as JsMap))
      if (!this.sink.add(target, key, value)) return false
    return true
  }
}

/** Where the composer starts measuring `item` of `map`, as it does in the whole map. */
function offsetOf(map: CST.BlockMap, item: Item): number {
  return item === map.items[0] ? map.offset : startOf(item)
}

/** The offset of an item's first token. */
function startOf(item: Item): number {
  const first = item.start[0] ?? item.key ?? item.sep?.[0]
  return first?.offset ?? 0
}

function isBlockMap(token: CST.Token | undefined): token is CST.BlockMap {
  return token?.type === 'block-map'
}

function isPair(item: Item): boolean {
  return item.sep !== undefined && !item.explicitKey
}

/** An implicit key and its `:`, whose value the parser is still reading. */
function isOpenPair(item: Item): boolean {
  return isPair(item) && item.value === undefined
}

/**
 * The `yaml` package builds a double-quoted value a character at a time: V8 keeps such a string
 * as a chain of pieces, some 25 bytes a character, until something reads it whole. A regular
 * expression search reads it whole, and V8 copies it into one piece first (Node 20 and 24;
 * `charCodeAt` does so on Node 20 only). No value changes.
 */
function flattenStrings<T>(value: T): T {
  if (typeof value === 'string') NONCHARACTER.test(value)
  else if (value instanceof Map) for (const item of value.values()) flattenStrings(item)
  else if (Array.isArray(value)) for (const item of value) flattenStrings(item)
  else if (isJsMap(value)) for (const item of Object.values(value)) flattenStrings(item)
  return value
}

const NONCHARACTER = /\uffff/
