import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'
import { insertEvents } from './__fixtures__/events.js'
import { generateBook, type GeneratedBook } from './__fixtures__/generated-book.js'
import { createFeature } from '../features/store.js'
import { accountDetail } from './account-detail.js'
import { healthReport } from './health-report.js'
import { importAccountData } from './import/index.js'
import { renewalsReport } from './renewals-report.js'
import { revenueReport } from './revenue-report.js'

/** The generated book as the two CSV files a customer would upload. */
function csvFiles(g: GeneratedBook) {
  const accounts = ['account_id,name,plan,seats,cac', ...g.accounts.map((a) => `${a.accountId},${a.name},${a.plan},${a.seats},${a.cac}`)].join('\n')
  const contracts = [
    'contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats',
    ...g.contracts.map((c) => `${c.contractId},${c.accountId},${c.termStart},${c.termEnd},${c.amount},${c.currency},annual,${c.seats}`),
  ].join('\n')
  return { accounts, contracts }
}

describe('renewals and health recover a known driver of renewal (embedded engine)', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  const g = generateBook({ seed: 42 })
  beforeAll(async () => {
    t = await openTestStore()
    const files = csvFiles(g)
    for (const content of [files.accounts, files.contracts]) {
      const r = await importAccountData(t.store.client, 'p', { format: 'csv', content })
      if (!r.ok) throw new Error(JSON.stringify(r.errors))
    }
    await insertEvents(t.store.client, 'p', g.events)
  }, 240_000)
  afterAll(() => t.cleanup())

  it('flags feature x as the one whose users renew more, and no neutral feature', async () => {
    const r = await renewalsReport(t.store.client, { projectId: 'p', asOf: g.asOf })
    const f = r.featureRenewal
    const x = f.features.find((row) => row.feature === 'x')!
    console.log(
      `[renewals] ${r.renewals.length} renewals; x: users ${x.comparison.group.k}/${x.comparison.group.n} = ${x.comparison.group.rate!.toFixed(3)}, ` +
        `non-users ${x.comparison.baseline.k}/${x.comparison.baseline.n} = ${x.comparison.baseline.rate!.toFixed(3)}, lift ${x.comparison.lift!.toFixed(3)}, q ${x.q!.toExponential(2)}; ` +
        `neutral q: ${f.features.filter((row) => row.feature !== 'x').map((row) => `${row.feature} ${row.q!.toFixed(3)} (lift ${row.comparison.lift!.toFixed(2)})`).join(', ')}`,
    )
    expect(r.renewals.length).toBeGreaterThan(150)
    expect(f.features[0]!.feature).toBe('x')
    expect(x.highRenewal).toBe(true)
    expect(x.comparison.lift!).toBeGreaterThan(1.5)
    expect(x.comparison.difference.low!).toBeGreaterThan(0.2)
    expect(f.features.filter((row) => row.highRenewal).map((row) => row.feature)).toEqual(['x'])
    // Usage joins: every renewal has its look-back usage.
    const row = r.renewals[0]!
    expect(row.activeUsers).toBeGreaterThan(0)
    expect(row.seatUtilisation).not.toBeNull()
  })

  it('validates a fitted health score on later renewals and gives every account a quadrant', async () => {
    const h = await healthReport(t.store.client, { projectId: 'p', asOf: g.asOf, components: ['feature:x', 'active_days_per_user', 'seat_utilisation'] })
    const v = h.validation
    console.log(
      `[health] train ${v.trained.count} (${v.trained.from}..${v.trained.to}) AUC ${v.trained.auc!.auc.toFixed(3)}; test ${v.tested.count} (${v.tested.from}..${v.tested.to}) ` +
        `AUC ${v.tested.auc!.auc.toFixed(3)} [${v.tested.auc!.low.toFixed(3)}, ${v.tested.auc!.high.toFixed(3)}]; weights ${v.model.weights.map((w) => w.toFixed(2)).join(', ')}; ` +
        `bands ${v.tested.bands.map((b) => `${b.band} ${b.renewals.k}/${b.renewals.n}`).join(', ')}`,
    )
    expect(v.trained.to! < v.tested.from!).toBe(true)
    expect(v.tested.auc!.auc).toBeGreaterThan(0.65)
    expect(v.tested.auc!.low).toBeGreaterThan(0.5)
    const [wx, ...rest] = v.model.weights
    expect(rest.every((w) => Math.abs(w) < wx!)).toBe(true)
    const rate = (band: string) => v.tested.bands.find((b) => b.band === band)!.renewals.rate ?? 0
    expect(rate('green')).toBeGreaterThan(rate('red'))

    expect(h.accounts.length).toBeGreaterThan(50)
    expect(h.quadrants.reduce((s, q) => s + q.accounts, 0)).toBe(h.accounts.length)
    for (const a of h.accounts) {
      expect(a.health).toBeGreaterThanOrEqual(0)
      expect(a.health).toBeLessThanOrEqual(100)
      expect(a.action).toBeTruthy()
    }
    // The accounts that use x are healthier today.
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length
    const withX = h.accounts.filter((a) => g.truth.get(a.accountId)!.usesX).map((a) => a.health)
    const withoutX = h.accounts.filter((a) => !g.truth.get(a.accountId)!.usesX).map((a) => a.health)
    expect(mean(withX)).toBeGreaterThan(mean(withoutX) + 20)
  })

  it('validates the default components with hand-set equal weights too', async () => {
    const h = await healthReport(t.store.client, { projectId: 'p', asOf: g.asOf, weighting: 'manual', seatSharing: false })
    console.log(`[health default manual] test AUC ${h.validation.tested.auc?.auc.toFixed(3)}; weights ${h.model.weights.join(', ')}`)
    expect(h.model.weighting).toBe('manual')
    expect(h.validation.tested.auc).not.toBeNull()
  })

  it('keeps the revenue identity on the generated book', async () => {
    const r = await revenueReport(t.store.client, { projectId: 'p', asOf: g.asOf })
    console.log(`[revenue] MRR ${r.mrr.toFixed(2)}, logo renewal ${r.renewals.logoRenewalRate?.toFixed(3)}, NRR ${r.netRetention?.nrr?.toFixed(3)}, GRR ${r.netRetention?.grr?.toFixed(3)}`)
    expect(r.identityHoldsEveryMonth).toBe(true)
    expect(r.renewals.accountsDue).toBeGreaterThan(0)
  })

  it('describes one account: contracts, month-end MRR, renewals, recent usage', async () => {
    const id = g.accounts.find((a) => g.contracts.filter((c) => c.accountId === a.accountId).at(-1)!.termEnd! > g.asOf)!.accountId
    const d = (await accountDetail(t.store.client, { projectId: 'p', accountId: id, asOf: g.asOf }))!
    const own = g.contracts.filter((c) => c.accountId === id)
    expect(d.contracts).toHaveLength(own.length)
    expect(d.arr).toBe(Number(own.at(-1)!.amount))
    expect(d.months.at(-1)!.mrr).toBeCloseTo(Number(own.at(-1)!.amount) / 12, 6)
    expect(d.renewals).toHaveLength(own.length - 1)
    expect(d.usage.activeUsers).toBeGreaterThan(0)
    expect(await accountDetail(t.store.client, { projectId: 'p', accountId: 'nobody', asOf: g.asOf })).toBeNull()
  })

  it('measures the project feature definitions once there are any', async () => {
    const before = await renewalsReport(t.store.client, { projectId: 'p', asOf: g.asOf })
    expect(before.featureSource).toBe('feature_key')
    const x = before.featureRenewal.features.find((f) => f.feature === 'x')!
    await createFeature(t.store.client, 'p', { id: 'exporting', name: 'Exporting', rules: [{ type: 'feature_key', key: 'x' }] })
    const after = await renewalsReport(t.store.client, { projectId: 'p', asOf: g.asOf })
    expect(after.featureSource).toBe('definitions')
    expect(after.featureNames).toEqual({ exporting: 'Exporting' })
    expect(after.featureRenewal.features.map((f) => f.feature)).toEqual(['exporting'])
    const exporting = after.featureRenewal.features[0]!
    expect([exporting.comparison.group.k, exporting.comparison.group.n]).toEqual([x.comparison.group.k, x.comparison.group.n])
    expect(exporting.highRenewal).toBe(true)
  })
})
