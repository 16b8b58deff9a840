/**
 * What a run costs in GitHub requests (a workflow token has 1,000 an hour per repository): the
 * whole GitHub half in-process against the fake, counted per kind of request.
 */
import { expect, it } from '@jest/globals'
import { FakeGitHub } from '../support/fake-github.js'
import { fastClient, sessionFor } from '../support/github-context.js'
import type { Candidate } from '../../src/changes.js'
import { proposePullRequest } from '../../src/propose.js'
import { silentLogger } from '../../src/logger.js'

const LOCALES = ['de', 'fr', 'it']

function candidates(texts: Record<string, string>): Candidate[] {
  return LOCALES.map(locale => ({
    planned: {
      path: `config/locales/${locale}.yml`,
      fileFormat: 'yml',
      locale: { id: locale, name: locale, code: locale },
      request: { label: locale, projectId: 'p1', localeId: locale, params: {} }
    },
    content: Buffer.from(`${locale}:\n  hello: ${texts[locale] ?? locale}\n`)
  }))
}

it('a nightly run: 12 requests when one locale changed, 8 when nothing did', async () => {
  const gh = await FakeGitHub.start({ memory: true, collaborators: ['alice'] })
  const client = fastClient(gh)
  const run = async (texts: Record<string, string>) => {
    const before = gh.requests().length
    const paths = LOCALES.map(locale => `config/locales/${locale}.yml`)
    const session = sessionFor(gh, paths, {
      client,
      pr: { labels: ['i18n'], reviewers: ['alice'] }
    })
    const outcome = await proposePullRequest(session, candidates(texts), silentLogger)
    const sent = gh
      .requests()
      .slice(before)
      .map(
        r => `${r.method} ${r.path.replace('/repos/octo/app', '').replace(/[0-9a-f]{40}/g, 'SHA')}`
      )
    return { operation: outcome.outputs.pullRequestOperation, sent: sent.sort() }
  }
  try {
    expect((await run({})).operation).toBe('created')
    await gh.commitFiles('main', { 'src/app.ts': 'export {}\n' })

    const changed = await run({ de: 'Hallo' })
    expect(changed.operation).toBe('updated')
    expect(changed.sent).toEqual(
      [
        'GET ', // the repository (default branch, node id)
        // While Phrase exports: the base, its tree (LFS rules; kept for the planned paths).
        'GET /git/ref/heads/main',
        'GET /git/commits/SHA',
        'GET /git/trees/SHA',
        'GET /git/ref/heads/main', // the base again, right before it is used
        'GET /git/ref/heads/phrase/translations',
        'GET /compare/SHA...SHA', // the branch's commits and files
        'GET /pulls', // the open PR and the last closed one
        // The branch's German, to tell a change from churn, in one batch read. Files the base has
        // would be read too, to compare meanings (from the checkout where it matches).
        'POST /graphql',
        'POST /git/trees',
        'POST /git/commits',
        'POST /graphql' // the move, a compare-and-swap
      ].sort()
    )
    const unchanged = await run({ de: 'Hallo' })
    expect(unchanged.operation).toBe('unchanged')
    expect(unchanged.sent).toHaveLength(8)
  } finally {
    await gh.stop()
  }
})
