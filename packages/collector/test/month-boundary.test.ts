import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { overview } from '@tenure/dashboard'
import { createCollector, type Collector } from '../src/index.js'
import { count, post, rows, sdkBatch, sdkEvent } from './helpers.js'

// Issue 12, item 5: a retried copy whose skew-corrected time falls in the next month counts once.
const dir = mkdtempSync(join(tmpdir(), 'tenure-month-edge-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const ENV = { TENURE_WRITE_KEY: 'wk_month_edge', TENURE_SECRET_KEY: 'sk_month_edge' }

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Stored events on the UTC days of [from, to], as the dashboard overview reads them. */
async function overviewEvents(c: Collector, project: string, from: number, to: number): Promise<number> {
  return (await overview(c.deps.store.client, { projectId: project, from: day(from), to: day(to), tz: 'UTC' })).totals.events
}

describe('dedup at a month boundary', () => {
  it('counts a copy once when skew correction moves it across the month edge, in every month a report reads', async () => {
    const now = new Date()
    const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)
    // 23:59:59.9 on the last day of the previous month, as the client's clock says.
    const edge = monthStart - 100
    const event = sdkEvent({ uuid: randomUUID(), event: 'month_edge', timestamp: new Date(edge).toISOString() })
    let c = await createCollector({ env: ENV, dataDir: dir })
    const project = c.bootstrap!.project.id
    try {
      expect((await post(c, '/v1/batch', sdkBatch(ENV.TENURE_WRITE_KEY, [event]))).status).toBe(200)
    } finally {
      await c.close()
    }
    // The retry reaches another collector process (no memory of the first copy) and says it was sent
    // 15 s before it arrived: beyond the skew threshold, so its time moves 15 s, into this month.
    c = await createCollector({ env: ENV, dataDir: dir })
    try {
      const retried = await post(c, '/v1/batch', sdkBatch(ENV.TENURE_WRITE_KEY, [event], { sent_at: new Date(Date.now() - 15_000).toISOString() }))
      expect(await retried.json()).toMatchObject({ accepted: 1 })
      await c.deps.ingest.flush()
      const copies = await rows<{ t: string }>(c, `SELECT toString(timestamp) AS t FROM events WHERE uuid = {u:UUID} ORDER BY t`, { u: event.uuid })
      expect(copies.length).toBeGreaterThanOrEqual(1)
      expect(await count(c, ENV.TENURE_SECRET_KEY, 'month_edge')).toBe(1)
      // The new process could not know the copy, so it checked the store before the insert: the
      // activity rollup, which counts every row it receives, has the event once.
      const rolled = await rows<{ n: string }>(c, `SELECT sum(events) AS n FROM activity_rollup WHERE project_id = {p:String} AND event = 'month_edge'`, { p: project })
      expect(Number(rolled[0]!.n)).toBe(1)
      // A report of the previous month and one of this month: the event is in exactly one of them.
      const previous = await overviewEvents(c, project, monthStart - 5 * 86_400_000, monthStart - 86_400_000)
      const current = await overviewEvents(c, project, monthStart, monthStart + 5 * 86_400_000)
      expect(previous + current).toBe(1)
      // After merges too.
      await c.deps.store.client.command({ query: 'OPTIMIZE TABLE events FINAL' })
      const physical = await rows<{ n: string }>(c, `SELECT count() AS n FROM events WHERE uuid = {u:UUID}`, { u: event.uuid })
      expect(Number(physical[0]!.n)).toBe(1)
    } finally {
      await c.close()
    }
  })
})
