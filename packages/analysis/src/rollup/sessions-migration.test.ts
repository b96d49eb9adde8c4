import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertEvents, type TestEvent } from '../accounts/__fixtures__/events.js'
import type { Store } from '../store/client.js'
import { openTestStore } from '../testing/store.js'
import { loadMigrations, migrate } from '../store/migrate.js'
import { up as sessionsUp } from '../store/migrations/043_rollup_sessions.js'
import { backfillActivityRollup } from './backfill.js'
import { rollupCoverage } from './status.js'

/**
 * Migration 043 on a data folder whose rollup is complete without session ids: the rollup is
 * built again with them, and until the job has run the reports say it is incomplete.
 */
const ev = (timestamp: string, user: string, session: string, extra: Partial<TestEvent> = {}): TestEvent =>
  ({ event: '$click', timestamp, user_id: user, account_id: 'acme', session_id: session, ...extra })

// Two sessions in one quarter hour (u1 on Jan 31), a session across midnight (u2), events without a session id (u3).
const history: TestEvent[] = [
  ev('2025-01-31 09:00:00.000', 'u1', 's1'),
  ev('2025-01-31 09:01:00.000', 'u1', 's1', { event: '$pageview', path: '/a' }),
  ev('2025-01-31 09:10:00.000', 'u1', 's2'),
  ev('2025-01-31 23:58:00.000', 'u2', 's3'),
  ev('2025-02-01 00:03:00.000', 'u2', 's3'),
  ev('2025-02-02 10:00:00.000', 'u3', ''),
  ev('2025-02-02 10:01:00.000', 'u3', ''),
]

const sql = async <T>(store: Store, query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<T>()
/** Per user key and UTC day: events and distinct session ids, from the events or from the rollup. */
const sessions = (store: Store, from: 'events' | 'rollup') =>
  sql<{ user_key: string; day: string; events: string; sessions: string }>(store, from === 'events'
    ? `SELECT user_key, toString(toDate(timestamp)) AS day, toString(count()) AS events, toString(uniqExactIf(session_id, session_id != '')) AS sessions
       FROM events FINAL WHERE project_id = 'p' GROUP BY user_key, day ORDER BY user_key, day`
    : `SELECT user_key, toString(toDate(bucket)) AS day, toString(sum(events)) AS events, toString(uniqExactIf(session_id, session_id != '')) AS sessions
       FROM activity_rollup WHERE project_id = 'p' GROUP BY user_key, day ORDER BY user_key, day`)

describe('the session id in the activity rollup (migration 043)', () => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ store, cleanup } = await openTestStore({ before: 43 }))
    await insertEvents(store.client, 'p', history)
    await backfillActivityRollup(store)
  }, 120_000)
  afterAll(async () => {
    await cleanup?.()
  })

  it('builds the rollup again with session ids, and the view keeps them for later events', async () => {
    expect((await rollupCoverage(store.client, 'p')).complete).toBe(true)
    expect(await migrate(store, (await loadMigrations()).filter((m) => m.version <= 43))).toEqual([43])
    const during = await rollupCoverage(store.client, 'p')
    expect(during.complete).toBe(false)
    expect(await sql(store, `SELECT toString(count()) AS n FROM activity_rollup`)).toEqual([{ n: '0' }])

    expect(await backfillActivityRollup(store)).toEqual({ projects: 1, stopped: false })
    expect((await rollupCoverage(store.client, 'p')).complete).toBe(true)
    const expected = [
      { user_key: 'u1', day: '2025-01-31', events: '3', sessions: '2' },
      { user_key: 'u2', day: '2025-01-31', events: '1', sessions: '1' },
      { user_key: 'u2', day: '2025-02-01', events: '1', sessions: '1' },
      { user_key: 'u3', day: '2025-02-02', events: '2', sessions: '0' },
    ]
    expect(await sessions(store, 'events')).toEqual(expected)
    expect(await sessions(store, 'rollup')).toEqual(expected)

    await insertEvents(store.client, 'p', [ev('2025-02-02 10:05:00.000', 'u3', 's9')])
    expect((await sessions(store, 'rollup')).at(-1)).toEqual({ user_key: 'u3', day: '2025-02-02', events: '3', sessions: '1' })
    expect(await sessions(store, 'rollup')).toEqual(await sessions(store, 'events'))
  })

  it('runs again without harm (a second replica), and on a cluster drops the front before the shards', async () => {
    for (const statement of sessionsUp({})) await store.client.command({ query: statement })
    expect((await rollupCoverage(store.client, 'p')).complete).toBe(false)
    await backfillActivityRollup(store)
    expect(await sessions(store, 'rollup')).toEqual(await sessions(store, 'events'))

    const cluster = sessionsUp({ cluster: 'analytics' })
    expect(cluster.slice(0, 3)).toEqual([
      'DROP VIEW IF EXISTS activity_rollup_mv ON CLUSTER analytics',
      'DROP TABLE IF EXISTS activity_rollup ON CLUSTER analytics',
      'DROP TABLE IF EXISTS activity_rollup_local ON CLUSTER analytics',
    ])
    const local = cluster.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS activity_rollup_local'))!
    expect(local).toContain('session_id String')
    expect(local).toContain('element_text, session_id, origin)')
    expect(cluster.find((s) => s.startsWith('CREATE MATERIALIZED VIEW'))).toContain('TO activity_rollup_local AS')
    expect(cluster).toContain('TRUNCATE TABLE IF EXISTS activity_rollup_backfill ON CLUSTER analytics')
  })
})
