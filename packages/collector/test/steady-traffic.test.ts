import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCollector, type Collector, type RowSink } from '../src/index.js'
import { post, sdkBatch, sdkEvent, until } from './helpers.js'

/**
 * Steady traffic: requests keep arriving every few milliseconds, faster than the batcher's retry
 * backoff, and never pause. Neither they nor the rows they add may keep a retry, the replay of
 * what waits on disk, or a flush from ending until traffic stops.
 */
let down = false
const failing = (sink: RowSink): RowSink => ({
  async insert(batch) {
    if (down) throw new Error('injected: store unavailable')
    await sink.insert(batch)
  },
})

const env = { TENURE_WRITE_KEY: 'wk_traffic_test', TENURE_SECRET_KEY: 'sk_traffic_test' }
const batch = { maxRows: 20_000, maxDelayMs: 20, memoryRows: 200_000, retryMinMs: 50, retryMaxMs: 200 }
let dir: string
let collector: Collector
const open = async (memoryRows = batch.memoryRows) => {
  collector = await createCollector({ env, dataDir: dir, wrapSink: failing, config: { batch: { ...batch, memoryRows } } })
}
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tenure-traffic-'))
  // 300 rows of memory: the outage's rows spill to disk, so a replay is needed too.
  await open(300)
})
afterAll(async () => {
  down = false
  await collector.close()
  rmSync(dir, { recursive: true, force: true })
})

/** Stored rows of a person (without the flush `rows()` makes first). */
const stored = async (anon: string) => {
  const rs = await collector.deps.store.client.query({
    query: 'SELECT count() AS n, uniqExact(uuid) AS d FROM events FINAL WHERE anonymous_id = {a:String}',
    query_params: { a: anon },
    format: 'JSONEachRow',
  })
  const [r] = await rs.json<{ n: string; d: string }>()
  return { stored: Number(r!.n), distinct: Number(r!.d) }
}
/** Five events every few milliseconds until `stop()`; `done` resolves once the last answer is in. */
function traffic(anon: string) {
  const sent: string[] = []
  let sending = true
  const done = (async () => {
    while (sending) {
      const evs = Array.from({ length: 5 }, () => sdkEvent({ anonymous_id: anon }))
      const res = await post(collector, '/v1/batch', sdkBatch(env.TENURE_WRITE_KEY, evs))
      expect(res.status).toBe(200)
      sent.push(...evs.map((e) => e.uuid as string))
      await new Promise((r) => setTimeout(r, 5))
    }
  })()
  return { sent, done, stop: () => (sending = false) }
}

describe('steady traffic', () => {
  it('flushes what was accepted before the flush, while requests keep arriving', async () => {
    const t = traffic('flushed')
    try {
      await until(() => t.sent.length >= 200, 5_000, 20)
      const before = t.sent.length
      // The count API's flush=1, and the quarantine's reinsert, wait for this.
      await collector.deps.ingest.flush()
      expect((await stored('flushed')).stored).toBeGreaterThanOrEqual(before)
    } finally {
      t.stop()
      await t.done
    }
  })

  it('stores what an outage held while requests keep arriving', async () => {
    const t = traffic('outage')
    try {
      down = true
      const failures = collector.deps.metrics.get('insert_failures')
      await until(() => collector.deps.metrics.get('insert_failures') >= failures + 3 && t.sent.length > 400, 10_000, 20)
      down = false
      const held = t.sent.length
      // Each request must not put the retry off again: what the outage held is stored meanwhile.
      await until(async () => (await stored('outage')).stored >= held, 5_000, 20)
    } finally {
      t.stop()
      await t.done
    }
    await collector.deps.ingest.flush()
    expect(await stored('outage')).toEqual({ stored: t.sent.length, distinct: t.sent.length })
  })

  it('replays what an earlier run left in the spool while new requests keep arriving', async () => {
    down = true
    const left = Array.from({ length: 40 }, () => sdkEvent({ anonymous_id: 'left' }))
    expect((await post(collector, '/v1/batch', sdkBatch(env.TENURE_WRITE_KEY, left))).status).toBe(200)
    await collector.close({ timeoutMs: 300 })
    expect(readdirSync(join(dir, 'spool')).length).toBeGreaterThan(0)

    // The store is still down at the start (a server restarting too), and requests arrive at once;
    // memory holds them all.
    await open()
    const t = traffic('after-restart')
    try {
      const failures = collector.deps.metrics.get('insert_failures')
      await until(() => collector.deps.metrics.get('insert_failures') > failures && t.sent.length > 100, 10_000, 20)
      down = false
      // New requests go to memory, and a chunk of them is always taking rows: the segments of the
      // earlier run must not wait for memory to be empty.
      await until(async () => (await stored('left')).stored >= left.length, 5_000, 20)
    } finally {
      t.stop()
      await t.done
    }
    await collector.deps.ingest.flush()
    expect(await stored('left')).toEqual({ stored: left.length, distinct: left.length })
    expect(await stored('after-restart')).toEqual({ stored: t.sent.length, distinct: t.sent.length })
    expect(collector.deps.metrics.get('events_replayed')).toBe(left.length)
  })
})
