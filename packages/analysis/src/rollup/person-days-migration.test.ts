import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { featuresToMeasure } from '../accounts/defined-features.js'
import { measureUsage, type UsageWindow } from '../accounts/usage.js'
import { createFeature } from '../features/store.js'
import { insertFixtureEvents, utc, type FixtureEvent } from '../retention/__fixtures__/events.js'
import type { Store } from '../store/client.js'
import { loadMigrations, migrate } from '../store/migrate.js'
import { PERSON_DAYS_SLICE, up as personDaysUp } from '../store/migrations/048_person_days.js'
import { writePlanRow } from '../testing/backfill-plan.js'
import { openTestStore } from '../testing/store.js'
import { createFeatureOfEachRuleKind } from './__fixtures__/features.js'
import { backfillActivityRollup } from './backfill.js'
import { personDaysComplete } from './status.js'

/**
 * Migration 048 on a data folder with events stored before it: until the background job has added
 * their person-days to `person_days`, the account reports read the rollup; after it, the
 * person-days. Both give the same figures; later events reach the person-days as they arrive, and
 * a job interrupted midway counts nothing twice.
 */
const at = (day: number, time = '09:00') => utc('2025-03-01', day, time)
const history: FixtureEvent[] = [
  { user: 'u1', account: 'acme', at: at(0), path: '/reports/1' },
  { user: 'u1', account: 'acme', at: at(0, '09:05'), path: '/reports/1', elements: [{ tag: 'button', id: 'export', text: 'Export' }] },
  { user: 'u1', account: 'acme', at: at(0, '17:40'), path: '/reports/2', elements: [{ tag: 'button', id: 'export', text: 'Export' }] },
  { user: 'u1', account: 'acme', at: at(2), path: '/help/billing' },
  // Not a person's doing: no activity, no day.
  { user: 'u1', account: 'acme', at: at(5), event: '$pageleave', path: '/reports/1' },
  { user: 'u2', account: 'acme', at: at(1), event: 'report_shared' },
  { user: 'u2', account: 'acme', at: at(6, '23:59'), path: '/settings', featureKey: 'seats' },
  { anon: 'a3', account: 'bolt', at: at(1), path: '/reports/9', elements: [{ tag: 'a', classes: ['nav'], text: 'Upgrade' }] },
  { user: 'u4', account: 'bolt', at: at(4), event: 'support_contact' },
  { user: 'u4', account: 'bolt', at: at(7, '00:00'), path: '/reports/3' },
]
// The second week splits each window: u2's last day and u4's first day in it are a day apart across midnight.
const windows: UsageWindow[] = [
  { id: 'acme', accountId: 'acme', from: '2025-03-01', to: '2025-03-08' },
  { id: 'bolt', accountId: 'bolt', from: '2025-03-01', to: '2025-03-09' },
  { id: 'bolt-late', accountId: 'bolt', from: '2025-03-08', to: '2025-03-15' },
]

async function usage(store: Store) {
  const measured = await measureUsage(store.client, 'p', windows, { features: (await featuresToMeasure(store.client, 'p')).conditions })
  return Object.fromEntries([...measured].map(([id, u]) => [id, { ...u, features: Object.fromEntries(u.features) }]))
}
/** The same through the rollup, as while the job has not yet run (its plan row set back to pending for the call). */
async function usageFromRollup(store: Store) {
  await plan(store, 'pending')
  expect(await personDaysComplete(store.client, 'p')).toBe(false)
  const u = await usage(store)
  await new Promise((r) => setTimeout(r, 5))
  await plan(store, 'done')
  expect(await personDaysComplete(store.client, 'p')).toBe(true)
  return u
}
const plan = (store: Store, state: string) => writePlanRow(store.client, { project: 'p', slice: PERSON_DAYS_SLICE, state, cutoff: '2100-01-01 00:00:00.000' })
/** Per UTC day: events and active hours in the table, merged. */
const stored = async (store: Store) =>
  (await store.client.query({
    query: `SELECT toString(day) AS day, toString(sum(events)) AS events, groupBitOr(hours) AS hours FROM person_days WHERE project_id = 'p' GROUP BY day ORDER BY day`,
    format: 'JSONEachRow',
  })).json<{ day: string; events: string; hours: number }>()

describe('person-days kept at ingest (migration 048)', () => {
  let store: Store
  let cleanup: () => Promise<void>
  beforeAll(async () => {
    ;({ store, cleanup } = await openTestStore({ before: 48 }))
    await insertFixtureEvents(store.client, 'p', history)
    await createFeatureOfEachRuleKind(store.client, 'p')
  }, 120_000)
  afterAll(async () => {
    await cleanup?.()
  })

  it('reads the rollup until the job has added the stored events, then the person-days, with the same figures', async () => {
    expect(await migrate(store, (await loadMigrations()).filter((m) => m.version <= 48))).toEqual([48])
    expect(await personDaysComplete(store.client, 'p')).toBe(false)
    const before = await usage(store)
    expect(before.acme).toMatchObject({ activeUsers: 2, activeUserDays: 4, events: 6, helpViews: 1 })
    expect(before.acme!.features).toEqual({ exporting: { users: 1, events: 2 }, upgrading: { users: 1, events: 1 }, reports: { users: 1, events: 3 }, seats: { users: 1, events: 1 } })
    expect(before.bolt).toMatchObject({ activeUsers: 2, activeUserDays: 3, events: 3, supportContacts: 1 })
    expect(before['bolt-late']).toMatchObject({ activeUsers: 1, activeUserDays: 1, events: 1 })

    // As an earlier run interrupted midway would leave it: some of the job's rows already written.
    await store.client.command({
      query: `INSERT INTO person_days SELECT 'p', 'acme', 'u1', 1, toDate('2025-03-01'), 1, toUInt32(1), toUInt64(40), ([toUInt64(7)], [toUInt64(40)])`,
    })
    expect(await backfillActivityRollup(store)).toEqual({ projects: 1, stopped: false })
    expect(await personDaysComplete(store.client, 'p')).toBe(true)
    expect(await usage(store)).toEqual(before)
    expect(await stored(store)).toEqual([
      // u1's three events on day 0, at 09:00, 09:05 and 17:40.
      { day: '2025-03-01', events: '3', hours: (1 << 9) | (1 << 17) },
      { day: '2025-03-02', events: '2', hours: 1 << 9 },
      { day: '2025-03-03', events: '1', hours: 1 << 9 },
      { day: '2025-03-05', events: '1', hours: 1 << 9 },
      { day: '2025-03-07', events: '1', hours: 1 << 23 },
      { day: '2025-03-08', events: '1', hours: 1 },
    ])
    // Done: a second run has nothing left to do.
    expect(await backfillActivityRollup(store)).toEqual({ projects: 0, stopped: false })

    // A later batch reaches the person-days through the view (retries: the collector's durability tests).
    await insertFixtureEvents(store.client, 'p', [
      { user: 'u2', account: 'acme', at: at(5, '10:00'), path: '/reports/4', elements: [{ tag: 'button', id: 'export', text: 'Export' }] },
      { user: 'u5', account: 'bolt', at: at(9), path: '/help/start' },
    ])
    const after = await usage(store)
    expect(after.acme!.features.exporting).toEqual({ users: 2, events: 3 })
    expect(after['bolt-late']).toMatchObject({ activeUsers: 2, helpViews: 1 })
    expect(after).toEqual(await usageFromRollup(store))
    // A feature defined afterwards counts the past too.
    await createFeature(store.client, 'p', { id: 'help', name: 'Help', rules: [{ type: 'url', pattern: '/help/*' }] })
    const withHelp = await usage(store)
    expect(withHelp.acme!.features.help).toEqual({ users: 1, events: 1 })
    expect(withHelp).toEqual(await usageFromRollup(store))
  })

  it('runs again without harm (a second replica)', async () => {
    const before = await stored(store)
    for (const statement of personDaysUp({})) await store.client.command({ query: statement })
    await backfillActivityRollup(store)
    expect(await stored(store)).toEqual(before)
  })
})
