import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCollector, type Collector, type RowSink } from '../src/index.js'
import { post, rows, sdkBatch, sdkEvent, until } from './helpers.js'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'

/**
 * Store failures are injected around the real ClickHouse sink: `down` refuses inserts before they
 * reach the store; `lostAnswer` lets the insert happen and then fails it, as a timeout after a
 * successful write would, so the same rows are inserted again.
 */
const faults = { down: false, lostAnswer: 0 }
function faulty(sink: RowSink): RowSink {
  return {
    async insert(batch) {
      if (faults.down) throw new Error('injected: store unavailable')
      await sink.insert(batch)
      if (faults.lostAnswer > 0) {
        faults.lostAnswer--
        throw new Error('injected: answer lost after the insert')
      }
    },
  }
}

let dir: string
let collector: Collector
let writeKey: string
const env = { TENURE_WRITE_KEY: 'wk_durability_test', TENURE_SECRET_KEY: 'sk_durability_test' }

async function open(config: Parameters<typeof createCollector>[0] = {}) {
  collector = await createCollector({ env, dataDir: dir, wrapSink: faulty, ...config })
}

const eventsOf = async (anon: string) => {
  const [r] = await rows<{ stored: string; distinct: string }>(
    collector,
    'SELECT count() AS stored, uniqExact(uuid) AS distinct FROM events FINAL WHERE anonymous_id = {a:String}',
    { a: anon },
  )
  return { stored: Number(r!.stored), distinct: Number(r!.distinct) }
}
/**
 * Events of the person as the activity rollup counts them: every row the view received. The
 * person-days (another view of the same inserts, for the account reports) must count the same.
 */
const rollupCount = async (anon: string) => {
  const [r] = await rows<{ n: string; days: string }>(
    collector,
    `SELECT (SELECT sum(events) FROM activity_rollup WHERE user_key = {a:String}) AS n,
      (SELECT sum(events) FROM person_days WHERE user_key = {a:String}) AS days`,
    { a: anon },
  )
  expect(Number(r!.days)).toBe(Number(r!.n))
  return Number(r!.n)
}
const rawCopies = async (anon: string) => {
  const [r] = await rows<{ n: string }>(collector, 'SELECT count() AS n FROM events WHERE anonymous_id = {a:String}', { a: anon })
  return Number(r!.n)
}
const drained = () => {
  const s = collector.deps.ingest.stats()
  return s.backlogEvents === 0 && s.replaySegments === 0
}
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tenure-durability-'))
  await open({ config: { batch: { maxDelayMs: 20, retryMinMs: 20, retryMaxMs: 100, memoryRows: 200 }, spool: { maxBytes: 2_000_000 } } })
  writeKey = env.TENURE_WRITE_KEY
})
afterAll(async () => {
  faults.down = false
  await collector.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('durability', () => {
  it('keeps every acknowledged event through a store outage mid-load and replays it exactly once', async () => {
    const sent: string[] = []
    const send = async (n: number) => {
      const evs = Array.from({ length: n }, () => sdkEvent({ anonymous_id: 'outage' }))
      const res = await post(collector, '/v1/batch', sdkBatch(writeKey, evs))
      expect(res.status).toBe(200)
      sent.push(...evs.map((e) => e.uuid as string))
    }
    for (let i = 0; i < 5; i++) await send(50)
    faults.down = true
    // 600 events: past the 200 rows memory holds, so part of them must come back from disk.
    for (let i = 0; i < 12; i++) await send(50)
    await collector.deps.ingest.flush()
    const m = collector.deps.metrics
    expect(m.get('insert_failures')).toBeGreaterThan(0)
    expect(collector.deps.ingest.stats().storeUp).toBe(false)
    expect(collector.deps.ingest.stats().backlogEvents).toBeGreaterThan(0)
    const health = await collector.app.request('/healthz')
    expect(((await health.json()) as { status: string }).status).toBe('degraded')

    faults.down = false
    await until(drained)
    expect(await eventsOf('outage')).toEqual({ stored: sent.length, distinct: sent.length })
    // Segments replayed whole after the outage held rows already inserted from memory: none is counted twice.
    expect(await rollupCount('outage')).toBe(sent.length)
    expect(m.get('events_replayed')).toBeGreaterThan(0)
    expect(m.get('events_inserted') + m.get('events_replayed')).toBeGreaterThanOrEqual(sent.length)
    // Everything stored: no spool segment is left but the (empty) active one.
    await until(() => collector.deps.ingest.stats().spoolSegments <= 1)
  })

  it('stores rows inserted twice (answer lost after a write) once', async () => {
    faults.lostAnswer = 1
    const evs = Array.from({ length: 40 }, () => sdkEvent({ anonymous_id: 'lost-answer' }))
    expect((await post(collector, '/v1/batch', sdkBatch(writeKey, evs))).status).toBe(200)
    await until(async () => (await eventsOf('lost-answer')).stored === 40 && drained())
    expect(await rawCopies('lost-answer')).toBeGreaterThanOrEqual(40)
    expect(await eventsOf('lost-answer')).toEqual({ stored: 40, distinct: 40 })
    // The retried insert repeats a block the store just took: dropped before the rollup's view runs.
    expect(await rollupCount('lost-answer')).toBe(40)
  })

  it('answers 503 with Retry-After when the spool is full, and never drops an acknowledged event', async () => {
    faults.down = true
    let acked = 0
    let refused: Response | undefined
    for (let i = 0; i < 200 && !refused; i++) {
      const evs = Array.from({ length: 50 }, () => sdkEvent({ anonymous_id: 'full', properties: { pad: 'p'.repeat(1000) } }))
      const res = await post(collector, '/v1/batch', sdkBatch(writeKey, evs))
      if (res.status === 200) acked += 50
      else refused = res
    }
    expect(refused?.status).toBe(503)
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(await refused!.json()).toMatchObject({ error: { code: 'spool_full' } })
    expect(collector.deps.metrics.get('events_refused_spool_full')).toBe(50)
    expect((await collector.app.request('/healthz')).status).toBe(503)
    faults.down = false
    await until(drained)
    expect(await eventsOf('full')).toEqual({ stored: acked, distinct: acked })
    expect(await rollupCount('full')).toBe(acked)
  })

  it('flushes on close, and replays what a closed collector could not store on the next start', async () => {
    const evs = Array.from({ length: 30 }, () => sdkEvent({ anonymous_id: 'on-close' }))
    expect((await post(collector, '/v1/batch', sdkBatch(writeKey, evs))).status).toBe(200)
    await collector.close()
    expect(readdirSync(join(dir, 'spool'))).toEqual([])

    await open()
    expect(await eventsOf('on-close')).toEqual({ stored: 30, distinct: 30 })
    faults.down = true
    const left = Array.from({ length: 30 }, () => sdkEvent({ anonymous_id: 'left-in-spool' }))
    expect((await post(collector, '/v1/batch', sdkBatch(writeKey, left))).status).toBe(200)
    await collector.close({ timeoutMs: 300 })
    expect(readdirSync(join(dir, 'spool')).length).toBeGreaterThan(0)

    faults.down = false
    await open()
    await until(drained)
    expect(collector.deps.metrics.get('events_replayed')).toBe(30)
    expect(await eventsOf('left-in-spool')).toEqual({ stored: 30, distinct: 30 })
    expect(await rollupCount('left-in-spool')).toBe(30)
    expect(readdirSync(join(dir, 'spool')).length).toBeLessThanOrEqual(1)
  })

  it('replays a chunk the store already took (stopped before its release) without storing or counting it again', async () => {
    // Every insert reaches the store but its answer is lost: the rows stay in the spool.
    faults.lostAnswer = 1_000_000
    const evs = Array.from({ length: 25 }, () => sdkEvent({ anonymous_id: 'stored-then-replayed' }))
    expect((await post(collector, '/v1/batch', sdkBatch(writeKey, evs))).status).toBe(200)
    await until(async () => (await rawCopies('stored-then-replayed')) >= 25)
    await collector.close({ timeoutMs: 300 })
    expect(readdirSync(join(dir, 'spool')).length).toBeGreaterThan(0)

    faults.lostAnswer = 0
    await open()
    await until(drained)
    expect(collector.deps.metrics.get('events_replayed')).toBe(25)
    // The replay found every row stored: one copy each, and the rollup counts each event once.
    expect(await rawCopies('stored-then-replayed')).toBe(25)
    expect(await rollupCount('stored-then-replayed')).toBe(25)
  })

  it('stores and counts once a batch a client sends again to a restarted collector, whose memory of recent ids is gone', async () => {
    // A batch of events made just now and one of events from yesterday (an offline queue), each
    // stored; the collector stops before the client reads its answer, and the client retries.
    const fresh = Array.from({ length: 12 }, () => sdkEvent({ anonymous_id: 'retry-fresh' }))
    const old = Array.from({ length: 8 }, (_, i) => sdkEvent({ anonymous_id: 'retry-old', timestamp: new Date(Date.now() - 86_400_000 + i * 1000).toISOString() }))
    for (const evs of [fresh, old]) expect((await post(collector, '/v1/batch', sdkBatch(writeKey, evs))).status).toBe(200)
    await until(drained)
    expect(await rawCopies('retry-fresh')).toBe(12)
    await collector.close()

    await open()
    for (const evs of [fresh, old]) expect(await (await post(collector, '/v1/batch', sdkBatch(writeKey, evs))).json()).toMatchObject({ accepted: evs.length })
    await collector.deps.ingest.flush()
    expect(await rawCopies('retry-fresh')).toBe(12)
    expect(await rawCopies('retry-old')).toBe(8)
    expect(await rollupCount('retry-fresh')).toBe(12)
    expect(await rollupCount('retry-old')).toBe(8)
    // The same ids again in this run: the memory drops them before the spool.
    expect(await (await post(collector, '/v1/batch', sdkBatch(writeKey, fresh))).json()).toMatchObject({ accepted: 0, duplicates: 12 })
  })
})
