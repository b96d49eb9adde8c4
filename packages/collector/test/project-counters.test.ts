import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { IngestCounts } from '@tenure/dashboard'
import { projectIngestCounts } from '../src/counters/project-counts.js'
import { createCollector, type Collector, type RowSink } from '../src/index.js'
import { post, rows, sdkBatch, sdkEvent, until } from './helpers.js'

/** Store failures injected around the real sink, as in durability.test.ts. */
const faults = { down: false }
function faulty(sink: RowSink): RowSink {
  return {
    async insert(batch) {
      if (faults.down) throw new Error('injected: store unavailable')
      await sink.insert(batch)
    },
  }
}

const ORIGIN = 'http://localhost'
const BOT_UA = 'Googlebot/2.1 (+http://www.google.com/bot.html)'
const env = { TENURE_WRITE_KEY: 'wk_counters_a', TENURE_SECRET_KEY: 'sk_counters_a' }
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)
// Counted today (UTC); a day either side keeps the test right across midnight.
const from = dayOf(Date.now() - 86_400_000)
const to = dayOf(Date.now() + 86_400_000)

const ZERO: IngestCounts = {
  accepted: 0, stored: 0, replayed: 0, rejected: 0, rejectedByReason: {}, bots: 0, duplicates: 0, rateLimited: 0, refusedSpoolFull: 0, spooled: 0, failed: 0, quarantined: 0,
}
const A_SENT: IngestCounts = {
  ...ZERO, accepted: 10, stored: 10, rejected: 2, rejectedByReason: { invalid_event: 1, timestamp_in_future: 1 }, bots: 3, duplicates: 4, rateLimited: 200, spooled: 10,
}

let dir: string
let collector: Collector
let a: { id: string; writeKey: string; secretKey: string }
let b: { id: string; writeKey: string; secretKey: string }

async function open(maxDelayMs = 20) {
  collector = await createCollector({
    env,
    dataDir: dir,
    wrapSink: faulty,
    config: {
      batch: { maxDelayMs, retryMinMs: 20, retryMaxMs: 100 },
      // Nearly no refill: A's burst runs out within the test, on every run.
      rateLimit: { eventsPerSecond: 0.001, burst: 100 },
      // Written by hand (and on close), so the test sees both the table and what is not written yet.
      countersFlushMs: 3_600_000,
    },
  })
}

const counts = (projectId: string) => projectIngestCounts(collector.deps.store.client, collector.deps.counters, { projectId, from, to })

async function page(secretKey: string): Promise<string> {
  const req = (path: string, init: RequestInit) => Promise.resolve(collector.app.request(`${ORIGIN}${path}`, init))
  const login = await req('/app/login', {
    method: 'POST',
    body: new URLSearchParams({ key: secretKey, next: '/app' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN },
  })
  expect(login.status).toBe(303)
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!
  const res = await req(`/app?from=${from}&to=${to}&tz=UTC`, { headers: { cookie } })
  expect(res.status).toBe(200)
  return res.text()
}

function figure(html: string, id: string): string | undefined {
  return new RegExp(`data-figure="${id}"><dt>[^<]*</dt><dd>([^<]*)</dd>`).exec(html)?.[1]
}

async function healthz(secretKey?: string) {
  const res = await collector.app.request('/healthz', secretKey ? { headers: { authorization: `Bearer ${secretKey}` } } : {})
  return { status: res.status, body: (await res.json()) as { project?: { id: string; counters: Record<string, number>; rejected: Record<string, number>; backlog_events: number } } }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tenure-counters-'))
  await open()
  const boot = collector.bootstrap!
  a = { id: boot.project.id, writeKey: boot.writeKey, secretKey: boot.secretKey }
  const other = await collector.deps.projects.create({ name: 'Project B' })
  b = { id: other.project.id, writeKey: other.writeKey, secretKey: other.secretKey }
})
afterAll(async () => {
  faults.down = false
  await collector.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('per-project ingestion counters', () => {
  it('counts good, rejected, bot, duplicate and rate-limited events for their project only, at once and once written', async () => {
    const good = Array.from({ length: 10 }, () => sdkEvent({ anonymous_id: 'a-good' }))
    const bad = [{ ...sdkEvent(), uuid: 'not-a-uuid' }, { ...sdkEvent(), timestamp: new Date(Date.now() + 3 * 86_400_000).toISOString() }]
    let res = await post(collector, '/v1/batch', sdkBatch(a.writeKey, [...good, ...bad]))
    expect(await res.json()).toMatchObject({ accepted: 10, rejected: [{ code: 'invalid_event' }, { code: 'timestamp_in_future' }] })
    res = await post(collector, '/v1/batch', sdkBatch(a.writeKey, Array.from({ length: 3 }, () => sdkEvent())), { headers: { 'user-agent': BOT_UA } })
    expect(await res.json()).toMatchObject({ accepted: 0, bots: 3 })
    res = await post(collector, '/v1/batch', sdkBatch(a.writeKey, good.slice(0, 4)))
    expect(await res.json()).toMatchObject({ accepted: 0, duplicates: 4 })
    // 19 tokens spent of a burst of 100: 200 more are refused.
    res = await post(collector, '/v1/batch', sdkBatch(a.writeKey, Array.from({ length: 200 }, () => sdkEvent())))
    expect(res.status).toBe(429)
    await collector.deps.ingest.flush()

    // Nothing written yet: the figures come from memory.
    expect(collector.deps.metrics.ledger.size).toBeGreaterThan(0)
    expect(await counts(a.id)).toEqual(A_SENT)
    expect(await counts(b.id)).toEqual(ZERO)

    expect(await collector.deps.counters.flush()).toBe(true)
    expect(collector.deps.metrics.ledger.size).toBe(0)
    expect(await rows(collector, 'SELECT DISTINCT project_id FROM ingest_counters')).toEqual([{ project_id: a.id }])
    expect(await counts(a.id)).toEqual(A_SENT)
    expect(await counts(b.id)).toEqual(ZERO)
    // Days outside the range count nothing.
    expect(await projectIngestCounts(collector.deps.store.client, collector.deps.counters, { projectId: a.id, from: '2020-01-01', to: '2020-01-31' })).toEqual(ZERO)
  })

  it('shows each project its own counts on the overview', async () => {
    const htmlA = await page(a.secretKey)
    const shown = (html: string) => Object.fromEntries(['accepted', 'inserted', 'backlog', 'rejected', 'bots', 'duplicates', 'rate-limited', 'spooled', 'failed'].map((id) => [id, figure(html, id)]))
    expect(shown(htmlA)).toEqual({ accepted: '10', inserted: '10', backlog: '0', rejected: '2', bots: '3', duplicates: '4', 'rate-limited': '200', spooled: '10', failed: '0' })
    expect(htmlA).toContain('<code>timestamp_in_future</code>')
    expect(htmlA).not.toContain('all its projects')
    expect(figure(htmlA, 'store')).toBe('up')
    const htmlB = await page(b.secretKey)
    expect(shown(htmlB)).toEqual({ accepted: '0', inserted: '0', backlog: '0', rejected: '0', bots: '0', duplicates: '0', 'rate-limited': '0', spooled: '0', failed: '0' })
    expect(htmlB).toContain('No event of this project was rejected in the range.')
  })

  it('adds a project its own counters on /healthz with its secret key, and per-project series on /metrics', async () => {
    const plain = await healthz()
    expect(plain.status).toBe(200)
    expect(plain.body.project).toBeUndefined()
    const ha = await healthz(a.secretKey)
    expect(ha.body.project).toMatchObject({ id: a.id, counters: { events_accepted: 10, events_bots: 3, events_duplicate: 4, events_rate_limited: 200 }, rejected: { invalid_event: 1, timestamp_in_future: 1 }, backlog_events: 0 })
    const hb = await healthz(b.secretKey)
    expect(hb.body.project).toMatchObject({ id: b.id, counters: { events_accepted: 0, events_bots: 0 }, rejected: {} })
    expect((await healthz('sk_not_a_key')).status).toBe(401)

    const text = await (await collector.app.request('/metrics')).text()
    expect(text).toContain('tenure_events_accepted_total 10\n')
    expect(text).toContain(`tenure_project_events_accepted_total{project="${a.id}"} 10\n`)
    expect(text).toContain(`tenure_project_events_rate_limited_total{project="${a.id}"} 200\n`)
    expect(text).toContain(`tenure_project_events_rejected_total{project="${a.id}",reason="timestamp_in_future"} 1\n`)
    expect(text).not.toContain(`{project="${b.id}"}`)
  })

  it('keeps the counts through a close and a reopen on the same data folder', async () => {
    await collector.close()
    await open()
    expect(collector.deps.metrics.ledger.size).toBe(0)
    expect(await counts(a.id)).toEqual(A_SENT)
    expect(await counts(b.id)).toEqual(ZERO)
  })

  it('attributes failed inserts and a spool replay after a restart to the project of each event', async () => {
    // Both batches must wait in one insert: the batcher's own timer could otherwise try A's alone
    // between the two posts, and a failed insert stays first in line, so B's would never be tried.
    await collector.close()
    await open(60_000)
    faults.down = true
    expect((await post(collector, '/v1/batch', sdkBatch(a.writeKey, Array.from({ length: 5 }, () => sdkEvent({ anonymous_id: 'replay-a' }))))).status).toBe(200)
    expect((await post(collector, '/v1/batch', sdkBatch(b.writeKey, Array.from({ length: 7 }, () => sdkEvent({ anonymous_id: 'replay-b' }))))).status).toBe(200)
    await collector.deps.ingest.flush()
    // Retries go on while the store is down: wait for one that held B's batch, and read B before A,
    // so that a retry between the two reads can only raise A's count.
    await until(async () => (await counts(b.id)).failed > 0)
    const downB = await counts(b.id)
    const downA = await counts(a.id)
    expect(downA).toMatchObject({ accepted: 15, spooled: 15, stored: 10 })
    expect(downB).toMatchObject({ accepted: 7, spooled: 7, stored: 0 })
    // Each failed insert held all of a project's waiting events (5 of A's, 7 of B's); how many
    // inserts were tried before B's batch arrived depends on timing, so only whole batches are asserted.
    expect(downA.failed).toBeGreaterThan(0)
    expect(downA.failed % 5).toBe(0)
    expect(downB.failed).toBeGreaterThan(0)
    expect(downB.failed % 7).toBe(0)
    expect(downB.failed / 7).toBeLessThanOrEqual(downA.failed / 5)
    expect([collector.deps.ingest.backlogOf(a.id), collector.deps.ingest.backlogOf(b.id)]).toEqual([5, 7])
    expect(figure(await page(b.secretKey), 'backlog')).toBe('7')
    await collector.close({ timeoutMs: 300 })

    // A's records as an older version wrote them, without their project: attributed by their rows.
    const spool = join(dir, 'spool')
    let stripped = 0
    for (const f of readdirSync(spool)) {
      const text = readFileSync(join(spool, f), 'utf8')
      const old = text.replaceAll(`{"project":"${a.id}",`, () => (stripped++, '{'))
      writeFileSync(join(spool, f), old)
    }
    expect(stripped).toBe(1)

    faults.down = false
    await open()
    await until(() => {
      const s = collector.deps.ingest.stats()
      return s.replaySegments === 0 && s.backlogEvents === 0
    })
    const afterA = await counts(a.id)
    const afterB = await counts(b.id)
    expect(afterA).toMatchObject({ accepted: 15, spooled: 15, replayed: 5, stored: 15 })
    expect(afterB).toMatchObject({ accepted: 7, spooled: 7, replayed: 7, stored: 7 })
    // Closing retried a few more times; those failures were counted, written when closing, and kept their split.
    expect(afterA.failed).toBeGreaterThanOrEqual(downA.failed)
    expect(afterA.failed % 5).toBe(0)
    expect(afterB.failed / 7).toBe(afterA.failed / 5)
    const stored = await rows<{ a: string | number; b: string | number }>(
      collector,
      `SELECT countIf(project_id = {a:String} AND anonymous_id = 'replay-a') AS a, countIf(project_id = {b:String} AND anonymous_id = 'replay-b') AS b FROM events FINAL`,
      { a: a.id, b: b.id },
    )
    expect(stored.map((r) => [Number(r.a), Number(r.b)])).toEqual([[5, 7]])
  })
})
