/**
 * A forward proxy for tests, like a company's: it alone resolves made-up host names
 * (api.phrase.test, cdn.phrase.test, github.test — RFC 6761 reserves .test, so no real DNS ever
 * answers them) to local doubles.
 * - `GET http://host/path` (absolute form, plain HTTP) is forwarded to the double.
 * - `CONNECT host:443` is answered 200, then the proxy speaks TLS inside the tunnel with a
 *   certificate for those names signed by a test CA, as TLS-inspecting company proxies do (the
 *   reason runners carry NODE_EXTRA_CA_CERTS), and forwards each request it reads there.
 *   `CONNECT host:<other port>` is a plain byte tunnel to the double.
 * - An unknown name gets 502, like a proxy whose own DNS lookup failed.
 * - With `credentials`, a request or CONNECT without them gets 407 (Basic, RFC 7235).
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import { connect } from 'node:net'
import { startLocalServer, type LocalServer } from './http-util.js'

export interface ProxyRecord {
  /** `forward`: plain HTTP in absolute form; `connect`: a tunnel asked for; `tls`: a request read inside one. */
  kind: 'forward' | 'connect' | 'tls'
  /** host:port for `connect`, host for the others. */
  target: string
  method?: string
  path?: string
  /** What the proxy answered (for `connect`: 200 or 502). */
  status: number
  /** Whether the request carried Authorization (the Phrase token must never reach the CDN). */
  authorization: boolean
}

export interface ProxyDouble {
  /** http://127.0.0.1:port, for HTTPS_PROXY / HTTP_PROXY. */
  readonly url: string
  readonly seen: ProxyRecord[]
  /** The records for one host name. */
  for(host: string): ProxyRecord[]
  stop(): Promise<void>
}

export interface ProxyDoubleOptions {
  /** Made-up host name → origin of the local double that serves it (http://127.0.0.1:port). */
  hosts: Record<string, string>
  /** Key and certificate (PEM) for the names, for CONNECT to port 443. */
  tls?: { key: string; cert: string }
  /** `user:password` the proxy asks for in Proxy-Authorization. */
  credentials?: string
}

export async function startProxyDouble(options: ProxyDoubleOptions): Promise<ProxyDouble> {
  const seen: ProxyRecord[] = []
  const origin = (host: string) => options.hosts[host.toLowerCase()]
  const expected = options.credentials
    ? `Basic ${Buffer.from(options.credentials).toString('base64')}`
    : undefined
  const admitted = (req: IncomingMessage) =>
    !expected || req.headers['proxy-authorization'] === expected
  const DENIED = { 'Proxy-Authenticate': 'Basic realm="test proxy"', 'Content-Length': 0 }

  /** Sends `req` on to the double of `host` and its answer back. */
  const forward = (
    kind: 'forward' | 'tls',
    host: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse
  ) => {
    const record: ProxyRecord = {
      kind,
      target: host,
      method: req.method,
      path,
      status: 0,
      authorization: req.headers.authorization !== undefined
    }
    seen.push(record)
    const target = origin(host)
    if (!target) {
      record.status = 502
      res.writeHead(502, { 'Content-Type': 'text/plain' }).end(`proxy: cannot resolve ${host}\n`)
      return
    }
    const { hostname, port } = new URL(target)
    const upstream = httpRequest(
      { host: hostname, port, method: req.method, path, headers: req.headers, agent: false },
      answer => {
        record.status = answer.statusCode ?? 0
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  }

  const tlsFront: HttpsServer | undefined = options.tls
    ? createHttpsServer(options.tls, (req, res) => {
        const host = (req.headers.host ?? '').replace(/:\d+$/, '')
        forward('tls', host, req.url ?? '/', req, res)
      })
    : undefined

  const server: LocalServer = await startLocalServer(
    (req, res) => {
      let url: URL
      try {
        url = new URL(req.url ?? '')
      } catch {
        // Origin-form: a client that talks to the proxy as if it were the server.
        res.writeHead(400, { 'Content-Type': 'text/plain' }).end('proxy: absolute URL expected\n')
        return
      }
      if (!admitted(req)) {
        seen.push({ kind: 'forward', target: url.hostname, status: 407, authorization: false })
        res.writeHead(407, DENIED).end()
        return
      }
      forward('forward', url.hostname, `${url.pathname}${url.search}`, req, res)
    },
    {
      onConnect(req, socket, head) {
        const [host, portText = '443'] = (req.url ?? '').split(':')
        const record: ProxyRecord = {
          kind: 'connect',
          target: `${host}:${portText}`,
          status: 200,
          authorization: false
        }
        seen.push(record)
        socket.on('error', () => socket.destroy())
        if (!admitted(req)) {
          record.status = 407
          socket.end(
            'HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test proxy"\r\nContent-Length: 0\r\n\r\n'
          )
          return
        }
        const target = origin(host)
        if (!target || (portText === '443' && !tlsFront)) {
          record.status = 502
          socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n')
          return
        }
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
        if (head.length > 0) socket.unshift(head)
        if (portText === '443') {
          tlsFront!.emit('connection', socket)
          return
        }
        const { hostname, port } = new URL(target)
        const tunnel = connect(Number(port), hostname)
        tunnel.on('error', () => socket.destroy())
        socket.pipe(tunnel).pipe(socket)
      }
    }
  )

  return {
    url: server.origin,
    seen,
    for: host => seen.filter(record => record.target.split(':')[0] === host),
    stop: () => server.stop()
  }
}
