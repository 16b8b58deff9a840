/**
 * Every message the action prints is in docs/troubleshooting.md, as the README promises.
 *
 * How a message is recognised (statically, with the TypeScript parser, so a message no test
 * provokes counts too): the first argument of `new <Something>Error(…)` and of `<logger>.warning(…)`
 * in src/, when it is a string, a template or a `+` of those. One line of its literal text (between
 * `${…}` parts, trimmed of spaces, quotes and punctuation at the ends; 12 characters or more, or
 * else the longest) must appear, or its first 30 characters must, in the Message column of one of
 * the tables of docs/troubleshooting.md. An argument built elsewhere (a variable, a call) is recognised where
 * that text is built, if it is built this way.
 *
 * To add an entry: a row whose first cell holds that piece in a code span, `…` for the variable
 * parts, e.g. `` `config: … must be a mapping` ``; then the cause and the fix. Messages that never
 * reach a user alone are exempt below, each group with the reason.
 */
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = fileURLToPath(new URL('..', import.meta.url))

/** Files whose messages are always quoted inside another message, which is documented. */
const QUOTED_INSIDE: Array<{ under: string; why: string }> = [
  {
    under: 'src/files/formats/',
    why: 'parse errors: inside "Stopped before committing: the download of … is not valid …" or a file note'
  },
  {
    under: 'src/phrase/transfer.ts',
    why: 'transfer failures: inside "Downloading from Phrase failed for …" or "no answer from …"'
  }
]

/** Invariants of the code itself: a user can only meet them through a bug. */
const INVARIANTS = [
  'Invalid inputs hash for the PR body marker',
  'maxConcurrency must be a positive integer, got',
  'Not a blob sha'
]

interface PrintedMessage {
  where: string
  kind: 'error' | 'warning'
  /** Literal text between the interpolations, in order. */
  pieces: string[]
}

function printedMessages(source: string, file: string): PrintedMessage[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true)
  const found: PrintedMessage[] = []
  const visit = (node: ts.Node) => {
    let arg: ts.Expression | undefined
    let kind: PrintedMessage['kind'] | undefined
    if (ts.isNewExpression(node) && /Error$/.test(node.expression.getText(sf))) {
      arg = node.arguments?.[0]
      kind = 'error'
    } else if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'warning'
    ) {
      arg = node.arguments[0]
      kind = 'warning'
    }
    const pieces = arg && literalPieces(arg)
    if (kind && pieces && pieces.length > 0) {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1
      found.push({ where: `${file}:${line}`, kind, pieces })
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  return found
}

function literalPieces(node: ts.Expression): string[] | undefined {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text]
  if (ts.isTemplateExpression(node))
    return [node.head.text, ...node.templateSpans.map(span => span.literal.text)]
  if (ts.isParenthesizedExpression(node)) return literalPieces(node.expression)
  if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.PlusToken) {
    const left = literalPieces(node.left) ?? []
    const right = literalPieces(node.right) ?? []
    return [...left, ...right]
  }
  return undefined
}

/**
 * The pieces a troubleshooting entry may quote: every line of literal text of 12 characters or
 * more (one is enough, so an entry can quote how the message starts), or else the longest.
 */
function keyPieces(message: PrintedMessage): string[] {
  const cleaned = message.pieces
    .flatMap(piece => piece.split('\n'))
    .map(piece => piece.trim().replace(/^[\s"'(:;,.-]+|[\s"'):;,.-]+$/g, ''))
    .sort((a, b) => b.length - a.length)
  const long = cleaned.filter(piece => piece.length >= 12)
  return long.length > 0 ? long : cleaned.slice(0, 1)
}

/** What an entry must quote of a piece: its first 30 characters (entries quote how text starts). */
function quotable(piece: string): string {
  return piece.slice(0, 30).trim()
}

function keyPiece(message: PrintedMessage): string {
  return keyPieces(message)[0] ?? ''
}

/** The first cells of every table row in the page (the Message column). */
function messageColumn(markdown: string): string {
  return markdown
    .split('\n')
    .filter(line => line.startsWith('| ') && !/^\| -+/.test(line))
    .map(line => line.split(/(?<!\\)\|/)[1] ?? '')
    .join('\n')
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir)).flatMap(name => {
    const relative = `${dir}/${name}`
    if (statSync(path.join(root, relative)).isDirectory()) return sourceFiles(relative)
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [relative] : []
  })
}

describe('docs/troubleshooting.md', () => {
  const column = messageColumn(readFileSync(path.join(root, 'docs/troubleshooting.md'), 'utf8'))
  const messages = sourceFiles('src')
    .filter(file => !QUOTED_INSIDE.some(exempt => file.startsWith(exempt.under)))
    .flatMap(file => printedMessages(readFileSync(path.join(root, file), 'utf8'), file))
    .filter(message => !INVARIANTS.some(text => keyPiece(message).startsWith(text)))

  it('recognises the messages of the action (guards the check below against finding none)', () => {
    expect(messages.length).toBeGreaterThan(60)
    expect(messages.map(keyPiece)).toContain('is a link, not a project ID')
    expect(messages.filter(message => message.kind === 'warning').length).toBeGreaterThan(10)
  })

  it('has an entry for every message the action prints', () => {
    const missing = messages
      .filter(message => !keyPieces(message).some(piece => column.includes(quotable(piece))))
      .map(message => `${message.where} (${message.kind}): ${keyPiece(message)}`)
    expect(missing).toEqual([])
  })
})

describe('how a printed message is recognised', () => {
  const source = [
    'throw new InputError(`${name}: "${value}" has a unit, but ${name} is a number of seconds`)',
    "logger.warning('Keeping ' + count + ' commit(s) that Phrase Pull did not make')",
    'throw new Error(message)',
    "core.info('not a warning')"
  ].join('\n')

  it('takes errors and warnings with literal text, and the longest piece of it', () => {
    const found = printedMessages(source, 'x.ts')
    expect(found.map(message => [message.kind, keyPiece(message)])).toEqual([
      ['error', 'is a number of seconds'],
      ['warning', 'commit(s) that Phrase Pull did not make']
    ])
  })

  it('finds a piece in the Message column only', () => {
    const page = [
      '| Message | Cause |',
      '| --- | --- |',
      '| `… has a unit, but …` | a row about units |'
    ].join('\n')
    expect(messageColumn(page)).toContain('has a unit')
    expect(messageColumn(page)).not.toContain('a row about units')
  })
})
