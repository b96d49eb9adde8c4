import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { count, post, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'
import { verifySecretKey, type CreatedProject } from '../src/index.js'

let t: TestCollector
let other: CreatedProject
beforeAll(async () => {
  t = await startCollector({ config: { rateLimit: { eventsPerSecond: 100, burst: 300 } } })
  other = await t.collector.deps.projects.create({ name: 'Other' })
})
afterAll(() => t.cleanup())

const countWith = (key: string, path = '/v1/events/count?flush=1') =>
  t.collector.app.request(path, { headers: { authorization: `Bearer ${key}` } })

describe('keys and projects', () => {
  it("never shows one project's data to another project's key", async () => {
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent(), sdkEvent(), sdkEvent()]))).status).toBe(200)
    expect((await post(t.collector, '/v1/batch', sdkBatch(other.writeKey, [sdkEvent()]))).status).toBe(200)
    expect(await count(t.collector, t.secretKey)).toBe(3)
    expect(await count(t.collector, other.secretKey)).toBe(1)
    const body = (await (await countWith(other.secretKey)).json()) as { project_id: string }
    expect(body.project_id).toBe(other.project.id)
  })

  it('refuses query endpoints without a valid secret key: write keys, other strings, no header', async () => {
    for (const key of [t.writeKey, other.writeKey, 'sk_wrong', '']) {
      const res = await countWith(key)
      expect(res.status).toBe(401)
      expect(await res.json()).toMatchObject({ error: { code: 'unauthorized' } })
    }
    const none = await t.collector.app.request('/v1/events/count')
    expect(none.status).toBe(401)
    const badQuery = await countWith(t.secretKey, `/v1/events/count?event=${'x'.repeat(300)}`)
    expect(badQuery.status).toBe(400)
    expect(await badQuery.json()).toMatchObject({ error: { code: 'invalid_query', field: 'event' } })
  })

  it('verifies secrets for other callers and keeps only their hash', async () => {
    expect((await verifySecretKey(t.collector.deps.projects, other.secretKey))?.id).toBe(other.project.id)
    expect(await verifySecretKey(t.collector.deps.projects, other.writeKey)).toBeUndefined()
    const rs = await t.collector.deps.store.client.query({ query: 'SELECT secret_key_hash FROM projects FINAL', format: 'JSONEachRow' })
    const hashes = (await rs.json<{ secret_key_hash: string }>()).map((r) => r.secret_key_hash)
    expect(hashes).toHaveLength(2)
    for (const h of hashes) {
      expect(h).toMatch(/^[0-9a-f]{64}$/)
      expect([t.secretKey, other.secretKey]).not.toContain(h)
    }
  })

  it('answers CORS preflights for ingestion', async () => {
    const res = await t.collector.app.request('/v1/batch', {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,content-encoding' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-encoding')
  })
})

describe('rate limit', () => {
  it('answers 429 with Retry-After past the per-key budget, without touching other keys', async () => {
    const batch = () => sdkBatch(other.writeKey, Array.from({ length: 100 }, () => sdkEvent({ anonymous_id: 'rl' })))
    const statuses: number[] = []
    let limited: Response | undefined
    for (let i = 0; i < 6; i++) {
      const res = await post(t.collector, '/v1/batch', batch())
      statuses.push(res.status)
      if (res.status === 429) limited ??= res
    }
    expect(statuses.slice(0, 2)).toEqual([200, 200])
    expect(statuses).toContain(429)
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await limited!.json()).toMatchObject({ error: { code: 'rate_limited' } })
    expect(t.collector.deps.metrics.get('requests_rate_limited')).toBeGreaterThan(0)
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent()]))).status).toBe(200)
  })
})
