import type { ClickHouseClient } from '@clickhouse/client'
import { healthReport, importAccountData, renewalsReport } from '@tenure/analysis'
import { openTestStore } from '@tenure/analysis/testing'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HealthReports, QUADRANT_THRESHOLDS } from './health-cache.js'
import { HealthWarmer } from './health-warmer.js'

type TestStore = Awaited<ReturnType<typeof openTestStore>>

const AS_OF = '2026-03-01'
const ev = (ts: string, user: string, account: string, feature = '') => ({
  project_id: 'p', uuid: randomUUID(), event: feature ? '$click' : '$pageview', timestamp: ts, client_timestamp: ts, received_at: ts,
  anonymous_id: `a-${user}`, user_id: user, account_id: account, feature_key: feature, session_id: `${user}-${ts.slice(0, 10)}`,
})

/** The store's client, counting the purchase-intent reads: each health report computed makes exactly one (no other report does). */
function counting(client: ClickHouseClient): { client: ClickHouseClient; reports: () => number; usageReads: () => number; versionReads: () => number } {
  let n = 0
  let usage = 0
  let versions = 0
  const wrapped = new Proxy(client, {
    get(target, prop, receiver) {
      if (prop !== 'query') return Reflect.get(target, prop, receiver)
      return (args: { query: string }) => {
        if (args.query.includes('AS paid_feature_users')) n += 1
        if (args.query.includes('AS recent_user_days')) usage += 1
        if (args.query.includes(') AS version')) versions += 1
        return target.query(args as Parameters<ClickHouseClient['query']>[0])
      }
    },
  })
  return { client: wrapped, reports: () => n, usageReads: () => usage, versionReads: () => versions }
}

describe('health reports computed ahead of the account pages', () => {
  let t: TestStore
  const fresh = (asOf = AS_OF) => healthReport(t.store.client, { projectId: 'p', asOf, quadrantThresholds: QUADRANT_THRESHOLDS })
  beforeAll(async () => {
    t = await openTestStore()
    const accounts = ['account_id,name,plan,seats', 'acme,Acme,team,5', 'bolt,Bolt,starter,3', 'cargo,Cargo,team,4'].join('\n')
    const contracts = [
      'contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats',
      'c1,acme,2025-06-01,2026-06-01,12000,USD,annual,5',
      'c2,bolt,2025-09-01,2026-09-01,6000,USD,annual,3',
      'c3,cargo,2025-12-01,2026-12-01,9000,USD,annual,4',
    ].join('\n')
    for (const content of [accounts, contracts]) {
      const r = await importAccountData(t.store.client, 'p', { format: 'csv', content })
      if (!r.ok) throw new Error(JSON.stringify(r.errors))
    }
    const rows = []
    for (let d = 1; d <= 27; d++) {
      const day = `2026-02-${String(d).padStart(2, '0')}`
      rows.push(ev(`${day} 09:00:00.000`, 'u1', 'acme', 'reports.export'), ev(`${day} 10:00:00.000`, 'u2', 'acme'))
      if (d % 3 === 0) rows.push(ev(`${day} 11:00:00.000`, 'u3', 'bolt', 'reports.export'))
      if (d > 20) rows.push(ev(`${day} 12:00:00.000`, 'u4', 'cargo'))
    }
    await t.store.client.insert({ table: 'events', values: rows, format: 'JSONEachRow' })
  }, 120_000)
  afterAll(() => t.cleanup())

  it('serves the pages the report a fresh computation gives, computed once even when a page asks during the warm-up', async () => {
    const { client, reports: computed, versionReads: versionReadsOf } = counting(t.store.client)
    const reports = new HealthReports()
    const warmer = new HealthWarmer({ client, reports, projects: () => ['p'], today: () => AS_OF })
    const warming = warmer.runOnce()
    // A page asking while the report is being computed waits for that computation.
    const page = reports.get(client, { projectId: 'p', asOf: AS_OF })
    await warming
    const [served, expected] = await Promise.all([page, fresh()])
    expect(served.accounts.map((a) => a.accountId)).toEqual(['acme', 'bolt', 'cargo'])
    expect(served).toEqual(expected)
    expect(computed()).toBe(1)
    // Every account page finds it: the calendar's (without seat sharing) too, and the accounts page its renewals report.
    expect(await reports.get(client, { projectId: 'p', asOf: AS_OF, seatSharing: false })).toEqual(expected)
    expect(computed()).toBe(1)
    const renewalsRead = counting(t.store.client)
    expect(await reports.renewals(renewalsRead.client, { projectId: 'p', asOf: AS_OF })).toEqual(await renewalsReport(t.store.client, { projectId: 'p', asOf: AS_OF, lookbackDays: 90, minN: 30 }))
    expect(renewalsRead.usageReads()).toBe(0)
    expect(warmer.status).toMatchObject({ state: 'idle', reportsWarmed: 1, lastError: null })
    // Unchanged data: another pass computes nothing, and reads no project's version either (nothing was stored since).
    await warmer.runOnce()
    const versionReads = versionReadsOf()
    await warmer.runOnce()
    expect(computed()).toBe(1)
    expect(versionReadsOf()).toBe(versionReads)
    await warmer.close()
    expect(warmer.status.state).toBe('stopped')
  })

  it('computes the report again once when its data changes, and at once for a new day', async () => {
    const { client, reports: computed } = counting(t.store.client)
    const reports = new HealthReports()
    let today = AS_OF
    const warmer = new HealthWarmer({ client, reports, projects: () => ['p'], today: () => today })
    await warmer.runOnce()
    expect(computed()).toBe(1)

    // A late event of the day before: the version changes. The pass that first sees it waits for
    // it to hold (a bulk load changes it on every pass); the next computes the report once.
    await t.store.client.insert({ table: 'events', values: [ev('2026-02-28 15:00:00.000', 'u3', 'bolt', 'reports.export')], format: 'JSONEachRow' })
    await warmer.runOnce()
    expect(computed()).toBe(1)
    await warmer.runOnce()
    expect(computed()).toBe(2)
    await warmer.runOnce()
    expect(computed()).toBe(2)
    expect(await reports.get(client, { projectId: 'p', asOf: AS_OF })).toEqual(await fresh())
    expect(computed()).toBe(2)

    // A poke (an import) computes a changed report on the pass it starts.
    await t.store.client.insert({ table: 'events', values: [ev('2026-02-28 16:00:00.000', 'u4', 'cargo')], format: 'JSONEachRow' })
    warmer.poke()
    await warmer.runOnce()
    expect(computed()).toBe(3)

    // The next day is a report never computed: the first pass computes it.
    today = '2026-03-02'
    await warmer.runOnce()
    expect(computed()).toBe(4)
    expect(await reports.get(client, { projectId: 'p', asOf: today })).toEqual(await fresh(today))
    expect(computed()).toBe(4)
    await warmer.close()
  })

  it('serves a restarted process the report it kept on disk, computed by this code from this data', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tenure-reports-'))
    try {
      const before = counting(t.store.client)
      const first = new HealthReports({ dir })
      await new HealthWarmer({ client: before.client, reports: first, projects: () => ['p'], today: () => AS_OF }).runOnce()
      await first.settled()
      expect(before.reports()).toBe(1)
      // A new process (new reports, new warm-up) on the same folder and data: nothing is computed.
      const after = counting(t.store.client)
      const reports = new HealthReports({ dir })
      const warmer = new HealthWarmer({ client: after.client, reports, projects: () => ['p'], today: () => AS_OF })
      await warmer.runOnce()
      expect(await reports.get(after.client, { projectId: 'p', asOf: AS_OF })).toEqual(await fresh())
      expect(await reports.renewals(after.client, { projectId: 'p', asOf: AS_OF })).toEqual(await renewalsReport(t.store.client, { projectId: 'p', asOf: AS_OF, lookbackDays: 90, minN: 30 }))
      expect(after.reports()).toBe(0)
      expect(after.usageReads()).toBe(0)
      // Once the data changes, the kept report is not served: it is computed again (and kept again).
      await t.store.client.insert({ table: 'events', values: [ev('2026-02-28 17:00:00.000', 'u1', 'acme')], format: 'JSONEachRow' })
      const changed = counting(t.store.client)
      const again = new HealthReports({ dir })
      expect(await again.get(changed.client, { projectId: 'p', asOf: AS_OF })).toEqual(await fresh())
      expect(changed.reports()).toBe(1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('computes the smallest project first', async () => {
    const big = Array.from({ length: 300 }, (_, i) => ({ ...ev(`2026-02-${String(1 + (i % 27)).padStart(2, '0')} 08:00:00.000`, `b${i % 7}`, 'bigco'), project_id: 'big' }))
    await t.store.client.insert({ table: 'events', values: big, format: 'JSONEachRow' })
    const order: string[] = []
    class Recorded extends HealthReports {
      override async warm(_client: ClickHouseClient, projectId: string): Promise<void> {
        order.push(projectId)
      }
    }
    await new HealthWarmer({ client: t.store.client, reports: new Recorded(), projects: () => ['big', 'p'], today: () => AS_OF }).runOnce()
    expect(order).toEqual(['p', 'big'])
  })

  it('runs on its own once started, and stops cleanly', async () => {
    const { client, reports: computed } = counting(t.store.client)
    const reports = new HealthReports()
    const warmer = new HealthWarmer({ client, reports, projects: () => ['p'], today: () => AS_OF, intervalMs: 20 })
    warmer.start()
    await expect.poll(() => warmer.status.reportsWarmed, { timeout: 30_000 }).toBe(1)
    // Passes keep coming (each looks at the version) without computing the unchanged report again.
    await new Promise((r) => setTimeout(r, 200))
    await warmer.close()
    expect(computed()).toBe(1)
    expect(warmer.status.state).toBe('stopped')
  })
})
