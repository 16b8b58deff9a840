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
