/**
 * Whether this run may start asynchronous downloads. They need a token with the `write` scope; a
 * read-only token gets 403 on every create, and the synchronous endpoint (scope `read`) serves it
 * instead. The run decides once, at the first refusal: every create still waiting for a slot is
 * called off then, so a read-only token costs at most the creates already on their way (at most
 * max-concurrency), not one refused create per file. A token that may write loses nothing: its
 * creates go out at once, without waiting for a first answer.
 */
import type { Logger } from '../logger.js'
import { isMissingWriteScope, PhraseApiError } from './errors.js'
import type { DownloadJob } from './types.js'

export class AsyncAccess {
  private readonly refusal = new AbortController()

  constructor(private readonly logger?: Logger) {}

  /** True once the run downloads synchronously. */
  get sync(): boolean {
    return this.refusal.signal.aborted
  }

  /**
   * Starts a job with `create`, or answers undefined: download this file synchronously. `create`
   * gets a signal that also fires when another create was refused.
   */
  async start(
    create: (signal: AbortSignal) => Promise<DownloadJob>,
    signal: AbortSignal
  ): Promise<DownloadJob | undefined> {
    if (this.sync) return undefined
    try {
      return await create(AbortSignal.any([signal, this.refusal.signal]))
    } catch (error) {
      // Called off while it waited (or was on its way): another create was refused.
      if (this.sync && !signal.aborted) return undefined
      // Phrase's wording of the refusal changed over time: any 403 on create counts. A real
      // access problem shows again as the sync endpoint's own 403.
      if (!isMissingWriteScope(error)) throw error
      this.refuse(error)
      return undefined
    }
  }

  private refuse(refusal: unknown): void {
    if (this.sync) return
    const said =
      refusal instanceof PhraseApiError && refusal.serverMessage ? `: ${refusal.serverMessage}` : ''
    this.logger?.warning(
      `Phrase refused to start an asynchronous download (403${said}). Asynchronous downloads need a token ` +
        'with the `write` scope; this run falls back to the slower synchronous download endpoint. Give the ' +
        'token the `write` scope for faster pulls.'
    )
    this.refusal.abort(
      new Error('asynchronous downloads refused: this run downloads synchronously')
    )
  }
}
