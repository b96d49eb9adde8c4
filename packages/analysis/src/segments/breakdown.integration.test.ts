import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature } from '../features/store.js'
import { openTestStore } from '../testing/store.js'
import { highRetentionReport } from '../retention/high-retention.js'
import { featureRetentionBreakdown, highRetentionBreakdown, NONE, retentionBreakdown } from './breakdown.js'
import { insertPropEvents, type PropEvent } from './__fixtures__/world.js'

let t: Awaited<ReturnType<typeof openTestStore>>
const P = 'seg-breakdown'
const at = (day: string, time = '10:00') => `${day}T${time}:00.000Z`

/*
 * 21 people start on 2024-05-01 (day 0; day 7 = 2024-05-08), plan from identify:
 *   team (10): t0–t3 use Export on day 1 and t0–t2 are back on day 7 (3/4); t4–t9 do not use it, t4 is back (1/6).
 *   free (10): f0–f4 use Export on day 1, f0–f1 back (2/5); f5–f9 do not, f5–f6 back (2/5).
 *   solo (1):  s0, back on day 7.
 * Day-7 retention: team 4/10, free 4/10, solo 1/1; everyone 9/21.
 */
const world: PropEvent[] = []
const person = (id: string, plan: string, adopts: boolean, back: boolean) => {
  world.push({ user: id, at: at('2024-05-01') }, { user: id, at: at('2024-05-01', '10:01'), event: '$identify', properties: { plan } })
  if (adopts) world.push({ user: id, at: at('2024-05-02'), event: 'Export' })
  if (back) world.push({ user: id, at: at('2024-05-08') })
}
for (let i = 0; i < 10; i++) person(`t${i}`, 'team', i < 4, i < 3 || i === 4)
for (let i = 0; i < 10; i++) person(`f${i}`, 'free', i < 5, i < 2 || i === 5 || i === 6)
person('s0', 'solo', false, true)

beforeAll(async () => {
  t = await openTestStore()
  await insertPropEvents(t.store.client, P, world)
  await createFeature(t.store.client, P, { id: 'export', name: 'Export', rules: [{ type: 'event', name: 'Export' }] })
})
afterAll(async () => {
  await t?.cleanup()
})

const window = { project: P, from: '2024-05-01', to: '2024-05-01', asOf: '2024-06-01', timezone: 'UTC' }

describe('breakdown by a property', () => {
  it('gives a retention curve per value, small groups marked', async () => {
    const r = await retentionBreakdown(t.store.client, { ...window, days: [7], breakdown: 'person.plan', minN: 5 })
    expect(r.overall.total.cells[0]).toMatchObject({ eligible: 21, retained: 9 })
    // Ties in size go by value: free before team.
    expect(r.groups.map((g) => [g.value, g.status, g.report.total.size, g.report.total.cells[0]!.retained])).toEqual([
      ['free', 'ok', 10, 4],
      ['team', 'ok', 10, 4],
      ['solo', 'not_enough_data', 1, 1],
    ])
  })

  it('compares a feature within each group, with BH over every cell and a heterogeneity test', async () => {
    const r = await highRetentionBreakdown(t.store.client, { ...window, n: 7, window: 7, minN: 3, placebos: 10, breakdown: 'person.plan' })
    const cell = (g: string) => r.cells.find((c) => c.group === g && c.featureId === 'export')!
    expect(r.groups.map((g) => [g.value, g.status, g.report.population.newUsers])).toEqual([['free', 'ok', 10], ['team', 'ok', 10], ['solo', 'not_enough_data', 1]])
    // team: 3/4 against 1/6 → lift 4.5; free: 2/5 against 2/5 → lift 1.
    expect([cell('team').adopters.k, cell('team').adopters.n, cell('team').nonAdopters.k, cell('team').nonAdopters.n]).toEqual([3, 4, 1, 6])
    expect(cell('team').lift).toBeCloseTo(4.5, 10)
    expect(cell('free').lift).toBeCloseTo(1, 10)
    expect(cell('solo').status).toBe('not_enough_data')
    expect(cell('solo').q).toBeNull()
    // BH over the two tested cells: the larger p keeps its value, the smaller becomes min(2·p, larger p).
    const [lo, hi] = [cell('team').p!, cell('free').p!].sort((a, b) => a - b) as [number, number]
    const qs = [cell('team').q!, cell('free').q!].sort((a, b) => a - b)
    expect(qs[0]).toBeCloseTo(Math.min(2 * lo, hi), 12)
    expect(qs[1]).toBeCloseTo(hi, 12)
    // Cochran's Q on log risk ratios: team y = ln 4.5, v = 1/3 − 1/4 + 1 − 1/6 = 11/12; free y = 0, v = 1/2 − 1/5 + 1/2 − 1/5 = 3/5.
    // Q = w₁w₂/(w₁+w₂)·(ln 4.5)² with w = 12/11, 5/3 → 60/91·(ln 4.5)² ≈ 1.4916, 1 df.
    const h = r.heterogeneity.find((x) => x.featureId === 'export')!
    expect(h.groups).toBe(2)
    expect(h.df).toBe(1)
    expect(h.q).toBeCloseTo((60 / 91) * Math.log(4.5) ** 2, 10)
    expect(h.p).toBeGreaterThan(0.2)
  })

  it('gives feature adoption and retention per value', async () => {
    // Active 05-01 … 05-07: team 10 (4 adopt Export on 05-02), free 10 (5 adopt), solo 1 (none).
    // Back on day 6 after first use (05-08), any activity: team t0–t2 of 4; free f0, f1 of 5.
    const r = await featureRetentionBreakdown(t.store.client, {
      ...window, to: '2024-05-07', days: [6], return: 'any', breakdown: 'person.plan', minN: 5,
    })
    const row = (g: { report: { features: { activeUsers: number; adopters: number; cells: { retained: number; eligible: number }[] }[] } }) => {
      const f = g.report.features[0]!
      return [f.activeUsers, f.adopters, f.cells[0]!.retained, f.cells[0]!.eligible]
    }
    expect(row({ report: r.overall })).toEqual([21, 9, 5, 9])
    expect(r.groups.map((g) => [g.value, g.status, ...row(g)])).toEqual([
      ['free', 'ok', 10, 5, 2, 5],
      ['team', 'ok', 10, 4, 3, 4],
      ['solo', 'not_enough_data', 1, 0, 0, 0],
    ])
  })

  it('refuses a property nobody stored', async () => {
    await expect(retentionBreakdown(t.store.client, { ...window, breakdown: 'person.shoe' })).rejects.toMatchObject({ code: 'invalid', field: 'breakdown' })
  })
})

/*
 * The same 21 people in a second project, and three without a plan (n0–n2: n0 uses Export on day 1
 * and is back on day 7, n1 is back, n2 is not).
 */
describe('high-retention breakdown read once', () => {
  const P2 = 'seg-breakdown-none'
  const base = { ...window, project: P2, n: 7, window: 7, minN: 3, placebos: 10 }
  beforeAll(async () => {
    const extra: PropEvent[] = [
      { user: 'n0', at: at('2024-05-01') }, { user: 'n0', at: at('2024-05-02'), event: 'Export' }, { user: 'n0', at: at('2024-05-08') },
      { user: 'n1', at: at('2024-05-01') }, { user: 'n1', at: at('2024-05-08') },
      { user: 'n2', at: at('2024-05-01') },
    ]
    await insertPropEvents(t.store.client, P2, [...world, ...extra])
    await createFeature(t.store.client, P2, { id: 'export', name: 'Export', rules: [{ type: 'event', name: 'Export' }] })
  })

  it('gives each group the report restricted to it, and the people without a value as (none)', async () => {
    const r = await highRetentionBreakdown(t.store.client, { ...base, breakdown: 'person.plan' })
    expect(r.overall).toEqual(await highRetentionReport(t.store.client, base))
    for (const g of r.groups) {
      expect(g.report).toEqual(await highRetentionReport(t.store.client, { ...base, group: { property: 'person.plan', value: g.value } }))
    }
    expect(r.groups.map((g) => [g.value, g.report.population.newUsers])).toEqual([['free', 10], ['team', 10], ['solo', 1]])
    expect(r.none.value).toBe(NONE)
    expect(r.none.status).toBe('ok')
    expect(r.none.report.population.newUsers).toBe(3)
    expect([r.none.report.population.baseline.k, r.none.report.population.baseline.n]).toEqual([2, 3])
    const exp = r.none.report.features.find((f) => f.featureId === 'export')!
    expect([exp.adopters.k, exp.adopters.n, exp.nonAdopters.k, exp.nonAdopters.n]).toEqual([1, 1, 1, 2])
    // (none) is no value of the property: it has no cells of its own.
    expect(r.cells.some((c) => c.group === NONE)).toBe(false)
    expect(r.none.report).toEqual(await highRetentionReport(t.store.client, { ...base, group: { property: 'person.plan', value: null } }))
  })

  it('gives the people without a value as (none) in the retention and feature retention breakdowns', async () => {
    const r = await retentionBreakdown(t.store.client, { ...window, project: P2, days: [7], breakdown: 'person.plan', minN: 3 })
    expect(r.overall.total.cells[0]).toMatchObject({ eligible: 24, retained: 11 })
    expect(r.groups.map((g) => g.value)).toEqual(['free', 'team', 'solo'])
    expect([r.none.value, r.none.status, r.none.report.total.size]).toEqual([NONE, 'ok', 3])
    expect(r.none.report.total.cells[0]).toMatchObject({ eligible: 3, retained: 2 })
    // Active 05-01 … 05-07 without a plan: n0–n2; n0 adopts Export on 05-02 and is back 6 days later.
    const f = await featureRetentionBreakdown(t.store.client, { ...window, project: P2, to: '2024-05-07', days: [6], return: 'any', breakdown: 'person.plan', minN: 3 })
    const row = f.none.report.features[0]!
    expect([f.none.value, f.none.status, row.activeUsers, row.adopters, row.cells[0]!.retained, row.cells[0]!.eligible]).toEqual([NONE, 'ok', 3, 1, 1, 1])
  })
})
