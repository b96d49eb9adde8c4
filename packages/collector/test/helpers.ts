import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createCollector, type Collector, type CollectorOptions } from '../src/index.js'

export const BROWSER_UA =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.91 Safari/537.36'

export interface TestCollector {
  collector: Collector
  dir: string
  writeKey: string
  secretKey: string
  cleanup(): Promise<void>
}

/** A collector on a fresh data folder with a known project; one per test file. */
export async function startCollector(opts: Omit<CollectorOptions, 'dataDir'> = {}): Promise<TestCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'tenure-collector-'))
  const collector = await createCollector({ env: {}, ...opts, dataDir: dir })
  const boot = collector.bootstrap!
  return {
    collector,
    dir,
    writeKey: boot.writeKey,
    secretKey: boot.secretKey,
    async cleanup() {
      await collector.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function sdkEvent(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: randomUUID(),
    event: '$click',
    timestamp: new Date().toISOString(),
    anonymous_id: 'anon-1',
    url: 'https://app.example.com/reports?x=1',
    elements: [{ tag: 'button', id: 'export', classes: ['btn'], attrs: { 'data-feature': 'export' }, text: 'Export', nth: 0 }],
    properties: { plan: 'pro' },
    ...over,
  }
}

export function sdkBatch(writeKey: string, events: unknown[], over: Record<string, unknown> = {}) {
  return { write_key: writeKey, sent_at: new Date().toISOString(), events, ...over }
}

export function post(
  c: Collector,
  path: string,
  body: unknown,
  opts: { gzip?: boolean; headers?: Record<string, string>; raw?: string | Uint8Array } = {},
): Promise<Response> {
  const text = opts.raw ?? JSON.stringify(body)
  const payload = opts.gzip ? gzipSync(text) : text
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': BROWSER_UA, ...opts.headers }
  if (opts.gzip) headers['content-encoding'] ??= 'gzip'
  return Promise.resolve(c.app.request(path, { method: 'POST', body: asBody(payload), headers }))
}

export async function count(c: Collector, secretKey: string, event?: string): Promise<number> {
  const q = new URLSearchParams({ flush: '1', ...(event ? { event } : {}) })
  const res = await c.app.request(`/v1/events/count?${q}`, { headers: { authorization: `Bearer ${secretKey}` } })
  if (res.status !== 200) throw new Error(`count failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { count: number }).count
}

/** Rows of a query on the collector's store, numbers of UInt64 columns as strings. */
export async function rows<T>(c: Collector, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  await c.deps.ingest.flush()
  const rs = await c.deps.store.client.query({ query, query_params: params, format: 'JSONEachRow' })
  return rs.json<T>()
}

/** Node's Buffer and Uint8Array are valid fetch bodies; the DOM typings only know ArrayBuffer-backed views. */
export function asBody(payload: string | Uint8Array): BodyInit {
  return payload as BodyInit
}

/** Headers of a JSON request that reads or changes a project's data: its secret key. */
export const secretHeaders = (t: TestCollector): Record<string, string> => ({ authorization: `Bearer ${t.secretKey}`, 'content-type': 'application/json' })

/** A request to the collector's app with the project's secret key and, when given, a JSON body. */
export function secretApi(t: TestCollector, path: string, method = 'GET', body?: unknown): Promise<Response> {
  return Promise.resolve(t.collector.app.request(path, { method, headers: secretHeaders(t), body: body === undefined ? undefined : JSON.stringify(body) }))
}

/** A response's JSON body, typed by the caller. */
export const json = async <T = Record<string, any>>(res: Response): Promise<T> => (await res.json()) as T

/** Waits until `cond` holds, checking every `pollMs`; throws after `ms`. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 20_000, pollMs = 50): Promise<void> {
  const end = Date.now() + ms
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, pollMs))
  }
}

/** Seeded PRNG (mulberry32), so a failure reproduces. */
export function rng(seed: number) {
  let a = seed
  const next = () => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!
  return { next, int, pick }
}
