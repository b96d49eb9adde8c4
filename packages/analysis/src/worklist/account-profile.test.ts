import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'
import { insertEvents } from '../accounts/__fixtures__/events.js'
import { generateBook } from '../accounts/__fixtures__/generated-book.js'
import { accountDetail } from '../accounts/account-detail.js'
import { addDays } from '../accounts/dates.js'
import { componentValue, type ComponentName } from '../accounts/health-components.js'
import { healthReport, healthWithUsage } from '../accounts/health-report.js'
import { referenceOf, scoreOf } from '../accounts/health-score.js'
import { importAccountData } from '../accounts/import/index.js'
import { measureUsage } from '../accounts/usage.js'
import { accountProfile } from './account-profile.js'

/**
 * The profile reads its recent usage and its health trend's windows in one query: each must be
 * what reading it alone gives (the detail's own read, and one read per trend window).
 */
describe('an account profile read in one usage query', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  const g = generateBook({ seed: 7, accounts: 40 })
  beforeAll(async () => {
    t = await openTestStore()
    const accounts = ['account_id,name,plan,seats,cac', ...g.accounts.map((a) => `${a.accountId},${a.name},${a.plan},${a.seats},${a.cac}`)].join('\n')
    const contracts = [
      'contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats',
      ...g.contracts.map((c) => `${c.contractId},${c.accountId},${c.termStart},${c.termEnd},${c.amount},${c.currency},annual,${c.seats}`),
    ].join('\n')
    for (const content of [accounts, contracts]) {
      const r = await importAccountData(t.store.client, 'p', { format: 'csv', content })
      if (!r.ok) throw new Error(JSON.stringify(r.errors))
    }
    await insertEvents(t.store.client, 'p', g.events)
  }, 240_000)
  afterAll(() => t.cleanup())

  it('shows the usage and the health trend that separate reads give', async () => {
    const client = t.store.client
    const health = await healthReport(client, { projectId: 'p', asOf: g.asOf, seatSharing: false })
    const row = health.accounts[0]!
    const profile = (await accountProfile(client, { projectId: 'p', accountId: row.accountId, asOf: g.asOf, windowDays: 60, health }))!
    expect(profile.detail).toEqual(await accountDetail(client, { projectId: 'p', accountId: row.accountId, asOf: g.asOf, windowDays: 60 }))
    expect(profile.detail.usage.activeUsers).toBeGreaterThan(0)

    const components = health.components as ComponentName[]
    const model = { components, weights: health.model.weights, reference: referenceOf(health.accounts.map((a) => a.components.map((c) => c.value)), components.length), weighting: 'manual' as const }
    const expected = []
    for (const back of [90, 60, 30]) {
      const end = addDays(g.asOf, -back)
      const alone = await measureUsage(client, 'p', [{ id: 'x', accountId: row.accountId, from: addDays(end, -health.windowDays), to: end }])
      expected.push({ asOf: end, health: scoreOf(model, components.map((c) => componentValue(c, alone.get('x')!, row.seats))) })
    }
    expect(profile.healthTrend.map(({ asOf, health: h }) => ({ asOf, health: h }))).toEqual([...expected, { asOf: g.asOf, health: row.health }])
  })

  it('reads the same windows in the health report\'s own read when it computes the report itself', async () => {
    const client = t.store.client
    const health = await healthReport(client, { projectId: 'p', asOf: g.asOf, seatSharing: false })
    const row = health.accounts[0]!
    const given = (await accountProfile(client, { projectId: 'p', accountId: row.accountId, asOf: g.asOf, windowDays: 60, health }))!
    const own = (await accountProfile(client, { projectId: 'p', accountId: row.accountId, asOf: g.asOf, windowDays: 60 }))!
    expect(own.detail).toEqual(given.detail)
    expect(own.healthTrend).toEqual(given.healthTrend)
    expect(own.health?.health).toBe(row.health)
  })

  it('gives extra windows their own usage even when their ids are the report\'s own', async () => {
    const client = t.store.client
    const plain = await healthReport(client, { projectId: 'p', asOf: g.asOf, seatSharing: false })
    const account = plain.accounts[0]!.accountId
    // An id the report uses for its own window of this account (today's), over other days.
    const extra = { id: account, accountId: account, from: addDays(g.asOf, -100), to: addDays(g.asOf, -70) }
    const { report, usage } = await healthWithUsage(client, { projectId: 'p', asOf: g.asOf, seatSharing: false }, () => [extra])
    expect(report).toEqual(plain)
    const alone = await measureUsage(client, 'p', [extra])
    expect(usage.get(account)).toEqual(alone.get(account))
    expect(usage.get(account)!.activeUsers).toBeGreaterThan(0)
  })
})
