import { healthReport } from '@tenure/analysis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { healthDataVersion } from '@tenure/dashboard'
import { createCollector } from '../src/index.js'
import { startCollector, type TestCollector } from './helpers.js'

const today = () => new Date().toISOString().slice(0, 10)
const daysAgo = (n: number) => new Date(Date.parse(`${today()}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10)

interface WarmJob { state: string; project: string | null; reports_warmed: number; last_ms: number | null; last_error: string | null }

/** The collector computes the account pages' health report in the background: at start, and again after an import. */
describe('health reports warmed by the collector', () => {
  let t: TestCollector
  let auth: Record<string, string>
  const warmJob = async (): Promise<WarmJob> => {
    const res = await t.collector.app.request('/healthz')
    return ((await res.json()) as { health_reports: { warm_job: WarmJob } }).health_reports.warm_job
  }
  beforeAll(async () => {
    t = await startCollector({ config: { healthWarmMs: 50 } })
    auth = { authorization: `Bearer ${t.secretKey}` }
  })
  afterAll(() => t.cleanup())

  it('computes the report once it starts, without holding up ingestion, and again after an import', async () => {
    // Ingestion answers at once while the first report is computed.
    const ingest = await t.collector.app.request('/v1/events/count?flush=1', { headers: auth })
    expect(ingest.status).toBe(200)
    await expect.poll(async () => (await warmJob()).reports_warmed, { timeout: 60_000 }).toBeGreaterThanOrEqual(1)
    const before = (await warmJob()).reports_warmed

    const contracts = ['contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats', `c1,acme,${daysAgo(100)},${daysAgo(-265)},12000,USD,annual,10`].join('\n')
    const res = await t.collector.app.request('/v1/accounts/import', { method: 'POST', body: contracts, headers: { ...auth, 'content-type': 'text/csv' } })
    expect(await res.json()).toMatchObject({ status: 'committed' })
    // The import pokes the warm-up: the report with the new contract is computed without a page asking.
    await expect.poll(async () => (await warmJob()).reports_warmed, { timeout: 60_000 }).toBeGreaterThan(before)
    const job = await warmJob()
    expect(job).toMatchObject({ state: expect.stringMatching(/^(idle|warming)$/), last_error: null })

    // The pages' reports hold it: equal to a report computed now, with the imported account in it.
    const projectId = t.collector.bootstrap!.project.id
    const kept = await t.collector.deps.healthReports!.get(t.collector.deps.store.client, { projectId, asOf: today() })
    expect(kept.accounts.map((a) => a.accountId)).toEqual(['acme'])
    expect(kept).toEqual(await healthReport(t.collector.deps.store.client, { projectId, asOf: today(), quadrantThresholds: { health: 50, temperature: 50 } }))
  })

  it('stops with the collector, and a restart serves the kept report without computing it', async () => {
    const projectId = t.collector.bootstrap!.project.id
    const version = await healthDataVersion(t.collector.deps.store.client, projectId, today())
    await t.collector.close()
    expect((await warmJob()).state).toBe('stopped')

    // Nothing a restart does changes the data version, so the report kept in the data folder holds.
    const restarted = await createCollector({ env: {}, dataDir: t.dir, config: { healthWarmMs: 0 } })
    try {
      const client = restarted.deps.store.client
      expect(await healthDataVersion(client, projectId, today())).toBe(version)
      // Turned off here: /healthz says so, and the pages are served what was kept.
      const health = (await (await restarted.app.request('/healthz')).json()) as { health_reports: { warm_job: WarmJob } }
      expect(health.health_reports.warm_job.state).toBe('off')
      let intentReads = 0
      const counting = new Proxy(client, {
        get: (target, prop, receiver) => prop !== 'query' ? Reflect.get(target, prop, receiver) : (args: { query: string }) => {
          if (args.query.includes('AS paid_feature_users')) intentReads += 1
          return target.query(args as Parameters<typeof client.query>[0])
        },
      })
      const kept = await restarted.deps.healthReports!.get(counting, { projectId, asOf: today() })
      expect(intentReads).toBe(0)
      expect(kept).toEqual(await healthReport(client, { projectId, asOf: today(), quadrantThresholds: { health: 50, temperature: 50 } }))
    } finally {
      await restarted.close()
    }
  })
})
