import { afterEach, describe, expect, it } from '@jest/globals'
import { FakeGitHub } from './support/fake-github.js'

let gh: FakeGitHub | undefined
afterEach(async () => {
  await gh?.stop()
  gh = undefined
})

async function graphql(fake: FakeGitHub, query: string, variables: unknown) {
  const response = await fetch(`${fake.apiUrl}/graphql`, {
    method: 'POST',
    headers: { Authorization: `bearer ${fake.token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables })
  })
  return { status: response.status, json: (await response.json()) as Record<string, any> } // eslint-disable-line @typescript-eslint/no-explicit-any
}

const UPDATE_REFS =
  'mutation($input: UpdateRefsInput!) { updateRefs(input: $input) { clientMutationId } }'

describe('FakeGitHub GraphQL', () => {
  it('updateRefs is all or nothing: one stale beforeOid moves no ref, with a generic error', async () => {
    gh = await FakeGitHub.start()
    const main = (await gh.headSha('main'))!
    const a = await gh.commitFiles('a', { 'a.txt': 'a\n' })
    const b = await gh.commitFiles('b', { 'b.txt': 'b\n' })
    const input = (beforeB: string) => ({
      repositoryId: gh!.repositoryNodeId,
      refUpdates: [
        { name: 'refs/heads/a', beforeOid: a, afterOid: main, force: true },
        { name: 'refs/heads/b', beforeOid: beforeB, afterOid: main, force: true }
      ]
    })

    const stale = await graphql(gh, UPDATE_REFS, { input: input(main) })
    expect(stale.status).toBe(200)
    expect(stale.json.data).toEqual({ updateRefs: null })
    expect(stale.json.errors).toEqual([
      expect.objectContaining({
        path: ['updateRefs'],
        message: expect.stringMatching(/^Something went wrong while executing your query/)
      })
    ])
    expect(stale.json.errors[0].type).toBeUndefined()
    expect([await gh.headSha('a'), await gh.headSha('b')]).toEqual([a, b])

    const applied = await graphql(gh, UPDATE_REFS, { input: input(b) })
    expect(applied.json).toEqual({ data: { updateRefs: { clientMutationId: null } } })
    expect([await gh.headSha('a'), await gh.headSha('b')]).toEqual([main, main])
  })

  it('answers an unknown repository id with NOT_FOUND and an unknown field as the schema does', async () => {
    gh = await FakeGitHub.start()
    const main = (await gh.headSha('main'))!
    const wrongId = await graphql(gh, UPDATE_REFS, {
      input: { repositoryId: 'R_nope', refUpdates: [{ name: 'refs/heads/x', afterOid: main }] }
    })
    expect(wrongId.json.errors[0]).toMatchObject({
      type: 'NOT_FOUND',
      message: "Could not resolve to a node with the global id of 'R_nope'"
    })
    const other = await graphql(
      gh,
      'mutation { noSuchMutation(input: {}) { clientMutationId } }',
      {}
    )
    expect(other.json.errors[0]).toMatchObject({
      extensions: { code: 'undefinedField', fieldName: 'noSuchMutation' },
      message: "Field 'noSuchMutation' doesn't exist on type 'Mutation'"
    })
  })
})

const ENABLE =
  'mutation($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) { enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) { clientMutationId } }'
const DISABLE =
  'mutation($pullRequestId: ID!) { disablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId }) { clientMutationId } }'

describe('FakeGitHub auto-merge', () => {
  async function withPull(options: { allowed?: boolean; requiredChecks?: boolean }) {
    const fake = await FakeGitHub.start({ autoMerge: options })
    await fake.commitFiles('topic', { 'a.txt': 'a\n' })
    const created = await fetch(`${fake.apiUrl}/repos/octo/app/pulls`, {
      method: 'POST',
      headers: { Authorization: `token ${fake.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'T', head: 'topic', base: 'main' })
    })
    const pull = (await created.json()) as { node_id: string; number: number; auto_merge: unknown }
    expect(pull.auto_merge).toBeNull()
    return { fake, id: pull.node_id, number: pull.number }
  }
  const refusal = (message: string) => ({
    data: { enablePullRequestAutoMerge: null },
    errors: [expect.objectContaining({ type: 'UNPROCESSABLE', message })]
  })

  it('refuses as github.com does: setting off by default, then "clean status" without required checks', async () => {
    const { fake, id } = await withPull({})
    gh = fake
    const off = await graphql(fake, ENABLE, { pullRequestId: id, mergeMethod: 'SQUASH' })
    expect(off.json).toEqual(refusal('Auto merge is not allowed for this repository'))
    fake.configureAutoMerge({ allowed: true })
    const clean = await graphql(fake, ENABLE, { pullRequestId: id, mergeMethod: 'SQUASH' })
    expect(clean.json).toEqual(refusal('Pull request Pull request is in clean status'))
    expect(fake.pulls()[0].auto_merge ?? null).toBeNull()
    const bad = await graphql(fake, ENABLE, { pullRequestId: id, mergeMethod: 'squash' })
    expect(bad.json.errors[0].message).toBe(
      'Variable $mergeMethod of type PullRequestMergeMethod! was provided invalid value'
    )
  })

  it('turns auto-merge on and off, shows it in the REST payload, and drops it when the pull request closes', async () => {
    const { fake, id, number } = await withPull({ allowed: true, requiredChecks: true })
    gh = fake
    const on = await graphql(fake, ENABLE, { pullRequestId: id, mergeMethod: 'REBASE' })
    expect(on.json).toEqual({ data: { enablePullRequestAutoMerge: { clientMutationId: null } } })
    const read = async () =>
      (
        (await (
          await fetch(`${fake.apiUrl}/repos/octo/app/pulls/${number}`, {
            headers: { Authorization: `token ${fake.token}` }
          })
        ).json()) as { auto_merge: { merge_method: string } | null }
      ).auto_merge
    expect(await read()).toMatchObject({ merge_method: 'rebase', commit_message: '' })
    const off = await graphql(fake, DISABLE, { pullRequestId: id })
    expect(off.json).toEqual({ data: { disablePullRequestAutoMerge: { clientMutationId: null } } })
    expect(await read()).toBeNull()
    await graphql(fake, ENABLE, { pullRequestId: id, mergeMethod: 'MERGE' })
    await fetch(`${fake.apiUrl}/repos/octo/app/pulls/${number}`, {
      method: 'PATCH',
      headers: { Authorization: `token ${fake.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ state: 'closed' })
    })
    expect(await read()).toBeNull()
  })
})
