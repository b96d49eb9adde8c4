import { createSegment, healthReport, renewalsReport } from '@tenure/analysis'
import { openTestStore } from '@tenure/analysis/testing'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HealthReports, healthDataVersion, QUADRANT_THRESHOLDS } from './health-cache.js'

type TestStore = Awaited<ReturnType<typeof openTestStore>>

const ev = (ts: string, user: string) => ({
  project_id: 'p', uuid: randomUUID(), event: '$click', timestamp: ts, client_timestamp: ts, received_at: ts, anonymous_id: `a-${user}`, user_id: user, account_id: 'acme',
})

/** A report as of a day is served again while nothing it reads has changed, and computed again once something has. */
describe('health reports shared by the account pages', () => {
  let t: TestStore
  const AS_OF = '2026-01-10'
  beforeAll(async () => {
    t = await openTestStore()
    await t.store.client.insert({ table: 'events', values: [ev('2026-01-08 10:00:00.000', 'u1')], format: 'JSONEachRow' })
  })
  afterAll(() => t.cleanup())

  const insert = (table: string, values: Record<string, unknown>[]) => t.store.client.insert({ table, values, format: 'JSONEachRow' })

  it('keeps its data version while only events of the day itself or later arrive', async () => {
    const v1 = await healthDataVersion(t.store.client, 'p', AS_OF)
    await insert('events', [ev('2026-01-10 00:00:00.000', 'u2'), ev('2026-01-11 09:00:00.000', 'u3')])
    expect(await healthDataVersion(t.store.client, 'p', AS_OF)).toBe(v1)
    // Another project's late event is not this project's business.
    await insert('events', [{ ...ev('2026-01-02 10:00:00.000', 'x'), project_id: 'q' }])
    expect(await healthDataVersion(t.store.client, 'p', AS_OF)).toBe(v1)

    // A late event of the project, an identity merged, an account imported: each changes it.
    await insert('events', [ev('2026-01-09 23:59:59.999', 'u4')])
    const v2 = await healthDataVersion(t.store.client, 'p', AS_OF)
    expect(v2).not.toBe(v1)
    await insert('person_aliases', [{ project_id: 'p', anonymous_id: 'a-u9', user_id: 'u1', updated_at: '2026-01-11 09:00:00' }])
    const v3 = await healthDataVersion(t.store.client, 'p', AS_OF)
    expect(v3).not.toBe(v2)
    await insert('accounts', [{ project_id: 'p', account_id: 'acme', name: 'Acme' }])
    const v4 = await healthDataVersion(t.store.client, 'p', AS_OF)
    expect(v4).not.toBe(v3)
    // Background merges rewrite parts, not what they hold.
    for (const table of ['person_aliases', 'events', 'activity_rollup']) await t.store.client.command({ query: `OPTIMIZE TABLE ${table} FINAL` })
    expect(await healthDataVersion(t.store.client, 'p', AS_OF)).toBe(v4)
  })

  it('answers what the report itself answers, before and after a change', async () => {
    const reports = new HealthReports()
    const direct = () => healthReport(t.store.client, { projectId: 'p', asOf: AS_OF, quadrantThresholds: QUADRANT_THRESHOLDS })
    const first = await reports.get(t.store.client, { projectId: 'p', asOf: AS_OF })
    expect(first).toEqual(await direct())
    // Served again, as a copy a page may change without changing the kept one.
    const again = await reports.get(t.store.client, { projectId: 'p', asOf: AS_OF })
    expect(again).toEqual(first)
    again.windows.note = 'changed by a page'
    expect(await reports.get(t.store.client, { projectId: 'p', asOf: AS_OF, seatSharing: false })).toEqual(first)
    const renewals = () => renewalsReport(t.store.client, { projectId: 'p', asOf: AS_OF, lookbackDays: 90, minN: 30 })
    expect(await reports.renewals(t.store.client, { projectId: 'p', asOf: AS_OF })).toEqual(await renewals())
    await insert('events', [ev('2026-01-09 12:00:00.000', 'u5')])
    expect(await reports.get(t.store.client, { projectId: 'p', asOf: AS_OF })).toEqual(await direct())
    expect(await reports.renewals(t.store.client, { projectId: 'p', asOf: AS_OF })).toEqual(await renewals())
  })

  it('keeps a segment\'s report apart from everyone\'s, and computes it again once the segment changes', async () => {
    const reports = new HealthReports()
    const v1 = await healthDataVersion(t.store.client, 'p', AS_OF)
    await createSegment(t.store.client, 'p', { id: 'busy', name: 'Busy', definition: { conditions: [{ type: 'active_days', minDays: 5, lastDays: 7 }] } })
    expect(await healthDataVersion(t.store.client, 'p', AS_OF)).not.toBe(v1)
    const everyone = await reports.get(t.store.client, { projectId: 'p', asOf: AS_OF })
    const segmented = await reports.get(t.store.client, { projectId: 'p', asOf: AS_OF, segment: 'busy' })
    expect(segmented).toEqual(await healthReport(t.store.client, { projectId: 'p', asOf: AS_OF, quadrantThresholds: QUADRANT_THRESHOLDS, segment: 'busy' }))
    expect(segmented.segment?.id).toBe('busy')
    expect(everyone.segment).toBeNull()
    // The report without seat sharing is served from the segment's own, not from everyone's.
    expect((await reports.get(t.store.client, { projectId: 'p', asOf: AS_OF, segment: 'busy', seatSharing: false })).segment?.id).toBe('busy')
  })
})
