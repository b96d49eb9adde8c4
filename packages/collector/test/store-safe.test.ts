import { textKeyFor, textToken } from '@tenure/analysis'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { count, post, rows, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

// Issue 12, item 1: nothing the engine can refuse is acknowledged, and one hostile event never
// stops storage for anyone. Item 5: a retried copy whose corrected time lands in the next month counts once.
let t: TestCollector
let other: { writeKey: string; secretKey: string }
beforeAll(async () => {
  t = await startCollector({ config: { rateLimit: { eventsPerSecond: 1e9, burst: 1e9 } } })
  const p = await t.collector.deps.projects.create({ name: 'second' })
  other = { writeKey: p.writeKey, secretKey: p.secretKey }
})
afterAll(() => t.cleanup())

const health = async () => (await t.collector.app.request('/healthz')).json() as Promise<{ status: string; store: string }>

describe('strings the engine cannot parse', () => {
  it('stores lone surrogates in any field as U+FFFD (batch and track), and keeps storing for every project', async () => {
    const ids = [randomUUID(), randomUUID()]
    const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [
      sdkEvent({
        uuid: ids[0], event: 'x\ud800', url: 'https://app.example.com/\udc00\ud800', title: 't\udfff',
        properties: { ['k\ud800']: ['v\udc00', { deep: 'z\ud83d' }] },
        elements: [{ tag: 'button', text: 'Save\ud800', attrs: { ['data-\udc00']: 'y\ud800' }, classes: ['c\ud800'] }],
      }),
    ]))
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ accepted: 1 })
    const track = await post(t.collector, '/v1/track', { writeKey: t.writeKey, userId: 'u\ud800', event: 'tr\udc00', messageId: ids[1], context: { userAgent: 'Mozilla/5.0 \ud800', library: { name: 'lib\ud800' } }, properties: { p: '\ud800' } })
    expect(track.status).toBe(200)
    // Then well-formed events of another project: stored, and the store stays up.
    const good = Array.from({ length: 5 }, () => sdkEvent())
    expect((await post(t.collector, '/v1/batch', sdkBatch(other.writeKey, good))).status).toBe(200)
    expect(await count(t.collector, other.secretKey)).toBe(5)
    const stored = await rows<{ event: string; url: string; title: string; properties: string; text: string; user_id: string; lib: string }>(
      t.collector,
      `SELECT event, url, title, properties, elements[1].text AS text, user_id, lib FROM events FINAL WHERE project_id = {p:String} AND uuid IN {ids:Array(UUID)} ORDER BY event`,
      { p: t.collector.bootstrap!.project.id, ids },
    )
    expect(stored).toHaveLength(2)
    expect(stored[0]).toMatchObject({ event: 'tr\ufffd', user_id: 'u\ufffd', lib: 'lib\ufffd' })
    expect(JSON.parse(stored[0]!.properties)).toEqual({ p: '\ufffd' })
    expect(stored[1]).toMatchObject({ event: 'x\ufffd', url: 'https://app.example.com/\ufffd\ufffd', title: 't\ufffd' })
    // Element text is stored as its token (k-anonymous text): the token of the well-formed text.
    const key = await textKeyFor(t.collector.deps.store.client, t.collector.bootstrap!.project.id)
    expect(stored[1]!.text).toBe(textToken(key, 'Save\ufffd'))
    expect(JSON.parse(stored[1]!.properties)).toEqual({ 'k\ufffd': ['v\ufffd', { deep: 'z\ufffd' }] })
    expect(await health()).toMatchObject({ status: 'ok', store: 'up' })
  })
})

describe('strings the collector itself cuts or decodes', () => {
  it('never splits a surrogate pair at a length cap, and reads surrogates encoded as UTF-8 bytes as U+FFFD', async () => {
    const ids = [randomUUID(), randomUUID()]
    // An emoji across the 512-unit title cap and the 100-unit library cap of Segment messages.
    const title = 'a'.repeat(511) + '\u{1F600}'
    const lib = 'l'.repeat(99) + '\u{1F600}'
    const seg = await post(t.collector, '/v1/page', { writeKey: t.writeKey, userId: 'u-cut', messageId: ids[0], properties: { title }, context: { library: { name: lib } } })
    expect(seg.status).toBe(200)
    // A lone surrogate written as UTF-8 bytes (ED A0 80), which a JSON escape check cannot see.
    const json = JSON.stringify(sdkBatch(t.writeKey, [sdkEvent({ uuid: ids[1], event: 'raw-XX' })]))
    // Split at the event's whole JSON string: a random key or id elsewhere in the batch may hold "XX".
    const [before, after] = json.split('"raw-XX"')
    const raw = Buffer.concat([Buffer.from(`${before!}"raw-`), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(`"${after!}`)])
    expect((await post(t.collector, '/v1/batch', null, { raw })).status).toBe(200)
    const stored = await rows<{ event: string; title: string; lib: string }>(
      t.collector,
      'SELECT event, title, lib FROM events FINAL WHERE project_id = {p:String} AND uuid IN {ids:Array(UUID)} ORDER BY event',
      { p: t.collector.bootstrap!.project.id, ids },
    )
    expect(stored).toHaveLength(2)
    expect(stored[0]!.title).toBe('a'.repeat(511))
    expect(stored[0]!.lib).toBe('l'.repeat(99))
    expect(stored[1]!.event).toMatch(/^raw-\ufffd+$/)
    expect(await health()).toMatchObject({ status: 'ok', store: 'up' })
  })
})

describe('times a DateTime64 column cannot hold', () => {
  it('refuses clocks beyond year 2299 or before 1900 with a field error, never a 200 the store then refuses', async () => {
    for (const ms of [1e15, 8.64e15]) {
      const res = await post(t.collector, '/v1/batch', { write_key: t.writeKey, sent_at: ms, events: [sdkEvent({ timestamp: ms })] })
      expect(res.status).toBe(400)
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe('sent_at')
    }
    // Year 0000 with a correct sent_at: the event's own clock cannot be stored (it used to become 2026-01-01).
    const zero = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, [sdkEvent({ timestamp: '0000-06-01T00:00:00Z' }), sdkEvent({ timestamp: 8.64e15 })]))
    expect(zero.status).toBe(400)
    const body = (await zero.json()) as { accepted: number; rejected: { index: number; field: string }[] }
    expect(body.accepted).toBe(0)
    expect(body.rejected.map((r) => r.field)).toEqual(['timestamp', 'timestamp'])
    // Both clocks at year 0000: skew correction would fix `timestamp`, but the client time cannot be stored.
    const yearZero = await post(t.collector, '/v1/batch', { write_key: t.writeKey, sent_at: '0000-01-01T00:00:00Z', events: [sdkEvent({ timestamp: '0000-01-01T00:00:00Z' })] })
    expect(yearZero.status).toBe(400)
    // Segment: a sentAt out of range is refused by name; a message timestamp out of range is refused per event.
    const seg = await post(t.collector, '/v1/batch', { writeKey: t.writeKey, sentAt: '+033658-01-01T00:00:00.000Z', batch: [{ type: 'track', event: 'e', userId: 'u' }] })
    expect(seg.status).toBe(400)
    expect(((await seg.json()) as { error: { field: string } }).error.field).toBe('sentAt')
    const segTs = await post(t.collector, '/v1/batch', { writeKey: t.writeKey, batch: [{ type: 'track', event: 'e', userId: 'u', timestamp: '2400-01-01T00:00:00Z' }] })
    expect(segTs.status).toBe(400)
    expect(await health()).toMatchObject({ status: 'ok', store: 'up' })
    expect((await post(t.collector, '/v1/batch', sdkBatch(other.writeKey, [sdkEvent()]))).status).toBe(200)
    expect(await count(t.collector, other.secretKey)).toBe(6)
  })
})

describe('a retried copy across a month boundary', () => {
  it('counts once when skew correction moves the copy into the next month', async () => {
    const now = new Date()
    // 23:59:59.9 on the last day of the previous month (UTC), as the client's clock says.
    const lastDay = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1) - 100
    const uuid = randomUUID()
    const event = sdkEvent({ uuid, event: 'month_edge', timestamp: new Date(lastDay).toISOString() })
    const first = await post(t.collector, '/v1/batch', sdkBatch(other.writeKey, [event]))
    expect(first.status).toBe(200)
    // The retry says it was sent 15 s before it arrived: beyond the skew threshold, so its time moves by 15 s.
    await t.collector.deps.ingest.flush()
    const retryAt = Date.now()
    const retried = await post(t.collector, '/v1/batch', sdkBatch(other.writeKey, [event], { sent_at: new Date(retryAt - 15_000).toISOString() }))
    expect(retried.status).toBe(200)
    expect(await count(t.collector, other.secretKey, 'month_edge')).toBe(1)
    const copies = await rows<{ n: string; months: string }>(
      t.collector,
      `SELECT count() AS n, uniqExact(toYYYYMM(timestamp)) AS months FROM events WHERE uuid = {u:UUID}`,
      { u: uuid },
    )
    expect(Number(copies[0]!.n)).toBeGreaterThanOrEqual(1)
    // Per month, as a monthly report reads: the event counts in exactly one month.
    const perMonth = await rows<{ m: string; n: string }>(
      t.collector,
      `SELECT toYYYYMM(timestamp) AS m, count() AS n FROM events FINAL WHERE project_id = {p:String} AND event = 'month_edge' GROUP BY m`,
      { p: t.collector.deps.projects.list().find((p) => p.writeKey === other.writeKey)!.id },
    )
    expect(perMonth.reduce((s, r) => s + Number(r.n), 0)).toBe(1)
  })
})
