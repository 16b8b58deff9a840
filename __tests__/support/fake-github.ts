/**
 * A fake GitHub REST API over a REAL bare git repository (see git-store.ts): the Git Data API
 * (refs, commits, trees, blobs), contents, compare, pull requests and their issue side, and
 * rate_limit — the operations of specs/github/api.github.com.subset.json, answering like
 * api.github.com (status codes, validation errors, JSON shapes). 127.0.0.1 only.
 *
 * Commits created through the API without an explicit `committer` are "signed by GitHub"
 * (verification.verified = true), like the web-flow signature real GitHub adds.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {
  GitStore,
  ZERO_SHA,
  type CommitInfo,
  type TreeChange,
  type TreeEntry
} from './git-store.js'
import { GitHubRateLimits } from './github-rate-limits.js'
import {
  answerInProcess,
  inProcessFetch,
  type InProcessAnswer,
  type InProcessRequest
} from './in-process-fetch.js'
import { MemoryStore } from './memory-store.js'
import {
  answerGraphql,
  genericExecutionError,
  type AutoMergeBackend,
  type GraphqlError,
  type GraphqlMode,
  type RefUpdateRequest
} from './fake-graphql.js'
import {
  ACTOR,
  basicError,
  commitJson,
  gitCommitJson,
  issueCommentJson,
  issueJson,
  labelJson,
  nodeId,
  pullJson,
  refJson,
  reviewJson,
  repoApi,
  repoHtml,
  REPO_ID,
  repositoryJson,
  teamJson,
  validationError,
  type PullRecord,
  type RepoContext,
  type Verification
} from './github-objects.js'
import {
  queryRecord,
  readBody,
  safeDecode,
  sendJson,
  startLocalServer,
  type LocalServer
} from './http-util.js'

export type { PullRecord } from './github-objects.js'

export interface FakeGitHubOptions {
  owner?: string
  repo?: string
  token?: string
  defaultBranch?: string
  /** Files of the first commit on the default branch (default: a README). */
  files?: Record<string, string | Buffer>
  /** Symlinks of the first commit: path → target. */
  symlinks?: Record<string, string>
  /** Date of the first commit (default: now); a fixed one gives the same ids on every start. */
  firstCommitDate?: string
  /**
   * What the token may do beyond `contents: write` and `pull-requests: write`. Default: all of
   * it, like an App token or PAT that was granted these; `GITHUB_TOKEN_GRANTS` is the workflow's
   * `GITHUB_TOKEN` with the quick start's permissions.
   */
  grants?: Partial<TokenGrants>
  /** Logins that may be requested as reviewers (default: anyone but the PR author). */
  collaborators?: string[]
  /** Team slugs with access to the repository, which alone may review (default: every team). */
  teamsWithAccess?: string[]
  /** Labels the repository already has (they can be added without creating them). */
  labels?: string[]
  /**
   * Whether GitHub signs the commits this token makes through the API (default true: GITHUB_TOKEN
   * or an App installation token). False is a personal access token: GitHub signs API commits
   * only for Apps and bots ("Signature verification for bots",
   * docs.github.com/en/authentication/managing-commit-signature-verification/about-commit-signature-verification).
   */
  signsApiCommits?: boolean
  /**
   * A ruleset that requires signed commits on every branch: a ref write that brings an unsigned
   * commit answers 422 "Repository rule violations found … Commits must have verified
   * signatures." (the rule's text, as in github.com/github/github-mcp-server/issues/2771).
   */
  requireSignedCommits?: boolean
  /** GraphQL at `<api>/graphql` (default `update-refs`, like github.com). */
  graphql?: GraphqlMode
  /**
   * The repository's auto-merge: `allowed` is the setting "Allow auto-merge" (off by default on
   * GitHub); `requiredChecks` says whether the base requires a status check. Without one, a pull
   * request is in "clean" status and GitHub refuses to turn auto-merge on (see fake-graphql.ts).
   */
  autoMerge?: { allowed?: boolean; requiredChecks?: boolean }
  /** GitHub's size limits on Git Data writes (see GIT_DATA_LIMITS); a test may move them. */
  limits?: Partial<GitDataLimits>
  /** Primary rate limit per hour (default 5,000; GITHUB_TOKEN has 1,000), see github-rate-limits.ts. */
  rateLimit?: number
  /** Clock of the rate limits in epoch ms (default Date.now): step past a reset without waiting. */
  now?: () => number
  /**
   * Keep objects and refs in memory instead of a bare repository (memory-store.ts): much faster,
   * but `git()` is refused. For tests that make hundreds of runs.
   */
  memory?: boolean
  /**
   * For this many ms after a pull request is opened, labels, assignees and review requests on it
   * answer 422 "Could not resolve to a node with the global id of '<its node id>'": GitHub's
   * eventual consistency right after creation (peter-evans/create-pull-request retries these,
   * its issue #4321; the same answer in github.com/github/gh-aw/issues/50894 for a new PR_ id).
   */
  pullSettleMs?: number
}

export interface TokenGrants {
  /**
   * May move a ref so that files under `.github/workflows/` change (the App permission
   * "Workflows", the classic PAT scope `workflow`). `GITHUB_TOKEN` never can: "refusing to allow a
   * GitHub App to create or update workflow … without `workflows` permission"
   * (github.com/peter-evans/create-pull-request/issues/1713; over REST a bare 403 "Resource not
   * accessible by integration" whose `X-Accepted-GitHub-Permissions` names
   * `contents=write,workflows=write`: github.com/mkb79/Audible/pull/882; creating a ref on a
   * commit whose workflows differ from the default branch needs it too:
   * github.com/vercel/next.js/pull/94596).
   */
  workflows: boolean
  /**
   * May resolve organisation teams. `GITHUB_TOKEN` has no organisation permissions, so a team
   * review request fails with 422 "Could not resolve to a node with the global id of …"
   * (github.com/actions/github-script/issues/572, peter-evans/create-pull-request/issues/155).
   */
  orgTeams: boolean
  /**
   * May create labels (`issues: write`). Adding a label that does not exist creates it; without
   * the permission GitHub answers 403 "You do not have permission to create labels on this
   * repository." (github.com/actions/labeler/pull/867, github.com/orgs/community/discussions/156181).
   */
  createLabels: boolean
}

/** The workflow's `GITHUB_TOKEN` with `contents: write` and `pull-requests: write`. */
export const GITHUB_TOKEN_GRANTS: TokenGrants = {
  workflows: false,
  orgTeams: false,
  createLabels: false
}

/**
 * What github.com does with Git Data writes too large for it, none of it documented as a number:
 *
 * - A create-tree body past roughly 2–2.5 MB answers 502 (sometimes 422 "Sorry, your request timed
 *   out … Consider building the tree incrementally"); the same body fails again when resent.
 *   codesandbox/codesandbox-client#8614 (502 or 422 above ~2.5 MB, fine in parts below it),
 *   BetaHuhn/repo-file-sync-action#246 (502 on createTree), googleapis/code-suggester#397 and
 *   qoomon/actions--create-commit#90 (the 422 text), momentum-design/momentum-design#688 (502).
 * - A blob of 40 MiB or more answers 422 "Sorry, your input was too large to process. Consider
 *   creating the blob in a local clone …" (GSA-TTS/cg-egress-proxy#114), although git push takes
 *   files up to 100 MiB: IAreKyleW00t/verified-bot-commit README ("The Blob API has a 40MiB
 *   limit"), and pub.dev tom_core_storage `maxBlobBytes` (41,820,160 B accepted, 40 MiB refused;
 *   the limit is on the decoded bytes, not the base64 body). `GET /git/blobs` serves up to 100 MB
 *   (docs.github.com/rest/git/blobs).
 */
export interface GitDataLimits {
  /** Create-tree request bodies longer than this fail (the lower end of GitHub's range). */
  treeBodyBytes: number
  /** How an oversized tree fails: 502 Server Error, or the timeout 422. */
  treeFailure: 502 | 422
  /** Blob content of this many bytes or more is refused with 422. */
  blobBytes: number
}

export const GIT_DATA_LIMITS: GitDataLimits = {
  treeBodyBytes: 2_000_000,
  treeFailure: 502,
  blobBytes: 40 * 1024 * 1024
}

const TREE_TIMEOUT_MESSAGE =
  "Sorry, your request timed out.  It's likely that your input was too large to process.  Consider building the tree incrementally, or building the commits you need in a local clone of the repository and then pushing them to GitHub."
const BLOB_TOO_LARGE_MESSAGE =
  'Sorry, your input was too large to process. Consider creating the blob in a local clone of the repository and then pushing it to GitHub.'

export interface GitHubRequest {
  method: string
  /** Decoded path, without the query. */
  path: string
  query: Record<string, string>
  /** 0 while unanswered. */
  status: number
  authorization?: string
  /** Parsed JSON body, if any. */
  body?: unknown
}

/** A request that changes something: any method but GET, except a GraphQL query (a read). */
export function isWrite(request: GitHubRequest): boolean {
  if (request.method === 'GET') return false
  if (!/^(\/api)?\/graphql$/.test(request.path)) return true
  const query = (request.body as { query?: unknown } | undefined)?.query
  return typeof query !== 'string' || /^\s*mutation\b/.test(query)
}

/**
 * A scripted answer: the first `times` (default 1) requests matching `method` and `path`
 * (a RegExp, or the exact path, raw or decoded) run `before` and then answer `status` with
 * `body` (a JSON value). Without `status` the request proceeds normally after `before` —
 * e.g. to move a branch while the action is between reading and updating it.
 */
export interface GitHubFault {
  method: string
  path: RegExp | string
  status?: number
  body?: unknown
  times?: number
  before?: () => Promise<void>
}

const SIGNATURE =
  '-----BEGIN PGP SIGNATURE-----\n\nwsBcBAABCAAQBQJmZmFrZQkQ4aKIRwAAAAAAAEtEIHRlc3QgZG91YmxlIHNpZ25hdHVyZQ==\n-----END PGP SIGNATURE-----\n'
const UNSIGNED: Verification = {
  verified: false,
  reason: 'unsigned',
  signature: null,
  payload: null,
  verified_at: null
}
const GITHUB_COMMITTER = { name: 'GitHub', email: 'noreply@github.com' }
const ACTOR_IDENTITY = {
  name: ACTOR.login,
  email: `${ACTOR.id}+${ACTOR.login}@users.noreply.github.com`
}
const OTHER_ACTOR = { name: 'Other Actor', email: 'other.actor@example.com' }

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {}
  ) {
    super(`HTTP ${status}`)
  }
}

const notFound = () => new HttpError(404, basicError('Not Found', 404))
/** How the REST API refuses a ref write that would change workflow files (see TokenGrants). */
const workflowsRefused = (operation: string) =>
  new HttpError(
    403,
    {
      message: 'Resource not accessible by integration',
      documentation_url: `https://docs.github.com/rest/git/refs#${operation}`,
      status: '403'
    },
    { 'X-Accepted-GitHub-Permissions': 'contents=write; contents=write,workflows=write' }
  )
/** How a ref write is refused under a ruleset that requires signed commits. */
const signaturesRequired = () =>
  new HttpError(422, {
    message: 'Repository rule violations found\n\nCommits must have verified signatures.\n\n',
    documentation_url: 'https://docs.github.com/rest/git/refs',
    status: '422'
  })
const invalid = (message: string, errors: Array<Record<string, unknown>> = []) =>
  new HttpError(422, validationError(message, errors))

interface PendingFault {
  fault: GitHubFault
  remaining: number
}

/** What FakeGitHub needs of its object store: a bare repository, or memory. */
type ObjectStore = GitStore | MemoryStore

export class FakeGitHub {
  readonly apiUrl: string
  readonly bareRepo: string
  readonly owner: string
  readonly repo: string
  readonly token: string
  readonly defaultBranch: string
  /** GitHub's primary and secondary rate limits: `exhaust()` / `tripSecondary()` them. */
  readonly rateLimits: GitHubRateLimits
  readonly faults = {
    add: (fault: GitHubFault): void => {
      this.pendingFaults.push({ fault, remaining: fault.times ?? 1 })
    },
    clear: (): void => {
      this.pendingFaults.length = 0
    }
  }

  private readonly ctx: RepoContext
  private readonly pullRecords: PullRecord[] = []
  private readonly lastHeadSha = new Map<number, string>()
  private readonly signed = new Set<string>()
  private readonly protectedBranches = new Set<string>()
  private readonly grants: TokenGrants
  private readonly collaborators: Set<string> | undefined
  private readonly teamsWithAccess: Set<string> | undefined
  private readonly existingLabels: Set<string>
  private readonly graphqlMode: GraphqlMode
  private readonly pullSettleMs: number
  /** Pull request number → when it was opened (epoch ms), for `pullSettleMs`. */
  private readonly openedAt = new Map<number, number>()
  private autoMergeSettings: { allowed: boolean; requiredChecks: boolean }
  private readonly signsApiCommits: boolean
  private readonly requireSignedCommits: boolean
  private readonly log: GitHubRequest[] = []
  private readonly pendingFaults: PendingFault[] = []
  private nextNumber = 1
  private apiCalls = 0
  private pushedAt: string

  private constructor(
    private readonly server: LocalServer,
    private readonly store: ObjectStore,
    private readonly tempDir: string,
    options: Required<Pick<FakeGitHubOptions, 'owner' | 'repo' | 'token' | 'defaultBranch'>> &
      FakeGitHubOptions,
    private readonly limits: GitDataLimits
  ) {
    this.apiUrl = server.origin
    this.bareRepo = store.gitDir
    this.owner = options.owner
    this.repo = options.repo
    this.token = options.token
    this.defaultBranch = options.defaultBranch
    this.rateLimits = new GitHubRateLimits(options.rateLimit ?? 5000, options.now)
    this.pushedAt = isoNow()
    this.grants = { workflows: true, orgTeams: true, createLabels: true, ...options.grants }
    this.collaborators = options.collaborators
      ? new Set(options.collaborators.map(login => login.toLowerCase()))
      : undefined
    this.teamsWithAccess = options.teamsWithAccess
      ? new Set(options.teamsWithAccess.map(slug => slug.toLowerCase()))
      : undefined
    this.existingLabels = new Set((options.labels ?? []).map(label => label.toLowerCase()))
    this.graphqlMode = options.graphql ?? 'update-refs'
    this.pullSettleMs = options.pullSettleMs ?? 0
    this.autoMergeSettings = { allowed: false, requiredChecks: false, ...options.autoMerge }
    this.signsApiCommits = options.signsApiCommits ?? true
    this.requireSignedCommits = options.requireSignedCommits ?? false
    this.ctx = {
      apiUrl: server.origin,
      owner: options.owner,
      repo: options.repo,
      defaultBranch: options.defaultBranch,
      createdAt: '2024-01-02T03:04:05Z'
    }
  }

  static async start(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
    const settings = {
      owner: options.owner ?? 'octo',
      repo: options.repo ?? 'app',
      token: options.token ?? 'gh-test-token',
      defaultBranch: options.defaultBranch ?? 'main'
    }
    const tempDir = await mkdtemp(path.join(os.tmpdir(), 'fake-github-'))
    const bound: { fake?: FakeGitHub } = {}
    const [store, server] = await Promise.all([
      options.memory ? new MemoryStore() : GitStore.init(tempDir, settings.defaultBranch),
      startLocalServer((req, res) => bound.fake?.handle(req, res))
    ])
    const fake = new FakeGitHub(
      server,
      store,
      tempDir,
      { ...options, ...settings },
      {
        ...GIT_DATA_LIMITS,
        ...options.limits
      }
    )
    const files: Record<string, string | Buffer | null> = options.files ?? {
      'README.md': `# ${settings.repo}\n`
    }
    await fake.writeCommit(
      settings.defaultBranch,
      files,
      'Initial commit',
      options.symlinks ?? {},
      options.firstCommitDate
    )
    bound.fake = fake
    return fake
  }

  // ---- test API -------------------------------------------------------------------------------

  /** Runs git in the bare repository and returns stdout (not with `memory`). */
  async git(...args: string[]): Promise<string> {
    return this.store.text(args)
  }

  // What a test reads of the repository, with either store (with `memory`, `git()` is refused).

  /** Every ref and the sha it points to, sorted by name. */
  async refs(): Promise<Array<{ ref: string; sha: string }>> {
    return this.store.listRefs()
  }

  /** Every object, reachable or not, as text: what the secrets scan reads. */
  async objectDump(): Promise<string> {
    return this.store.dumpObjects()
  }

  async commit(sha: string): Promise<CommitInfo | undefined> {
    return this.store.readCommit(sha)
  }

  /**
   * Paths whose content differs between two revisions, sorted (`git diff --name-only from to`);
   * `threeDot` compares `to` with its merge base with `from`, as a pull request shows it.
   */
  async changedFiles(from: string, to: string, { threeDot = false } = {}): Promise<string[]> {
    const [a, b] = await Promise.all([this.commitSha(from), this.commitSha(to)])
    const since = threeDot ? await this.store.mergeBase(a, b) : a
    if (!since) throw new Error(`${from} and ${to} have no common history`)
    return (await this.store.diffFiles(since, b)).map(file => file.filename).sort()
  }

  /** Commits reachable from `to` but not from `from`, oldest first (`git rev-list from..to`). */
  async commitsBetween(from: string, to: string): Promise<string[]> {
    const [a, b] = await Promise.all([this.commitSha(from), this.commitSha(to)])
    return this.store.commitsBetween(a, b)
  }

  private async commitSha(revision: string): Promise<string> {
    const sha = await this.store.revParse(`${revision}^{commit}`)
    if (!sha) throw new Error(`no commit ${revision}`)
    return sha
  }

  /** Entries below a tree-ish (`main`, `main:config/locales`), subtrees' content included. */
  async tree(treeish: string): Promise<TreeEntry[]> {
    return this.store.listTree(treeish, true)
  }

  /** Someone force-pushes `sha` to `branch` (created if missing). */
  async setBranch(branch: string, sha: string): Promise<void> {
    if (!(await this.store.updateRefs([{ ref: `refs/heads/${branch}`, sha }])))
      throw new Error(`could not move ${branch} to ${sha}`)
  }

  /** Someone deletes `branch` (no pull request notices). */
  async deleteBranch(branch: string): Promise<void> {
    await this.setBranch(branch, ZERO_SHA)
  }

  /** The bytes of a blob by its sha (one uploaded but not yet in any tree, too). */
  async blob(sha: string): Promise<Buffer> {
    return this.store.readBlob(sha)
  }

  async readFile(ref: string, file: string): Promise<Buffer | undefined> {
    return this.store.readFile(ref, file)
  }

  async listFiles(ref: string): Promise<string[]> {
    const sha = await this.store.revParse(`${ref}^{tree}`)
    if (!sha) return []
    return (await this.store.listTree(sha, true)).filter(e => e.type !== 'tree').map(e => e.path)
  }

  async headSha(branch: string): Promise<string | undefined> {
    return this.store.resolveRef(`refs/heads/${branch}`)
  }

  /** Commits of `branch`, newest first. */
  async commits(
    branch: string
  ): Promise<Array<{ sha: string; message: string; parents: string[] }>> {
    const head = await this.headSha(branch)
    if (!head) return []
    const shas = await this.store.history(head)
    const infos = await Promise.all(shas.map(sha => this.store.readCommit(sha)))
    return infos.flatMap(info =>
      info ? [{ sha: info.sha, message: info.message, parents: info.parents }] : []
    )
  }

  /** Another actor pushes to `branch` (created from the default branch if missing); null deletes. */
  async commitFiles(
    branch: string,
    files: Record<string, string | Buffer | null>,
    message = 'Commit by another actor'
  ): Promise<string> {
    return this.writeCommit(branch, files, message, {})
  }

  pulls(): PullRecord[] {
    return structuredClone(this.pullRecords)
  }

  requests(): GitHubRequest[] {
    return structuredClone(this.log)
  }

  /** The repository's GraphQL node id (`repositoryId` of mutations). */
  get repositoryNodeId(): string {
    return nodeId('R_', REPO_ID)
  }

  /** A repository admin changes the auto-merge settings (see FakeGitHubOptions.autoMerge). */
  configureAutoMerge(settings: NonNullable<FakeGitHubOptions['autoMerge']>): void {
    this.autoMergeSettings = { ...this.autoMergeSettings, ...settings }
  }

  /** Ref updates and deletion of this branch answer 422 like a protected branch. */
  protect(branch: string): void {
    this.protectedBranches.add(branch)
  }

  /** A `fetch` that reaches this fake without a socket (in-process-fetch.ts). */
  inProcessFetch(): typeof fetch {
    return inProcessFetch((req, res) => this.handle(req, res))
  }

  /** One exchange with this fake without a socket or a Response (in-process-fetch.ts). */
  answerInProcess(request: InProcessRequest): Promise<InProcessAnswer> {
    return answerInProcess((req, res) => this.handle(req, res), request)
  }

  /**
   * A person merges the open pull request on GitHub: a merge commit of its head into the base, or
   * with `squash` one new commit on the base with the pull request's changes. Returns the commit.
   */
  async mergePull(number: number, options: { squash?: boolean } = {}): Promise<string> {
    const pr = this.findPull(String(number))
    if (pr.state !== 'open') throw new Error(`#${number} is not open`)
    const baseRef = `refs/heads/${pr.base}`
    const base = (await this.store.resolveRef(baseRef))!
    const head = (await this.store.resolveRef(`refs/heads/${pr.head}`))!
    const mergeBase = (await this.store.mergeBase(base, head)) ?? base
    // The pull request's changes (three-dot) applied to the base: a merge without conflicts.
    const changes: TreeChange[] = (await this.store.diffFiles(mergeBase, head)).map(file => ({
      path: file.filename,
      mode: '100644',
      sha: file.status === 'removed' ? null : file.sha
    }))
    const tree = await this.store.buildTree(base, changes)
    const sha = await this.store.commitTree({
      tree,
      parents: options.squash ? [base] : [base, head],
      message: options.squash ? `${pr.title} (#${number})` : `Merge pull request #${number}`,
      author: OTHER_ACTOR,
      committer: GITHUB_COMMITTER
    })
    if (!(await this.store.updateRef(baseRef, sha, base))) throw new Error('base moved')
    this.close(pr)
    pr.merged = true
    pr.merged_at = pr.closed_at
    pr.merge_commit_sha = sha
    return sha
  }

  /** A person closes the pull request without merging it (the body stays as it is). */
  closePull(number: number): void {
    const pr = this.findPull(String(number))
    if (pr.state === 'open') this.close(pr)
  }

  /** `login` submits a review: GitHub ends their review request with it. */
  async review(number: number, login: string, state = 'APPROVED'): Promise<void> {
    const pr = this.findPull(String(number))
    const commit = (await this.store.resolveRef(`refs/heads/${pr.head}`)) ?? ZERO_SHA
    pr.reviews = [...(pr.reviews ?? []), { login, state, commit, at: isoNow() }]
    pr.requested_reviewers = pr.requested_reviewers.filter(
      requested => requested.toLowerCase() !== login.toLowerCase()
    )
  }

  async stop(): Promise<void> {
    await this.server.stop()
    await rm(this.tempDir, { recursive: true, force: true })
  }

  private async writeCommit(
    branch: string,
    files: Record<string, string | Buffer | null>,
    message: string,
    symlinks: Record<string, string>,
    date?: string
  ): Promise<string> {
    const ref = `refs/heads/${branch}`
    const entries = [
      ...Object.entries(files).map(([file, content]) => ({ file, content, mode: '100644' })),
      ...Object.entries(symlinks).map(([file, target]) => ({
        file,
        content: target,
        mode: '120000'
      }))
    ]
    const written = entries.filter(entry => entry.content !== null)
    const shas = await this.store.writeBlobs(
      written.map(entry => toBuffer(entry.content as string))
    )
    const changes: TreeChange[] = entries.map(entry => ({
      path: entry.file.replace(/^\/+/, ''),
      mode: entry.mode,
      sha: entry.content === null ? null : shas[written.indexOf(entry)]
    }))
    for (;;) {
      const current = await this.store.resolveRef(ref)
      const parent = current ?? (await this.store.resolveRef(`refs/heads/${this.defaultBranch}`))
      const tree = await this.store.buildTree(parent, changes)
      const sha = await this.store.commitTree({
        tree,
        parents: parent ? [parent] : [],
        message,
        author: { ...OTHER_ACTOR, date },
        committer: { ...OTHER_ACTOR, date }
      })
      // Compare-and-swap: if the branch moved meanwhile, build on the new head instead.
      if (await this.store.updateRef(ref, sha, current ?? ZERO_SHA)) {
        this.pushedAt = isoNow()
        return sha
      }
    }
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const method = req.method ?? 'GET'
    const entry: GitHubRequest = {
      method,
      path: safeDecode(url.pathname),
      query: queryRecord(url),
      status: 0,
      authorization: req.headers.authorization
    }
    this.log.push(entry)
    res.on('finish', () => (entry.status = res.statusCode))
    this.apiCalls += 1
    let headers = this.rateHeaders()

    const raw = await readBody(req)
    if (raw.length > 0) {
      try {
        entry.body = JSON.parse(raw.toString('utf8')) as unknown
      } catch {
        return sendJson(res, 400, basicError('Problems parsing JSON', 400), headers)
      }
    }
    if (!this.authorized(req.headers.authorization))
      return sendJson(res, 401, basicError('Bad credentials', 401), headers)
    // Counted against the token once it is known; reading /rate_limit costs nothing, and GraphQL
    // has a primary limit of its own (GitHub's docs; not modelled).
    const uncounted = url.pathname === '/rate_limit' || /^(\/api)?\/graphql$/.test(url.pathname)
    const refusal = uncounted
      ? undefined
      : (this.rateLimits.take(this.requestId()) ??
        (method === 'GET' ? undefined : this.rateLimits.takeContent(this.requestId())))
    headers = this.rateHeaders()
    if (refusal)
      return sendJson(res, refusal.status, refusal.body, { ...headers, ...refusal.headers })

    const fault = this.takeFault(method, url.pathname)
    if (fault) {
      await fault.before?.()
      if (fault.status !== undefined) {
        if (fault.status === 204 || fault.status === 304) {
          res.writeHead(fault.status, headers)
          res.end()
        } else
          sendJson(
            res,
            fault.status,
            fault.body ?? basicError('Simulated error', fault.status),
            headers
          )
        return
      }
    }

    try {
      this.refuseOversized(method, url.pathname, raw.length)
      const answer: Answer =
        method === 'POST' && /^(\/api)?\/graphql$/.test(url.pathname)
          ? await answerGraphql(this.graphqlMode, entry.body, this.refsBackend(), {
              autoMerge: this.autoMergeBackend(),
              objects: {
                owner: this.owner,
                repo: this.repo,
                readBlobs: shas => this.store.readBlobs(shas)
              }
            })
          : await this.route(method, url, entry.body)
      if (answer.status === 204) {
        res.writeHead(204, headers)
        res.end()
      } else if (
        answer.raw &&
        /application\/vnd\.github(\.v3)?\.raw/.test(req.headers.accept ?? '')
      ) {
        // `Accept: application/vnd.github.raw+json`: the blob's bytes as they are (docs.github.com
        // rest/git/blobs, "Returns the raw blob data").
        res.writeHead(answer.status, {
          ...headers,
          'Content-Type': 'application/vnd.github.raw',
          'Content-Length': answer.raw.length
        })
        res.end(answer.raw)
      } else sendJson(res, answer.status, answer.body, { ...headers, ...answer.headers })
    } catch (error) {
      if (error instanceof HttpError)
        return sendJson(res, error.status, error.body, { ...headers, ...error.headers })
      throw error
    }
  }

  /** Tree bodies GitHub cannot process in time (by the body's size; see GitDataLimits). */
  private refuseOversized(method: string, pathname: string, bodyBytes: number): void {
    if (method !== 'POST' || !pathname.endsWith('/git/trees')) return
    if (bodyBytes <= this.limits.treeBodyBytes) return
    if (this.limits.treeFailure === 422)
      throw new HttpError(422, {
        message: TREE_TIMEOUT_MESSAGE,
        documentation_url: 'https://docs.github.com/rest/git/trees#create-a-tree',
        status: '422'
      })
    throw new HttpError(502, { message: 'Server Error' })
  }

  private authorized(header: string | undefined): boolean {
    const match = /^(token|bearer)\s+(\S+)$/i.exec(header?.trim() ?? '')
    return match !== null && match[2] === this.token
  }

  private rateHeaders(): Record<string, string | number> {
    return {
      'X-GitHub-Request-Id': this.requestId(),
      'X-GitHub-Media-Type': 'github.v3; format=json',
      ...this.rateLimits.headers()
    }
  }

  private requestId(): string {
    return `FAKE:${String(this.apiCalls).padStart(6, '0')}`
  }

  private takeFault(method: string, rawPath: string): GitHubFault | undefined {
    const decoded = safeDecode(rawPath)
    const index = this.pendingFaults.findIndex(({ fault }) => {
      if (fault.method !== '*' && fault.method.toUpperCase() !== method.toUpperCase()) return false
      if (typeof fault.path === 'string') return fault.path === rawPath || fault.path === decoded
      return fault.path.test(rawPath) || fault.path.test(decoded)
    })
    if (index < 0) return undefined
    const pending = this.pendingFaults[index]
    pending.remaining -= 1
    if (pending.remaining <= 0) this.pendingFaults.splice(index, 1)
    return pending.fault
  }

  private async route(method: string, url: URL, body: unknown): Promise<Answer> {
    const segments = url.pathname.split('/').slice(1)
    if (segments[0] === 'rate_limit' && segments.length === 1 && method === 'GET')
      return ok(this.rateLimits.json())
    if (segments[0] !== 'repos') throw notFound()
    if (safeDecode(segments[1] ?? '') !== this.owner || safeDecode(segments[2] ?? '') !== this.repo)
      throw notFound()
    const [area, second, third, ...restSegments] = segments.slice(3)
    const rest = (from: string[]) => safeDecode(from.join('/'))
    const input = asObject(body)
    const query = url.searchParams

    if (area === undefined || area === '') {
      if (method === 'GET') return ok(this.repositoryJson())
    } else if (area === 'branches' && method === 'GET' && second) {
      return this.getBranch(rest([second, third, ...restSegments].filter(isDefined)))
    } else if (area === 'git') {
      const tail = [third, ...restSegments].filter(isDefined)
      if (second === 'ref' && method === 'GET') return this.getRef(rest(tail))
      if (second === 'matching-refs' && method === 'GET') return this.matchingRefs(rest(tail))
      if (second === 'refs' && tail.length === 0 && method === 'POST') return this.createRef(input)
      if (second === 'refs' && tail.length > 0 && method === 'PATCH')
        return this.updateRef(rest(tail), input)
      if (second === 'refs' && tail.length > 0 && method === 'DELETE')
        return this.deleteRef(rest(tail))
      if (second === 'commits' && tail.length === 0 && method === 'POST')
        return this.createCommit(input)
      if (second === 'commits' && tail.length === 1 && method === 'GET')
        return this.getCommit(rest(tail))
      if (second === 'trees' && tail.length === 0 && method === 'POST')
        return this.createTree(input)
      if (second === 'trees' && tail.length > 0 && method === 'GET')
        return this.getTree(rest(tail), query.has('recursive'))
      if (second === 'blobs' && tail.length === 0 && method === 'POST')
        return this.createBlob(input)
      if (second === 'blobs' && tail.length === 1 && method === 'GET')
        return this.getBlob(rest(tail))
    } else if (area === 'contents' && method === 'GET') {
      const file = [second, third, ...restSegments].filter(isDefined).map(safeDecode).join('/')
      return this.getContents(file, query.get('ref') ?? this.defaultBranch)
    } else if (area === 'compare' && method === 'GET' && second) {
      return this.compare(rest([second, third, ...restSegments].filter(isDefined)))
    } else if (area === 'pulls') {
      if (second === undefined && method === 'GET') return this.listPulls(query)
      if (second === undefined && method === 'POST') return this.createPull(input)
      const pr = this.findPull(second)
      if (third === undefined && method === 'GET') return ok(await this.fullPullJson(pr))
      if (third === undefined && method === 'PATCH') return this.updatePull(pr, input)
      if (third === 'requested_reviewers' && method === 'POST') {
        this.refuseUnsettled(pr)
        return this.requestReviewers(pr, input)
      }
      if (third === 'reviews' && method === 'GET')
        return ok((pr.reviews ?? []).map((_, index) => reviewJson(this.ctx, pr, index)))
    } else if (area === 'issues' && second !== undefined) {
      const pr = this.findPull(second)
      if (third === 'labels' || third === 'assignees') this.refuseUnsettled(pr)
      if (third === undefined && method === 'PATCH') return this.updateIssue(pr, input)
      if (third === 'labels' && method === 'POST') return this.addLabels(pr, body)
      if (third === 'assignees' && method === 'POST') return this.addAssignees(pr, input)
      if (third === 'comments' && method === 'POST') return this.addComment(pr, input)
    }
    throw notFound()
  }

  // ---- repository, branches, refs --------------------------------------------------------------

  private repositoryJson(): Record<string, unknown> {
    return repositoryJson(this.ctx, this.repoState())
  }

  private repoState() {
    return {
      pushedAt: this.pushedAt,
      openIssues: this.pullRecords.filter(pr => pr.state === 'open').length
    }
  }

  private async getBranch(name: string): Promise<Answer> {
    const sha = await this.store.resolveRef(`refs/heads/${name}`)
    if (!sha) throw new HttpError(404, basicError('Branch not found', 404))
    const commit = await this.mustReadCommit(sha)
    const api = repoApi(this.ctx)
    const isProtected = this.protectedBranches.has(name)
    return ok({
      name,
      commit: commitJson(this.ctx, commit, this.verification(commit)),
      _links: { html: `${repoHtml(this.ctx)}/tree/${name}`, self: `${api}/branches/${name}` },
      protected: isProtected,
      protection: { enabled: isProtected },
      protection_url: `${api}/branches/${name}/protection`
    })
  }

  private async refAnswer(ref: string, sha: string, status = 200): Promise<Answer> {
    const type = (await this.store.objectType(sha)) ?? 'commit'
    const body = refJson(this.ctx, ref, sha, type)
    return status === 201 ? { status, body, headers: { Location: body.url } } : ok(body)
  }

  private async getRef(name: string): Promise<Answer> {
    const ref = fullRef(name)
    const sha = ref && (await this.store.revParse(ref))
    if (!ref || !sha || !(await this.refExists(ref))) throw notFound()
    return this.refAnswer(ref, sha)
  }

  private async refExists(ref: string): Promise<boolean> {
    return (await this.store.listRefs(ref)).some(entry => entry.ref === ref)
  }

  private async matchingRefs(prefix: string): Promise<Answer> {
    const wanted = `refs/${prefix.replace(/^refs\//, '')}`
    const refs = (await this.store.listRefs('refs/')).filter(entry => entry.ref.startsWith(wanted))
    const types = await this.store.objectTypes(refs.map(entry => entry.sha))
    return ok(refs.map(e => refJson(this.ctx, e.ref, e.sha, types.get(e.sha) ?? 'commit')))
  }

  private async createRef(input: Record<string, unknown>): Promise<Answer> {
    const ref = input.ref
    const sha = input.sha
    if (typeof ref !== 'string' || typeof sha !== 'string')
      throw invalid(`Invalid request.\n\n"ref" and "sha" are required.`)
    if (!/^refs\/[^/]+\/.+/.test(ref) || !(await this.validRefName(ref)))
      throw invalid('Reference name is invalid')
    if ((await this.store.objectType(sha)) === undefined) throw invalid('Object does not exist')
    const defaultHead = await this.store.resolveRef(`refs/heads/${this.defaultBranch}`)
    if (defaultHead && (await this.changesWorkflows(defaultHead, sha)))
      throw workflowsRefused('create-a-reference')
    if (await this.bringsUnsigned(sha)) throw signaturesRequired()
    if (!(await this.store.updateRef(ref, sha, ZERO_SHA))) throw invalid('Reference already exists')
    this.pushedAt = isoNow()
    return this.refAnswer(ref, (await this.store.revParse(ref)) ?? sha, 201)
  }

  private async validRefName(ref: string): Promise<boolean> {
    try {
      await this.store.run(['check-ref-format', ref])
      return true
    } catch {
      return false
    }
  }

  private async updateRef(name: string, input: Record<string, unknown>): Promise<Answer> {
    const ref = fullRef(name)
    const sha = input.sha
    if (typeof sha !== 'string') throw invalid('Invalid request.\n\n"sha" wasn\'t supplied.')
    if (!ref || !(await this.refExists(ref))) throw invalid('Reference does not exist')
    this.refuseProtected(ref)
    if ((await this.store.objectType(sha)) !== 'commit') throw invalid('Object does not exist')
    for (;;) {
      const current = await this.store.revParse(ref)
      if (!current) throw invalid('Reference does not exist')
      if (input.force !== true && !(await this.store.isAncestor(current, sha)))
        throw invalid('Update is not a fast forward')
      if (await this.changesWorkflows(current, sha)) throw workflowsRefused('update-a-reference')
      if (await this.bringsUnsigned(sha)) throw signaturesRequired()
      if (await this.store.updateRef(ref, sha, current)) break
    }
    this.pushedAt = isoNow()
    return this.refAnswer(ref, sha)
  }

  private async deleteRef(name: string): Promise<Answer> {
    const ref = fullRef(name)
    const current = ref && (await this.store.revParse(ref))
    if (!ref || !current || !(await this.refExists(ref))) throw invalid('Reference does not exist')
    this.refuseProtected(ref)
    if (ref === `refs/heads/${this.defaultBranch}`)
      throw invalid('Cannot delete the default branch of a repository')
    if (!(await this.store.deleteRef(ref, current))) throw invalid('Reference cannot be deleted')
    // GitHub closes open pull requests whose head branch is deleted.
    const branch = ref.slice('refs/heads/'.length)
    for (const pr of this.pullRecords)
      if (ref.startsWith('refs/heads/') && pr.head === branch && pr.state === 'open') this.close(pr)
    return { status: 204, body: undefined }
  }

  /** Under a signatures rule: `sha` brings a commit that is not signed and not on the default branch. */
  private async bringsUnsigned(sha: string): Promise<boolean> {
    if (!this.requireSignedCommits) return false
    const defaultHead = await this.store.resolveRef(`refs/heads/${this.defaultBranch}`)
    const added = defaultHead ? await this.store.commitsBetween(defaultHead, sha) : [sha]
    return added.some(commit => !this.signed.has(commit))
  }

  /** Moving a ref from `from` to `to` changes `.github/workflows/`, which this token may not. */
  private async changesWorkflows(from: string, to: string): Promise<boolean> {
    if (this.grants.workflows || from === to) return false
    return (await this.store.changedPaths(from, to, '.github/workflows')).length > 0
  }

  /** GraphQL `updateRefs`: every update is checked, then all are applied in one transaction. */
  private refsBackend() {
    return {
      repositoryId: this.repositoryNodeId,
      updateRefs: async (updates: RefUpdateRequest[]): Promise<GraphqlError | undefined> => {
        const generic = genericExecutionError(`FAKE:${String(this.apiCalls).padStart(6, '0')}`)
        const planned: Array<{ ref: string; sha: string; expected?: string }> = []
        for (const update of updates) {
          const ref = update.name
          if (!/^refs\/[^/]+\/.+/.test(ref) || !(await this.validRefName(ref))) return generic
          const current = await this.store.resolveRef(ref)
          if (update.beforeOid !== undefined && (current ?? ZERO_SHA) !== update.beforeOid)
            return generic
          const deleting = update.afterOid === ZERO_SHA
          if (!deleting && (await this.store.objectType(update.afterOid)) !== 'commit')
            return generic
          if (ref.startsWith('refs/heads/') && this.protectedBranches.has(ref.slice(11)))
            return generic
          if (!deleting && current && !update.force) {
            if (!(await this.store.isAncestor(current, update.afterOid))) return generic
          }
          const from = current ?? (await this.store.resolveRef(`refs/heads/${this.defaultBranch}`))
          if (!deleting && from && (await this.changesWorkflows(from, update.afterOid)))
            return { type: 'FORBIDDEN', message: 'Resource not accessible by integration' }
          if (!deleting && (await this.bringsUnsigned(update.afterOid))) return generic
          planned.push({ ref, sha: update.afterOid, expected: update.beforeOid })
        }
        if (!(await this.store.updateRefs(planned))) return generic
        this.pushedAt = isoNow()
        return undefined
      }
    }
  }

  /** Auto-merge on a pull request found by its node id (see FakeGitHubOptions.autoMerge). */
  private autoMergeBackend(): AutoMergeBackend {
    const unprocessable = (message: string): GraphqlError => ({ type: 'UNPROCESSABLE', message })
    const find = (id: string) =>
      this.pullRecords.find(pr => nodeId('PR_', 900_000 + pr.number) === id)
    const notFound = (id: string): GraphqlError => ({
      type: 'NOT_FOUND',
      message: `Could not resolve to a node with the global id of '${id}'`
    })
    return {
      enable: (id, method) => {
        const pr = find(id)
        if (!pr) return notFound(id)
        if (!this.autoMergeSettings.allowed)
          return unprocessable('Auto merge is not allowed for this repository')
        if (pr.draft || pr.state !== 'open')
          return unprocessable("Can't enable auto-merge for this pull request.")
        if (!this.autoMergeSettings.requiredChecks)
          return unprocessable('Pull request Pull request is in clean status')
        pr.auto_merge = { merge_method: method.toLowerCase() }
        pr.updated_at = isoNow()
        return undefined
      },
      disable: id => {
        const pr = find(id)
        if (!pr) return notFound(id)
        if (!pr.auto_merge)
          return genericExecutionError(`FAKE:${String(this.apiCalls).padStart(6, '0')}`)
        pr.auto_merge = null
        pr.updated_at = isoNow()
        return undefined
      }
    }
  }

  private refuseProtected(ref: string): void {
    const branch = ref.replace(/^refs\/heads\//, '')
    if (ref.startsWith('refs/heads/') && this.protectedBranches.has(branch))
      throw invalid(`Protected branch update failed for ${ref}.`)
  }

  // ---- commits, trees, blobs --------------------------------------------------------------------

  private verification(commit: CommitInfo): Verification {
    if (!this.signed.has(commit.sha)) return UNSIGNED
    return {
      verified: true,
      reason: 'valid',
      signature: SIGNATURE,
      payload: `tree ${commit.tree}\n${commit.parents.map(p => `parent ${p}\n`).join('')}\n${commit.message}`,
      verified_at: commit.committer.date
    }
  }

  private async mustReadCommit(sha: string): Promise<CommitInfo> {
    const commit = await this.store.readCommit(sha)
    if (!commit) throw notFound()
    return commit
  }

  private async getCommit(sha: string): Promise<Answer> {
    if (!/^[0-9a-f]{40}$/i.test(sha)) throw notFound()
    const commit = await this.mustReadCommit(sha)
    return ok(gitCommitJson(this.ctx, commit, this.verification(commit)))
  }

  private async createCommit(input: Record<string, unknown>): Promise<Answer> {
    const { message, tree } = input
    const parents = input.parents ?? []
    if (typeof message !== 'string' || typeof tree !== 'string')
      throw invalid('Invalid request.\n\n"message" and "tree" are required.')
    if (!Array.isArray(parents) || parents.some(p => typeof p !== 'string'))
      throw invalid("Invalid request.\n\nFor 'properties/parents', it is not an array of strings.")
    if ((await this.store.objectType(tree)) !== 'tree') throw invalid('Tree SHA does not exist')
    const types = await this.store.objectTypes(parents as string[])
    if ([...types.values()].some(type => type !== 'commit'))
      throw invalid('Parent SHA does not exist or is not a commit object')
    const author = identity(input.author) ?? ACTOR_IDENTITY
    const explicitCommitter = identity(input.committer)
    const sha = await this.store.commitTree({
      tree,
      parents: (parents as string[]).map(p => p.toLowerCase()),
      message,
      author,
      committer: explicitCommitter ?? GITHUB_COMMITTER
    })
    if (!explicitCommitter && this.signsApiCommits) this.signed.add(sha)
    const commit = await this.mustReadCommit(sha)
    const body = gitCommitJson(this.ctx, commit, this.verification(commit))
    return { status: 201, body, headers: { Location: String(body.url) } }
  }

  private async createTree(input: Record<string, unknown>): Promise<Answer> {
    const entries = input.tree
    if (!Array.isArray(entries)) throw invalid('Invalid request.\n\n"tree" wasn\'t supplied.')
    let base: string | undefined
    if (input.base_tree !== undefined && input.base_tree !== null) {
      base =
        typeof input.base_tree === 'string'
          ? await this.store.revParse(`${input.base_tree}^{tree}`)
          : undefined
      if (!base) throw invalid('base_tree is not a valid tree oid')
    }
    const parsed = entries.map((entry, index) => parseTreeEntry(entry, index))
    const contents = parsed.filter(entry => entry.content !== undefined)
    const blobShas = await this.store.writeBlobs(contents.map(entry => toBuffer(entry.content!)))
    const referenced = parsed.filter(entry => entry.sha)
    const types = await this.store.objectTypes(referenced.map(entry => entry.sha!))
    for (const entry of referenced) {
      const expected =
        entry.mode === '040000' ? 'tree' : entry.mode === '160000' ? 'commit' : 'blob'
      if (entry.mode !== '160000' && types.get(entry.sha!) !== expected)
        throw invalid(`tree.sha ${entry.sha} is not a valid ${expected}`)
    }
    const changes: TreeChange[] = parsed.map(entry => ({
      path: entry.path,
      mode: entry.mode,
      sha: entry.content !== undefined ? blobShas[contents.indexOf(entry)] : (entry.sha ?? null)
    }))
    const sha = await this.store.buildTree(base, changes)
    const body = await this.treeJson(sha, false)
    return { status: 201, body, headers: { Location: String(body.url) } }
  }

  private async treeJson(sha: string, recursive: boolean): Promise<Record<string, unknown>> {
    const api = repoApi(this.ctx)
    const entries = await this.store.listTree(sha, recursive)
    return {
      sha,
      url: `${api}/git/trees/${sha}`,
      tree: entries.map(entry => ({
        path: entry.path,
        mode: entry.mode,
        type: entry.type,
        sha: entry.sha,
        ...(entry.size !== undefined ? { size: entry.size } : {}),
        ...(entry.type === 'commit' ? {} : { url: `${api}/git/${entry.type}s/${entry.sha}` })
      })),
      truncated: false
    }
  }

  private async getTree(treeish: string, recursive: boolean): Promise<Answer> {
    const sha = await this.store.revParse(`${treeish}^{tree}`)
    if (!sha) throw notFound()
    return ok(await this.treeJson(sha, recursive))
  }

  private async createBlob(input: Record<string, unknown>): Promise<Answer> {
    const { content } = input
    const encoding = String(input.encoding ?? 'utf-8').toLowerCase()
    if (typeof content !== 'string')
      throw invalid('Invalid request.\n\n"content" wasn\'t supplied.')
    if (!['utf-8', 'utf8', 'base64'].includes(encoding))
      throw invalid(`encoding must be "utf-8" or "base64"`)
    const bytes =
      encoding === 'base64' ? Buffer.from(content, 'base64') : Buffer.from(content, 'utf8')
    if (bytes.length >= this.limits.blobBytes)
      throw new HttpError(422, {
        message: BLOB_TOO_LARGE_MESSAGE,
        documentation_url: 'https://docs.github.com/rest/git/blobs#create-a-blob',
        status: '422'
      })
    const [sha] = await this.store.writeBlobs([bytes])
    const body = { sha, url: `${repoApi(this.ctx)}/git/blobs/${sha}` }
    return { status: 201, body, headers: { Location: body.url } }
  }

  private async getBlob(sha: string): Promise<Answer> {
    if ((await this.store.objectType(sha)) !== 'blob') throw notFound()
    const bytes = await this.store.readBlob(sha)
    const json = {
      sha,
      node_id: Buffer.from(`B_${sha}`).toString('base64'),
      size: bytes.length,
      url: `${repoApi(this.ctx)}/git/blobs/${sha}`,
      content: wrapBase64(bytes),
      encoding: 'base64'
    }
    return { ...ok(json), raw: bytes }
  }

  // ---- contents, compare ------------------------------------------------------------------------

  private async getContents(file: string, ref: string): Promise<Answer> {
    const commit = await this.store.revParse(`${ref}^{commit}`)
    if (!commit) throw new HttpError(404, basicError(`No commit found for the ref ${ref}`, 404))
    const clean = file.replace(/^\/+|\/+$/g, '')
    if (clean === '') return ok(await this.directoryJson(commit, '', ref))
    const [entry] = await this.store.listTree(`${commit}:${parentDir(clean)}`, false).then(
      list => list.filter(e => e.path === path.posix.basename(clean)),
      () => []
    )
    if (!entry) throw notFound()
    if (entry.type === 'tree') return ok(await this.directoryJson(commit, clean, ref))
    return ok(await this.contentJson(clean, entry.mode, entry.sha, entry.size ?? 0, ref, true))
  }

  private async directoryJson(commit: string, dir: string, ref: string): Promise<unknown[]> {
    const entries = await this.store.listTree(dir ? `${commit}:${dir}` : commit, false)
    return Promise.all(
      entries.map(entry =>
        this.contentJson(
          dir ? `${dir}/${entry.path}` : entry.path,
          entry.mode,
          entry.sha,
          entry.size ?? 0,
          ref,
          false
        )
      )
    )
  }

  private async contentJson(
    file: string,
    mode: string,
    sha: string,
    size: number,
    ref: string,
    withContent: boolean
  ): Promise<Record<string, unknown>> {
    const api = repoApi(this.ctx)
    const type =
      mode === '040000'
        ? 'dir'
        : mode === '120000'
          ? 'symlink'
          : mode === '160000'
            ? 'submodule'
            : 'file'
    const self = `${api}/contents/${file}?ref=${encodeURIComponent(ref)}`
    const html = `${repoHtml(this.ctx)}/${type === 'dir' ? 'tree' : 'blob'}/${ref}/${file}`
    const gitUrl = type === 'dir' ? `${api}/git/trees/${sha}` : `${api}/git/blobs/${sha}`
    const json: Record<string, unknown> = {
      type,
      name: path.posix.basename(file),
      path: file,
      sha,
      size: type === 'dir' ? 0 : size,
      url: self,
      html_url: html,
      git_url: type === 'submodule' ? null : gitUrl,
      download_url:
        type === 'file'
          ? `https://raw.githubusercontent.com/${this.owner}/${this.repo}/${ref}/${file}`
          : null,
      _links: { self, git: type === 'submodule' ? null : gitUrl, html }
    }
    if (type === 'symlink') json.target = (await this.store.readBlob(sha)).toString('utf8')
    if (type === 'submodule') json.submodule_git_url = 'https://github.com/example/submodule.git'
    if (type === 'file' && withContent) {
      json.content = wrapBase64(await this.store.readBlob(sha))
      json.encoding = 'base64'
    }
    return json
  }

  private async compare(basehead: string): Promise<Answer> {
    const [baseName, headName] = basehead.split('...').map(side => side.replace(/^[^:]+:/, ''))
    if (!headName) throw notFound()
    const base = await this.store.revParse(`${baseName}^{commit}`)
    const head = await this.store.revParse(`${headName}^{commit}`)
    if (!base || !head) throw notFound()
    const mergeBase = (await this.store.mergeBase(base, head)) ?? base
    const ahead = await this.store.commitsBetween(base, head)
    const behind = await this.store.commitsBetween(head, base)
    const status =
      base === head
        ? 'identical'
        : behind.length === 0
          ? 'ahead'
          : ahead.length === 0
            ? 'behind'
            : 'diverged'
    const read = async (sha: string) => {
      const commit = await this.mustReadCommit(sha)
      return commitJson(this.ctx, commit, this.verification(commit))
    }
    const api = repoApi(this.ctx)
    const html = repoHtml(this.ctx)
    const files = await this.store.diffFiles(mergeBase, head)
    return ok({
      url: `${api}/compare/${baseName}...${headName}`,
      html_url: `${html}/compare/${baseName}...${headName}`,
      permalink_url: `${html}/compare/${this.owner}:${base}...${this.owner}:${head}`,
      diff_url: `${html}/compare/${baseName}...${headName}.diff`,
      patch_url: `${html}/compare/${baseName}...${headName}.patch`,
      base_commit: await read(base),
      merge_base_commit: await read(mergeBase),
      status,
      ahead_by: ahead.length,
      behind_by: behind.length,
      total_commits: ahead.length,
      commits: await Promise.all(ahead.slice(0, 250).map(read)),
      files: files.map(file => ({
        sha: file.sha,
        filename: file.filename,
        status: file.status,
        additions: file.additions,
        deletions: file.deletions,
        changes: file.additions + file.deletions,
        blob_url: `${html}/blob/${head}/${file.filename}`,
        raw_url: `${html}/raw/${head}/${file.filename}`,
        contents_url: `${api}/contents/${file.filename}?ref=${head}`
      }))
    })
  }

  // ---- pull requests and their issues -----------------------------------------------------------

  private findPull(numberText: string | undefined): PullRecord {
    const pr = this.pullRecords.find(candidate => String(candidate.number) === numberText)
    if (!pr) throw notFound()
    return pr
  }

  private async pullRefs(pr: PullRecord) {
    const head = await this.store.resolveRef(`refs/heads/${pr.head}`)
    if (head) this.lastHeadSha.set(pr.number, head)
    const base = await this.store.resolveRef(`refs/heads/${pr.base}`)
    return {
      headSha: head ?? this.lastHeadSha.get(pr.number) ?? ZERO_SHA,
      baseSha: base ?? ZERO_SHA,
      repoState: this.repoState()
    }
  }

  private async simplePullJson(pr: PullRecord): Promise<Record<string, unknown>> {
    return pullJson(this.ctx, pr, await this.pullRefs(pr))
  }

  private async fullPullJson(pr: PullRecord): Promise<Record<string, unknown>> {
    const refs = await this.pullRefs(pr)
    let counts = { commits: 0, additions: 0, deletions: 0, changed_files: 0 }
    if (refs.headSha !== ZERO_SHA && refs.baseSha !== ZERO_SHA) {
      const mergeBase = (await this.store.mergeBase(refs.baseSha, refs.headSha)) ?? refs.baseSha
      const files = await this.store.diffFiles(mergeBase, refs.headSha)
      counts = {
        commits: (await this.store.commitsBetween(refs.baseSha, refs.headSha)).length,
        additions: files.reduce((sum, file) => sum + file.additions, 0),
        deletions: files.reduce((sum, file) => sum + file.deletions, 0),
        changed_files: files.length
      }
    }
    return pullJson(this.ctx, pr, refs, counts)
  }

  private async listPulls(query: URLSearchParams): Promise<Answer> {
    const state = query.get('state') ?? 'open'
    if (!['open', 'closed', 'all'].includes(state))
      throw invalid('Validation Failed', [
        { resource: 'Search', field: 'state', code: 'invalid', value: state }
      ])
    const head = query.get('head')
    const base = query.get('base')
    const matches = this.pullRecords.filter(pr => {
      if (state !== 'all' && pr.state !== state) return false
      if (base && pr.base !== base) return false
      if (head) {
        const colon = head.indexOf(':')
        const owner = colon < 0 ? this.owner : head.slice(0, colon)
        if (owner !== this.owner || head.slice(colon + 1) !== pr.head) return false
      }
      return true
    })
    const ascending = query.get('direction') === 'asc'
    matches.sort((a, b) => (ascending ? a.number - b.number : b.number - a.number))
    return ok(await Promise.all(matches.map(pr => this.simplePullJson(pr))))
  }

  private async createPull(input: Record<string, unknown>): Promise<Answer> {
    const { title, base } = input
    const head =
      typeof input.head === 'string'
        ? input.head.replace(new RegExp(`^${this.owner}:`), '')
        : undefined
    const missing = ['title', 'head', 'base'].filter(field => typeof input[field] !== 'string')
    if (missing.length > 0)
      throw invalid(
        'Validation Failed',
        missing.map(field => ({ resource: 'PullRequest', field, code: 'missing_field' }))
      )
    const headSha = await this.store.resolveRef(`refs/heads/${head}`)
    const baseSha = await this.store.resolveRef(`refs/heads/${base}`)
    if (!headSha)
      throw invalid('Validation Failed', [
        { resource: 'PullRequest', field: 'head', code: 'invalid' }
      ])
    if (!baseSha)
      throw invalid('Validation Failed', [
        { resource: 'PullRequest', field: 'base', code: 'invalid' }
      ])
    if ((await this.store.commitsBetween(baseSha, headSha)).length === 0)
      throw invalid('Validation Failed', [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `No commits between ${base} and ${head}`
        }
      ])
    // Checked after the awaits, right before inserting: concurrent creates cannot both pass.
    if (this.openPull(head!, base as string))
      throw invalid('Validation Failed', [
        {
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${this.owner}:${head}.`
        }
      ])
    const now = isoNow()
    const number = this.nextNumber++
    const pr: PullRecord = {
      number,
      title: title as string,
      body: typeof input.body === 'string' ? input.body : null,
      head: head!,
      base: base as string,
      state: 'open',
      draft: input.draft === true,
      labels: [],
      assignees: [],
      requested_reviewers: [],
      requested_teams: [],
      merged: false,
      html_url: `${repoHtml(this.ctx)}/pull/${number}`,
      comments: [],
      maintainer_can_modify: input.maintainer_can_modify !== false,
      created_at: now,
      updated_at: now,
      closed_at: null
    }
    this.pullRecords.push(pr)
    this.openedAt.set(number, Date.now())
    const body = await this.fullPullJson(pr)
    return { status: 201, body, headers: { Location: String(body.url) } }
  }

  /** Right after opening, GitHub may not resolve the new pull request's node (`pullSettleMs`). */
  private refuseUnsettled(pr: PullRecord): void {
    if (Date.now() - (this.openedAt.get(pr.number) ?? 0) >= this.pullSettleMs) return
    const id = nodeId('PR_', 900_000 + pr.number)
    throw new HttpError(
      422,
      validationError('Validation Failed', [
        `Could not resolve to a node with the global id of '${id}'.`
      ])
    )
  }

  private openPull(head: string, base: string): PullRecord | undefined {
    return this.pullRecords.find(pr => pr.state === 'open' && pr.head === head && pr.base === base)
  }

  private async updatePull(pr: PullRecord, input: Record<string, unknown>): Promise<Answer> {
    if (input.state !== undefined && input.state !== 'open' && input.state !== 'closed')
      throw invalid('Validation Failed', [
        { resource: 'PullRequest', field: 'state', code: 'invalid', value: String(input.state) }
      ])
    const base = typeof input.base === 'string' ? input.base : pr.base
    if (base !== pr.base && !(await this.store.resolveRef(`refs/heads/${base}`)))
      throw invalid('Validation Failed', [
        { resource: 'PullRequest', field: 'base', code: 'invalid' }
      ])
    if (input.state === 'open' && pr.state === 'closed') {
      if (!(await this.store.resolveRef(`refs/heads/${pr.head}`)))
        throw invalid('Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: 'state cannot be changed. The head branch was deleted.'
          }
        ])
      if (this.openPull(pr.head, base))
        throw invalid('Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${this.owner}:${pr.head}.`
          }
        ])
    }
    // `draft` is not patchable through REST (GitHub ignores it here): only GraphQL changes it.
    if (typeof input.title === 'string') pr.title = input.title
    if (typeof input.body === 'string') pr.body = input.body
    if (typeof input.maintainer_can_modify === 'boolean')
      pr.maintainer_can_modify = input.maintainer_can_modify
    pr.base = base
    this.applyState(pr, input.state)
    pr.updated_at = isoNow()
    return ok(await this.fullPullJson(pr))
  }

  private applyState(pr: PullRecord, state: unknown): void {
    if (state === 'closed' && pr.state === 'open') this.close(pr)
    if (state === 'open' && pr.state === 'closed') {
      pr.state = 'open'
      pr.closed_at = null
    }
  }

  private close(pr: PullRecord): void {
    pr.state = 'closed'
    // GitHub turns auto-merge off when a pull request closes.
    pr.auto_merge = null
    pr.closed_at = isoNow()
    pr.updated_at = pr.closed_at
  }

  /**
   * One bad entry refuses the whole request and nothing is requested (as GitHub does:
   * github.com/Madrapps/add-reviewers/issues/5 — "This also does not add the other reviewers").
   */
  private async requestReviewers(pr: PullRecord, input: Record<string, unknown>): Promise<Answer> {
    const reviewers = stringList(input.reviewers)
    const teams = stringList(input.team_reviewers)
    if (reviewers.some(login => login.toLowerCase() === ACTOR.login.toLowerCase()))
      throw invalid('Review cannot be requested from pull request author.')
    if (this.collaborators && reviewers.some(l => !this.collaborators!.has(l.toLowerCase())))
      throw invalid(
        `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${this.owner}/${this.repo} repository.`
      )
    if (!this.grants.orgTeams && teams.length > 0) {
      const id = String(teamJson(this.ctx, teams[0]).node_id)
      throw new HttpError(
        422,
        validationError('Validation Failed', [
          `Could not resolve to a node with the global id of '${id}'.`
        ])
      )
    }
    // A team the token can see but that has no access to the repository: GitHub's answer as
    // issue 19 of this project quotes it.
    if (this.teamsWithAccess && teams.some(slug => !this.teamsWithAccess!.has(slug.toLowerCase())))
      throw invalid(
        `Reviews may only be requested from collaborators. One or more of the teams you specified is not a collaborator of the ${this.owner}/${this.repo} repository.`
      )
    pr.requested_reviewers = union(pr.requested_reviewers, reviewers)
    pr.requested_teams = union(pr.requested_teams, teams)
    pr.updated_at = isoNow()
    return { status: 201, body: await this.simplePullJson(pr) }
  }

  private async updateIssue(pr: PullRecord, input: Record<string, unknown>): Promise<Answer> {
    if (input.state !== undefined && input.state !== 'open' && input.state !== 'closed')
      throw invalid('Validation Failed', [{ resource: 'Issue', field: 'state', code: 'invalid' }])
    if (input.state === 'open' && pr.state === 'closed' && this.openPull(pr.head, pr.base))
      throw invalid('Validation Failed', [
        {
          resource: 'Issue',
          code: 'custom',
          message: 'A pull request already exists for this branch.'
        }
      ])
    if (typeof input.title === 'string' || typeof input.title === 'number')
      pr.title = String(input.title)
    if (typeof input.body === 'string' || input.body === null) pr.body = input.body
    if (Array.isArray(input.labels)) pr.labels = union([], labelNames(input.labels))
    if (Array.isArray(input.assignees)) pr.assignees = union([], stringList(input.assignees))
    if (typeof input.assignee === 'string') pr.assignees = [input.assignee]
    this.applyState(pr, input.state)
    pr.updated_at = isoNow()
    return ok(issueJson(this.ctx, pr))
  }

  private async addLabels(pr: PullRecord, body: unknown): Promise<Answer> {
    const list = Array.isArray(body) ? body : asObject(body).labels
    if (!Array.isArray(list) || list.length === 0)
      throw invalid('Invalid request.\n\nNo subschema in "oneOf" matched.')
    const names = labelNames(list)
    if (!this.grants.createLabels && names.some(n => !this.existingLabels.has(n.toLowerCase())))
      throw new HttpError(403, {
        message: 'You do not have permission to create labels on this repository.',
        errors: [{ resource: 'Repository', field: 'label', code: 'unauthorized' }],
        documentation_url: 'https://docs.github.com/rest/issues/labels#add-labels-to-an-issue',
        status: '403'
      })
    for (const name of names) this.existingLabels.add(name.toLowerCase())
    pr.labels = union(pr.labels, names)
    pr.updated_at = isoNow()
    return ok(pr.labels.map(name => labelJson(this.ctx, name)))
  }

  private async addAssignees(pr: PullRecord, input: Record<string, unknown>): Promise<Answer> {
    const logins = (Array.isArray(input.assignees) ? input.assignees : []).map(item =>
      typeof item === 'string' ? item : String(asObject(item).login ?? '')
    )
    pr.assignees = union(pr.assignees, logins.filter(Boolean))
    pr.updated_at = isoNow()
    return { status: 201, body: issueJson(this.ctx, pr) }
  }

  private async addComment(pr: PullRecord, input: Record<string, unknown>): Promise<Answer> {
    if (typeof input.body !== 'string')
      throw invalid('Invalid request.\n\n"body" wasn\'t supplied.')
    pr.comments.push(input.body)
    pr.updated_at = isoNow()
    const body = issueCommentJson(this.ctx, pr, pr.comments.length - 1, pr.updated_at)
    return { status: 201, body, headers: { Location: String(body.url) } }
  }
}

// ---- helpers ------------------------------------------------------------------------------------

interface Answer {
  status: number
  body: unknown
  headers?: Record<string, string>
  /** The bytes sent instead of `body` when the request asks for the raw media type. */
  raw?: Buffer
}

const ok = (body: unknown): Answer => ({ status: 200, body })

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined
}

function isoNow(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
}

function toBuffer(content: string | Buffer): Buffer {
  return Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')
}

function asObject(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}

/** `heads/main` → `refs/heads/main` (also accepts the full name); undefined when malformed. */
function fullRef(name: string): string | undefined {
  const ref = name.startsWith('refs/') ? name : `refs/${name}`
  return /^refs\/[^/]+\/.+/.test(ref) ? ref : undefined
}

function parentDir(file: string): string {
  const dir = path.posix.dirname(file)
  return dir === '.' ? '' : dir
}

/** GitHub's base64: lines of 60 characters, each ending in a newline. */
function wrapBase64(bytes: Buffer): string {
  const text = bytes.toString('base64')
  let out = ''
  for (let i = 0; i < text.length; i += 60) out += `${text.slice(i, i + 60)}\n`
  return out
}

function identity(value: unknown): { name: string; email: string; date?: string } | undefined {
  const object = asObject(value)
  if (typeof object.name !== 'string' || typeof object.email !== 'string') return undefined
  return {
    name: object.name,
    email: object.email,
    ...(typeof object.date === 'string' ? { date: object.date } : {})
  }
}

interface ParsedTreeEntry {
  path: string
  mode: string
  sha?: string | null
  content?: string
}

const TREE_MODES = ['100644', '100755', '040000', '160000', '120000']

function parseTreeEntry(value: unknown, index: number): ParsedTreeEntry {
  const entry = asObject(value)
  const fail = (message: string) => invalid(`tree[${index}]: ${message}`)
  if (typeof entry.path !== 'string') throw fail('"path" is required')
  const parts = entry.path.split('/')
  if (
    entry.path === '' ||
    parts.some(part => part === '' || part === '.' || part === '..' || part === '.git')
  )
    throw invalid(`tree.path contains a malformed path component`)
  if (typeof entry.mode !== 'string' || !TREE_MODES.includes(entry.mode))
    throw fail(`"mode" must be one of ${TREE_MODES.join(', ')}`)
  const hasSha = 'sha' in entry
  const hasContent = typeof entry.content === 'string'
  if (hasSha && hasContent && entry.sha !== null)
    throw fail('use either "sha" or "content", not both')
  if (!hasSha && !hasContent) throw fail('"sha" or "content" is required')
  if (hasSha && entry.sha !== null && typeof entry.sha !== 'string')
    throw fail('"sha" must be a string')
  return hasContent
    ? { path: entry.path, mode: entry.mode, content: entry.content as string }
    : { path: entry.path, mode: entry.mode, sha: entry.sha as string | null }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : []
}

function labelNames(list: unknown[]): string[] {
  return list
    .map(item => (typeof item === 'string' ? item : String(asObject(item).name ?? '')))
    .filter(Boolean)
}

function union(existing: string[], added: string[]): string[] {
  const result = [...existing]
  for (const item of added)
    if (!result.some(other => other.toLowerCase() === item.toLowerCase())) result.push(item)
  return result
}
