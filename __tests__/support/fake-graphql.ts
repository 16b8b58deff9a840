/**
 * The one GraphQL operation the action sends, as GitHub answers it: the `updateRefs` mutation
 * (https://docs.github.com/en/graphql/reference/mutations#updaterefs — "All updates are performed
 * atomically … RefUpdate.beforeOid specifies that the given reference needs to point to the given
 * value before performing any updates"; a schema preview behind
 * `application/vnd.github.update-refs-preview+json`). Everything else is refused the way GitHub's
 * schema validation refuses an unknown field.
 *
 * How failures look (GraphQL answers HTTP 200 with a top-level `errors` array):
 * - a stale `beforeOid`: a generic execution error without `type` — "there is no such field. A
 *   failed beforeOid comparison just comes back as a generic error in the top level errors array,
 *   with no error code" (github.com/orgs/community/discussions/213655). The action must therefore
 *   re-read the ref to learn that it moved.
 * - a change to `.github/workflows/` by a token without the workflows permission: `type: FORBIDDEN`,
 *   "Resource not accessible by integration" (as createCommitOnBranch answers it,
 *   github.com/starhaven-io/pinprick/pull/195).
 * - a repository id that is not a node: `type: NOT_FOUND`, "Could not resolve to a node …".
 * - a GitHub Enterprise Server without the mutation: `undefinedField` (graphql-ruby's validation).
 *
 * And one query: blobs by id under aliases, `repository(owner:, name:) { bN: object(oid: "…")
 * { ... on Blob { byteSize isBinary isTruncated text } } }` (see answerBlobQuery for its limits).
 */

/** `update-refs`: github.com; `no-update-refs`: an older server; `absent`: no GraphQL at all (404). */
export type GraphqlMode = 'update-refs' | 'no-update-refs' | 'absent'

export interface RefUpdateRequest {
  name: string
  afterOid: string
  beforeOid?: string
  force: boolean
}

export interface GraphqlError {
  type?: string
  path?: string[]
  locations?: Array<{ line: number; column: number }>
  extensions?: Record<string, unknown>
  message: string
}

export interface RefsBackend {
  repositoryId: string
  /** Applies all updates atomically; answers the error of the first one refused, if any. */
  updateRefs(updates: RefUpdateRequest[]): Promise<GraphqlError | undefined>
}

export interface GraphqlAnswer {
  status: number
  body: unknown
}

/**
 * Auto-merge on a pull request, as github.com answers `enablePullRequestAutoMerge` and
 * `disablePullRequestAutoMerge` (https://docs.github.com/en/graphql/reference/mutations). Refusals
 * are `type: UNPROCESSABLE` errors in an HTTP 200 answer:
 * - the repository setting is off (GitHub's default): "Auto merge is not allowed for this
 *   repository" (gh's `GraphQL: Auto merge is not allowed for this repository
 *   (enablePullRequestAutoMerge)`: github.com/indexable-inc/index/issues/2948,
 *   viperproject/viperserver#358);
 * - nothing to wait for (no required status check, so the pull request could be merged now):
 *   "Pull request Pull request is in clean status", GitHub's doubled words included
 *   (rjwalters/loom#3379 quotes `UNPROCESSABLE: "Pull request Pull request is in clean status"`;
 *   peter-evans/enable-pull-request-automerge#343 and #1118);
 * - a draft: GitHub turns auto-merge off for drafts (reitermarkus/automerge#1525) and will not
 *   turn it on; the exact words are undocumented, so this double answers GitHub's generic
 *   "Can't enable auto-merge for this pull request." (peter-evans/enable-pull-request-automerge#310).
 * Turning off an auto-merge that is not on is not modelled (an execution error): the action only
 * turns off what it saw on. Variables are read by the names the action gives them.
 */
export interface AutoMergeBackend {
  enable(pullRequestId: string, method: 'MERGE' | 'SQUASH' | 'REBASE'): GraphqlError | undefined
  disable(pullRequestId: string): GraphqlError | undefined
}

const AUTO_MERGE_FIELDS = ['enablePullRequestAutoMerge', 'disablePullRequestAutoMerge']
const MERGE_METHODS = ['MERGE', 'SQUASH', 'REBASE'] as const

function answerAutoMerge(
  field: string,
  query: string,
  variables: Record<string, unknown>,
  backend: AutoMergeBackend
): GraphqlAnswer {
  const { pullRequestId, mergeMethod } = variables
  const invalid = (name: string, type: string) => ({
    status: 200,
    body: {
      errors: [
        {
          extensions: {
            value: variables[name] ?? null,
            problems: [{ path: [], explanation: 'Expected value to not be null' }]
          },
          locations: [{ line: 1, column: query.indexOf(`$${name}`) + 1 }],
          message: `Variable $${name} of type ${type} was provided invalid value`
        }
      ]
    }
  })
  if (typeof pullRequestId !== 'string') return invalid('pullRequestId', 'ID!')
  const enabling = field === 'enablePullRequestAutoMerge'
  const method = MERGE_METHODS.find(name => name === mergeMethod)
  if (enabling && !method) return invalid('mergeMethod', 'PullRequestMergeMethod!')
  const error = enabling ? backend.enable(pullRequestId, method!) : backend.disable(pullRequestId)
  if (error)
    return {
      status: 200,
      body: {
        data: { [field]: null },
        errors: [
          {
            path: [field],
            locations: [{ line: 2, column: 3 }],
            ...error
          }
        ]
      }
    }
  return { status: 200, body: { data: { [field]: { clientMutationId: null } } } }
}

export async function answerGraphql(
  mode: GraphqlMode,
  body: unknown,
  backend: RefsBackend,
  { autoMerge, objects }: { autoMerge?: AutoMergeBackend; objects?: ObjectsBackend } = {}
): Promise<GraphqlAnswer> {
  if (mode === 'absent')
    return {
      status: 404,
      body: { message: 'Not Found', documentation_url: 'https://docs.github.com/graphql' }
    }
  const { query, variables } = asObject(body)
  if (typeof query !== 'string')
    return {
      status: 200,
      body: { errors: [{ message: 'A query attribute must be specified and must be a string.' }] }
    }
  if (objects && /^\s*query\b/.test(query))
    return answerBlobQuery(query, asObject(variables), objects)
  const field = /\bmutation\b[^{]*\{\s*(\w+)/.exec(query)?.[1]
  if (autoMerge && field && AUTO_MERGE_FIELDS.includes(field))
    return answerAutoMerge(field, query, asObject(variables), autoMerge)
  if (field !== 'updateRefs' || mode === 'no-update-refs') {
    const name = field ?? 'query'
    return {
      status: 200,
      body: {
        errors: [
          {
            path: ['mutation', name],
            extensions: { code: 'undefinedField', typeName: 'Mutation', fieldName: name },
            locations: [{ line: 1, column: query.indexOf(name) + 1 }],
            message: `Field '${name}' doesn't exist on type 'Mutation'`
          }
        ]
      }
    }
  }
  const input = asObject(asObject(variables).input)
  const updates = Array.isArray(input.refUpdates) ? input.refUpdates.map(asObject) : undefined
  const located = {
    path: ['updateRefs'],
    locations: [{ line: 1, column: query.indexOf('updateRefs') + 1 }]
  }
  const failed = (error: GraphqlError) => ({
    status: 200,
    body: { data: { updateRefs: null }, errors: [{ ...located, ...error }] }
  })
  if (!updates || typeof input.repositoryId !== 'string')
    return {
      status: 200,
      body: {
        errors: [
          {
            extensions: { code: 'missingRequiredInputObjectAttribute' },
            message: 'UpdateRefsInput needs repositoryId and refUpdates (send them as $input)'
          }
        ]
      }
    }
  if (input.repositoryId !== backend.repositoryId)
    return failed({
      type: 'NOT_FOUND',
      message: `Could not resolve to a node with the global id of '${input.repositoryId}'`
    })
  const requests: RefUpdateRequest[] = updates.map(update => ({
    name: String(update.name),
    afterOid: String(update.afterOid),
    beforeOid: typeof update.beforeOid === 'string' ? update.beforeOid : undefined,
    force: update.force === true
  }))
  const error = await backend.updateRefs(requests)
  if (error) return failed(error)
  const id = typeof input.clientMutationId === 'string' ? input.clientMutationId : null
  return { status: 200, body: { data: { updateRefs: { clientMutationId: id } } } }
}

/** GitHub's message for an execution error it does not explain (`requestId` names the request). */
export function genericExecutionError(requestId: string): GraphqlError {
  return {
    message: `Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include \`${requestId}\` when reporting this issue.`
  }
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

/** The repository's objects, as the blob query reads them. */
export interface ObjectsBackend {
  owner: string
  repo: string
  /** Blob bytes by sha; undefined: no such object, or not a blob. */
  readBlobs(shas: string[]): Promise<Map<string, Buffer | undefined>>
}

/**
 * `Blob.text` is "UTF8 text data or null if the Blob is binary"
 * (docs.github.com/graphql/reference/objects#blob); GitHub cuts it at exactly 512,000 bytes and
 * says so in `isTruncated` (github.com/sveltia/sveltia-cms/issues/950). Bytes that are not UTF-8
 * come back decoded with replacement characters. Binary is judged as git judges it: a NUL byte in
 * the first 8,000 bytes (xdiff's buffer_is_binary).
 */
export const BLOB_TEXT_BYTES = 512_000
const BLOB_FIELDS = new Set([
  'byteSize',
  'isBinary',
  'isTruncated',
  'text',
  'oid',
  'abbreviatedOid'
])
const OBJECT_FIELD =
  /(\w+)\s*:\s*object\s*\(\s*oid\s*:\s*"([^"]*)"\s*\)\s*\{\s*\.\.\.\s*on\s+Blob\s*\{([^{}]*)\}\s*\}/g

export async function answerBlobQuery(
  query: string,
  variables: Record<string, unknown>,
  objects: ObjectsBackend
): Promise<GraphqlAnswer> {
  const repository = /repository\s*\(\s*owner\s*:\s*\$(\w+)\s*,\s*name\s*:\s*\$(\w+)\s*\)/.exec(
    query
  )
  const aliases = [...query.matchAll(OBJECT_FIELD)]
  if (!repository || aliases.length === 0)
    return {
      status: 200,
      body: { errors: [{ message: 'This test double answers only the blob query of the action' }] }
    }
  const owner = variables[repository[1]]
  const name = variables[repository[2]]
  if (owner !== objects.owner || name !== objects.repo)
    return {
      status: 200,
      body: {
        data: { repository: null },
        errors: [
          {
            type: 'NOT_FOUND',
            path: ['repository'],
            message: `Could not resolve to a Repository with the name '${String(owner)}/${String(name)}'.`
          }
        ]
      }
    }
  for (const [, , , selection] of aliases)
    for (const field of selection.trim().split(/\s+/))
      if (!BLOB_FIELDS.has(field))
        return {
          status: 200,
          body: {
            errors: [
              {
                extensions: { code: 'undefinedField', typeName: 'Blob', fieldName: field },
                message: `Field '${field}' doesn't exist on type 'Blob'`
              }
            ]
          }
        }
  const blobs = await objects.readBlobs(aliases.map(([, , oid]) => oid))
  const repositoryData: Record<string, unknown> = {}
  for (const [, alias, oid, selection] of aliases) {
    const bytes = blobs.get(oid)
    if (!bytes) {
      repositoryData[alias] = null
      continue
    }
    const binary = bytes.subarray(0, 8000).includes(0)
    const truncated = !binary && bytes.length > BLOB_TEXT_BYTES
    const all: Record<string, unknown> = {
      oid,
      abbreviatedOid: oid.slice(0, 7),
      byteSize: bytes.length,
      isBinary: binary,
      isTruncated: truncated,
      text: binary ? null : bytes.subarray(0, BLOB_TEXT_BYTES).toString('utf8')
    }
    repositoryData[alias] = Object.fromEntries(
      selection
        .trim()
        .split(/\s+/)
        .map(field => [field, all[field]])
    )
  }
  return { status: 200, body: { data: { repository: repositoryData } } }
}
