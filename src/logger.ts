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
