import { createFeature, createNudge, createSegment, healthReport, renewalsReport } from '@tenure/analysis'
import { openTestStore } from '@tenure/analysis/testing'
import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HealthReports, healthDataVersion, QUADRANT_THRESHOLDS } from './health-cache.js'
import { RetentionFeaturesQuery, retentionFeaturesData, settledView, type RetentionFeaturesParams } from './retention-features.js'

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

/** The retention features page's reports: as of the start of a local day, kept while the data before it holds. */
describe('retention features page reports', () => {
  let t: TestStore
  const insert = (table: string, values: Record<string, unknown>[]) => t.store.client.insert({ table, values, format: 'JSONEachRow' })
  // New York: 2026-01-10 starts at 05:00 UTC.
  const view = settledView(RetentionFeaturesQuery.parse({ from: '2026-01-01', to: '2026-01-09' }), 'America/New_York')
  const params: RetentionFeaturesParams = { projectId: 'p', view, asOf: '2026-01-10' }
  beforeAll(async () => {
    t = await openTestStore()
    await insert('events', [ev('2026-01-02 15:00:00.000', 'u1'), ev('2026-01-03 15:00:00.000', 'u1'), ev('2026-01-02 16:00:00.000', 'u2')])
    await createFeature(t.store.client, 'p', { id: 'clicks', name: 'Clicks', rules: [{ type: 'event', name: '$click' }] })
  })
  afterAll(() => t.cleanup())

  it('counts events up to the start of the day in the zone the page reads', async () => {
    const v1 = await healthDataVersion(t.store.client, 'p', '2026-01-10', 'America/New_York')
    // After the local day began: nothing the reports read.
    await insert('events', [ev('2026-01-10 05:00:00.000', 'u3')])
    expect(await healthDataVersion(t.store.client, 'p', '2026-01-10', 'America/New_York')).toBe(v1)
    // The last quarter hour of the local day before (after UTC midnight): read, so counted.
    await insert('events', [ev('2026-01-10 04:45:00.000', 'u4')])
    expect(await healthDataVersion(t.store.client, 'p', '2026-01-10', 'America/New_York')).not.toBe(v1)
  })

  it('answers what the reports answer, and again after a nudge or a feature changes', async () => {
    const reports = new HealthReports()
    const first = await reports.retentionFeatures(t.store.client, params)
    expect(first).toEqual(await retentionFeaturesData(t.store.client, params))
    expect(first.high?.features.map((f) => f.featureId)).toEqual(['clicks'])
    expect(await reports.retentionFeatures(t.store.client, params)).toEqual(first)
    // The same view in another order of its fields (another query) is the same entry.
    const counting = new HealthReports()
    const reordered = { ...params, view: settledView(RetentionFeaturesQuery.parse({ to: '2026-01-09', from: '2026-01-01', aha: '' }), 'America/New_York') }
    expect(await counting.retentionFeatures(t.store.client, reordered)).toEqual(first)
    expect(await counting.retentionFeatures(t.store.client, params)).toEqual(first)
    expect((counting as unknown as { entries: Map<string, unknown> }).entries.size).toBe(1)
    const v1 = await healthDataVersion(t.store.client, 'p', '2026-01-10', 'America/New_York')
    // A nudge towards the feature (its experiment's evidence is on the page) changes the version.
    await createNudge(t.store.client, 'p', { name: 'Try clicks', featureId: 'clicks', placement: { type: 'tooltip', selector: '#go' }, copy: { body: 'Click here.' } })
    const v2 = await healthDataVersion(t.store.client, 'p', '2026-01-10', 'America/New_York')
    expect(v2).not.toBe(v1)
    await createFeature(t.store.client, 'p', { id: 'views', name: 'Views', rules: [{ type: 'event', name: '$pageview' }] })
    const after = await reports.retentionFeatures(t.store.client, params)
    expect(after.high?.features.map((f) => f.featureId).sort()).toEqual(['clicks', 'views'])
    expect(after).toEqual(await retentionFeaturesData(t.store.client, params))
  })
})

