import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { createCollector, type Collector } from '@tenure/collector'
import { chromium, type Browser } from 'playwright-core'

const DIST = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist')

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS })
}

const listen = (server: Server): Promise<string> =>
  new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)))
const close = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.closeAllConnections()
    server.close(() => resolve())
  })

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

/** A real collector on the embedded engine, in this process. */
export interface TestCollector {
  collector: Collector
  url: string
  writeKey: string
  /** Inserts what is pending, then runs a query. */
  rows<T>(query: string, params?: Record<string, unknown>): Promise<T[]>
  close(): Promise<void>
}

export async function startCollector(): Promise<TestCollector> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenure-sdk-e2e-'))
  const collector = await createCollector({ dataDir, env: {}, config: { allowHeadless: true } })
  const { url } = await collector.listen(0)
  return {
    collector,
    url,
    writeKey: collector.bootstrap!.writeKey,
    async rows<T>(query: string, params: Record<string, unknown> = {}) {
      await collector.deps.ingest.flush()
      const rs = await collector.deps.store.client.query({ query, query_params: params, format: 'JSONEachRow' })
      return rs.json<T>()
    },
    async close() {
      await collector.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export interface Delivered {
  status: number
  uuids: string[]
  events: { uuid: string; event: string }[]
  raw: string
  /** The body came gzipped (fetch with CompressionStream); beacons come plain. */
  gzipped: boolean
}

/**
 * Between the page and the collector: forwards every request untouched and records what the SDK
 * sent and what the collector answered, so a test can count deliveries per event. `down` makes it
 * answer 503 with Retry-After, as a collector under maintenance would.
 */
export interface Gateway {
  url: string
  delivered: Delivered[]
  down: boolean
  /** uuid → number of batches carrying it that the collector accepted (2xx). */
  acceptedCounts(): Map<string, number>
  close(): Promise<void>
}

export async function startGateway(target: string): Promise<Gateway> {
  const gw = { delivered: [] as Delivered[], down: false } as Gateway
  const server = createServer(async (req, res) => {
    const body = await readAll(req)
    if (gw.down && req.method === 'POST') {
      res.writeHead(503, { 'retry-after': '1', 'access-control-allow-origin': '*', 'content-type': 'application/json' })
      res.end('{"error":{"code":"shutting_down","message":"maintenance","field":null}}')
      gw.delivered.push({ status: 503, uuids: [], events: [], raw: '', gzipped: false })
      return
    }
    const up = httpRequest(target + req.url, { method: req.method, headers: req.headers }, async (r) => {
      const answer = await readAll(r)
      if (req.method === 'POST') {
        const gzipped = body[0] === 0x1f && body[1] === 0x8b
        const raw = (gzipped ? gunzipSync(body) : body).toString('utf8')
        let events: { uuid: string; event: string }[] = []
        try {
          events = (JSON.parse(raw) as { events: { uuid: string; event: string }[] }).events
        } catch {
          // Recorded as is.
        }
        gw.delivered.push({ status: r.statusCode ?? 0, uuids: events.map((e) => e.uuid), events, raw, gzipped })
      }
      res.writeHead(r.statusCode ?? 502, r.headers)
      res.end(answer)
    })
    up.on('error', () => {
      res.writeHead(502)
      res.end()
    })
    up.end(body)
  })
  gw.url = await listen(server)
  gw.acceptedCounts = () => {
    const m = new Map<string, number>()
    for (const d of gw.delivered) if (d.status >= 200 && d.status < 300) for (const u of d.uuids) m.set(u, (m.get(u) ?? 0) + 1)
    return m
  }
  gw.close = () => close(server)
  return gw
}

/** Serves the built script and the test pages; any path under /app serves the app page (SPA routes). */
export async function startSite(pages: Record<string, (site: string) => string>): Promise<{ url: string; close(): Promise<void> }> {
  let site = ''
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    if (path.endsWith('.js') && /^\/tenure[\w-]*\.js$/.test(path)) {
      try {
        res.writeHead(200, { 'content-type': 'text/javascript' })
        res.end(readFileSync(join(DIST, path.slice(1))))
      } catch {
        res.writeHead(404)
        res.end()
      }
      return
    }
    const key = Object.keys(pages).find((p) => path === p || path.startsWith(p + '/'))
    if (!key) {
      res.writeHead(404)
      res.end()
      return
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(pages[key]!(site))
  })
  site = await listen(server)
  return { url: site, close: () => close(server) }
}

/** Polls until `check` returns a truthy value or the time is up. */
export async function until<T>(check: () => Promise<T> | T, what: string, timeoutMs = 20_000): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs
  for (;;) {
    const v = await check()
    if (v) return v as NonNullable<T>
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}
