import { describe, expect, it } from '@jest/globals'
import { changeReport } from '../../src/change-report.js'
import { sampleReports } from '../support/report-fixtures.js'
import {
  composeBody,
  inputsHash,
  MAX_BODY_CHARS,
  missingEntries,
  parseBody,
  planPullRequestUpdate,
  type PullRequestInfo
} from '../../src/github/pull-request.js'

const START = /<!-- phrase-pull:start inputs=[\w.-]+ -->/g
const END = '<!-- phrase-pull:end -->'

function count(text: string, needle: string | RegExp): number {
  return typeof needle === 'string'
    ? text.split(needle).length - 1
    : (text.match(needle) ?? []).length
}

/** A PR as the action created it for these inputs. */
function created(title: string, userBody: string, generated: string): PullRequestInfo {
  return {
    number: 1,
    url: 'u',
    title,
    body: composeBody(userBody, generated, inputsHash(title, userBody)),
    draft: false
  }
}

/** Applies an update the way GitHub would. */
function apply(
  pr: PullRequestInfo,
  update: { title?: string; body?: string } | undefined
): PullRequestInfo {
  return { ...pr, ...update }
}

describe('composeBody', () => {
  it('puts the user text above the generated section between markers', () => {
    const body = composeBody('Please review.', '| table |', inputsHash('T', 'Please review.'))
    expect(body).toMatch(
      /^Please review\.\n\n<!-- phrase-pull:start inputs=[0-9a-f]{8}\.[0-9a-f]{8} -->\n\| table \|\n<!-- phrase-pull:end -->\n$/
    )
  })

  it('starts with the marker when the user text is empty', () => {
    expect(composeBody('', 'gen', 'abc')).toBe(
      `<!-- phrase-pull:start inputs=abc -->\ngen\n${END}\n`
    )
  })

  it('refuses a hash that could break out of the HTML comment', () => {
    expect(() => composeBody('', 'gen', 'x --> <b>')).toThrow(/Invalid inputs hash/)
  })

  it('cuts the generated section at a line boundary to fit GitHub’s body limit', () => {
    const generated = Array.from(
      { length: 5000 },
      (_, i) => `| row ${i} | ${'x'.repeat(20)} |`
    ).join('\n')
    const body = composeBody('User text', generated, 'h')
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS)
    expect(body).toContain('… (cut to fit')
    expect(body.trimEnd().endsWith(END)).toBe(true)
    // Every kept table line is whole.
    const lines = parseLines(body).filter(line => line.startsWith('| row'))
    expect(lines.length).toBeGreaterThan(1000)
    for (const line of lines) expect(line).toMatch(/^\| row \d+ \| x{20} \|$/)
  })
})

describe('composeBody with a report rendered for the room left', () => {
  it('gives a long user body room at the report’s expense in detail, never in whole sections', () => {
    const { files, findings } = sampleReports(200)
    const userBody = `Release notes for translators.\n\n${'A long paragraph. '.repeat(2400)}`
    const rendered = (room: number) => changeReport(files, { findings, maxChars: room })
    const body = composeBody(userBody, rendered, 'h')
    expect(body.length).toBeLessThanOrEqual(MAX_BODY_CHARS)
    expect(body).not.toContain('… (cut to fit')
    for (const section of ['Translation checks', 'All 200 files']) expect(body).toContain(section)
    expect(body.match(/<details>/g)?.length).toBe(body.match(/<\/details>/g)?.length)
    // The same report rendered for the default room would have to be cut.
    const fixed = composeBody(userBody, changeReport(files, { findings }), 'h')
    expect(fixed).toContain('… (cut to fit')
  })
})

function parseLines(text: string): string[] {
  return text.split('\n')
}

describe('inputsHash', () => {
  it('hashes title and body separately and ignores line-ending noise in the body', () => {
    const a = inputsHash('Title', 'Body\n')
    expect(a).toMatch(/^[0-9a-f]{8}\.[0-9a-f]{8}$/)
    expect(inputsHash('Title', 'Body\r\n')).toBe(a)
    expect(inputsHash('Other', 'Body').split('.')[1]).toBe(a.split('.')[1])
    expect(inputsHash('Other', 'Body').split('.')[0]).not.toBe(a.split('.')[0])
    expect(inputsHash('Title', 'Other').split('.')[0]).toBe(a.split('.')[0])
  })
})

describe('planPullRequestUpdate', () => {
  const desired = (
    generated: string,
    title = 'Update translations',
    userBody = 'From Phrase.'
  ) => ({
    title,
    userBody,
    generated
  })

  it('changes nothing when the PR already says the same', () => {
    const pr = created('Update translations', 'From Phrase.', '| de | 1 |')
    expect(planPullRequestUpdate(pr, desired('| de | 1 |'))).toBeUndefined()
  })

  it('ignores CRLF line endings GitHub returns after a web edit', () => {
    const pr = created('Update translations', 'From Phrase.\nLine two.', '| de | 1 |')
    const crlf = { ...pr, body: pr.body.replace(/\n/g, '\r\n') }
    expect(
      planPullRequestUpdate(
        crlf,
        desired('| de | 1 |', 'Update translations', 'From Phrase.\nLine two.')
      )
    ).toBeUndefined()
  })

  it('replaces the generated section and never duplicates it over repeated updates', () => {
    let pr = created('Update translations', 'From Phrase.', 'GEN-0')
    for (let run = 1; run <= 4; run++) {
      const update = planPullRequestUpdate(pr, desired(`GEN-${run}`))
      expect(update).toEqual({ body: expect.any(String) })
      pr = apply(pr, update)
      expect(count(pr.body, START)).toBe(1)
      expect(count(pr.body, END)).toBe(1)
      expect(count(pr.body, 'From Phrase.')).toBe(1)
      expect(pr.body).toContain(`GEN-${run}`)
      expect(pr.body).not.toContain(`GEN-${run - 1}`)
    }
  })

  it('keeps a reviewer’s edits to the title and text while the inputs stay the same', () => {
    const pr = {
      ...created('Update translations', 'From Phrase.', 'GEN-0'),
      title: 'Translations for release 2.0'
    }
    pr.body = pr.body.replace('From Phrase.', 'From Phrase. Reviewed by the docs team, ship it.')
    const update = planPullRequestUpdate(pr, desired('GEN-1'))
    expect(update?.title).toBeUndefined()
    expect(update?.body).toContain('Reviewed by the docs team, ship it.')
    expect(update?.body).toContain('GEN-1')
  })

  it('sets the title when the title input changed, keeping an edited text', () => {
    const pr = created('Update translations', 'From Phrase.', 'GEN')
    pr.body = pr.body.replace('From Phrase.', 'Edited by hand.')
    const update = planPullRequestUpdate(pr, desired('GEN', 'chore(i18n): translations'))
    expect(update?.title).toBe('chore(i18n): translations')
    expect(update?.body).toContain('Edited by hand.')
    // The new hash is recorded, so the next run with the same inputs changes nothing.
    const next = apply(pr, update)
    expect(planPullRequestUpdate(next, desired('GEN', 'chore(i18n): translations'))).toBeUndefined()
  })

  it('replaces the user text when the body input changed', () => {
    const pr = created('Update translations', 'From Phrase.', 'GEN')
    pr.body = pr.body.replace('From Phrase.', 'Edited by hand.')
    const update = planPullRequestUpdate(pr, desired('GEN', 'Update translations', 'New wording.'))
    expect(update?.title).toBeUndefined()
    expect(update?.body).toMatch(/^New wording\.\n\n<!-- phrase-pull:start/)
    expect(update?.body).not.toContain('Edited by hand.')
  })

  it('keeps a body without markers as the user text and appends the section', () => {
    const pr: PullRequestInfo = {
      number: 3,
      url: 'u',
      title: 'Hand-made',
      body: 'Opened by hand.',
      draft: false
    }
    const update = planPullRequestUpdate(pr, desired('GEN'))
    expect(update?.title).toBeUndefined()
    expect(update?.body).toMatch(
      /^Opened by hand\.\n\n<!-- phrase-pull:start inputs=[\w.]+ -->\nGEN\n<!-- phrase-pull:end -->\n$/
    )
  })

  it('keeps text added below the generated section', () => {
    const pr = created('Update translations', 'From Phrase.', 'GEN-0')
    pr.body += '\nP.S. merge after Friday\n'
    const update = planPullRequestUpdate(pr, desired('GEN-1'))
    expect(update?.body).toMatch(/GEN-1\n<!-- phrase-pull:end -->\n\nP\.S\. merge after Friday\n$/)
  })

  it('is not confused by marker text quoted inside the generated table', () => {
    const hostile = `| \`${END}\` | \`<!-- phrase-pull:start inputs=x -->\` |`
    let pr = created('Update translations', 'From Phrase.', hostile)
    pr = apply(pr, planPullRequestUpdate(pr, desired('GEN-1')))
    expect(pr.body).not.toContain('<!-- phrase-pull:start inputs=x -->')
    expect(pr.body).not.toContain('`')
    expect(count(pr.body, END)).toBe(1)
    expect(parseBody(pr.body).userPart).toBe('From Phrase.')
  })
})

describe('missingEntries', () => {
  it('returns wanted entries not present, case-insensitively and without duplicates', () => {
    expect(missingEntries(['i18n', 'Bot', 'bot', 'new'], ['I18N', 'other'])).toEqual(['Bot', 'new'])
    expect(missingEntries(['a'], undefined)).toEqual(['a'])
  })
})
