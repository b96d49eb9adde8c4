import fc from 'fast-check'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { createCollector, type Collector } from '../src/index.js'
import type { RowSink } from '../src/ingest/sink.js'
import { post, rows, sdkBatch, sdkEvent } from './helpers.js'

// Issue 12: whatever a client with a write key sends, the collector answers, every acknowledged event
// is stored exactly once or quarantined with a reason within bounded time, other projects keep being
// stored, and a restart on the same spool does not stall. Run counts are modest: seconds, not minutes.

const dir = mkdtempSync(join(tmpdir(), 'tenure-never-stalls-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ENV = { TENURE_WRITE_KEY: 'wk_never_stalls', TENURE_SECRET_KEY: 'sk_never_stalls' }
const config = { rateLimit: { eventsPerSecond: 1e9, burst: 1e9 } }

/** Any UTF-16 code unit, weighted towards the ones that break things: lone surrogates, NUL, controls. */
const unit = fc.oneof(
  fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff', '\u0000', '\u0001', '\u001f', '\u007f', '\u2028', '\ufeff', '\ufffe', '"', '\\', '\n', '\r', '\t'),
  fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
  fc.constantFrom('😀', '\ud83d\ude00', 'é', 'a', 'Z', '0'),
)
const text = (maxLength: number) => fc.string({ unit, maxLength })
const YEAR0 = Date.parse('0000-01-01T00:00:00Z')
const MAX_DATE = 8.64e15 // 275760-09-13
const instant = fc.oneof(
  fc.integer({ min: -3 * 86_400_000, max: 3_600_000 }).map((d) => new Date(Date.now() + d).toISOString()),
  fc.integer({ min: -3 * 86_400_000, max: 3_600_000 }).map((d) => Date.now() + d),
  fc.double({ min: YEAR0, max: MAX_DATE, noNaN: true }).map((ms) => new Date(Math.trunc(ms)).toISOString()),
  fc.double({ min: YEAR0, max: MAX_DATE, noNaN: true }).map(Math.trunc),
  fc.constantFrom(0, -1, 1e15, 8.64e15, 8.64e15 + 1, Number.MAX_SAFE_INTEGER, 1.5, '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '1899-12-31T23:59:59Z', '2299-12-31T23:59:59.999Z', '2300-01-01T00:00:00Z'),
)
const number = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, 65_535, 65_536, -1, 2 ** 53, 2 ** 64, 1e308, -1e308, Number.MIN_VALUE))
/** Nested values, sometimes deeper than any limit. */
const deep = fc.integer({ min: 1, max: 80 }).map((n) => {
  let v: unknown = 'leaf'
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { k: v }
  return v
})
const value = fc.oneof(text(40), number, fc.boolean(), fc.constant(null), deep, fc.array(text(10), { maxLength: 4 }))
const element = fc.record(
  { tag: fc.oneof(text(10), fc.constant('button')), id: text(20), classes: fc.array(text(12), { maxLength: 4 }), attrs: fc.dictionary(text(8), text(20), { maxKeys: 3 }), text: text(40), nth: fc.oneof(fc.integer({ min: -1, max: 70_000 }), number) },
  { requiredKeys: ['tag'] },
)
const event = fc.record(
  {
    uuid: fc.uuid({ version: 4 }),
    event: fc.oneof(text(30), fc.constantFrom('$click', '$pageview')),
    timestamp: instant,
    anonymous_id: fc.oneof(text(20), fc.constant('anon-fuzz')),
    user_id: fc.oneof(text(20), fc.constant(null)),
    account_id: fc.oneof(text(20), fc.constant(null)),
    session_id: text(20),
    url: fc.oneof(text(60), fc.constant('https://app.example.com/x')),
    referrer: text(40),
    title: text(40),
    feature_key: text(20),
    elements: fc.array(element, { maxLength: 3 }),
    properties: fc.dictionary(text(12), value, { maxKeys: 5 }),
  },
  { requiredKeys: ['uuid', 'event', 'timestamp', 'anonymous_id'] },
)
const batch = fc.record({ sent_at: fc.oneof(instant, fc.constant(undefined)), events: fc.array(event, { minLength: 1, maxLength: 4 }) })

interface Answer {
  accepted?: number
  rejected?: { index: number }[]
}

/** Sends one arbitrary batch; returns the uuids the collector acknowledged. */
async function send(c: Collector, b: { sent_at?: unknown; events: Record<string, unknown>[] }, segment: boolean): Promise<string[]> {
  const res = segment
    ? await post(c, '/v1/batch', { writeKey: ENV.TENURE_WRITE_KEY, ...(typeof b.sent_at === 'string' ? { sentAt: b.sent_at } : {}), batch: b.events.map((e) => ({ type: 'track', messageId: e.uuid, event: e.event, userId: e.user_id ?? e.anonymous_id, timestamp: e.timestamp, properties: e.properties, context: { groupId: e.account_id ?? undefined, page: { url: e.url } } })) })
    : await post(c, '/v1/batch', { ...sdkBatch(ENV.TENURE_WRITE_KEY, b.events), ...(b.sent_at === undefined ? {} : { sent_at: b.sent_at }) })
  // Always an answer, and never a server error: bad input is the client's (4xx), an outage is a 503.
  expect(res.status, await res.clone().text()).toBeLessThan(500)
  if (res.status !== 200) return []
  const body = (await res.json()) as Answer
  const refused = new Set((body.rejected ?? []).map((r) => r.index))
  const acked = b.events.filter((_, i) => !refused.has(i)).map((e) => String(e.uuid).toLowerCase())
  expect(acked).toHaveLength(body.accepted ?? 0)
  return acked
}

/** Waits until everything acknowledged is stored or quarantined, within `ms`. */
async function settled(c: Collector, ms: number): Promise<void> {
  const deadline = Date.now() + ms
  for (;;) {
    await c.deps.ingest.flush()
    if (c.deps.ingest.stats().backlogEvents === 0 && c.deps.ingest.stats().replaySegments === 0) return
    if (Date.now() > deadline) throw new Error(`not settled in ${ms} ms: ${JSON.stringify(c.deps.ingest.stats())}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Every acknowledged uuid is stored exactly once or quarantined with a reason. */
async function accounted(c: Collector, project: string, acked: Set<string>): Promise<{ stored: number; quarantined: number }> {
  const stored = await rows<{ uuid: string; n: number }>(c, `SELECT toString(uuid) AS uuid, count() AS n FROM events FINAL WHERE project_id = {p:String} GROUP BY uuid`, { p: project })
  const quarantined = await rows<{ uuid: string; error: string }>(
    c,
    `SELECT JSONExtractString(row_json, 2) AS uuid, error FROM quarantine FINAL WHERE project_id = {p:String} AND target = 'events' AND status = 'quarantined'`,
    { p: project },
  )
  const storedIds = new Set(stored.map((r) => r.uuid))
  for (const r of stored) expect(Number(r.n)).toBe(1)
  for (const q of quarantined) expect(q.error.length).toBeGreaterThan(0)
  const quarantinedIds = new Set(quarantined.map((r) => r.uuid))
  for (const id of acked) expect(storedIds.has(id) || quarantinedIds.has(id), `acknowledged ${id} is neither stored nor quarantined`).toBe(true)
  return { stored: [...acked].filter((id) => storedIds.has(id)).length, quarantined: [...acked].filter((id) => quarantinedIds.has(id)).length }
}

describe('ingestion never stalls (property)', () => {
  it('answers, stores or quarantines every acknowledged event, keeps other projects flowing, and replays a spool after restart', async () => {
    let down = false
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' })
    const flaky = (sink: RowSink): RowSink => ({ insert: (b) => (down ? Promise.reject(outage) : sink.insert(b)) })
    let c = await createCollector({ env: ENV, dataDir: dir, config, wrapSink: flaky })
    const p1 = c.bootstrap!.project.id
    const second = await c.deps.projects.create({ name: 'second' })
    const acked = new Set<string>()

    // Live: the store is up; batches of arbitrary events, SDK and Segment shaped.
    await fc.assert(
      fc.asyncProperty(batch, fc.boolean(), async (b, segment) => {
        for (const id of await send(c, b as never, segment)) acked.add(id)
      }),
      { numRuns: 100, seed: 12 },
    )
    const good = Array.from({ length: 10 }, () => sdkEvent())
    expect((await post(c, '/v1/batch', sdkBatch(second.writeKey, good))).status).toBe(200)
    await settled(c, 20_000)
    const live = await accounted(c, p1, acked)
    await accounted(c, second.project.id, new Set(good.map((e) => String(e.uuid))))

    // Store down: everything acknowledged waits in the spool; the collector stops with it left there.
    down = true
    const spooled = new Set<string>()
    await fc.assert(
      fc.asyncProperty(batch, async (b) => {
        for (const id of await send(c, b as never, false)) spooled.add(id)
      }),
      { numRuns: 40, seed: 1212 },
    )
    const late = Array.from({ length: 5 }, () => sdkEvent())
    expect((await post(c, '/v1/batch', sdkBatch(second.writeKey, late))).status).toBe(200)
    await c.close({ timeoutMs: 300 })

    // Restart on the same spool: the replay finishes, for both projects.
    c = await createCollector({ env: ENV, dataDir: dir, config })
    try {
      await settled(c, 20_000)
      for (const id of spooled) acked.add(id)
      const all = await accounted(c, p1, acked)
      const secondStored = await accounted(c, second.project.id, new Set([...good, ...late].map((e) => String(e.uuid))))
      expect(secondStored.stored).toBe(15)
      expect(c.deps.ingest.stats().storeUp).toBe(true)
      // Validation makes every acknowledged row storable (sanitize.ts); the quarantine is for what it would miss.
      expect(all.quarantined).toBe(0)
      console.log(`[never-stalls] acknowledged ${acked.size} arbitrary events: live ${live.stored} stored, ${live.quarantined} quarantined; after restart ${all.stored} stored, ${all.quarantined} quarantined`)
    } finally {
      await c.close()
    }
  }, 120_000)
})
