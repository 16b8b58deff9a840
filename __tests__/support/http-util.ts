/** Small `node:http` plumbing shared by the test doubles: start on 127.0.0.1:0, stop without leaks. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import type { Duplex } from 'node:stream'

export type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void
/** A `CONNECT host:port` request (proxies): the client's socket and any bytes read past the head. */
export type ConnectHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void

/** A listening server that remembers its sockets and timers so `stop()` leaves no open handle. */
export interface LocalServer {
  readonly origin: string
  /** setTimeout that `stop()` cancels (latency, delayed answers). */
  delay(ms: number): Promise<void>
  /** Whether `stop()` was called: handlers must not answer after it. */
  readonly stopped: boolean
  stop(): Promise<void>
}

export async function startLocalServer(
  handler: Handler,
  options: { onConnect?: ConnectHandler } = {}
): Promise<LocalServer> {
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  let stopped = false
  const server: Server = createServer((req, res) => {
    Promise.resolve(handler(req, res)).catch((error: unknown) => {
      // A bug in a double must be loud, not a hanging request.
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'Content-Type': 'application/json; charset=utf-8' })
        res.end(JSON.stringify({ message: `test double crashed: ${String(error)}` }))
      } else res.destroy()
    })
  })
  if (options.onConnect) server.on('connect', options.onConnect)
  // Defaults would keep idle keep-alive sockets open for 5 s after the last test.
  server.keepAliveTimeout = 1000
  server.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo

  return {
    origin: `http://127.0.0.1:${port}`,
    get stopped() {
      return stopped
    },
    delay(ms) {
      if (ms <= 0) return Promise.resolve()
      // After stop() the timer is cleared and the promise never settles: the handler just ends.
      return new Promise<void>(resolve => {
        const timer = setTimeout(() => {
          timers.delete(timer)
          resolve()
        }, ms)
        timers.add(timer)
      })
    },
    async stop() {
      if (stopped) return
      stopped = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      const closed = new Promise<void>(resolve => server.close(() => resolve()))
      for (const socket of sockets) socket.destroy()
      await closed
    }
  }
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string | number> = {}
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text)
  })
  res.end(text)
}

/** The request's query as a plain record (last value wins, like Rails for scalar params). */
export function queryRecord(url: URL): Record<string, string> {
  return Object.fromEntries(url.searchParams.entries())
}

export function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}
