import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertEvents, type TestEvent } from '../accounts/__fixtures__/events.js'
import { rollupParams } from '../accounts/rollup.sql.js'
import { sessionsSql, type SpanSource } from '../accounts/seat-sharing.sql.js'
import { detectSeatSharing } from '../accounts/seat-sharing.js'
import type { Store } from '../store/client.js'
import { loadMigrations, migrate } from '../store/migrate.js'
import { up as spansUp } from '../store/migrations/046_session_spans.js'
import { openTestStore } from '../testing/store.js'
import { backfillActivityRollup } from './backfill.js'
import { spansComplete } from './status.js'

/**
 * Migration 046 on a data folder with events stored before it: until the background job has added
 * their sessions' spans to `session_spans`, seat sharing reads the events; after it, the spans.
 * Both find the same shared logins, later events reach the spans as they arrive, and events that
 * come twice change no span.
 */
const laptop = { browser: 'Chrome', os: 'Mac OS', device_type: 'desktop' }
const phone = { browser: 'Mobile Safari', os: 'iOS', device_type: 'mobile' }
const ev = (user: string, ts: string, extra: Partial<TestEvent> = {}): TestEvent => ({
  event: '$click', timestamp: `${ts}.000`, user_id: user, account_id: 'acme', ...extra,
})
const history: TestEvent[] = [
  // One login on a laptop and a phone at once, on two days.
  ...['2025-03-03', '2025-03-04'].flatMap((day) => [
    ev('u1', `${day} 09:00:00`, { session_id: `l-${day}`, ...laptop }),
    ev('u1', `${day} 11:00:00`, { session_id: `l-${day}`, ...laptop }),
    ev('u1', `${day} 09:30:00`, { session_id: `p-${day}`, ...phone }),
    ev('u1', `${day} 10:30:00`, { session_id: `p-${day}`, ...phone }),
  ]),
  // A session across midnight: its span within the report's days is cut at the range's end.
  ev('u2', '2025-03-05 23:00:00', { session_id: 'night' }),
  ev('u2', '2025-03-06 01:00:00', { session_id: 'night' }),
  // Events without a session id make one span per device and day; a page leave is no activity.
  ev('u3', '2025-03-03 08:00:00'),
  ev('u3', '2025-03-03 12:00:00'),
  ev('u3', '2025-03-03 18:00:00', { event: '$pageleave' }),
]
const FROM = '2025-03-01'
const TO = '2025-03-06'

async function spans(store: Store, source: SpanSource) {
  const rs = await store.client.query({ query: `${sessionsSql(source)} ORDER BY account, user_id, session, device`, query_params: rollupParams('p', FROM, TO), format: 'JSONEachRow' })
  return rs.json<Record<string, string>>()
}
/** Every span the table holds, merged. */
const stored = async (store: Store) =>
  (await store.client.query({
    query: `SELECT user_key, toString(day) AS day, session_id, device_type, toString(min(started)) AS started, toString(max(ended)) AS ended
      FROM session_spans WHERE project_id = 'p' GROUP BY user_key, day, session_id, device_type ORDER BY user_key, day, session_id, device_type`,
    format: 'JSONEachRow',
  })).json<Record<string, string>>()

describe('session spans kept at ingest (migration 046)', () => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ store, cleanup } = await openTestStore({ before: 46 }))
    await insertEvents(store.client, 'p', history)
    await backfillActivityRollup(store)
  }, 120_000)
  afterAll(async () => {
    await cleanup?.()
  })

  it('reads the events until the job has added their spans, then the spans, with the same result', async () => {
    // The later migrations too: their tables wait for the same job, and the reports read the rollup until then.
    expect(await migrate(store)).toEqual((await loadMigrations()).map((m) => m.version).filter((v) => v >= 46))
    expect(await spansComplete(store.client, 'p')).toBe(false)
    const before = await detectSeatSharing(store.client, 'p', FROM, TO)
    const acme = before.accounts.find((a) => a.accountId === 'acme')!
    expect(acme.flaggedUsers.map((u) => [u.userId, u.overlapDays, u.activity.devices])).toEqual([['u1', 2, 2]])
    expect(await stored(store)).toEqual([])

    expect(await backfillActivityRollup(store)).toEqual({ projects: 1, stopped: false })
    expect(await spansComplete(store.client, 'p')).toBe(true)
    expect(await detectSeatSharing(store.client, 'p', FROM, TO)).toEqual(before)
    const fromEvents = await spans(store, 'events')
    expect(await spans(store, 'spans')).toEqual(fromEvents)
    expect(await stored(store)).toEqual([
      { user_key: 'u1', day: '2025-03-03', session_id: 'l-2025-03-03', device_type: 'desktop', started: '2025-03-03 09:00:00.000', ended: '2025-03-03 11:00:00.000' },
      { user_key: 'u1', day: '2025-03-03', session_id: 'p-2025-03-03', device_type: 'mobile', started: '2025-03-03 09:30:00.000', ended: '2025-03-03 10:30:00.000' },
      { user_key: 'u1', day: '2025-03-04', session_id: 'l-2025-03-04', device_type: 'desktop', started: '2025-03-04 09:00:00.000', ended: '2025-03-04 11:00:00.000' },
      { user_key: 'u1', day: '2025-03-04', session_id: 'p-2025-03-04', device_type: 'mobile', started: '2025-03-04 09:30:00.000', ended: '2025-03-04 10:30:00.000' },
      { user_key: 'u2', day: '2025-03-05', session_id: 'night', device_type: 'desktop', started: '2025-03-05 23:00:00.000', ended: '2025-03-05 23:00:00.000' },
      { user_key: 'u2', day: '2025-03-06', session_id: 'night', device_type: 'desktop', started: '2025-03-06 01:00:00.000', ended: '2025-03-06 01:00:00.000' },
      // The page leave at 18:00 is not activity: the span ends at noon.
      { user_key: 'u3', day: '2025-03-03', session_id: '', device_type: 'desktop', started: '2025-03-03 08:00:00.000', ended: '2025-03-03 12:00:00.000' },
    ])
    // Done: a second run has nothing left to do.
    expect(await backfillActivityRollup(store)).toEqual({ projects: 0, stopped: false })

    // A later event, and one that arrives late but happened earlier, widen the phone's span as the events do.
    await insertEvents(store.client, 'p', [ev('u1', '2025-03-03 08:45:00', { session_id: 'p-2025-03-03', ...phone }), ev('u1', '2025-03-04 12:00:00', { session_id: 'p-2025-03-04', ...phone })])
    const widened = await spans(store, 'spans')
    expect(widened).toEqual(await spans(store, 'events'))
    expect(widened).not.toEqual(fromEvents)
    // The same events stored again (a replay in another batch) change no span.
    const spansBefore = await stored(store)
    await insertEvents(store.client, 'p', [...history].reverse())
    expect(await stored(store)).toEqual(spansBefore)
  })

  it('runs again without harm (a second replica)', async () => {
    const before = await stored(store)
    for (const statement of spansUp({})) await store.client.command({ query: statement })
    await backfillActivityRollup(store)
    expect(await stored(store)).toEqual(before)

  })
})
