/**
 * A `fetch` that hands each request straight to a test double's handler, with no socket: for
 * tests that send thousands of requests (the model test). The handler sees the request as it
 * would arrive over HTTP (method, path with query, headers, a readable body).
 */
import { EventEmitter } from 'node:events'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { Handler } from './http-util.js'

const NO_BODY = new Set([204, 304])

export function inProcessFetch(handler: Handler): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    const body = Buffer.from(await request.arrayBuffer())
    const req = Object.assign(Readable.from(body.length > 0 ? [body] : []), {
      url: url.pathname + url.search,
      method: request.method,
      headers: Object.fromEntries(request.headers)
    })
    const res = new Answer()
    await handler(req as unknown as IncomingMessage, res as unknown as ServerResponse)
    const status = res.statusCode
    return new Response(NO_BODY.has(status) ? null : Buffer.concat(res.chunks), {
      status,
      headers: res.headers
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
    for (const [name, value] of Object.entries(headers)) this.headers[name] = String(value)
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
