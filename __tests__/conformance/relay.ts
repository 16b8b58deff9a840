/**
 * A transparent HTTP relay on 127.0.0.1 that streams each exchange to `target` and records it.
 *
 * Two uses around a Prism proxy: in front of it, the relay sees what the action sees, including
 * Prism's `sl-violations` response header (Prism puts it on the answer, not in the upstream
 * request); behind it, the relay lets Prism keep running while the test doubles behind it change
 * between scenarios (`target` is swapped, Prism's upstream stays the relay).
 */
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import { startLocalServer } from '../support/http-util.js'

export interface RelayedExchange {
  method: string
  /** Path and query as the client sent them. */
  url: string
  /** 0 when the upstream failed before answering. */
  status: number
  responseHeaders: IncomingHttpHeaders
}

export interface Relay {
  readonly origin: string
  /** Where requests go: an origin such as http://127.0.0.1:PORT (its path is ignored). */
  target: string
  /** Exchanges since the last `clear()`, in the order they were answered. */
  exchanges(): RelayedExchange[]
  clear(): void
  stop(): Promise<void>
}

/** Connection-level headers are the relay's own business on each side. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer'
])

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()))
  )
}

export async function startRelay(initialTarget: string): Promise<Relay> {
  let target = new URL(initialTarget).origin
  let log: RelayedExchange[] = []

  const server = await startLocalServer((req, res) => {
    const upstream = new URL(target)
    const outgoing = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...endToEnd(req.headers), host: upstream.host }
      },
      answer => {
        log.push({
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          status: answer.statusCode ?? 0,
          responseHeaders: answer.headers
        })
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers))
        answer.pipe(res)
        answer.on('error', () => res.destroy())
      }
    )
    outgoing.on('error', () => {
      log.push({ method: req.method ?? 'GET', url: req.url ?? '/', status: 0, responseHeaders: {} })
      // The client sees what it would see from a dead upstream: a dropped connection.
      res.destroy()
    })
    req.pipe(outgoing)
  })

  return {
    origin: server.origin,
    get target() {
      return target
    },
    set target(value: string) {
      target = new URL(value).origin
    },
    exchanges: () => [...log],
    clear: () => {
      log = []
    },
    stop: () => server.stop()
  }
}
