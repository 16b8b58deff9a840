/**
 * The one pull request: find → create or update, and close. What to change is decided by pure
 * functions; the PR body is the user's text plus a generated section between markers, and the
 * marker remembers a hash of the title/body inputs so later runs only overwrite what the workflow
 * itself changed (a reviewer's edits to the title or text survive).
 */
import { createHash } from 'node:crypto'
import { otherBasePullError } from './branch-policy.js'
import { describeFailure, githubMessage, statusOf } from './errors.js'
import type { Logger } from '../logger.js'
import type { GitHubClient } from './octokit.js'
import type { MergeMethod } from '../settings.js'

export interface PullRequestInfo {
  number: number
  url: string
  title: string
  body: string
  draft: boolean
  /** GraphQL node id, and the method of the auto-merge that is on (see auto-merge.ts). */
  nodeId?: string
  autoMerge?: MergeMethod
  /** The commit the pull request's head is (or was, once closed) at. */
  headSha?: string
  /** Names/logins as GitHub reports them; used to add only what is missing. */
  labels?: string[]
  assignees?: string[]
  requestedReviewers?: string[]
  requestedTeams?: string[]
}

export interface PullRequestMetadata {
  labels: string[]
  assignees: string[]
  reviewers: string[]
  teamReviewers: string[]
}

/** The last pull request from the head into the base that is closed, and how it ended. */
export interface ClosedPullRequest {
  number: number
  url: string
  headSha: string
  merged: boolean
  /** Closed by this action (nothing left to propose), not by a person. */
  byAction: boolean
  closedAt?: string
}

/** What a run finds among the head's pull requests into its base. */
export interface PullRequests {
  open?: PullRequestInfo
  lastClosed?: ClosedPullRequest
}

/** GitHub's limit on a PR body, in characters. */
export const MAX_BODY_CHARS = 65_536
const END_MARKER = '<!-- phrase-pull:end -->'
/**
 * Appended to the body when the action closes its pull request: a later run tells it from one a
 * person closed (whose decision stands) without reading the issue's events.
 */
const CLOSED_MARKER = '<!-- phrase-pull:closed -->'
const START_PATTERN = /<!-- phrase-pull:start(?: inputs=([A-Za-z0-9._-]*))? -->/

// ---------------------------------------------------------------------------------------------
// Pure decisions
// ---------------------------------------------------------------------------------------------

/** Short hashes of the title and body inputs, `<title>.<body>`, kept in the body's marker. */
export function inputsHash(title: string, body: string): string {
  return `${shortHash(title.trim())}.${shortHash(normalize(body))}`
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8)
}

/** Line endings as GitHub may return them (CRLF after a web edit) and trailing space don't count. */
function normalize(text: string): string {
  return text.replace(/\r\n/g, '\n').trimEnd()
}

/**
 * The generated section, or a function that renders it for the characters left once the user's
 * text and whatever follows the section are counted: a long user body then costs the report some
 * detail, not whole sections.
 */
export type GeneratedSection = string | ((room: number) => string)

export function composeBody(
  userBody: string,
  generated: GeneratedSection,
  inputsHash: string
): string {
  return assembleBody(userBody, generated, inputsHash, '')
}

function assembleBody(
  user: string,
  generated: GeneratedSection,
  hash: string,
  tail: string
): string {
  if (!/^[A-Za-z0-9._-]+$/.test(hash))
    throw new Error(`Invalid inputs hash for the PR body marker: ${hash}`)
  const head = normalize(user)
  const start = `<!-- phrase-pull:start inputs=${hash} -->`
  const after = tail ? `\n\n${tail}` : ''
  const fixed = (head ? `${head}\n\n` : '') + `${start}\n\n${END_MARKER}${after}\n`
  const room = MAX_BODY_CHARS - fixed.length - 2
  const text = typeof generated === 'function' ? generated(room) : generated
  // A safety net: a section rendered for `room` already fits.
  const section = fitLines(normalize(text).replace(/^\n+/, ''), room)
  return (head ? `${head}\n\n` : '') + `${start}\n${section}\n${END_MARKER}${after}\n`
}

/**
 * Cuts between blocks: at a blank line outside any <details>, so no table, list or fold is left
 * open. Only a section without such a break is cut at a line boundary.
 */
function fitLines(text: string, room: number): string {
  if (text.length <= room) return text
  const note = '\n\n… (cut to fit GitHub’s size limit for pull request bodies)'
  const lines = text.split('\n')
  let kept = ''
  let lastBlock = ''
  let depth = 0
  for (const line of lines) {
    const next = kept ? `${kept}\n${line}` : line
    if (next.length + note.length > room) break
    kept = next
    depth += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length
    if (line.trim() === '' && depth <= 0) lastBlock = kept.trimEnd()
  }
  return (lastBlock || kept) + note
}

interface ParsedBody {
  /** Text above the generated section (the whole body when there are no markers). */
  userPart: string
  /** Inputs hash from the start marker; undefined when the body has no marker of ours. */
  hash?: string
  /** Text someone added below the end marker: kept. */
  tail: string
}

export function parseBody(body: string): ParsedBody {
  const text = normalize(body)
  const start = START_PATTERN.exec(text)
  if (!start) return { userPart: text, tail: '' }
  // The last end marker is ours: a key in the generated table may quote marker text.
  const end = text.lastIndexOf(END_MARKER)
  const tail =
    end > start.index
      ? text
          .slice(end + END_MARKER.length)
          .replace(CLOSED_MARKER, '')
          .trim()
      : ''
  return { userPart: text.slice(0, start.index).trimEnd(), hash: start[1] ?? '', tail }
}

/**
 * What to change on an existing PR; undefined = nothing. The generated section is always
 * replaced. The title and the user's part change only when the corresponding input changed
 * since the marker was written. A body without our marker is kept whole as the user's part.
 */
export function planPullRequestUpdate(
  existing: PullRequestInfo,
  desired: { title: string; userBody: string; generated: GeneratedSection }
): { title?: string; body?: string } | undefined {
  const parsed = parseBody(existing.body)
  const hash = inputsHash(desired.title, desired.userBody)
  const [wantTitle, wantBody] = hash.split('.')
  const [hadTitle, hadBody] = (parsed.hash ?? hash).split('.')
  const title =
    hadTitle !== wantTitle && existing.title !== desired.title ? desired.title : undefined
  const user = hadBody !== wantBody ? desired.userBody : parsed.userPart
  const body = assembleBody(user, desired.generated, hash, parsed.tail)
  const update = {
    ...(title !== undefined ? { title } : {}),
    ...(normalize(body) !== normalize(existing.body) ? { body } : {})
  }
  return Object.keys(update).length > 0 ? update : undefined
}

/** Entries of `wanted` not in `present`, compared case-insensitively as GitHub does. */
export function missingEntries(wanted: string[], present: string[] | undefined): string[] {
  const have = new Set((present ?? []).map(entry => entry.toLowerCase()))
  const seen = new Set<string>()
  return wanted.filter(entry => {
    const key = entry.toLowerCase()
    if (have.has(key) || seen.has(key)) return false
    seen.add(key)
    return true
  })
}

// ---------------------------------------------------------------------------------------------
// REST calls
// ---------------------------------------------------------------------------------------------

interface PullLike {
  number: number
  html_url: string
  head?: { sha: string }
  title: string
  body?: string | null
  draft?: boolean
  node_id?: string
  auto_merge?: { merge_method?: string } | null
  labels?: Array<{ name?: string } | string>
  assignees?: Array<{ login: string }> | null
  requested_reviewers?: Array<{ login: string }> | null
  requested_teams?: Array<{ slug: string }> | null
}

function toInfo(pr: PullLike): PullRequestInfo {
  return {
    number: pr.number,
    url: pr.html_url,
    title: pr.title,
    body: pr.body ?? '',
    draft: pr.draft ?? false,
    ...(pr.node_id ? { nodeId: pr.node_id } : {}),
    ...(pr.auto_merge?.merge_method
      ? { autoMerge: pr.auto_merge.merge_method as MergeMethod }
      : {}),
    headSha: pr.head?.sha,
    labels: (pr.labels ?? []).flatMap(label =>
      typeof label === 'string' ? [label] : label.name ? [label.name] : []
    ),
    assignees: (pr.assignees ?? []).map(user => user.login),
    requestedReviewers: (pr.requested_reviewers ?? []).map(user => user.login),
    requestedTeams: (pr.requested_teams ?? []).map(team => team.slug)
  }
}

/**
 * The open pull request from `head` into `base`, and the last closed one (merged or not). Refuses
 * when `head` also heads an open pull request into another base: rebuilding the branch on `base`
 * would rewrite that one's content. One request: every state and every base at once, newest first.
 */
export async function readPullRequests(
  client: GitHubClient,
  owner: string,
  repo: string,
  head: string,
  base: string
): Promise<PullRequests> {
  let data: Awaited<ReturnType<GitHubClient['rest']['pulls']['list']>>['data']
  try {
    ;({ data } = await client.rest.pulls.list({
      owner,
      repo,
      state: 'all',
      head: `${owner}:${head}`,
      per_page: 100
    }))
  } catch (error) {
    throw describeFailure(error, `list pull requests of ${owner}/${repo}`)
  }
  // Filter again: the head filter is a label match, and a fork's branch of the same name must not count.
  const fromHead = data.filter(
    pr =>
      pr.head.ref === head &&
      pr.head.repo?.full_name?.toLowerCase() === `${owner}/${repo}`.toLowerCase()
  )
  const elsewhere = fromHead.find(pr => pr.state === 'open' && pr.base.ref !== base)
  if (elsewhere)
    throw otherBasePullError(head, base, { number: elsewhere.number, base: elsewhere.base.ref })
  // One pull request per head and base is open at a time: the newest closed one closed last.
  const ours = fromHead.filter(pr => pr.base.ref === base).sort((a, b) => b.number - a.number)
  const open = ours.find(pr => pr.state === 'open')
  const closed = ours.find(pr => pr.state === 'closed')
  return {
    open: open ? toInfo(open) : undefined,
    lastClosed: closed && {
      number: closed.number,
      url: closed.html_url,
      headSha: closed.head.sha,
      merged: closed.merged_at !== null && closed.merged_at !== undefined,
      byAction: (closed.body ?? '').includes(CLOSED_MARKER),
      closedAt: closed.closed_at ?? undefined
    }
  }
}

/** The open pull request from `head` into `base` (see readPullRequests). */
export async function findOpenPullRequest(
  client: GitHubClient,
  owner: string,
  repo: string,
  head: string,
  base: string
): Promise<PullRequestInfo | undefined> {
  return (await readPullRequests(client, owner, repo, head, base)).open
}

export async function createPullRequest(
  client: GitHubClient,
  owner: string,
  repo: string,
  opts: {
    head: string
    base: string
    title: string
    body: string
    draft: boolean
  },
  logger: Logger
): Promise<PullRequestInfo> {
  const create = async (draft: boolean) =>
    toInfo(
      (
        await client.rest.pulls.create({
          owner,
          repo,
          head: opts.head,
          base: opts.base,
          title: opts.title,
          body: opts.body,
          draft
        })
      ).data
    )
  let pr: PullRequestInfo
  try {
    pr = await create(opts.draft)
  } catch (error) {
    const message = githubMessage(error)
    if (
      statusOf(error) === 422 &&
      opts.draft &&
      /draft pull requests are not supported/i.test(message)
    ) {
      logger.warning(
        `This repository does not support draft pull requests; opening a regular one (${message})`
      )
      pr = await create(false).catch(again => {
        throw describeFailure(again, `create the pull request in ${owner}/${repo}`)
      })
    } else if (statusOf(error) === 422 && /pull request already exists/i.test(message)) {
      // Another run opened it a moment ago: take it over instead of failing.
      const existing = await findOpenPullRequest(client, owner, repo, opts.head, opts.base)
      if (!existing) throw describeFailure(error, `create the pull request in ${owner}/${repo}`)
      pr = await updatePullRequest(client, owner, repo, existing, { body: opts.body })
    } else {
      throw describeFailure(error, `create the pull request in ${owner}/${repo}`)
    }
  }
  return pr
}

export interface MetadataOptions {
  /** Just opened: it has no reviews to read yet. */
  fresh?: boolean
  /**
   * Waits before asking again while GitHub cannot resolve the new pull request's node id (see
   * `settled`); default SETTLE_DELAYS_MS.
   */
  settleDelaysMs?: number[]
}

/** A few tries over a few seconds, as create-pull-request does for the same answer. */
export const SETTLE_DELAYS_MS = [1000, 2000, 4000]

/**
 * Adds the labels, assignees and review requests the PR does not have, on every run that finds it
 * open: one that vanished (or never landed) comes back. Reviewers and teams who already reviewed
 * are not asked again: a review ends GitHub's request, and asking again would ask for another
 * review. Their reviews are read only when a wanted reviewer is not requested (one request).
 * These are extras: when GitHub refuses one, the run warns, names the entry and what it needs,
 * and goes on. One bad entry makes GitHub refuse a whole request (a team the token cannot see,
 * the PR's own author, a label the token may not create), so after a refusal each entry is sent
 * alone: the valid ones still land. When all is well that costs no extra request.
 */
export async function ensurePullRequestMetadata(
  client: GitHubClient,
  owner: string,
  repo: string,
  pr: PullRequestInfo,
  wanted: PullRequestMetadata,
  logger: Logger,
  options: MetadataOptions = {}
): Promise<PullRequestInfo> {
  const ids = { owner, repo, issue_number: pr.number }
  const settle = <T>(request: () => Promise<T>) =>
    settled(pr, request, options.settleDelaysMs ?? SETTLE_DELAYS_MS, logger)
  let result = pr
  const labels = missingEntries(wanted.labels, pr.labels)
  await eachSurvives(
    labels,
    async batch => {
      const { data } = await settle(() => client.rest.issues.addLabels({ ...ids, labels: batch }))
      result = { ...result, labels: data.map(label => label.name) }
    },
    (label, error) => logger.warning(labelWarning(label, error, owner, repo, pr.number))
  )
  const assignees = missingEntries(wanted.assignees, pr.assignees)
  if (assignees.length > 0) {
    try {
      const { data } = await settle(() => client.rest.issues.addAssignees({ ...ids, assignees }))
      const now = (data.assignees ?? []).map(user => user.login)
      // GitHub silently drops people who cannot be assigned.
      const dropped = missingEntries(assignees, now)
      if (dropped.length > 0)
        logger.warning(
          `GitHub did not assign ${dropped.join(', ')} to #${pr.number} (not collaborators?)`
        )
      result = { ...result, assignees: now }
    } catch (error) {
      logger.warning(
        describeFailure(error, `assign ${assignees.join(', ')} to #${pr.number}`).message
      )
    }
  }
  let users = missingEntries(wanted.reviewers, pr.requestedReviewers)
  let teams = missingEntries(wanted.teamReviewers, pr.requestedTeams)
  if (!options.fresh && users.length + teams.length > 0) {
    const reviewed = await reviewers(client, owner, repo, pr.number, logger)
    users = users.filter(login => !reviewed.has(login.toLowerCase()))
    // Which member answered for a team is not visible to every token: any review counts.
    if (reviewed.size > 0) teams = []
  }
  const requests: Reviewer[] = [
    ...users.map(login => ({ login })),
    ...teams.map(team => ({ team }))
  ]
  await eachSurvives(
    requests,
    async batch => {
      const { data } = await settle(() =>
        client.rest.pulls.requestReviewers({
          owner,
          repo,
          pull_number: pr.number,
          reviewers: batch.flatMap(entry => ('login' in entry ? [entry.login] : [])),
          team_reviewers: batch.flatMap(entry => ('team' in entry ? [entry.team] : []))
        })
      )
      const info = toInfo(data)
      result = {
        ...result,
        requestedReviewers: info.requestedReviewers,
        requestedTeams: info.requestedTeams
      }
    },
    (entry, error) => logger.warning(reviewerWarning(entry, error, owner, repo, pr.number))
  )
  return result
}

/** Logins (lower case) that reviewed the pull request; empty when GitHub would not say. */
async function reviewers(
  client: GitHubClient,
  owner: string,
  repo: string,
  number: number,
  logger: Logger
): Promise<Set<string>> {
  try {
    const { data } = await client.rest.pulls.listReviews({
      owner,
      repo,
      pull_number: number,
      per_page: 100
    })
    return new Set(data.flatMap(review => (review.user ? [review.user.login.toLowerCase()] : [])))
  } catch (error) {
    logger.warning(describeFailure(error, `read the reviews of #${number}`).message)
    return new Set()
  }
}

/**
 * For a few seconds after GitHub opened a pull request, requests about it may answer 422 "Could
 * not resolve to a node with the global id of '<its node id>'" (eventual consistency;
 * create-pull-request retries these with backoff, its issue #4321). Only that answer, naming this
 * pull request's own node, is asked again; a team the token cannot see names the team's node.
 */
async function settled<T>(
  pr: PullRequestInfo,
  request: () => Promise<T>,
  delaysMs: number[],
  logger: Logger
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await request()
    } catch (error) {
      const unresolved =
        pr.nodeId !== undefined &&
        statusOf(error) === 422 &&
        githubMessage(error).includes(`global id of '${pr.nodeId}'`)
      if (!unresolved || attempt >= delaysMs.length) throw error
      logger.info(
        `GitHub does not know #${pr.number} everywhere yet (${githubMessage(error)}); asking again in ${delaysMs[attempt]} ms`
      )
      await new Promise(resolve => setTimeout(resolve, delaysMs[attempt]))
    }
  }
}

type Reviewer = { login: string } | { team: string }

/**
 * Sends all entries in one request; when GitHub refuses it (4xx), sends each alone and reports
 * the ones still refused. Other failures (GitHub down, the network) are reported for all at once.
 */
async function eachSurvives<T>(
  entries: T[],
  send: (batch: T[]) => Promise<void>,
  refused: (entry: T, error: unknown) => void
): Promise<void> {
  if (entries.length === 0) return
  try {
    await send(entries)
    return
  } catch (error) {
    const status = statusOf(error)
    const perEntry = entries.length > 1 && status !== undefined && status >= 400 && status < 500
    if (!perEntry) {
      for (const entry of entries) refused(entry, error)
      return
    }
  }
  for (const entry of entries) {
    try {
      await send([entry])
    } catch (error) {
      refused(entry, error)
    }
  }
}

function labelWarning(
  label: string,
  error: unknown,
  owner: string,
  repo: string,
  number: number
): string {
  const message = githubMessage(error)
  if (/permission to create labels/i.test(message))
    return `Could not add label "${label}" to #${number}. GitHub answered ${statusOf(error)}: ${message} The label does not exist in ${owner}/${repo} yet and this token may not create it: create the label, or grant \`issues: write\` to the workflow.`
  return describeFailure(error, `add label "${label}" to #${number}`).message
}

function asSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`
}

function reviewerWarning(
  entry: Reviewer,
  error: unknown,
  owner: string,
  repo: string,
  number: number
): string {
  const who = 'login' in entry ? entry.login : `team ${entry.team}`
  const failure = asSentence(
    describeFailure(error, `request a review from ${who} on #${number}`).message
  )
  const message = githubMessage(error)
  if ('team' in entry && /could not resolve to a node/i.test(message))
    return `${failure} This token cannot see the organization's teams (GITHUB_TOKEN never can): team reviewers need a GitHub App token with the organization permission Members (read), or a personal access token of someone who can see the team.`
  if (/pull request author/i.test(message))
    return `${failure} ${who} is the author of the pull request (the account of the github-token) and cannot be its reviewer.`
  // "One or more of the teams you specified is not a collaborator": the team lacks access to the
  // repository, whatever the token may do.
  if ('team' in entry && /only be requested from collaborators/i.test(message))
    return `${failure} Team ${entry.team} has no access to ${owner}/${repo}, and GitHub requests reviews only from teams that have: give the team at least read access (repository Settings → Collaborators and teams), or take it out of team-reviewers.`
  if (/only be requested from collaborators/i.test(message))
    return `${failure} ${who} is not a collaborator of ${owner}/${repo}: reviewers need access to the repository.`
  return failure
}

export async function updatePullRequest(
  client: GitHubClient,
  owner: string,
  repo: string,
  pr: PullRequestInfo,
  update: { title?: string; body?: string }
): Promise<PullRequestInfo> {
  if (update.title === undefined && update.body === undefined) return pr
  try {
    const { data } = await client.rest.pulls.update({
      owner,
      repo,
      pull_number: pr.number,
      ...update
    })
    return toInfo(data)
  } catch (error) {
    throw describeFailure(error, `update pull request #${pr.number} in ${owner}/${repo}`)
  }
}

/** Closes the pull request with a comment, marking the body as closed by the action. */
export async function closePullRequest(
  client: GitHubClient,
  owner: string,
  repo: string,
  pr: PullRequestInfo,
  comment: string
): Promise<void> {
  try {
    await client.rest.issues.createComment({ owner, repo, issue_number: pr.number, body: comment })
    await client.rest.pulls.update({
      owner,
      repo,
      pull_number: pr.number,
      state: 'closed',
      body: `${normalize(pr.body)}\n\n${CLOSED_MARKER}\n`
    })
  } catch (error) {
    throw describeFailure(error, `close pull request #${pr.number} in ${owner}/${repo}`)
  }
}
