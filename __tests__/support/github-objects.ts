/**
 * JSON bodies of the fake GitHub, shaped like api.github.com's: every property the subset
 * description (`specs/github/api.github.com.subset.json`) marks required, with plausible values.
 */
import type { CommitInfo } from './git-store.js'

export interface RepoContext {
  /** API origin, e.g. http://127.0.0.1:PORT */
  apiUrl: string
  owner: string
  repo: string
  defaultBranch: string
  createdAt: string
}

export interface PullRecord {
  number: number
  title: string
  body: string | null
  /** Branch names (head without the `owner:` prefix). */
  head: string
  base: string
  state: 'open' | 'closed'
  draft: boolean
  labels: string[]
  assignees: string[]
  requested_reviewers: string[]
  requested_teams: string[]
  merged: boolean
  /** When and as which commit a person merged it (test API `mergePull`). */
  merged_at?: string | null
  merge_commit_sha?: string | null
  /** Submitted reviews, oldest first (test API `review`). */
  reviews?: Array<{ login: string; state: string; commit: string; at: string }>
  html_url: string
  /** Bodies of the issue comments, oldest first. */
  comments: string[]
  maintainer_can_modify: boolean
  created_at: string
  updated_at: string
  closed_at: string | null
  /** Auto-merge that is on (set through GraphQL, see fake-graphql.ts); absent or null when off. */
  auto_merge?: { merge_method: string } | null
}

/** The user GitHub's workflow token acts as. */
export const ACTOR = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
const HTML = 'https://github.com'
export const REPO_ID = 700_001

export function nodeId(kind: string, id: number | string): string {
  return Buffer.from(`${kind}${id}`).toString('base64').replace(/=+$/, '')
}

export function repoApi(ctx: RepoContext): string {
  return `${ctx.apiUrl}/repos/${ctx.owner}/${ctx.repo}`
}

export function repoHtml(ctx: RepoContext): string {
  return `${HTML}/${ctx.owner}/${ctx.repo}`
}

function idFor(login: string): number {
  if (login === ACTOR.login) return ACTOR.id
  let hash = 7
  for (const char of login) hash = (hash * 31 + char.charCodeAt(0)) % 9_000_000
  return 1_000_000 + hash
}

export function userJson(ctx: RepoContext, login: string, type?: string): Record<string, unknown> {
  const api = `${ctx.apiUrl}/users/${encodeURIComponent(login)}`
  const id = idFor(login)
  return {
    login,
    id,
    node_id: nodeId('U_', id),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${HTML}/${encodeURIComponent(login)}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: type ?? (login === ACTOR.login ? ACTOR.type : 'User'),
    site_admin: false
  }
}

/** Satisfies both `repository` (PR base/head) and `full-repository` (GET /repos/{o}/{r}). */
export function repositoryJson(
  ctx: RepoContext,
  state: { pushedAt: string; openIssues: number }
): Record<string, unknown> {
  const api = repoApi(ctx)
  const html = repoHtml(ctx)
  return {
    id: REPO_ID,
    node_id: nodeId('R_', REPO_ID),
    name: ctx.repo,
    full_name: `${ctx.owner}/${ctx.repo}`,
    private: false,
    owner: userJson(ctx, ctx.owner),
    html_url: html,
    description: 'Fixture repository of the fake GitHub',
    fork: false,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    git_url: `git://github.com/${ctx.owner}/${ctx.repo}.git`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    ssh_url: `git@github.com:${ctx.owner}/${ctx.repo}.git`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
    clone_url: `${html}.git`,
    mirror_url: null,
    hooks_url: `${api}/hooks`,
    svn_url: html,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 1,
    default_branch: ctx.defaultBranch,
    open_issues_count: state.openIssues,
    open_issues: state.openIssues,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: 'public',
    pushed_at: state.pushedAt,
    created_at: ctx.createdAt,
    updated_at: state.pushedAt,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    allow_squash_merge: true,
    allow_merge_commit: true,
    allow_rebase_merge: true,
    delete_branch_on_merge: false,
    license: null,
    network_count: 0,
    subscribers_count: 0
  }
}

export function labelJson(ctx: RepoContext, name: string): Record<string, unknown> {
  const id = 200_000 + idFor(name)
  return {
    id,
    node_id: nodeId('LA_', id),
    url: `${repoApi(ctx)}/labels/${encodeURIComponent(name)}`,
    name,
    // A string, never null: `pull-request-simple` (list, requested reviewers) requires one.
    description: '',
    color: 'ededed',
    default: false
  }
}

export function teamJson(ctx: RepoContext, slug: string): Record<string, unknown> {
  const id = 300_000 + idFor(slug)
  const api = `${ctx.apiUrl}/organizations/1/team/${id}`
  return {
    id,
    node_id: nodeId('T_', id),
    url: api,
    members_url: `${api}/members{/member}`,
    name: slug,
    slug,
    description: null,
    permission: 'pull',
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    html_url: `${HTML}/orgs/${ctx.owner}/teams/${slug}`,
    repositories_url: `${api}/repos`,
    type: 'organization',
    parent: null
  }
}

export function refJson(ctx: RepoContext, ref: string, sha: string, type: string) {
  return {
    ref,
    node_id: nodeId('REF_', ref),
    url: `${repoApi(ctx)}/git/${ref}`,
    object: { type, sha, url: `${repoApi(ctx)}/git/${type}s/${sha}` }
  }
}

export interface Verification {
  verified: boolean
  reason: string
  signature: string | null
  payload: string | null
  verified_at: string | null
}

/** `git-commit` (the Git Data API's commit). */
export function gitCommitJson(
  ctx: RepoContext,
  commit: CommitInfo,
  verification: Verification
): Record<string, unknown> {
  const api = repoApi(ctx)
  return {
    sha: commit.sha,
    node_id: nodeId('C_', commit.sha),
    url: `${api}/git/commits/${commit.sha}`,
    html_url: `${repoHtml(ctx)}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
    message: commit.message,
    parents: commit.parents.map(sha => ({
      sha,
      url: `${api}/git/commits/${sha}`,
      html_url: `${repoHtml(ctx)}/commit/${sha}`
    })),
    verification
  }
}

/** `commit` (the REST commit used by branches and compare). */
export function commitJson(
  ctx: RepoContext,
  commit: CommitInfo,
  verification: Verification
): Record<string, unknown> {
  const api = repoApi(ctx)
  return {
    sha: commit.sha,
    node_id: nodeId('C_', commit.sha),
    url: `${api}/commits/${commit.sha}`,
    html_url: `${repoHtml(ctx)}/commit/${commit.sha}`,
    comments_url: `${api}/commits/${commit.sha}/comments`,
    commit: {
      url: `${api}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${api}/git/trees/${commit.tree}` },
      verification
    },
    author: null,
    committer: null,
    parents: commit.parents.map(sha => ({
      sha,
      url: `${api}/commits/${sha}`,
      html_url: `${repoHtml(ctx)}/commit/${sha}`
    }))
  }
}

export interface PullRefs {
  headSha: string
  baseSha: string
  repoState: { pushedAt: string; openIssues: number }
}

export interface PullCounts {
  commits: number
  additions: number
  deletions: number
  changed_files: number
}

function pullUrls(ctx: RepoContext, number: number) {
  const api = repoApi(ctx)
  return {
    url: `${api}/pulls/${number}`,
    html_url: `${repoHtml(ctx)}/pull/${number}`,
    diff_url: `${repoHtml(ctx)}/pull/${number}.diff`,
    patch_url: `${repoHtml(ctx)}/pull/${number}.patch`,
    issue_url: `${api}/issues/${number}`,
    commits_url: `${api}/pulls/${number}/commits`,
    review_comments_url: `${api}/pulls/${number}/comments`,
    review_comment_url: `${api}/pulls/comments{/number}`,
    comments_url: `${api}/issues/${number}/comments`
  }
}

/** `pull-request-simple` (list, requested reviewers); with `counts`, the full `pull-request`. */
export function pullJson(
  ctx: RepoContext,
  pr: PullRecord,
  refs: PullRefs,
  counts?: PullCounts
): Record<string, unknown> {
  const urls = pullUrls(ctx, pr.number)
  const id = 900_000 + pr.number
  const repository = repositoryJson(ctx, refs.repoState)
  const side = (ref: string, sha: string) => ({
    label: `${ctx.owner}:${ref}`,
    ref,
    sha,
    user: userJson(ctx, ctx.owner),
    repo: repository
  })
  const assignees = pr.assignees.map(login => userJson(ctx, login))
  const json: Record<string, unknown> = {
    ...urls,
    id,
    node_id: nodeId('PR_', id),
    statuses_url: `${repoApi(ctx)}/statuses/${refs.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: userJson(ctx, ACTOR.login),
    body: pr.body,
    labels: pr.labels.map(name => labelJson(ctx, name)),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.created_at,
    updated_at: pr.updated_at,
    closed_at: pr.closed_at,
    merged_at: pr.merged_at ?? null,
    merge_commit_sha: pr.merge_commit_sha ?? null,
    assignee: assignees[0] ?? null,
    assignees,
    requested_reviewers: pr.requested_reviewers.map(login => userJson(ctx, login)),
    requested_teams: pr.requested_teams.map(slug => teamJson(ctx, slug)),
    head: side(pr.head, refs.headSha),
    base: side(pr.base, refs.baseSha),
    _links: {
      self: { href: urls.url },
      html: { href: urls.html_url },
      issue: { href: urls.issue_url },
      comments: { href: urls.comments_url },
      review_comments: { href: urls.review_comments_url },
      review_comment: { href: urls.review_comment_url },
      commits: { href: urls.commits_url },
      statuses: { href: `${repoApi(ctx)}/statuses/${refs.headSha}` }
    },
    author_association: 'CONTRIBUTOR',
    auto_merge: pr.auto_merge
      ? {
          enabled_by: userJson(ctx, ACTOR.login),
          merge_method: pr.auto_merge.merge_method,
          // GitHub's defaults when the mutation names no commit headline or body.
          commit_title: `${pr.title} (#${pr.number})`,
          commit_message: ''
        }
      : null,
    draft: pr.draft
  }
  if (!counts) return json
  return {
    ...json,
    merged: pr.merged,
    mergeable: pr.state === 'open' ? true : null,
    rebaseable: pr.state === 'open' ? true : null,
    mergeable_state: pr.state === 'open' ? 'clean' : 'unknown',
    merged_by: pr.merged ? userJson(ctx, 'octocat') : null,
    comments: pr.comments.length,
    review_comments: 0,
    maintainer_can_modify: pr.maintainer_can_modify,
    ...counts
  }
}

/** `issue` — the PR seen through the issues API. */
export function issueJson(ctx: RepoContext, pr: PullRecord): Record<string, unknown> {
  const urls = pullUrls(ctx, pr.number)
  const id = 800_000 + pr.number
  const assignees = pr.assignees.map(login => userJson(ctx, login))
  return {
    id,
    node_id: nodeId('I_', id),
    url: urls.issue_url,
    repository_url: repoApi(ctx),
    labels_url: `${urls.issue_url}/labels{/name}`,
    comments_url: urls.comments_url,
    events_url: `${urls.issue_url}/events`,
    html_url: urls.html_url,
    number: pr.number,
    state: pr.state,
    state_reason: null,
    title: pr.title,
    body: pr.body,
    user: userJson(ctx, ACTOR.login),
    labels: pr.labels.map(name => labelJson(ctx, name)),
    assignee: assignees[0] ?? null,
    assignees,
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: pr.comments.length,
    pull_request: {
      url: urls.url,
      html_url: urls.html_url,
      diff_url: urls.diff_url,
      patch_url: urls.patch_url,
      merged_at: pr.merged_at ?? null
    },
    closed_at: pr.closed_at,
    created_at: pr.created_at,
    updated_at: pr.updated_at,
    draft: pr.draft,
    author_association: 'CONTRIBUTOR'
  }
}

export function issueCommentJson(
  ctx: RepoContext,
  pr: PullRecord,
  index: number,
  createdAt: string
): Record<string, unknown> {
  const id = 500_000 + pr.number * 1000 + index
  return {
    id,
    node_id: nodeId('IC_', id),
    url: `${repoApi(ctx)}/issues/comments/${id}`,
    html_url: `${repoHtml(ctx)}/pull/${pr.number}#issuecomment-${id}`,
    issue_url: `${repoApi(ctx)}/issues/${pr.number}`,
    body: pr.comments[index],
    user: userJson(ctx, ACTOR.login),
    created_at: createdAt,
    updated_at: createdAt,
    author_association: 'CONTRIBUTOR'
  }
}

/** `pull-request-review`. */
export function reviewJson(
  ctx: RepoContext,
  pr: PullRecord,
  index: number
): Record<string, unknown> {
  const review = pr.reviews![index]
  const id = 600_000 + pr.number * 1000 + index
  const html = `${repoHtml(ctx)}/pull/${pr.number}#pullrequestreview-${id}`
  return {
    id,
    node_id: nodeId('PRR_', id),
    user: userJson(ctx, review.login),
    body: '',
    state: review.state,
    html_url: html,
    pull_request_url: `${repoApi(ctx)}/pulls/${pr.number}`,
    _links: { html: { href: html }, pull_request: { href: `${repoApi(ctx)}/pulls/${pr.number}` } },
    submitted_at: review.at,
    commit_id: review.commit,
    author_association: 'COLLABORATOR'
  }
}

export function basicError(message: string, status: number): Record<string, unknown> {
  return { message, documentation_url: 'https://docs.github.com/rest', status: String(status) }
}

export function validationError(
  message: string,
  /** Objects (`resource`, `field`, `code`), or plain strings as some endpoints answer them. */
  errors: Array<Record<string, unknown> | string> = []
): Record<string, unknown> {
  return {
    message,
    ...(errors.length > 0 ? { errors } : {}),
    documentation_url: 'https://docs.github.com/rest',
    status: '422'
  }
}
