import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertEvents, type TestEvent } from '../accounts/__fixtures__/events.js'
import { measureUsage } from '../accounts/usage.js'
import type { Store } from '../store/client.js'
import { openTestStore } from '../testing/store.js'
import { writePlanRow } from '../testing/backfill-plan.js'
import { migrate } from '../store/migrate.js'
import { backfillActivityRollup, type BackfillProgress } from './backfill.js'
import { rollupCoverage } from './status.js'

/**
 * A data folder from before the activity rollup: its events are added by the backfill job, month
 * by month; a month interrupted midway is written again without counting twice; events inserted
 * after the migration reach the rollup through the view only.
 */
const ev = (timestamp: string, user: string, extra: Partial<TestEvent> = {}): TestEvent => ({ event: '$click', timestamp, user_id: user, account_id: 'acme', ...extra })

function history(): TestEvent[] {
  const out: TestEvent[] = []
  for (const [month, days] of [['2025-01', 20], ['2025-02', 18], ['2025-03', 25]] as const) {
    for (let d = 1; d <= days; d++) {
      const day = `${month}-${String(d).padStart(2, '0')}`
      out.push(ev(`${day} 09:00:00.000`, 'u1'), ev(`${day} 09:05:00.000`, 'u1', { event: '$pageview', path: '/help/x' }), ev(`${day} 23:59:59.999`, 'u2'))
    }
  }
  return out
}

const sql = async <T>(store: Store, query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<T>()
const perMonth = (store: Store, table: 'events' | 'activity_rollup') =>
  sql<{ month: number; n: string }>(store, table === 'events'
    ? `SELECT toYYYYMM(timestamp) AS month, toString(count()) AS n FROM events FINAL WHERE project_id = 'p' GROUP BY month ORDER BY month`
    : `SELECT toYYYYMM(bucket) AS month, toString(sum(events)) AS n FROM activity_rollup WHERE project_id = 'p' GROUP BY month ORDER BY month`)

describe('backfilling the activity rollup of an existing data folder', () => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ store, cleanup } = await openTestStore({ before: 31 }))
    await insertEvents(store.client, 'p', history())
    await migrate(store)
  }, 120_000)
  afterAll(async () => {
    await cleanup?.()
  })

  it('says reports are incomplete until the job has run, and adds the older events month by month', async () => {
    const before = await rollupCoverage(store.client, 'p')
    expect(before.complete).toBe(false)
    expect(before.note).toMatch(/still being added/)
    expect(await sql(store, `SELECT toString(count()) AS n FROM activity_rollup`)).toEqual([{ n: '0' }])

    // Stopped after its first month: progress shows it, and the month's rows are all there.
    const seen: BackfillProgress[] = []
    let months = 0
    const first = await backfillActivityRollup(store, (p) => seen.push({ ...p }), () => (months++ >= 1))
    expect(first).toEqual({ projects: 0, stopped: true })
    expect(seen[0]).toEqual({ project: 'p', table: 'activity_rollup', month: 202501, monthsDone: 0, months: 3 })
    const during = await rollupCoverage(store.client, 'p')
    expect([during.complete, during.monthsDone, during.months]).toEqual([false, 1, 3])
    expect(during.note).toContain('1 of 3 months')
    expect(await perMonth(store, 'activity_rollup')).toEqual([{ month: 202501, n: '60' }])
    // A report during the backfill answers from what is there.
    const partial = await measureUsage(store.client, 'p', [{ id: 'w', accountId: 'acme', from: '2025-01-01', to: '2025-04-01' }])
    expect(partial.get('w')!.events).toBe(60)
  })

  it('writes an interrupted month again without counting it twice, then completes', async () => {
    // As a crash midway through February would leave it: marked started, some rows written.
    await writePlanRow(store.client, { project: 'p', slice: 202502, state: 'started', cutoff: '2100-01-01 00:00:00.000' })
    await store.client.command({
      query: `INSERT INTO activity_rollup (project_id, account_id, user_key, identified, bucket, event, path, chain_hash, feature_key, element_text, origin, events)
        VALUES ('p', 'acme', 'u1', 1, '2025-02-01 09:00:00', '$click', '', 0, '', '', 202502, 7)`,
    })
    await new Promise((r) => setTimeout(r, 5))
    const steps: BackfillProgress[] = []
    const done = await backfillActivityRollup(store, (p) => steps.push({ ...p }))
    expect(done).toEqual({ projects: 1, stopped: false })
    // Progress names each table as the job reaches it: the rollup's months, then the tables beside it.
    expect([...new Set(steps.map((s) => s.table))]).toEqual(['activity_rollup', 'first_touch', 'activity_combos', 'session_spans', 'first_activity', 'person_days'])
    expect(await perMonth(store, 'activity_rollup')).toEqual(await perMonth(store, 'events'))
    expect(await rollupCoverage(store.client, 'p')).toMatchObject({ complete: true, note: null })
    // Nothing left to do on the next start.
    expect(await backfillActivityRollup(store)).toEqual({ projects: 0, stopped: false })
  })

  it('counts events inserted after the migration once, through the view', async () => {
    await insertEvents(store.client, 'p', [ev('2025-03-31 10:00:00.000', 'u3'), ev('2025-04-02 10:00:00.000', 'u3')])
    expect(await perMonth(store, 'activity_rollup')).toEqual(await perMonth(store, 'events'))
    const [row] = await sql<{ n: string; distinct_keys: string }>(store, `SELECT toString(sum(events)) AS n, toString(uniqExact(user_key)) AS distinct_keys FROM activity_rollup WHERE project_id = 'p'`)
    expect(row).toEqual({ n: String(history().length + 2), distinct_keys: '3' })
  })
})
