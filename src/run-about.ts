/**
 * Who, when and where of a run, for the foot of the pull request body: the workflow run (a link
 * a reviewer can open), when it started, and the Phrase projects and data centre it pulled from.
 * Read once from the runner's environment with the other settings.
 */

export interface RunAbout {
  /** ISO 8601, UTC. */
  startedAt: string
  /** Absent outside a workflow (a local preview). */
  run?: { url: string; workflow?: string; number?: string; event?: string; actor?: string }
  projects: Array<{ id: string; branch?: string }>
  /** `EU`, `US`, or the API host for anything else (a proxy, a test double). */
  dataCentre: string
}

/** The hosts of Phrase's data centres (see the api-url input). */
const DATA_CENTRES: Record<string, string> = {
  'api.phrase.com': 'EU',
  'api.us.app.phrase.com': 'US'
}

export function readRunAbout(
  env: NodeJS.ProcessEnv,
  targets: { projectId: string; branch?: string }[],
  apiUrl: string,
  now = new Date()
): RunAbout {
  const projects = new Map<string, { id: string; branch?: string }>()
  for (const { projectId, branch } of targets)
    projects.set(`${projectId}\0${branch ?? ''}`, { id: projectId, ...(branch ? { branch } : {}) })
  const host = new URL(apiUrl).host
  return {
    startedAt: now.toISOString(),
    ...runOf(env),
    projects: [...projects.values()],
    dataCentre: DATA_CENTRES[host] ?? host
  }
}

function runOf(env: NodeJS.ProcessEnv): Pick<RunAbout, 'run'> {
  const { GITHUB_REPOSITORY: repository, GITHUB_RUN_ID: id } = env
  if (!repository || !id || !/^\d+$/.test(id)) return {}
  const server = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  const attempt = Number(env.GITHUB_RUN_ATTEMPT)
  const url =
    `${server}/${repository}/actions/runs/${id}` + (attempt > 1 ? `/attempts/${attempt}` : '')
  const optional = {
    workflow: env.GITHUB_WORKFLOW,
    number: env.GITHUB_RUN_NUMBER,
    event: env.GITHUB_EVENT_NAME,
    actor: env.GITHUB_ACTOR
  }
  const present = Object.entries(optional).filter(([, value]) => value)
  return { run: { url, ...Object.fromEntries(present) } }
}
