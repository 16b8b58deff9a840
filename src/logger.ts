/**
 * The one logger interface every module takes, and the implementation that writes to the runner's
 * log. Modules never call `core.info`/`core.warning` themselves, so tests can watch what they say.
 */
import * as core from '@actions/core'

export interface Logger {
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
  startGroup(name: string): void
  endGroup(): void
}

/** Says nothing: the default where logging is optional. */
export const silentLogger: Logger = {
  info: () => {},
  warning: () => {},
  debug: () => {},
  startGroup: () => {},
  endGroup: () => {}
}

/**
 * GitHub shows 10 warning annotations per step, the first ones printed
 * (github.com/orgs/community/discussions/68471). Findings (translation checks) take at most this
 * many, plus one that counts the rest, so operational warnings printed later (a refused label, the
 * workflow-file fallback) still show: those always go through `warning` unchanged.
 */
export const FINDING_ANNOTATIONS = 5

/** Warnings of one kind that may be many: the first `max` annotate, the rest are plain log lines. */
export interface CappedWarnings {
  warning(message: string): void
  /** One more annotation that counts the warnings past the cap (none when there were none). */
  close(describeRest: (count: number) => string): void
}

export function cappedWarnings(logger: Logger, max = FINDING_ANNOTATIONS): CappedWarnings {
  let annotated = 0
  let rest = 0
  return {
    warning(message) {
      if (annotated < max) {
        annotated++
        logger.warning(message)
      } else {
        rest++
        logger.info(message)
      }
    },
    close(describeRest) {
      if (rest > 0) logger.warning(describeRest(rest))
      rest = 0
    }
  }
}

/** Runs `fn` inside a collapsible log group that is closed however `fn` ends. */
export async function inGroup<T>(logger: Logger, name: string, fn: () => Promise<T>): Promise<T> {
  logger.startGroup(name)
  try {
    return await fn()
  } finally {
    logger.endGroup()
  }
}

/**
 * Error messages quote what Phrase and GitHub answered, and a server may echo what it was sent.
 * The runner masks registered secrets in what it displays; the action's own output (the log
 * line, the job summary file) must not rely on that.
 */
export function withoutTokens(text: string): string {
  let clean = text
  for (const input of ['api-token', 'github-token']) {
    const token = core.getInput(input)
    if (token) clean = clean.split(token).join('***')
  }
  return clean
}

export const actionsLogger: Logger = {
  info: message => core.info(message),
  warning: message => core.warning(withoutTokens(message)),
  debug: message => core.debug(message),
  startGroup: name => core.startGroup(name),
  endGroup: () => core.endGroup()
}
