/**
 * A reverse proxy that serves a test double under a path prefix, the way GitHub Enterprise Server
 * serves its REST API under `/api/v3` and a data center may sit behind another base path. A request
 * outside the prefix answers 404, so a client that drops the prefix fails the test.
 */
import { request } from 'node:http'
import { startLocalServer, type LocalServer } from '../support/http-util.js'

export interface PrefixProxy {
  /** `http://127.0.0.1:<port><prefix>`. */
  readonly url: string
  /** Paths (with query) the proxy received, in arrival order. */
  readonly received: string[]
  /** Received paths outside the prefix (answered 404). */
  readonly refused: string[]
  stop(): Promise<void>
}

export async function startPrefixProxy(targetOrigin: string, prefix: string): Promise<PrefixProxy> {
  const target = new URL(targetOrigin)
  const received: string[] = []
  const refused: string[] = []
  const server: LocalServer = await startLocalServer(
    (req, res) =>
      new Promise<void>(resolve => {
        const path = req.url ?? '/'
        received.push(path)
        if (!path.startsWith(`${prefix}/`)) {
          refused.push(path)
          res.writeHead(404, { 'Content-Type': 'application/json' })
          res.end(JSON.stringify({ message: `Not Found (outside ${prefix})` }))
          return resolve()
        }
        const upstream = request(
          {
            host: target.hostname,
            port: target.port,
            method: req.method,
            path: path.slice(prefix.length),
            headers: { ...req.headers, host: target.host }
          },
          answer => {
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
            answer.on('end', resolve)
            answer.on('error', () => resolve())
          }
        )
        upstream.on('error', () => {
          res.destroy()
          resolve()
        })
        req.pipe(upstream)
      })
  )
  return {
    url: `${server.origin}${prefix}`,
    received,
    refused,
    stop: () => server.stop()
  }
}
