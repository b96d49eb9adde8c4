import { Agent, request } from 'node:http'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asBody, BROWSER_UA, count, rng, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

let t: TestCollector
let url: string
beforeAll(async () => {
  t = await startCollector({ config: { rateLimit: { eventsPerSecond: 1e9, burst: 1e9 } } })
  url = (await t.collector.listen(0)).url
})
afterAll(() => t.cleanup())

type R = ReturnType<typeof rng>

function randomValue(r: R, depth = 0): unknown {
  switch (r.int(depth > 3 ? 6 : 9)) {
    case 0: return null
    case 1: return r.next() * 1e12 - 5e11
    case 2: return r.pick([true, false, NaN, -0, 1e308, -1])
    case 3: return 'x'.repeat(r.pick([0, 1, 201, 3000, 40_000]))
    case 4: return r.pick(['', '\u0000', '\ud83d', '<script>', '1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', 'not a date'])
    case 5: return r.int(2 ** 31)
    case 6: return Array.from({ length: r.int(5) }, () => randomValue(r, depth + 1))
    case 7: return Object.fromEntries(Array.from({ length: r.int(5) }, (_, i) => [r.pick(['events', 'batch', 'write_key', 'type', 'uuid', `k${i}`]), randomValue(r, depth + 1)]))
    default: return Array.from({ length: r.int(3) + 1 }, () => ({ [r.pick(['tag', 'id', 'nth'])]: randomValue(r, depth + 1) }))
  }
}

/** A value of the wrong type (or out of bounds) for each event field: the event can never validate. */
const WRONG: Record<string, (r: R) => unknown> = {
  uuid: (r) => r.pick([42, 'not-a-uuid', null, {}, 'u'.repeat(5000)]),
  event: (r) => r.pick(['', 7, null, 'e'.repeat(201), ['$click']]),
  timestamp: (r) => r.pick(['yesterday', -5, 1.5, null, {}, '2026-13-45T99:99:99Z', Date.now() + 86_400_000 * 5, 0]),
  anonymous_id: (r) => r.pick(['', 1, null, 'a'.repeat(201)]),
  user_id: (r) => r.pick([1, {}, 'u'.repeat(201), true]),
  account_id: (r) => r.pick([1, [], 'a'.repeat(201)]),
  url: (r) => r.pick([1, 'h'.repeat(2049), {}]),
  elements: (r) => r.pick(['button', [{}], [{ tag: '' }], [{ tag: 'a', nth: -1 }], [{ tag: 'a', classes: 'x' }], Array.from({ length: 65 }, () => ({ tag: 'div' }))]),
  properties: (r) => r.pick(['p', 5, [1, 2], { big: 'x'.repeat(17_000) }]),
}

function malformed(r: R, writeKey: string): { body: string | Uint8Array; headers: Record<string, string> } {
  const json = (v: unknown) => ({ body: JSON.stringify(v) ?? 'undefined', headers: { 'content-type': 'application/json' } })
  switch (r.int(7)) {
    case 0: // arbitrary JSON of any shape
      return json(randomValue(r))
    case 1: { // a real batch whose every event has one field broken
      const events = Array.from({ length: r.int(4) + 1 }, () => {
        const field = r.pick(Object.keys(WRONG))
        return { ...sdkEvent(), [field]: WRONG[field]!(r) }
      })
      return json(sdkBatch(writeKey, events))
    }
    case 2: { // a broken envelope
      const field = r.pick(['write_key', 'sent_at', 'events'])
      return json({ ...sdkBatch(writeKey, [sdkEvent()]), [field]: randomValue(r) === null ? undefined : r.pick([1, 'x', null, {}, [], 'k'.repeat(300)]) })
    }
    case 3: // not JSON at all
      return { body: r.pick(['{', '}{', 'null null', '\u0000\u0001', '[1,2', 'x'.repeat(r.int(2000)), '']), headers: { 'content-type': 'text/plain' } }
    case 4: // gzip of garbage, or a truncated gzip stream
      return { body: gzipSync(JSON.stringify(randomValue(r))).subarray(0, r.int(30) + 2), headers: { 'content-encoding': 'gzip' } }
    case 5: // Segment-shaped, broken
      return json({ batch: Array.from({ length: r.int(3) + 1 }, () => ({ type: r.pick(['track', 'identify', 'x', 5]), event: randomValue(r) === null ? 5 : undefined })), writeKey })
    default: // a huge string inside an otherwise plausible event
      return json(sdkBatch(writeKey, [{ ...sdkEvent(), title: 't'.repeat(40_000 + r.int(100_000)) }]))
  }
}

describe('malformed input', () => {
  it('answers 1,000 malformed payloads with 4xx and the error shape, and keeps serving', async () => {
    const r = rng(20260105)
    const statuses = new Map<number, number>()
    for (let i = 0; i < 1000; i++) {
      const { body, headers } = malformed(r, t.writeKey)
      const res = await fetch(`${url}/v1/batch`, { method: 'POST', body: asBody(body), headers: { 'user-agent': BROWSER_UA, ...headers } })
      const text = await res.text()
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      if (res.status < 400 || res.status >= 500) throw new Error(`payload ${i} answered ${res.status}: ${text.slice(0, 300)}`)
      const parsed = JSON.parse(text) as { error: { code: string; message: string; field: string | null } }
      expect(Object.keys(parsed.error).sort()).toEqual(['code', 'field', 'message'])
    }
    expect([...statuses.keys()].every((s) => s >= 400 && s < 500)).toBe(true)
    expect(statuses.size).toBeGreaterThan(2)
    const ok = await fetch(`${url}/v1/batch`, { method: 'POST', body: JSON.stringify(sdkBatch(t.writeKey, [sdkEvent()])), headers: { 'user-agent': BROWSER_UA } })
    expect(ok.status).toBe(200)
    expect(await count(t.collector, t.secretKey)).toBe(1)
    expect(t.collector.deps.metrics.get('requests_rejected')).toBe(1000)
  })
})

describe('limits over a real socket', () => {
  it('answers 413 to oversized bodies, declared or streamed without a length, and keeps serving', async () => {
    const big = 'x'.repeat(2_000_000)
    const declared = await fetch(`${url}/v1/batch`, { method: 'POST', body: big, headers: { 'user-agent': BROWSER_UA } })
    expect(declared.status).toBe(413)
    expect(await declared.json()).toMatchObject({ error: { code: 'payload_too_large' } })
    const chunk = new TextEncoder().encode('y'.repeat(64 * 1024))
    let sent = 0
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 40) return controller.close()
        sent++
        controller.enqueue(chunk)
      },
    })
    const streamed = await fetch(`${url}/v1/batch`, { method: 'POST', body: stream, headers: { 'user-agent': BROWSER_UA }, duplex: 'half' } as RequestInit)
    expect(streamed.status).toBe(413)
    expect(await streamed.json()).toMatchObject({ error: { code: 'payload_too_large' } })
    const ok = await fetch(`${url}/v1/batch`, { method: 'POST', body: JSON.stringify(sdkBatch(t.writeKey, [sdkEvent()])), headers: { 'user-agent': BROWSER_UA } })
    expect(ok.status).toBe(200)
  })
})

/** Status, the Keep-Alive header and the local port of the socket that carried the request. */
function get(agent: Agent, path: string): Promise<{ status: number; keepAlive: string | string[] | undefined; port: number }> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, url), { agent }, (res) => {
      res.resume()
      res.on('end', () => resolve({ status: res.statusCode ?? 0, keepAlive: res.headers['keep-alive'], port: req.socket?.localPort ?? -1 }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('connections', () => {
  it('keeps an idle connection open longer than the idle timeouts of clients and load balancers', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    try {
      const first = await get(agent, '/healthz')
      expect(first.status).toBe(200)
      // The server says how long it keeps the connection; Node's own default would be 5 s.
      expect(first.keepAlive).toBe('timeout=65')
      const second = await get(agent, '/healthz')
      expect(second).toMatchObject({ status: 200, port: first.port })
    } finally {
      agent.destroy()
    }
  })
})
