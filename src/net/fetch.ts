/**
 * One way out for every request of a run — the Phrase API, the CDN of a finished export, and
 * GitHub: undici's fetch with a dispatcher that takes each request through the runner's proxy
 * unless NO_PROXY exempts its host.
 *
 * Self-hosted runners behind a proxy set https_proxy / http_proxy / no_proxy (either case) for
 * every step (https://docs.github.com/en/actions/hosting-your-own-runners/managing-self-hosted-runners/using-a-proxy-server-with-self-hosted-runners);
 * Node's built-in fetch ignores them. They are read with @actions/http-client's `getProxyUrl`,
 * the toolkit's own reading (loopback never proxied, `example.com` also covers its subdomains, a
 * proxy without a scheme is http), per request, so a redirect to another host is routed afresh.
 * fetch and dispatchers come from the same npm `undici`: Node's global fetch bundles another
 * undici version, and a dispatcher of one version is not guaranteed to work with the other's fetch.
 */
import { getProxyUrl } from '@actions/http-client'
import { Agent, Dispatcher, Pool, ProxyAgent, fetch as undiciFetch } from 'undici'

export type Fetch = typeof globalThis.fetch

export interface ProxyFetchOptions {
  /**
   * Per request: for the answer's headers once the request is sent (undici restarts the wait
   * while a large request body is still being written), and for every pause between two chunks
   * of the answer's body. Omitted: undici's 300 s.
   */
  timeoutMs?: number
}

/** A fetch that honours the runner's proxy variables (read when a request is sent). */
export function createProxyFetch(options: ProxyFetchOptions = {}): Fetch {
  const dispatcher = new ProxyRouter(options.timeoutMs)
  const proxied = (input: Parameters<Fetch>[0], init?: Parameters<Fetch>[1]) =>
    undiciFetch(input as Parameters<typeof undiciFetch>[0], {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher
    })
  // Same shape at run time: Response, Headers and web streams are what the callers use.
  return proxied as unknown as Fetch
}

/** The proxy a request to `url` goes through, or undefined when it goes directly. */
export function proxyFor(url: URL): URL | undefined {
  const proxy = getProxyUrl(url.href)
  if (!proxy) return undefined
  const parsed = new URL(proxy)
  // "proxy.corp:3128" parses as a URL of scheme "proxy.corp:"; like curl, read it as http.
  return parsed.protocol === 'http:' || parsed.protocol === 'https:'
    ? parsed
    : new URL(`http://${proxy}`)
}

/**
 * The host of `url` with the way a request there travels, for error messages: "api.phrase.com
 * through the proxy http://proxy:3128", "api.phrase.com (no HTTPS_PROXY set)", or with NO_PROXY
 * named when it exempts the host. Never the proxy's credentials.
 */
export function describeDestination(url: URL): string {
  const proxy = proxyFor(url)
  if (proxy) return `${url.host} through the proxy ${proxy.protocol}//${proxy.host}`
  if (/^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i.test(url.hostname)) return url.host
  const https = url.protocol === 'https:'
  const configured = https
    ? process.env.https_proxy || process.env.HTTPS_PROXY
    : process.env.http_proxy || process.env.HTTP_PROXY
  if (!configured) return `${url.host} (no ${https ? 'HTTPS_PROXY' : 'HTTP_PROXY'} set)`
  return `${url.host} (directly: NO_PROXY exempts it from the proxy)`
}

/** Picks, per request, the direct agent or the agent of the proxy that applies to its origin. */
class ProxyRouter extends Dispatcher {
  private readonly timeouts: { headersTimeout?: number; bodyTimeout?: number }
  private readonly direct: Agent
  private readonly proxies = new Map<string, ProxyAgent>()

  constructor(timeoutMs: number | undefined) {
    super()
    this.timeouts =
      timeoutMs === undefined ? {} : { headersTimeout: timeoutMs, bodyTimeout: timeoutMs }
    this.direct = new Agent(this.timeouts)
  }

  override dispatch(
    options: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandlers
  ): boolean {
    return this.agentFor(new URL(String(options.origin))).dispatch(options, handler)
  }

  override async close(): Promise<void> {
    await Promise.all([this.direct, ...this.proxies.values()].map(agent => agent.close()))
  }

  override async destroy(): Promise<void> {
    await Promise.all([this.direct, ...this.proxies.values()].map(agent => agent.destroy()))
  }

  private agentFor(origin: URL): Dispatcher {
    const proxy = proxyFor(origin)?.href
    if (!proxy) return this.direct
    let agent = this.proxies.get(proxy)
    if (!agent) {
      const timeouts = this.timeouts
      agent = new ProxyAgent({
        uri: proxy,
        ...timeouts,
        // Like curl: http:// targets are sent to the proxy as they are (many proxies refuse
        // CONNECT to port 80); https:// targets go through a CONNECT tunnel.
        proxyTunnel: false,
        // The connection to the proxy itself (CONNECT) is bounded like every request.
        clientFactory: (origin, opts) => new Pool(origin, { ...opts, ...timeouts })
      })
      this.proxies.set(proxy, agent)
    }
    return agent
  }
}
