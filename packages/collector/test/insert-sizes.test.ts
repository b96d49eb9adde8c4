import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RowSink } from '../src/index.js'
import { post, rows, sdkBatch, sdkEvent, startCollector, type TestCollector } from './helpers.js'

/**
 * Each insert into the events table writes a part into it and into every table its views feed, and
 * the engine merges them all again later: steady traffic must reach the store as few large inserts,
 * also once the backlog passes an insert's size while an insert is in flight (as it does whenever
 * the store takes longer than the batching delay).
 */
const INSERT_ROWS = 1_000
const DELAY_MS = 600
const sizes: number[] = []
/** The first insert is slow (a merge or a report holds the engine); the others take what the store takes. */
const FIRST_MS = 500
function slow(sink: RowSink): RowSink {
  return {
    async insert(batch) {
      sizes.push(batch.eventCount)
      if (sizes.length === 1) await new Promise((r) => setTimeout(r, FIRST_MS))
      await sink.insert(batch)
    },
  }
}

let t: TestCollector
beforeAll(async () => {
  t = await startCollector({ wrapSink: slow, config: { batch: { maxRows: INSERT_ROWS, maxDelayMs: DELAY_MS, memoryRows: 100_000, retryMinMs: 20, retryMaxMs: 100 } } })
})
afterAll(() => t.cleanup())

describe('insert sizes under steady traffic', () => {
  it('keeps inserts large when the backlog passes an insert while one is in flight', async () => {
    // About 1,000 events/s for 2.5 s, 10 per request. The first insert (~600 rows, after the
    // batching delay) is held 500 ms, and the rows behind it pass the 1,000 of an insert.
    const sent: string[] = []
    const start = Date.now()
    for (let i = 0; i < 250; i++) {
      const evs = Array.from({ length: 10 }, () => sdkEvent({ anonymous_id: 'steady' }))
      const res = await post(t.collector, '/v1/batch', sdkBatch(t.writeKey, evs))
      expect(res.status).toBe(200)
      sent.push(...evs.map((e) => e.uuid as string))
      const due = start + (i + 1) * 10
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()))
    }
    const sendingMs = Date.now() - start
    const whileSending = sizes.length
    await t.collector.deps.ingest.flush()
    const [r] = await rows<{ n: string }>(t.collector, 'SELECT uniqExact(uuid) AS n FROM events WHERE anonymous_id = {a:String}', { a: 'steady' })
    expect(Number(r!.n)).toBe(sent.length)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(sent.length)
    // While traffic ran, every insert after the first took about one batching delay's rows, or a
    // full insert's. Before, a queue past an insert's size made each request start an insert of
    // what had arrived since the last one: 30–120 rows in this test, 1,000 of 20,000 at 17,000 events/s.
    const perDelay = (sent.length / (sendingMs / 1000)) * (DELAY_MS / 1000)
    const steady = sizes.slice(1, whileSending)
    expect(steady.length).toBeGreaterThan(0)
    expect(Math.min(...steady)).toBeGreaterThanOrEqual(perDelay / 2)
  })
})
