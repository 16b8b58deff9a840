/**
 * Requests handed straight to a test double's handler, with no socket: for tests that send
 * thousands of requests (the model test). The handler sees the request as it would arrive over
 * HTTP (method, path with query, headers, a readable body). `inProcessFetch` is a `fetch`;
 * `answerInProcess` is the exchange itself, for an Octokit request hook.
 */
import { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Handler } from './http-util.js'

const NO_BODY = new Set([204, 304])

export interface InProcessRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string | Buffer
}

export interface InProcessAnswer {
  status: number
  headers: Record<string, string>
  body: Buffer
}

export async function answerInProcess(
  handler: Handler,
  request: InProcessRequest
): Promise<InProcessAnswer> {
  const url = new URL(request.url)
  const body = request.body === undefined ? Buffer.alloc(0) : Buffer.from(request.body)
  // What the doubles read of a request: its head, and its body as an async iterable.
  const req = {
    async *[Symbol.asyncIterator]() {
      if (body.length > 0) yield body
    },
    url: url.pathname + url.search,
    method: request.method,
    headers: Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])
    )
  }
  const res = new Answer()
  await handler(req as unknown as IncomingMessage, res as unknown as ServerResponse)
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(res.chunks) }
}

export function inProcessFetch(handler: Handler): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    const answer = await answerInProcess(handler, {
      method: request.method,
      url: request.url,
      headers: Object.fromEntries(request.headers),
      body: Buffer.from(await request.arrayBuffer())
    })
    return new Response(NO_BODY.has(answer.status) ? null : answer.body, {
      status: answer.status,
      headers: answer.headers
    })
  }
}

/** The part of ServerResponse the doubles use. */
class Answer extends EventEmitter {
  statusCode = 200
  headers: Record<string, string> = {}
  headersSent = false
  destroyed = false
  chunks: Buffer[] = []

  writeHead(status: number, headers: Record<string, string | number> = {}): this {
    this.statusCode = status
    for (const [name, value] of Object.entries(headers))
      this.headers[name.toLowerCase()] = String(value)
    this.headersSent = true
    return this
  }

  end(data?: string | Buffer): this {
    if (data !== undefined) this.chunks.push(Buffer.from(data))
    this.emit('finish')
    return this
  }

  destroy(): this {
    this.destroyed = true
    return this
  }
}
