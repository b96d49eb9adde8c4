import { createSegment } from '@tenure/analysis'
import { openTestStore } from '@tenure/analysis/testing'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rawOverview } from './__fixtures__/overview-raw-reference.js'
import { overview } from './overview.js'
import { newUsersSql } from './overview.sql.js'
import { NON_ACTIVITY_EVENTS } from '@tenure/analysis'

type TestStore = Awaited<ReturnType<typeof openTestStore>>

function ev(project: string, event: string, ts: string, who: { anon: string; user?: string; account?: string }, properties: Record<string, unknown> = {}) {
  return {
    project_id: project, uuid: randomUUID(), event, timestamp: ts.replace('T', ' ').replace('Z', ''), client_timestamp: ts.replace('T', ' ').replace('Z', ''),
    received_at: ts.replace('T', ' ').replace('Z', ''), anonymous_id: who.anon, user_id: who.user ?? '', account_id: who.account ?? '',
    properties: JSON.stringify(properties),
  }
}

describe('overview figures', () => {
  let t: TestStore
  beforeAll(async () => {
    t = await openTestStore()
    const a1 = { anon: 'a1', account: 'acc1' }
    const rows = [
      ev('p1', '$pageview', '2026-01-10T10:00:00Z', a1), // anonymous, later merged into u1
      ev('p1', '$click', '2026-01-11T09:00:00Z', { anon: 'a1', user: 'u1' }),
      ev('p1', '$click', '2026-01-11T23:30:00Z', { anon: 'a2', user: 'u2' }),
      ev('p1', '$pageleave', '2026-01-11T12:00:00Z', { anon: 'a3', user: 'u3' }), // not activity, still an event
      ev('p1', '$pageview', '2025-12-01T12:00:00Z', { anon: 'a4', user: 'u4' }),
      ev('p1', '$pageview', '2026-01-10T12:00:00Z', { anon: 'a4', user: 'u4' }),
      ev('p2', '$click', '2026-01-10T12:00:00Z', { anon: 'x', user: 'u1', account: 'other' }),
      ev('p2', '$click', '2026-01-11T12:00:00Z', { anon: 'y', user: 'y' }),
    ]
    // Inserted as the collector does, then again as after a lost answer: the store drops the
    // repeated block before the rollup's view sees it, so every event counts once.
    const batch = { table: 'events', columns: Object.keys(rows[0]!), format: 'JSONEachRow' as const, bytes: Buffer.from(rows.map((r) => JSON.stringify(r)).join('\n')) }
    await t.store.insertBytes(batch)
    await t.store.insertBytes(batch)
    // Quarter hours either side of local midnight in a +05:45 zone (Asia/Kathmandu: 18:15 UTC).
    await t.store.client.insert({
      table: 'events', format: 'JSONEachRow',
      values: [
        ev('p3', '$click', '2026-01-10T18:14:59.999Z', { anon: 'k1', user: 'k1' }),
        ev('p3', '$click', '2026-01-10T18:15:00Z', { anon: 'k2', user: 'k2' }),
        ev('p3', '$pageleave', '2026-01-10T18:29:00Z', { anon: 'k3', user: 'k3' }),
        ev('p3', '$click', '2026-01-11T18:00:00Z', { anon: 'k1', user: 'k1', account: 'kacc' }),
      ],
    })
    await t.store.client.insert({ table: 'person_aliases', values: [{ project_id: 'p1', anonymous_id: 'a1', user_id: 'u1', updated_at: '2026-01-11 09:00:00' }], format: 'JSONEachRow' })
    await t.store.client.insert({ table: 'user_accounts', values: [{ project_id: 'p1', user_id: 'u2', account_id: 'acc2', updated_at: '2026-01-11 09:00:00' }], format: 'JSONEachRow' })
  })
  afterAll(() => t.cleanup())

  it('counts people, accounts, new people and events per UTC day', async () => {
    const o = await overview(t.store.client, { projectId: 'p1', from: '2026-01-10', to: '2026-01-12', tz: 'UTC' })
    // Read from the activity rollup and from the events themselves, the figures are the same.
    expect(await rawOverview(t.store.client, { projectId: 'p1', from: '2026-01-10', to: '2026-01-12', tz: 'UTC' })).toEqual({ days: o.days, totals: o.totals })
    expect(o.activity).toEqual({ complete: true, note: null })
    expect(o.days).toEqual([
      { day: '2026-01-10', activeUsers: 2, activeAccounts: 1, newUsers: 1, events: 2 },
      { day: '2026-01-11', activeUsers: 2, activeAccounts: 1, newUsers: 1, events: 3 },
      { day: '2026-01-12', activeUsers: 0, activeAccounts: 0, newUsers: 0, events: 0 },
    ])
    expect(o.totals).toEqual({ activeUsers: 3, activeAccounts: 2, newUsers: 2, events: 5 })
  })

  it('cuts days in the requested time zone', async () => {
    const o = await overview(t.store.client, { projectId: 'p1', from: '2026-01-10', to: '2026-01-12', tz: 'Asia/Tokyo' })
    expect(await rawOverview(t.store.client, { projectId: 'p1', from: '2026-01-10', to: '2026-01-12', tz: 'Asia/Tokyo' })).toEqual({ days: o.days, totals: o.totals })
    expect(o.days).toEqual([
      { day: '2026-01-10', activeUsers: 2, activeAccounts: 1, newUsers: 1, events: 2 },
      { day: '2026-01-11', activeUsers: 1, activeAccounts: 0, newUsers: 0, events: 2 },
      { day: '2026-01-12', activeUsers: 1, activeAccounts: 1, newUsers: 1, events: 1 },
    ])
  })

  it('never counts another project', async () => {
    const o = await overview(t.store.client, { projectId: 'p2', from: '2026-01-10', to: '2026-01-11', tz: 'UTC' })
    expect(await rawOverview(t.store.client, { projectId: 'p2', from: '2026-01-10', to: '2026-01-11', tz: 'UTC' })).toEqual({ days: o.days, totals: o.totals })
    expect(o.totals).toEqual({ activeUsers: 2, activeAccounts: 1, newUsers: 2, events: 2 })
  })

  it('cuts local days on the quarter hour in a zone 5:45 ahead, as the events do', async () => {
    for (const tz of ['Asia/Kathmandu', 'UTC', 'America/St_Johns', 'Pacific/Kiritimati']) {
      const o = await overview(t.store.client, { projectId: 'p3', from: '2026-01-09', to: '2026-01-12', tz })
      expect({ tz, ...(await rawOverview(t.store.client, { projectId: 'p3', from: '2026-01-09', to: '2026-01-12', tz })) }).toEqual({ tz, days: o.days, totals: o.totals })
    }
    const o = await overview(t.store.client, { projectId: 'p3', from: '2026-01-10', to: '2026-01-12', tz: 'Asia/Kathmandu' })
    expect(o.days).toEqual([
      { day: '2026-01-10', activeUsers: 1, activeAccounts: 0, newUsers: 1, events: 1 },
      // 18:00 UTC on the 11th is 23:45 there, still the 11th.
      { day: '2026-01-11', activeUsers: 2, activeAccounts: 1, newUsers: 1, events: 3 },
      { day: '2026-01-12', activeUsers: 0, activeAccounts: 0, newUsers: 0, events: 0 },
    ])
  })

  it('counts late events on the day they happened', async () => {
    const before = await overview(t.store.client, { projectId: 'p2', from: '2026-01-10', to: '2026-01-11', tz: 'UTC' })
    await t.store.client.insert({ table: 'events', values: [ev('p2', '$click', '2026-01-10T08:00:00Z', { anon: 'late', user: 'late' })], format: 'JSONEachRow' })
    const after = await overview(t.store.client, { projectId: 'p2', from: '2026-01-10', to: '2026-01-11', tz: 'UTC' })
    expect(after.days[0]).toEqual({ ...before.days[0]!, activeUsers: before.days[0]!.activeUsers + 1, newUsers: before.days[0]!.newUsers + 1, events: before.days[0]!.events + 1 })
    expect(await rawOverview(t.store.client, { projectId: 'p2', from: '2026-01-10', to: '2026-01-11', tz: 'UTC' })).toEqual({ days: after.days, totals: after.totals })
  })

  it('finds the same new people from the first activities kept at ingest as from every rollup row', async () => {
    for (const [project, tz] of [['p1', 'UTC'], ['p1', 'Asia/Tokyo'], ['p3', 'Asia/Kathmandu'], ['p3', 'America/St_Johns'], ['p2', 'UTC']]) {
      const params = { project, tz, from: '2026-01-09', to: '2026-01-12', hi_day: '2026-01-14', non_activity: [...NON_ACTIVITY_EVENTS] }
      const read = async (firsts: 'kept' | 'rollup') => (await t.store.client.query({ query: newUsersSql('', firsts), query_params: params, format: 'JSONEachRow' })).json()
      const kept = await read('kept')
      expect({ project, tz, kept }).toEqual({ project, tz, kept: await read('rollup') })
      expect(kept.length).toBeGreaterThan(0)
    }
  })

  it('while older events are still being added to the rollup, shows what it holds and says so', async () => {
    // A data folder from before the rollup: its events stored, the backfill not yet started.
    await t.store.client.insert({ table: 'events', values: [ev('p4', '$click', '2026-01-10T12:00:00Z', { anon: 'o1', user: 'o1' })], format: 'JSONEachRow' })
    await t.store.client.command({ query: `ALTER TABLE activity_rollup DELETE WHERE project_id = 'p4' SETTINGS mutations_sync = 1` })
    await t.store.client.insert({
      table: 'activity_rollup_backfill', format: 'JSONEachRow',
      values: [{ project_id: 'p4', slice: 0, cutoff: '2026-01-11 00:00:00.000', state: 'pending', updated_at: '2026-01-11 00:00:00.000' }],
    })
    // Received since: in the rollup already.
    await t.store.client.insert({ table: 'events', values: [ev('p4', '$click', '2026-01-11T12:00:00Z', { anon: 'o2', user: 'o2' })], format: 'JSONEachRow' })
    const o = await overview(t.store.client, { projectId: 'p4', from: '2026-01-10', to: '2026-01-11', tz: 'UTC' })
    expect(o.activity.complete).toBe(false)
    expect(o.activity.note).toMatch(/still being added to the activity rollup/)
    // Only the event received since the rollup began: the older one is not added yet.
    expect(o.days.map((d) => [d.day, d.activeUsers, d.newUsers, d.events])).toEqual([['2026-01-10', 0, 0, 0], ['2026-01-11', 1, 1, 1]])
  })
})

describe('overview of a segment', () => {
  let t: TestStore
  /*
   * Project p3 (UTC). Roles from identify (events that are not activity, but are stored):
   *   u1 admin, acc1: active 01-10 (first), 01-11      u2 member, acc2: active 01-10 (first)
   *   u3 admin, acc1: active 01-11 (first)             anonymous a4: active 01-11 (first)
   * Everyone: 01-10 2 people (u1, u2), 2 accounts, 2 new; 01-11 3 people (u1, u3, a4), 1 account (acc1), 2 new (u3, a4).
   * Admins (u1, u3): 01-10 1 person, 1 account, 1 new; 01-11 2 people, 1 account, 1 new; 2 people and 1 account in all.
   * Events are the project's either way: 01-10 5 (2 page views, 3 identifies), 01-11 3.
   */
  beforeAll(async () => {
    t = await openTestStore()
    const rows = [
      ev('p3', '$pageview', '2026-01-10T10:00:00Z', { anon: 'a1', user: 'u1', account: 'acc1' }),
      ev('p3', '$identify', '2026-01-10T10:01:00Z', { anon: 'a1', user: 'u1' }, { role: 'admin' }),
      ev('p3', '$pageview', '2026-01-10T11:00:00Z', { anon: 'a2', user: 'u2', account: 'acc2' }),
      ev('p3', '$identify', '2026-01-10T11:01:00Z', { anon: 'a2', user: 'u2' }, { role: 'member' }),
      ev('p3', '$identify', '2026-01-10T12:00:00Z', { anon: 'a3', user: 'u3' }, { role: 'admin' }),
      ev('p3', '$click', '2026-01-11T09:00:00Z', { anon: 'a1', user: 'u1', account: 'acc1' }),
      ev('p3', '$click', '2026-01-11T10:00:00Z', { anon: 'a3', user: 'u3', account: 'acc1' }),
      ev('p3', '$pageview', '2026-01-11T11:00:00Z', { anon: 'a4' }),
    ]
    await t.store.client.insert({ table: 'events', values: rows, format: 'JSONEachRow' })
    await createSegment(t.store.client, 'p3', { id: 'admins', name: 'Admins', definition: { match: 'all', conditions: [{ type: 'property', property: 'person.role', op: 'eq', value: 'admin' }] } })
  })
  afterAll(() => t.cleanup())

  const range = { projectId: 'p3', from: '2026-01-10', to: '2026-01-11', tz: 'UTC' }

  it('counts only the segment\'s people and the accounts they were active in, events still the project\'s', async () => {
    const everyone = await overview(t.store.client, range)
    expect(everyone.segment).toBeNull()
    expect(everyone.days).toEqual([
      { day: '2026-01-10', activeUsers: 2, activeAccounts: 2, newUsers: 2, events: 5 },
      { day: '2026-01-11', activeUsers: 3, activeAccounts: 1, newUsers: 2, events: 3 },
    ])
    const admins = await overview(t.store.client, { ...range, segment: 'admins' })
    expect(admins.segment).toMatchObject({ id: 'admins', name: 'Admins' })
    expect(admins.days).toEqual([
      { day: '2026-01-10', activeUsers: 1, activeAccounts: 1, newUsers: 1, events: 5 },
      { day: '2026-01-11', activeUsers: 2, activeAccounts: 1, newUsers: 1, events: 3 },
    ])
    expect(admins.totals).toEqual({ activeUsers: 2, activeAccounts: 1, newUsers: 2, events: 8 })
  })

  it('refuses a segment that is not saved, naming the field', async () => {
    await expect(overview(t.store.client, { ...range, segment: 'nope' })).rejects.toMatchObject({ code: 'not_found', field: 'segment' })
  })
})
