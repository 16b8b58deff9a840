/**
 * Keeps the documentation honest: the README's inputs and outputs tables must list exactly the
 * inputs and outputs of action.yml with the same defaults, and every workflow we show users must be
 * valid YAML that passes only inputs the action has and reads only outputs it sets.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LineCounter, parse as parseYaml, parseDocument } from 'yaml'

const root = fileURLToPath(new URL('..', import.meta.url))
const read = (file: string) => readFileSync(path.join(root, file), 'utf8')

/**
 * How users reference the action in the docs: the repository package.json names, at the major
 * version (the repository's own workflows use `./`). Every workflow we show can be pasted as is.
 */
const PUBLIC_REF = `${publishedName()}@v1`

function publishedName(): string {
  const { repository } = JSON.parse(read('package.json')) as { repository?: { url?: string } }
  const match = /github\.com\/([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(repository?.url ?? '')
  if (!match) throw new Error('package.json names no GitHub repository')
  return match[1]
}

interface Contract {
  inputs: Map<string, { required: boolean; default?: string }>
  outputs: Set<string>
}

/** Syntax errors with their line, as GitHub would refuse the file; empty when it parses. */
function yamlErrors(text: string): string[] {
  const lines = new LineCounter()
  const doc = parseDocument(text, { lineCounter: lines })
  // The first errors locate the cause; the rest usually follow from it.
  return doc.errors
    .slice(0, 3)
    .map(e => `line ${lines.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`)
}

function readContract(actionYml: string): Contract {
  const action = parseDocument(actionYml).toJS() as {
    inputs?: Record<string, { required?: boolean; default?: unknown }>
    outputs?: Record<string, unknown>
  } | null
  const inputs = new Map<string, { required: boolean; default?: string }>()
  for (const [name, spec] of Object.entries(action?.inputs ?? {})) {
    inputs.set(name, {
      required: spec?.required === true,
      ...(spec?.default !== undefined ? { default: String(spec.default) } : {})
    })
  }
  return { inputs, outputs: new Set(Object.keys(action?.outputs ?? {})) }
}

const INPUTS_HEADER = ['Input', 'Default', 'Description']
const OUTPUTS_HEADER = ['Output', 'Description']

function isTableLine(line: string): boolean {
  return line.trim().startsWith('|')
}

/**
 * The body rows (as trimmed cells) of the markdown table whose header cells are `header`. Column
 * padding does not matter: Prettier aligns the columns.
 */
function tableRows(markdown: string, header: string[]): string[][] {
  const lines = markdown.split('\n')
  const start = lines.findIndex(
    line => isTableLine(line) && splitRow(line).join('|') === header.join('|')
  )
  if (start < 0) throw new Error(`no table with the header ${header.join(' | ')}`)
  // Skip the header and the |---| delimiter row; the table ends at the first non-table line.
  const body = lines.slice(start + 2)
  const end = body.findIndex(line => !isTableLine(line))
  return body.slice(0, end < 0 ? undefined : end).map(splitRow)
}

function splitRow(line: string): string[] {
  const inner = line.trim().replace(/^\|/, '').replace(/\|$/, '')
  return inner.split(/(?<!\\)\|/).map(cell => cell.trim())
}

/** The single code span that makes up a whole cell, e.g. `` `api-token` `` → `api-token`. */
function codeSpanValue(cell: string): string | undefined {
  const match = /^(`+)(.*?)\1$/.exec(cell)
  if (!match) return undefined
  const body = match[2]
  // CommonMark strips one space on each side when both are present (used around backticks).
  return body.length > 1 && body.startsWith(' ') && body.endsWith(' ') ? body.slice(1, -1) : body
}

type DefaultCell = { kind: 'required' } | { kind: 'value'; value: string } | { kind: 'none' }

/** Default column: `**required**`, a literal default in one code span, or `—` / _explanation_. */
function readDefaultCell(cell: string): DefaultCell | undefined {
  if (cell === '**required**') return { kind: 'required' }
  const value = codeSpanValue(cell)
  if (value !== undefined) return { kind: 'value', value }
  if (cell === '—' || /^([*_])[^*_].*\1$/.test(cell)) return { kind: 'none' }
  return undefined
}

function checkInputsTable(contract: Contract, readme: string): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const [nameCell, defaultCell] of tableRows(readme, INPUTS_HEADER)) {
    const name = codeSpanValue(nameCell)
    if (name === undefined) {
      problems.push(`input cell ${nameCell} is not a single code span`)
      continue
    }
    if (seen.has(name)) problems.push(`input ${name} is listed twice`)
    seen.add(name)
    const spec = contract.inputs.get(name)
    if (!spec) {
      problems.push(`input ${name} is not in action.yml`)
      continue
    }
    const cell = readDefaultCell(defaultCell ?? '')
    if (!cell) {
      problems.push(`input ${name}: unrecognised default cell ${defaultCell}`)
    } else if (spec.required !== (cell.kind === 'required')) {
      problems.push(
        `input ${name}: required is ${spec.required} in action.yml, README says ${defaultCell}`
      )
    } else if (
      spec.default !== undefined &&
      (cell.kind !== 'value' || cell.value !== spec.default)
    ) {
      problems.push(
        `input ${name}: default is ${spec.default} in action.yml, README says ${defaultCell}`
      )
    } else if (spec.default === undefined && cell.kind === 'value') {
      problems.push(`input ${name}: no default in action.yml, README says ${defaultCell}`)
    }
  }
  for (const name of contract.inputs.keys()) {
    if (!seen.has(name)) problems.push(`input ${name} is missing from the README`)
  }
  return problems
}

function checkOutputsTable(contract: Contract, readme: string): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const [nameCell] of tableRows(readme, OUTPUTS_HEADER)) {
    const name = codeSpanValue(nameCell)
    if (name === undefined) {
      problems.push(`output cell ${nameCell} is not a single code span`)
      continue
    }
    if (seen.has(name)) problems.push(`output ${name} is listed twice`)
    seen.add(name)
    if (!contract.outputs.has(name)) problems.push(`output ${name} is not in action.yml`)
  }
  for (const name of contract.outputs) {
    if (!seen.has(name)) problems.push(`output ${name} is missing from the README`)
  }
  return problems
}

interface Step {
  id?: string
  uses?: string
  with?: Record<string, unknown>
}

/**
 * Problems in one workflow: steps of this action passing unknown inputs or no api-token, and
 * `steps.<id>.outputs.<name>` references to outputs the action does not set.
 */
function checkWorkflow(text: string, contract: Contract, ownRefs: string[]): string[] {
  const workflow = parseYaml(text) as { jobs?: Record<string, { steps?: Step[] }> }
  const problems: string[] = []
  if (!workflow?.jobs || Object.keys(workflow.jobs).length === 0) return ['no jobs']
  const actionStepIds = new Set<string>()
  let uses = 0
  for (const [job, { steps = [] }] of Object.entries(workflow.jobs)) {
    for (const step of steps) {
      if (!step.uses || !ownRefs.includes(step.uses)) continue
      uses++
      if (step.id) actionStepIds.add(step.id)
      const given = Object.keys(step.with ?? {})
      for (const name of given) {
        if (!contract.inputs.has(name)) problems.push(`${job}: unknown input ${name}`)
      }
      if (!given.includes('api-token')) problems.push(`${job}: api-token is not passed`)
    }
  }
  if (uses === 0) problems.push(`no step uses ${ownRefs.join(' or ')}`)
  for (const [, id, output] of text.matchAll(/steps\.([\w-]+)\.outputs\.([\w-]+)/g)) {
    if (actionStepIds.has(id) && !contract.outputs.has(output)) {
      problems.push(`steps.${id}.outputs.${output} is not an output of the action`)
    }
  }
  return problems
}

function yamlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```ya?ml\n([\s\S]*?)^```/gm)].map(match => match[1])
}

const actionYml = read('action.yml')
const contract = readContract(actionYml)
const readme = read('README.md')

describe('README tables against action.yml', () => {
  it('reads an action.yml that is valid YAML', () => {
    // An unquoted `: ` inside a description breaks the file, and GitHub then cannot load the action.
    expect(yamlErrors(actionYml)).toEqual([])
  })

  it('reads a contract with the inputs and outputs the tables are checked against', () => {
    // Guards the checks below against passing on an empty or misread action.yml.
    expect(contract.inputs.get('api-token')).toEqual({ required: true })
    expect(contract.inputs.get('branch')).toEqual({
      required: false,
      default: 'phrase/translations'
    })
    expect(contract.outputs.has('pull-request-url')).toBe(true)
  })

  it('lists exactly the inputs of action.yml with their defaults', () => {
    expect(checkInputsTable(contract, readme)).toEqual([])
    expect(tableRows(readme, INPUTS_HEADER)).toHaveLength(contract.inputs.size)
  })

  it('lists exactly the outputs of action.yml', () => {
    expect(checkOutputsTable(contract, readme)).toEqual([])
    expect(tableRows(readme, OUTPUTS_HEADER)).toHaveLength(contract.outputs.size)
  })

  it('describes every input and output', () => {
    const rows = [
      ...tableRows(readme, INPUTS_HEADER).map(row => row[2]),
      ...tableRows(readme, OUTPUTS_HEADER).map(row => row[1])
    ]
    for (const description of rows) expect(description?.length ?? 0).toBeGreaterThan(10)
  })
})

describe('the table checker', () => {
  // Each case edits the real README the way a stale edit would, so the checker is proven on the
  // format it guards, not on a toy table.
  const lines = readme.split('\n')
  const rowIndex = (name: string): number => {
    const index = lines.findIndex(line => isTableLine(line) && splitRow(line)[0] === `\`${name}\``)
    expect(index).toBeGreaterThan(0)
    return index
  }
  /** The README with the row of `name` replaced by `rows` (none: removed). */
  const withRow = (name: string, ...rows: string[][]): string => {
    const copy = [...lines]
    copy.splice(rowIndex(name), 1, ...rows.map(cells => `| ${cells.join(' | ')} |`))
    return copy.join('\n')
  }
  const row = (name: string) => splitRow(lines[rowIndex(name)])
  const withDefault = (name: string, cell: string) =>
    withRow(name, [row(name)[0], cell, row(name)[2]])

  it('finds an input that is missing', () => {
    expect(checkInputsTable(contract, withRow('timeout'))).toEqual([
      'input timeout is missing from the README'
    ])
  })

  it('finds an input that action.yml does not have', () => {
    const extra = ['`retries`', '`3`', 'How often to retry.']
    expect(checkInputsTable(contract, withRow('timeout', row('timeout'), extra))).toEqual([
      'input retries is not in action.yml'
    ])
  })

  it('finds a default that differs, a default that does not exist, and a wrong required mark', () => {
    expect(checkInputsTable(contract, withDefault('timeout', '`300`'))).toEqual([
      'input timeout: default is 600 in action.yml, README says `300`'
    ])
    expect(checkInputsTable(contract, withDefault('tags', '`all`'))).toEqual([
      'input tags: no default in action.yml, README says `all`'
    ])
    expect(checkInputsTable(contract, withDefault('api-token', '—'))).toEqual([
      'input api-token: required is true in action.yml, README says —'
    ])
    expect(checkInputsTable(contract, withDefault('draft', 'false'))).toEqual([
      'input draft: unrecognised default cell false'
    ])
  })

  it('finds an input listed twice', () => {
    expect(checkInputsTable(contract, withRow('timeout', row('timeout'), row('timeout')))).toEqual([
      'input timeout is listed twice'
    ])
  })

  it('finds outputs that are missing or unknown', () => {
    expect(checkOutputsTable(contract, withRow('head-sha', ['`head`', 'Commit.']))).toEqual([
      'output head is not in action.yml',
      'output head-sha is missing from the README'
    ])
  })
})

describe('workflows shown to users', () => {
  const exampleFiles = readdirSync(path.join(root, 'examples'))
    .filter(file => file.endsWith('.yml'))
    .sort()

  it('has the documented examples, each listed in the README', () => {
    expect(exampleFiles).toEqual([
      'app-token.yml',
      'basic.yml',
      'files-only.yml',
      'manual.yml',
      'matrix.yml',
      'nightly.yml',
      'phrase-yml.yml'
    ])
    for (const file of exampleFiles) expect(readme).toContain(`(examples/${file})`)
  })

  it.each(exampleFiles)('examples/%s is valid and uses only real inputs and outputs', file => {
    expect(yamlErrors(read(`examples/${file}`))).toEqual([])
    expect(checkWorkflow(read(`examples/${file}`), contract, [PUBLIC_REF])).toEqual([])
  })

  it.each(exampleFiles)(
    'examples/%s bounds every job with timeout-minutes and can be started by hand',
    file => {
      const workflow = parseYaml(read(`examples/${file}`)) as {
        on: Record<string, unknown>
        jobs: Record<string, { 'timeout-minutes'?: unknown }>
      }
      // A new user tries a scheduled workflow now, not at 03:17 UTC.
      expect(Object.keys(workflow.on)).toContain('workflow_dispatch')
      for (const job of Object.values(workflow.jobs))
        expect(typeof job['timeout-minutes']).toBe('number')
    }
  )

  it('names the published action everywhere: a uses: line can be pasted as it is', () => {
    expect(PUBLIC_REF).toBe('phrase-pull/phrase-pull@v1')
    const pages = [
      'README.md',
      ...readdirSync(path.join(root, 'docs'))
        .filter(f => f.endsWith('.md'))
        .map(f => `docs/${f}`),
      ...exampleFiles.map(file => `examples/${file}`)
    ]
    for (const page of pages) {
      const text = read(page)
      expect(text).not.toMatch(/<owner>|your-org\//)
      for (const [, ref] of text.matchAll(/uses: (\S*phrase-pull\S*)/g))
        expect(ref).toBe(PUBLIC_REF)
    }
  })

  it('README workflows are valid and use only real inputs and outputs', () => {
    for (const block of yamlBlocks(readme)) expect(yamlErrors(block)).toEqual([])
    const workflows = yamlBlocks(readme).filter(block => /^jobs:/m.test(block))
    expect(workflows.length).toBeGreaterThan(0)
    for (const block of workflows) expect(checkWorkflow(block, contract, [PUBLIC_REF])).toEqual([])
  })

  it.each(['ci.yml', 'e2e.yml'])('.github/workflows/%s is valid YAML', file => {
    expect(yamlErrors(read(`.github/workflows/${file}`))).toEqual([])
  })

  it('the e2e workflow runs the action itself (uses: ./) with real inputs and outputs', () => {
    expect(checkWorkflow(read('.github/workflows/e2e.yml'), contract, ['./'])).toEqual([])
  })

  it('the workflow checker finds unknown inputs, a missing token and unknown outputs', () => {
    const bad = [
      'jobs:',
      '  pull:',
      '    steps:',
      `      - uses: ${PUBLIC_REF}`,
      '        id: phrase',
      '        with: { project: x }',
      '      - run: echo ${{ steps.phrase.outputs.pr-url }}'
    ].join('\n')
    expect(checkWorkflow(bad, contract, [PUBLIC_REF])).toEqual([
      'pull: unknown input project',
      'pull: api-token is not passed',
      'steps.phrase.outputs.pr-url is not an output of the action'
    ])
  })

  it('.env.example names only inputs the action has', () => {
    const names = [...read('.env.example').matchAll(/^#?\s*INPUT_([A-Z0-9-]+)=/gm)].map(m =>
      m[1].toLowerCase()
    )
    expect(names).toContain('api-token')
    expect(names).toContain('create-pull-request')
    for (const name of names) expect(contract.inputs.has(name)).toBe(true)
  })
})

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  return new Set(
    [...markdown.matchAll(/^#+ (.*)$/gm)].map(([, heading]) =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^\p{L}\p{N}_\- ]/gu, '')
        .replace(/ /g, '-')
    )
  )
}

describe('documentation links', () => {
  const pages = ['README.md', ...readdirSync(path.join(root, 'docs')).map(f => `docs/${f}`)].filter(
    page => page.endsWith('.md')
  )

  it.each(pages)('%s links only to files and headings that exist', page => {
    const broken: string[] = []
    for (const [, link] of read(page).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(link)) continue
      const [file, anchor] = link.split('#')
      const target = file ? path.join(path.dirname(page), file) : page
      if (!existsSync(path.join(root, target))) broken.push(`${link}: no such file`)
      else if (anchor && target.endsWith('.md') && !anchorsOf(read(target)).has(anchor))
        broken.push(`${link}: no such heading`)
    }
    expect(broken).toEqual([])
  })

  it('keeps the README to one screenful of reading, the details in docs/', () => {
    expect(read('README.md').split(/\s+/).length).toBeLessThanOrEqual(2500)
  })
})
