import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCollector, type Collector, type RowSink } from '../src/index.js'
import { post, rng, sdkBatch, sdkEvent } from './helpers.js'

/**
 * The batcher under a seeded mix of everything at once: requests of every size, some sent in
 * bursts, clients sending a batch again, a store that goes down, loses answers after writing, or
 * is slow, flushes, and a restart in the middle. Small inserts, segments and memory make chunks
 * fill, memory spill to disk and segments rotate many times. Whatever happens, every acknowledged
 * event is stored once, and the activity rollup counts it once.
 */
type Mode = 'up' | 'down' | 'lost' | 'slow'
let mode: Mode = 'up'
const chaos = (sink: RowSink): RowSink => ({
  async insert(batch) {
    if (mode === 'down') throw new Error('injected: store unavailable')
    if (mode === 'slow') await new Promise((r) => setTimeout(r, 30))
    await sink.insert(batch)
    if (mode === 'lost') throw new Error('injected: answer lost after the insert')
  },
})

const env = { TENURE_WRITE_KEY: 'wk_chaos_test', TENURE_SECRET_KEY: 'sk_chaos_test' }
const config = {
  batch: { maxRows: 300, maxDelayMs: 15, memoryRows: 900, retryMinMs: 10, retryMaxMs: 60 },
  spool: { segmentBytes: 64 * 1024 },
}
let dir: string
let collector: Collector
const open = async () => {
  collector = await createCollector({ env, dataDir: dir, wrapSink: chaos, config })
}
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tenure-chaos-'))
  await open()
})
afterAll(async () => {
  mode = 'up'
  await collector.close()
  rmSync(dir, { recursive: true, force: true })
})

const query = async <T,>(sql: string): Promise<T> => {
  const rs = await collector.deps.store.client.query({ query: sql, query_params: { a: 'chaos' }, format: 'JSONEachRow' })
  return (await rs.json<T>())[0]!
}

describe('batcher under chaos', () => {
  it('stores every acknowledged event once through outages, lost answers, retries, flushes and a restart', async () => {
    const r = rng(20261207)
    const acknowledged = new Set<string>()
    const sentBatches: Record<string, unknown>[][] = []
    const send = async (events: Record<string, unknown>[]) => {
      const res = await post(collector, '/v1/batch', sdkBatch(env.TENURE_WRITE_KEY, events))
      // A full spool would answer 503 and the client would keep its events; nothing here fills it.
      expect(res.status).toBe(200)
      for (const e of events) acknowledged.add(e.uuid as string)
    }
    const fresh = () => {
      const events = Array.from({ length: 1 + r.int(40) }, () => sdkEvent({ anonymous_id: 'chaos' }))
      sentBatches.push(events)
      return events
    }
    for (let step = 0; step < 400; step++) {
      const roll = r.next()
      if (roll < 0.55) await send(fresh())
      else if (roll < 0.65) await Promise.all([send(fresh()), send(fresh()), send(fresh())])
      else if (roll < 0.75 && sentBatches.length) await send(sentBatches[r.int(sentBatches.length)]!)
      else if (roll < 0.87) mode = r.pick(['up', 'up', 'down', 'lost', 'slow'] as const)
      else if (roll < 0.9) await collector.deps.ingest.flush()
      if (step === 200) {
        await collector.close({ timeoutMs: 100 })
        await open()
      }
      await new Promise((resolve) => setTimeout(resolve, r.int(8)))
    }
    mode = 'up'
    const end = Date.now() + 30_000
    for (;;) {
      await collector.deps.ingest.flush()
      const s = collector.deps.ingest.stats()
      if (s.backlogEvents === 0 && s.replaySegments === 0) break
      if (Date.now() > end) throw new Error(`not drained: ${JSON.stringify(s)}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
    expect(collector.deps.metrics.get('insert_failures')).toBeGreaterThan(0)
    const stored = await query<{ n: string; d: string }>('SELECT count() AS n, uniqExact(uuid) AS d FROM events FINAL WHERE anonymous_id = {a:String}')
    expect({ stored: Number(stored.n), distinct: Number(stored.d) }).toEqual({ stored: acknowledged.size, distinct: acknowledged.size })
    const rollup = await query<{ n: string }>('SELECT sum(events) AS n FROM activity_rollup WHERE user_key = {a:String}')
    expect(Number(rollup.n)).toBe(acknowledged.size)
  })
})
