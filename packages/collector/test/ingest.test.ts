import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { textKeyFor, textToken } from '@tenure/analysis'
import { count, post, rows, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

let t: TestCollector
beforeAll(async () => {
  t = await startCollector()
})
afterAll(() => t.cleanup())

describe('POST /v1/batch (SDK format)', () => {
  it('stores a batch and reads it back with every field', async () => {
    const ev = sdkEvent({ user_id: 'u-1', account_id: 'acc-1', session_id: 's-1', title: 'Reports', feature_key: 'export', referrer: 'https://google.com/' })
    const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [ev], { lib: 'tenure-web/0.1.0' }))
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({ ok: true, accepted: 1, duplicates: 0, bots: 0, rejected: [] })
    expect(await count(t.collector, t.secretKey)).toBe(1)
    const token = textToken(await textKeyFor(t.collector.deps.store.client, 'default'), 'Export')
    const [row] = await rows<Record<string, unknown>>(t.collector, 'SELECT * EXCEPT (timestamp, client_timestamp, received_at) FROM events FINAL WHERE uuid = {u:UUID}', { u: ev.uuid })
    expect(row).toMatchObject({
      project_id: 'default', event: '$click', anonymous_id: 'anon-1', user_id: 'u-1', account_id: 'acc-1', session_id: 's-1',
      url: 'https://app.example.com/reports?x=1', path: '/reports', host: 'app.example.com', title: 'Reports', feature_key: 'export',
      element_text: token, lib: 'tenure-web/0.1.0', browser: 'Chrome', browser_version: '124.0', os: 'Mac OS', device_type: 'desktop', ip: '', country: '',
    })
    expect(row!.elements).toEqual([{ tag: 'button', id: 'export', classes: ['btn'], attrs: { 'data-feature': 'export' }, text: token, nth: 0 }])
    expect(JSON.parse(row!.properties as string)).toEqual({ plan: 'pro' })
  })
})

describe('encodings', () => {
  it('accepts gzip with Content-Encoding, and gzip sent as text/plain without it (sendBeacon)', async () => {
    const a = sdkEvent({ anonymous_id: 'gz-1' })
    const res1 = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [a]), { gzip: true })
    expect(res1.status).toBe(200)
    const b = sdkEvent({ anonymous_id: 'gz-2' })
    const res2 = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [b]), { gzip: true, headers: { 'content-type': 'text/plain', 'content-encoding': '' } })
    expect(res2.status).toBe(200)
    const c = sdkEvent({ anonymous_id: 'plain-1' })
    const res3 = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [c]), { headers: { 'content-type': 'text/plain;charset=UTF-8' } })
    expect(res3.status).toBe(200)
    const got = await rows<{ anonymous_id: string }>(t.collector, "SELECT anonymous_id FROM events FINAL WHERE anonymous_id IN ('gz-1','gz-2','plain-1') ORDER BY anonymous_id")
    expect(got.map((r) => r.anonymous_id)).toEqual(['gz-1', 'gz-2', 'plain-1'])
  })

  it('refuses an unknown Content-Encoding with 415 and broken gzip with 400', async () => {
    const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent()]), { headers: { 'content-encoding': 'br' } })
    expect(res.status).toBe(415)
    expect(await res.json()).toEqual({ error: { code: 'unsupported_encoding', message: expect.any(String), field: 'content-encoding' } })
    const bad = await post(t.collector, '/v1/batch', null, { raw: new Uint8Array([0x1f, 0x8b, 1, 2, 3]), headers: { 'content-encoding': 'gzip' } })
    expect(bad.status).toBe(400)
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_body')
  })
})

describe('validation', () => {
  it('stores the good events of a partly bad batch and says which were rejected and why', async () => {
    const good1 = sdkEvent({ anonymous_id: 'partial' })
    const good2 = sdkEvent({ anonymous_id: 'partial' })
    const events = [
      good1,
      { ...sdkEvent(), uuid: 'not-a-uuid' },
      { ...sdkEvent(), elements: [{ tag: '' }] },
      good2,
      { ...sdkEvent(), timestamp: new Date(Date.now() + 3 * 86_400_000).toISOString() },
      { ...sdkEvent(), timestamp: Date.now() - 500 * 86_400_000 },
      { ...sdkEvent(), properties: { big: 'x'.repeat(20_000) } },
      'not an object',
    ]
    const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, events))
    expect(res.status).toBe(200)
    const body = (await res.json()) as { accepted: number; rejected: { index: number; field: string | null; code: string; reason: string }[] }
    expect(body.accepted).toBe(2)
    expect(body.rejected.map((r) => [r.index, r.field, r.code])).toEqual([
      [1, 'uuid', 'invalid_event'],
      [2, 'elements.0.tag', 'invalid_event'],
      [4, 'timestamp', 'timestamp_in_future'],
      [5, 'timestamp', 'timestamp_too_old'],
      [6, 'properties', 'event_too_large'],
      [7, null, 'invalid_event'],
    ])
    for (const r of body.rejected) expect(r.reason.length).toBeGreaterThan(0)
    const got = await rows<{ uuid: string }>(t.collector, "SELECT toString(uuid) AS uuid FROM events FINAL WHERE anonymous_id = 'partial'")
    expect(got.map((r) => r.uuid).sort()).toEqual([good1.uuid, good2.uuid].sort())
  })

  it('answers the refusal status when every event is refused', async () => {
    const tooBig = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent({ title: 'x'.repeat(40_000) })]))
    expect(tooBig.status).toBe(413)
    expect(await tooBig.json()).toMatchObject({ error: { code: 'event_too_large' }, accepted: 0, rejected: [{ index: 0, code: 'event_too_large' }] })
    const mixed = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [{ nope: 1 }, sdkEvent({ timestamp: 'yesterday' })]))
    expect(mixed.status).toBe(400)
    expect(await mixed.json()).toMatchObject({ error: { code: 'invalid_event', field: null }, accepted: 0 })
    const longString = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent({ user_id: 'u'.repeat(201) })]))
    expect(longString.status).toBe(400)
    expect(await longString.json()).toMatchObject({ error: { code: 'invalid_event', field: 'user_id' } })
  })

  it('refuses bad envelopes with 4xx and the error shape', async () => {
    const cases: [unknown, number, string, string | null][] = [
      [{ sent_at: new Date().toISOString(), events: [sdkEvent()] }, 401, 'missing_write_key', 'write_key'],
      [sdkBatch('wk_unknown', [sdkEvent()]), 401, 'invalid_write_key', 'write_key'],
      [sdkBatch(t.writeKey, []), 400, 'invalid_body', 'events'],
      [sdkBatch(t.writeKey, [sdkEvent()], { sent_at: 'soon' }), 400, 'invalid_body', 'sent_at'],
      [[1, 2, 3], 400, 'invalid_body', null],
    ]
    for (const [body, status, code, field] of cases) {
      const res = await post(t.collector, '/v1/batch', body)
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(status)
      expect(await res.json()).toEqual({ error: { code, message: expect.any(String), field } })
    }
    const notJson = await post(t.collector, '/v1/batch', null, { raw: '{"write_key": ' })
    expect(notJson.status).toBe(400)
    expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_json' } })
  })
})

describe('limits', () => {
  it('answers 413 for a body over the byte limit, and for too many events', async () => {
    const huge = await post(t.collector, '/v1/batch', null, { raw: 'x'.repeat(1_000_001) })
    expect(huge.status).toBe(413)
    expect(await huge.json()).toMatchObject({ error: { code: 'payload_too_large' } })
    const many = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, Array.from({ length: 1001 }, () => ({}))))
    expect(many.status).toBe(413)
    expect(await many.json()).toMatchObject({ error: { code: 'too_many_events', field: 'events' } })
  })

  it('stops inflating a zip bomb at the cap: 413, and the process keeps serving', async () => {
    // 64 MB of zeros gzip to about 64 KB: under the wire limit, far over the inflated one.
    const { gzipSync } = await import('node:zlib')
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 })
    expect(bomb.length).toBeLessThan(1_000_000)
    const before = process.memoryUsage().rss
    const res = await post(t.collector, '/v1/batch', null, { raw: bomb, headers: { 'content-encoding': 'gzip' } })
    expect(res.status).toBe(413)
    expect(await res.json()).toMatchObject({ error: { code: 'inflated_too_large' } })
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024)
    const ok = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent()]))
    expect(ok.status).toBe(200)
  })

  it('inflates a small gzip body at once, and hands one that inflates past 1 MiB to the pool with the same cap', async () => {
    const { gzipSync } = await import('node:zlib')
    // A few KiB on the wire either way: 8 MB of zeros (over the 5 MB cap), and a batch padded to 2 MB with spaces (within it).
    const smallBomb = gzipSync(Buffer.alloc(8 * 1024 * 1024), { level: 9 })
    expect(smallBomb.length).toBeLessThan(16 * 1024)
    const bomb = await post(t.collector, '/v1/batch', null, { raw: smallBomb, headers: { 'content-encoding': 'gzip' } })
    expect(bomb.status).toBe(413)
    expect(await bomb.json()).toMatchObject({ error: { code: 'inflated_too_large' } })

    const e = sdkEvent()
    const padded = gzipSync(Buffer.from(JSON.stringify(sdkBatch(t.writeKey, [e])) + ' '.repeat(2 * 1024 * 1024)))
    expect(padded.length).toBeLessThan(16 * 1024)
    const res = await post(t.collector, '/v1/batch', null, { raw: padded, headers: { 'content-encoding': 'gzip' } })
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ accepted: 1 })
  })
})

describe('retries, skew, bots, identities', () => {
  it('counts a batch retried three times once', async () => {
    const events = Array.from({ length: 5 }, () => sdkEvent({ anonymous_id: 'retry' }))
    const body = sdkBatch(t.writeKey, events)
    const answers = []
    for (let i = 0; i < 4; i++) answers.push(await (await post(t.collector, '/v1/batch', body)).json())
    expect(answers[0]).toMatchObject({ accepted: 5, duplicates: 0 })
    for (const a of answers.slice(1)) expect(a).toMatchObject({ accepted: 0, duplicates: 5 })
    const [r] = await rows<{ n: string; u: string }>(t.collector, "SELECT count() AS n, uniqExact(uuid) AS u FROM events FINAL WHERE anonymous_id = 'retry'")
    expect([Number(r!.n), Number(r!.u)]).toEqual([5, 5])
  })

  it('corrects a skewed client clock from sent_at and keeps the client time', async () => {
    const skew = 3_600_000 // client clock one hour fast
    const clientNow = Date.now() + skew
    const ev = sdkEvent({ anonymous_id: 'skewed', timestamp: clientNow - 5_000 })
    const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [ev], { sent_at: new Date(clientNow).toISOString() }))
    expect(res.status).toBe(200)
    const small = sdkEvent({ anonymous_id: 'small-skew', timestamp: Date.now() - 5_000 })
    await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [small], { sent_at: new Date(Date.now() - 2_000).toISOString() }))
    const got = await rows<{ anonymous_id: string; t: string; c: string }>(
      t.collector,
      "SELECT anonymous_id, toUnixTimestamp64Milli(timestamp) AS t, toUnixTimestamp64Milli(client_timestamp) AS c FROM events FINAL WHERE anonymous_id IN ('skewed', 'small-skew') ORDER BY anonymous_id",
    )
    const skewed = got.find((r) => r.anonymous_id === 'skewed')!
    expect(Number(skewed.c)).toBe(clientNow - 5_000)
    // Corrected by receive − sent: within the request's own latency of the true time.
    expect(Math.abs(Number(skewed.t) - (clientNow - 5_000 - skew))).toBeLessThan(2_000)
    const plain = got.find((r) => r.anonymous_id === 'small-skew')!
    expect(Number(plain.t)).toBe(Number(plain.c))
  })

  it('drops and counts events from bots and headless browsers', async () => {
    const before = t.collector.deps.metrics.get('events_bots')
    for (const ua of ['Googlebot/2.1 (+http://www.google.com/bot.html)', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.0.0 Safari/537.36', 'curl/8.5.0']) {
      const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent({ anonymous_id: 'bot' }), sdkEvent({ anonymous_id: 'bot' })]), { headers: { 'user-agent': ua } })
      expect(res.status).toBe(200)
      expect(await res.json()).toMatchObject({ accepted: 0, bots: 2 })
    }
    expect(t.collector.deps.metrics.get('events_bots') - before).toBe(6)
    const [r] = await rows<{ n: string }>(t.collector, "SELECT count() AS n FROM events FINAL WHERE anonymous_id = 'bot'")
    expect(Number(r!.n)).toBe(0)
  })

  it('writes person_aliases on identify and user_accounts for users seen with an account', async () => {
    const events = [
      sdkEvent({ anonymous_id: 'anon-x', event: '$pageview' }),
      sdkEvent({ anonymous_id: 'anon-x', user_id: 'user-x', event: '$identify' }),
      sdkEvent({ anonymous_id: 'anon-x', user_id: 'user-x', account_id: 'acme', event: '$group' }),
      sdkEvent({ anonymous_id: 'anon-x', user_id: 'user-x', account_id: 'acme' }),
    ]
    expect((await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, events))).status).toBe(200)
    const aliases = await rows(t.collector, "SELECT anonymous_id, user_id FROM person_aliases FINAL WHERE project_id = 'default' AND anonymous_id = 'anon-x'")
    expect(aliases).toEqual([{ anonymous_id: 'anon-x', user_id: 'user-x' }])
    const accounts = await rows(t.collector, "SELECT user_id, account_id FROM user_accounts FINAL WHERE project_id = 'default' AND user_id = 'user-x'")
    expect(accounts).toEqual([{ user_id: 'user-x', account_id: 'acme' }])
    // Moving to another account is recorded; the latest mapping wins.
    const later = sdkEvent({ anonymous_id: 'anon-x', user_id: 'user-x', account_id: 'globex', event: '$group', timestamp: Date.now() + 1000 })
    await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [later]))
    const moved = await rows(t.collector, "SELECT account_id FROM user_accounts FINAL WHERE project_id = 'default' AND user_id = 'user-x'")
    expect(moved).toEqual([{ account_id: 'globex' }])
  })
})

describe('observability', () => {
  it('exposes counters as Prometheus text and JSON health', async () => {
    const m = await t.collector.app.request('/metrics')
    expect(m.status).toBe(200)
    const text = await m.text()
    const accepted = t.collector.deps.metrics.get('events_accepted')
    expect(accepted).toBeGreaterThan(0)
    expect(text).toContain(`tenure_events_accepted_total ${accepted}`)
    expect(text).toMatch(/tenure_events_rejected_total\{reason="invalid_event"\} \d+/)
    expect(text).toMatch(/tenure_events_bots_total 6/)
    const h = await t.collector.app.request('/healthz')
    expect(h.status).toBe(200)
    const health = (await h.json()) as { status: string; counters: Record<string, number>; rejected: Record<string, number> }
    expect(health.status).toBe('ok')
    expect(health.counters.events_accepted).toBe(accepted)
    expect(health.rejected.timestamp_in_future).toBe(1)
  })
})
