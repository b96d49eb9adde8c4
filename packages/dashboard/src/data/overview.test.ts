import { openTestStore } from '@tenure/analysis/testing'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { overview } from './overview.js'

type TestStore = Awaited<ReturnType<typeof openTestStore>>

function ev(project: string, event: string, ts: string, who: { anon: string; user?: string; account?: string }) {
  return {
    project_id: project, uuid: randomUUID(), event, timestamp: ts.replace('T', ' ').replace('Z', ''), client_timestamp: ts.replace('T', ' ').replace('Z', ''),
    received_at: ts.replace('T', ' ').replace('Z', ''), anonymous_id: who.anon, user_id: who.user ?? '', account_id: who.account ?? '',
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
    // The same event stored twice (a retried batch) counts once.
    rows.push({ ...rows[1]! })
    await t.store.client.insert({ table: 'events', values: rows, format: 'JSONEachRow' })
    await t.store.client.insert({ table: 'person_aliases', values: [{ project_id: 'p1', anonymous_id: 'a1', user_id: 'u1', updated_at: '2026-01-11 09:00:00' }], format: 'JSONEachRow' })
    await t.store.client.insert({ table: 'user_accounts', values: [{ project_id: 'p1', user_id: 'u2', account_id: 'acc2', updated_at: '2026-01-11 09:00:00' }], format: 'JSONEachRow' })
  })
  afterAll(() => t.cleanup())

  it('counts people, accounts, new people and events per UTC day', async () => {
    const o = await overview(t.store.client, { projectId: 'p1', from: '2026-01-10', to: '2026-01-12', tz: 'UTC' })
    // Read from the activity rollup and from the events themselves, the figures are the same.
    expect(await overview(t.store.client, { projectId: 'p1', from: '2026-01-10', to: '2026-01-12', tz: 'UTC', source: 'events' })).toEqual(o)
    expect(o.days).toEqual([
      { day: '2026-01-10', activeUsers: 2, activeAccounts: 1, newUsers: 1, events: 2 },
      { day: '2026-01-11', activeUsers: 2, activeAccounts: 1, newUsers: 1, events: 3 },
      { day: '2026-01-12', activeUsers: 0, activeAccounts: 0, newUsers: 0, events: 0 },
    ])
    expect(o.totals).toEqual({ activeUsers: 3, activeAccounts: 2, newUsers: 2, events: 5 })
  })

  it('cuts days in the requested time zone', async () => {
    const o = await overview(t.store.client, { projectId: 'p1', from: '2026-01-10', to: '2026-01-12', tz: 'Asia/Tokyo' })
    expect(await overview(t.store.client, { projectId: 'p1', from: '2026-01-10', to: '2026-01-12', tz: 'Asia/Tokyo', source: 'events' })).toEqual(o)
    expect(o.days).toEqual([
      { day: '2026-01-10', activeUsers: 2, activeAccounts: 1, newUsers: 1, events: 2 },
      { day: '2026-01-11', activeUsers: 1, activeAccounts: 0, newUsers: 0, events: 2 },
      { day: '2026-01-12', activeUsers: 1, activeAccounts: 1, newUsers: 1, events: 1 },
    ])
  })

  it('never counts another project', async () => {
    const o = await overview(t.store.client, { projectId: 'p2', from: '2026-01-10', to: '2026-01-11', tz: 'UTC' })
    expect(await overview(t.store.client, { projectId: 'p2', from: '2026-01-10', to: '2026-01-11', tz: 'UTC', source: 'events' })).toEqual(o)
    expect(o.totals).toEqual({ activeUsers: 2, activeAccounts: 1, newUsers: 2, events: 2 })
  })
})
