import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnalysisError } from '../errors.js'
import { createFeature } from '../features/store.js'
import { renewalsReport } from '../accounts/renewals-report.js'
import { revenueReport } from '../accounts/revenue-report.js'
import { healthReport } from '../accounts/health-report.js'
import { accountFeatureReport } from '../retention/account-feature.js'
import { retentionReport } from '../retention/day-n.js'
import { revenueBreakdown } from './account-breakdown.js'
import { ahaReport } from '../retention/aha.js'
import { insertAliases } from '../retention/__fixtures__/events.js'
import { NONE, retentionBreakdown } from './breakdown.js'
import { checkDefinition } from './check.js'
import { openTestStore } from '../testing/store.js'
import { compileSegment } from './compile.js'
import type { SegmentDefinition } from './definition.js'
import { listProperties } from './properties.js'
import { searchPeople } from '../people/identity.js'
import { createSegment, deleteSegment, getSegment, segmentHistory, updateSegment } from './store.js'
import { importAccounts, insertMemberships, insertPropEvents, type PropEvent } from './__fixtures__/world.js'

let t: Awaited<ReturnType<typeof openTestStore>>
const P = 'seg-world'
const at = (day: string, time = '10:00') => `${day}T${time}:00.000Z`

/*
 * The world (UTC). Six people start on 2024-03-01 (day 0); day 7 is 2024-03-08.
 *
 *   person  role (identify)          first touch              account (plan)        export use   day 7   other days
 *   u1      admin                    utm_source=ads, Chrome   acme (team, by group)  —            back    03-15
 *   u2      admin                    utm_source=newsletter    acme                   day 1        —
 *   u3      member                   utm_source=ads           globex (pro, import)   day 2        back
 *   u4      member                   ads, while anonymous     —                      —            —
 *   u5      admin → member 03-25     —                        —                      —            back
 *   u6      —                        —                        —                      day 5        —       03-06
 *
 * Countries (the collector's lookup on the client IP): u1 DE (later page view US), u2 DE, u3 FR,
 * u4 GB on the anonymous landing (US on their first identified page view), u5 and u6 none.
 *
 * acme's contract ends 2024-04-10, globex's 2024-08-01. Reports are as of 2024-03-20 unless said.
 * Unfiltered day-7 retention: 6 start, all eligible, u1, u3, u5 back → 3/6.
 */
const world: PropEvent[] = [
  { user: 'u1', at: at('2024-03-01'), url: 'https://app.example.com/?utm_source=ads', browser: 'Chrome', referrer: 'https://www.google.com/search', country: 'DE' },
  { user: 'u1', at: at('2024-03-01', '10:01'), event: '$identify', properties: { role: 'admin', age: 30 } },
  { user: 'u1', account: 'acme', at: at('2024-03-01', '10:02'), event: '$group', properties: { plan: 'team' } },
  { user: 'u1', at: at('2024-03-08'), country: 'US' },
  { user: 'u1', at: at('2024-03-15') },
  { user: 'u2', at: at('2024-03-01'), url: 'https://app.example.com/?utm_source=newsletter', browser: 'Firefox', country: 'DE' },
  { user: 'u2', at: at('2024-03-01', '10:01'), event: '$identify', properties: { role: 'admin', age: 41 } },
  { user: 'u2', at: at('2024-03-02'), event: 'Export' },
  { user: 'u3', at: at('2024-03-01'), url: 'https://app.example.com/?utm_source=ads', country: 'FR' },
  { user: 'u3', at: at('2024-03-01', '10:01'), event: '$identify', properties: { role: 'member', age: 25 } },
  { user: 'u3', at: at('2024-03-03'), event: 'Export' },
  { user: 'u3', at: at('2024-03-08') },
  { anon: 'anon-x', at: at('2024-03-01', '09:00'), url: 'https://app.example.com/landing?utm_source=ads', country: 'GB' },
  { user: 'u4', at: at('2024-03-01'), country: 'US' },
  { user: 'u4', at: at('2024-03-01', '10:01'), event: '$identify', properties: { role: 'member' } },
  { user: 'u5', at: at('2024-03-01') },
  { user: 'u5', at: at('2024-03-01', '10:01'), event: '$identify', properties: { role: 'admin' } },
  { user: 'u5', at: at('2024-03-08') },
  { user: 'u5', at: at('2024-03-25'), event: '$identify', properties: { role: 'member' } },
  { user: 'u6', at: at('2024-03-01') },
  { user: 'u6', at: at('2024-03-06'), event: 'Export' },
]

beforeAll(async () => {
  t = await openTestStore()
  const c = t.store.client
  await insertPropEvents(c, P, world)
  await insertAliases(c, P, { 'anon-x': 'u4' })
  await insertMemberships(c, P, { u1: 'acme', u2: 'acme', u3: 'globex' })
  await importAccounts(c, P, 1, '2024-05-01 00:00:00.000', [{ id: 'globex', plan: 'pro', seats: 20 }], [
    { id: 'c-acme', account: 'acme', start: '2023-04-11', end: '2024-04-10', amount: 1200 },
    { id: 'c-globex', account: 'globex', start: '2023-08-02', end: '2024-08-01', amount: 6000 },
  ])
  await createFeature(c, P, { id: 'export', name: 'Export', rules: [{ type: 'event', name: 'Export' }] })
})
afterAll(async () => {
  await t?.cleanup()
})

const day7 = async (def: SegmentDefinition | undefined, asOf = '2024-03-20') => {
  const r = await retentionReport(t.store.client, {
    project: P, from: '2024-03-01', to: '2024-03-01', days: [7], asOf, timezone: 'UTC', ...(def ? { segmentDef: def } : {}),
  })
  const cell = r.total.cells[0]!
  return [r.total.size, cell.eligible, cell.retained]
}
const prop = (property: string, value: string | number): SegmentDefinition => ({ match: 'all', conditions: [{ type: 'property', property, op: 'eq', value }] })

describe('segments over properties', () => {
  it('lists the stored properties by source', async () => {
    const names = (await listProperties(t.store.client, P)).map((p) => p.name)
    expect(names).toEqual(expect.arrayContaining(['person.role', 'person.age', 'account.plan', 'account.seats', 'account.arr', 'first.utm_source', 'first.browser']))
  })

  it('restricts day-7 retention to a person trait, as of the report', async () => {
    expect(await day7(undefined)).toEqual([6, 6, 3])
    // admin as of 03-20: u1, u2, u5; back on day 7: u1, u5 → 2/3.
    expect(await day7(prop('person.role', 'admin'))).toEqual([3, 3, 2])
    // As of 03-30 u5 is a member (identify of 03-25): admin = u1, u2 → 1/2; member = u3, u4, u5 → 2/3.
    expect(await day7(prop('person.role', 'admin'), '2024-03-30')).toEqual([2, 2, 1])
    expect(await day7(prop('person.role', 'member'), '2024-03-30')).toEqual([3, 3, 2])
    // Numeric comparison: age ≥ 30 → u1 (30), u2 (41) → u1 back → 1/2.
    expect(await day7({ match: 'all', conditions: [{ type: 'property', property: 'person.age', op: 'gte', value: 30 }] })).toEqual([2, 2, 1])
  })

  it('reads first touch through the anonymous id a person was merged from', async () => {
    // utm_source=ads: u1, u3 and u4 (anonymous landing, then identified) → u1, u3 back → 2/3.
    expect(await day7(prop('first.utm_source', 'ads'))).toEqual([3, 3, 2])
    expect(await day7(prop('first.browser', 'Chrome'))).toEqual([1, 1, 1])
    expect(await day7(prop('first.referring_domain', 'www.google.com'))).toEqual([1, 1, 1])
  })

  it('reads the first page view\'s country, not a later one', async () => {
    // DE: u1, u2 → u1 back → 1/2. GB: u4 (their anonymous landing) → 0/1. US is nobody's first country.
    expect(await day7(prop('first.country', 'DE'))).toEqual([2, 2, 1])
    expect(await day7(prop('first.country', 'GB'))).toEqual([1, 1, 0])
    expect(await day7(prop('first.country', 'US'))).toEqual([0, 0, 0])
    // DE or FR: u1, u2, u3 → u1, u3 back → 2/3.
    expect(await day7({ match: 'all', conditions: [{ type: 'property', property: 'first.country', op: 'in', values: ['DE', 'FR'] }] })).toEqual([3, 3, 2])
  })

  it('breaks day-7 retention down by first country, people without one apart', async () => {
    const r = await retentionBreakdown(t.store.client, { project: P, from: '2024-03-01', to: '2024-03-01', days: [7], asOf: '2024-03-20', timezone: 'UTC', breakdown: 'first.country', minN: 1 })
    // DE 1/2, then FR 1/1 and GB 0/1 (ties in size go by value); u5 and u6 have no country: 1/2.
    expect(r.groups.map((g) => [g.value, g.report.total.size, g.report.total.cells[0]!.retained])).toEqual([['DE', 2, 1], ['FR', 1, 1], ['GB', 1, 0]])
    expect([r.none.value, r.none.report.total.size, r.none.report.total.cells[0]!.retained]).toEqual([NONE, 2, 1])
  })

  it('lists first.country only for a project whose page views have a country', async () => {
    expect((await listProperties(t.store.client, P)).map((p) => p.name)).toContain('first.country')
    const other = 'seg-world-no-ip'
    await insertPropEvents(t.store.client, other, [{ user: 'x1', at: at('2024-03-01'), browser: 'Chrome' }])
    const names = (await listProperties(t.store.client, other)).map((p) => p.name)
    expect(names).toContain('first.browser')
    expect(names).not.toContain('first.country')
    await expect(checkDefinition(t.store.client, other, prop('first.country', 'DE'), 'segmentDef')).rejects.toMatchObject({ code: 'invalid', field: 'segmentDef.conditions.0.property' })
  })

  it('reads account traits from group events and imports, through membership', async () => {
    // team (group trait of acme): u1, u2 → 1/2; team or pro (globex, imported): u1, u2, u3 → 2/3.
    expect(await day7(prop('account.plan', 'team'))).toEqual([2, 2, 1])
    expect(await day7({ match: 'all', conditions: [{ type: 'property', property: 'account.plan', op: 'in', values: ['team', 'pro'] }] })).toEqual([3, 3, 2])
    // The first import describes the account from the start, though it was made after the as-of day.
    expect(await day7(prop('account.seats', 20))).toEqual([1, 1, 1])
    // ARR from the contracts in force on 03-20: acme 1200, globex 6000. ≥ 5000 → u3 → 1/1; < 5000 → u1, u2 → 1/2.
    expect(await day7({ match: 'all', conditions: [{ type: 'property', property: 'account.arr', op: 'gte', value: 5000 }] })).toEqual([1, 1, 1])
    expect(await day7({ match: 'all', conditions: [{ type: 'property', property: 'account.arr', op: 'lt', value: 5000 }] })).toEqual([2, 2, 1])
  })

  it('combines conditions with all / any', async () => {
    const admin = { type: 'property', property: 'person.role', op: 'eq', value: 'admin' } as const
    const ads = { type: 'property', property: 'first.utm_source', op: 'eq', value: 'ads' } as const
    // admin and ads: u1 → 1/1; admin or ads: u1, u2, u5, u3, u4 → u1, u3, u5 back → 3/5.
    expect(await day7({ match: 'all', conditions: [admin, ads] })).toEqual([1, 1, 1])
    expect(await day7({ match: 'any', conditions: [admin, ads] })).toEqual([5, 5, 3])
  })
})

describe('behavioural segments', () => {
  it('used a feature in the first N days', async () => {
    // First Export on day 1 (u2), day 2 (u3), day 5 (u6). Within 3 days: u2, u3 → u3 back → 1/2; within 7: + u6 → 1/3.
    expect(await day7({ match: 'all', conditions: [{ type: 'used_feature', feature: 'export', withinDays: 3 }] })).toEqual([2, 2, 1])
    expect(await day7({ match: 'all', conditions: [{ type: 'used_feature', feature: 'export', withinDays: 7 }] })).toEqual([3, 3, 1])
  })

  it('active on at least k of the last d days', async () => {
    // As of 03-20, the last 14 complete days are 03-06 … 03-19: u1 active on 03-08 and 03-15 (2 days),
    // u3 and u5 on 03-08, u6 on 03-06 (1 day each). ≥ 2 → u1 → 1/1; ≥ 1 → u1, u3, u5, u6 → 3/4.
    expect(await day7({ match: 'all', conditions: [{ type: 'active_days', minDays: 2, lastDays: 14 }] })).toEqual([1, 1, 1])
    expect(await day7({ match: 'all', conditions: [{ type: 'active_days', minDays: 1, lastDays: 14 }] })).toEqual([4, 4, 3])
  })

  it('in an account renewing within D days', async () => {
    // As of 03-20: acme ends 04-10 (21 days) → u1, u2 → 1/2. Within 10 days: nobody.
    expect(await day7({ match: 'all', conditions: [{ type: 'account_renewing', withinDays: 30 }] })).toEqual([2, 2, 1])
    expect(await day7({ match: 'all', conditions: [{ type: 'account_renewing', withinDays: 10 }] })).toEqual([0, 0, 0])
  })

  it('restricts the aha report too', async () => {
    // Uses of Export in days 0…6 among admins (u1: 0, u2: 1, u5: 0); day 7: u1, u5 back.
    const r = await ahaReport(t.store.client, {
      project: P, feature: 'export', from: '2024-03-01', to: '2024-03-01', n: 7, window: 7, maxUses: 2, minN: 1, asOf: '2024-03-20', timezone: 'UTC',
      segmentDef: JSON.stringify(prop('person.role', 'admin')),
    })
    expect(r.buckets.map((b) => [b.uses, b.users, b.retained])).toEqual([[0, 2, 2], [1, 1, 0], [2, 0, 0]])
    expect(r.segment?.definition.conditions[0]).toMatchObject({ property: 'person.role' })
  })
})

describe('accounts of a segment', () => {
  const accounts = async (def: SegmentDefinition) => {
    const f = await compileSegment(t.store.client, { project: P, timezone: 'UTC', asOf: '2024-03-20T00:00:00.000Z', asOfDay: '2024-03-20' }, def, 'account')
    const rs = await t.store.client.query({ query: f.sql, query_params: f.params, format: 'JSONCompactEachRow' })
    return (await rs.json<[string]>()).map((r) => r[0]).sort()
  }
  it('selects accounts by their traits and by their members', async () => {
    expect(await accounts(prop('account.plan', 'team'))).toEqual(['acme'])
    // members (u3, u4, u5 as of 03-20 is admin): u3 → globex; u4 has no account.
    expect(await accounts(prop('person.role', 'member'))).toEqual(['globex'])
    expect(await accounts({ match: 'all', conditions: [{ type: 'account_renewing', withinDays: 200 }] })).toEqual(['acme', 'globex'])
  })
})

describe('account reports of a segment', () => {
  it('restricts revenue and renewals to the segment\'s accounts', async () => {
    const c = t.store.client
    // As of 03-20 both contracts pay: acme 1200/12 = 100 MRR, globex 6000/12 = 500 MRR.
    expect((await revenueReport(c, { projectId: P, asOf: '2024-03-20' })).mrr).toBe(600)
    const pro = await revenueReport(c, { projectId: P, asOf: '2024-03-20', segmentDef: prop('account.plan', 'pro') })
    expect([pro.mrr, pro.arr]).toEqual([500, 6000])
    expect(pro.segment?.definition.conditions[0]).toMatchObject({ property: 'account.plan' })
    // As of 09-15 both terms came due and neither renewed; the team segment keeps acme's alone.
    const all = await renewalsReport(c, { projectId: P, asOf: '2024-09-15' })
    expect(all.renewals.map((r) => r.accountId).sort()).toEqual(['acme', 'globex'])
    const team = await renewalsReport(c, { projectId: P, asOf: '2024-09-15', segmentDef: prop('account.plan', 'team') })
    expect(team.renewals.map((r) => [r.accountId, r.renewed])).toEqual([['acme', false]])
  })

  it('restricts account features and health to the segment\'s accounts', async () => {
    const c = t.store.client
    // Active 03-01 … 03-19 with an account: acme (u1, u2), globex (u3); Export used by u2 (acme) and u3 (globex).
    const run = (segmentDef?: SegmentDefinition) =>
      accountFeatureReport(c, { project: P, from: '2024-03-01', to: '2024-03-19', asOf: '2024-03-20', timezone: 'UTC', features: ['export'], ...(segmentDef ? { segmentDef } : {}) })
    expect((await run()).features[0]).toMatchObject({ activeAccounts: 2, adoptingAccounts: 2 })
    expect((await run(prop('account.plan', 'team'))).features[0]).toMatchObject({ activeAccounts: 1, adoptingAccounts: 1 })
    // People conditions reach accounts through their members: members (u3, u4) → globex.
    expect((await run(prop('person.role', 'member'))).features[0]).toMatchObject({ activeAccounts: 1, adoptingAccounts: 1 })
    // Health lists the paying accounts on 03-20: both, or globex alone for plan = pro.
    expect((await healthReport(c, { projectId: P, asOf: '2024-03-20', seatSharing: false })).accounts.map((a) => a.accountId)).toEqual(['acme', 'globex'])
    const pro = await healthReport(c, { projectId: P, asOf: '2024-03-20', seatSharing: false, segmentDef: prop('account.plan', 'pro') })
    expect(pro.accounts.map((a) => a.accountId)).toEqual(['globex'])
  })

  it('breaks revenue down by plan', async () => {
    // pro: globex (500 MRR); team: acme (100 MRR). Ties in size go by value.
    const r = await revenueBreakdown(t.store.client, { projectId: P, asOf: '2024-03-20' })
    expect(r.property).toBe('account.plan')
    expect(r.overall.mrr).toBe(600)
    expect(r.groups.map((g) => [g.value, g.accounts, g.report.mrr])).toEqual([['pro', 1, 500], ['team', 1, 100]])
    await expect(revenueBreakdown(t.store.client, { projectId: P, breakdown: 'person.role' })).rejects.toMatchObject({ code: 'invalid', field: 'breakdown' })
  })
})

describe('people of a segment', () => {
  it('finds only the segment\'s people, members as of now', async () => {
    const ids = async (sel: { segmentDef?: SegmentDefinition }) => (await searchPeople(t.store.client, P, 'u', 100, sel)).map((m) => m.id).sort()
    // The people the identity tables know: u1–u3 (memberships) and u4 (merged from anon-x).
    expect(await ids({})).toEqual(['u1', 'u2', 'u3', 'u4'])
    // Admins now: u1, u2 (u5 became a member on 03-25 and is not in the identity tables anyway).
    expect(await ids({ segmentDef: prop('person.role', 'admin') })).toEqual(['u1', 'u2'])
    expect(await ids({ segmentDef: prop('first.country', 'GB') })).toEqual(['u4'])
  })
})

describe('bad segments', () => {
  it('refuses an unknown property, naming the condition', async () => {
    const err = await day7(prop('person.nope', 'x')).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AnalysisError)
    expect(err).toMatchObject({ code: 'invalid', field: 'segmentDef.conditions.0.property' })
  })

  it('refuses bad JSON, a bad shape and a missing saved segment', async () => {
    const run = (sel: Record<string, unknown>) =>
      retentionReport(t.store.client, { project: P, from: '2024-03-01', to: '2024-03-01', asOf: '2024-03-20', ...sel }).catch((e: unknown) => e)
    expect(await run({ segmentDef: '{nope' })).toMatchObject({ code: 'invalid', field: 'segmentDef' })
    expect(await run({ segmentDef: JSON.stringify({ conditions: [{ type: 'property', property: 'role', op: 'eq', value: 'x' }] }) })).toMatchObject({
      code: 'invalid', field: 'segmentDef.conditions.0.property',
    })
    expect(await run({ segment: 'missing' })).toMatchObject({ code: 'not_found', field: 'segment' })
  })

  it('keeps a quote in a value a value', async () => {
    expect(await day7(prop('person.role', "admin' OR 1=1 --"))).toEqual([0, 0, 0])
  })
})

describe('saved segments', () => {
  it('creates, versions, applies by id and deletes', async () => {
    const c = t.store.client
    const s = await createSegment(c, P, { id: 'admins', name: 'Admins', definition: prop('person.role', 'admin') })
    expect(s).toMatchObject({ id: 'admins', version: 1, deleted: false })
    const r = await retentionReport(c, { project: P, from: '2024-03-01', to: '2024-03-01', days: [7], asOf: '2024-03-20', segment: 'admins' })
    expect([r.total.size, r.total.cells[0]!.retained]).toEqual([3, 2])
    expect(r.segment).toMatchObject({ id: 'admins', version: 1, name: 'Admins' })
    await updateSegment(c, P, 'admins', { name: 'Members', definition: prop('person.role', 'member') })
    expect((await getSegment(c, P, 'admins'))!.version).toBe(2)
    expect((await segmentHistory(c, P, 'admins')).map((v) => v.name)).toEqual(['Members', 'Admins'])
    await expect(createSegment(c, P, { id: 'admins', name: 'x', definition: prop('person.role', 'admin') })).rejects.toMatchObject({ code: 'conflict' })
    await expect(createSegment(c, P, { name: 'x', definition: prop('person.zzz', 'admin') })).rejects.toMatchObject({ code: 'invalid', field: 'definition.conditions.0.property' })
    await deleteSegment(c, P, 'admins')
    expect(await getSegment(c, P, 'admins')).toBeNull()
  })
})
