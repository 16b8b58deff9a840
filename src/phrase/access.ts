/**
 * Whether this run may start asynchronous downloads. They need a token with the `write` scope; a
 * read-only token gets 403 on every create, and the synchronous endpoint (scope `read`) serves it
 * instead. The run decides once: its first create is the probe, and every other file waits for
 * that answer before it sends its own, so a read-only token costs one refused create per run, not
 * one per file.
 */
import type { Logger } from '../logger.js'
import { isMissingWriteScope, PhraseApiError } from './errors.js'
import type { DownloadJob } from './types.js'

export class AsyncAccess {
  private probe?: Promise<unknown>
  private refused = false

  constructor(private readonly logger?: Logger) {}

  /** True once the run downloads synchronously. */
  get sync(): boolean {
    return this.refused
  }

  /** Starts a job with `create`, or answers undefined: download this file synchronously. */
  async start(create: () => Promise<DownloadJob>): Promise<DownloadJob | undefined> {
    if (!this.probe) {
      const attempt = this.attempt(create)
      // Whatever the probe's fate, the others may go on: only a refusal changes their way.
      this.probe = attempt.catch(() => undefined)
      return attempt
    }
    await this.probe
    return this.attempt(create)
  }

  private async attempt(create: () => Promise<DownloadJob>): Promise<DownloadJob | undefined> {
    if (this.refused) return undefined
    try {
      return await create()
    } catch (error) {
      // Phrase's wording of the refusal changed over time: any 403 on create counts. A real
      // access problem shows again as the sync endpoint's own 403.
      if (!isMissingWriteScope(error)) throw error
      this.refuse(error)
      return undefined
    }
  }

  private refuse(refusal: unknown): void {
    if (this.refused) return
    this.refused = true
    const said =
      refusal instanceof PhraseApiError && refusal.serverMessage ? `: ${refusal.serverMessage}` : ''
    this.logger?.warning(
      `Phrase refused to start an asynchronous download (403${said}). Asynchronous downloads need a token ` +
        'with the `write` scope; this run falls back to the slower synchronous download endpoint. Give the ' +
        'token the `write` scope for faster pulls.'
    )
  }
}
