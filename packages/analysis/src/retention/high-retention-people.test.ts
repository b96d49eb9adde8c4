import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NON_ACTIVITY_EVENTS } from '../events.js'
import { createFeature } from '../features/store.js'
import { openTestStore } from '../testing/store.js'
import { listFeatures } from '../features/store.js'
import { prepareFeatures, resolveContext, targetParams } from './context.js'
import { queryPeople } from './high-retention-people.js'
import { firstActivityAndSpansComplete } from '../rollup/status.js'
import { insertAliases, insertFixtureEvents, utc, type FixtureEvent } from './__fixtures__/events.js'

let t: Awaited<ReturnType<typeof openTestStore>>
const P = 'hr-people'

/**
 * Three new people, as of 2024-01-17, window 7, day N = 7:
 *   u1 (acme): day 0 three events in sessions s1, s2 (two of them use "f"); day 1 one (s3); day 5 one
 *      (s4, one of the last three window days); back on day 7 (s5). A fourth day-0 event (s1) arrives
 *      late, after a first report, in an insert of its own: the rollup then holds u1's day 0 in two
 *      parts until the engine merges them.
 *   u2: day 0 first anonymous (a2, session sA), then identified in the same session; day 2 (sB). The
 *      anonymous key is merged into u2: each key counts its own session on day 0.
 *   u3: day 0 in two accounts (acme, beta), one session; day 1 (acme); back on day 7; uses "f" on day 8.
 *      All clicks: u3's first page view is on day 9, after the window, so it tells nothing of their first week.
 * First touch: u1 came on a mobile from a newsletter (UTM source) in Germany, landing on /welcome, u2 on a desktop from a
 * search engine (referrer) in Brazil, as the anonymous key merged into u2.
 *   u4: one page view on day 0, in gamma, which no one used before: the first of their account.
 *   u9 (acme): first active in December: not new, but one of acme's three people, so no new acme
 *   person is the first of their account.
 * Identify traits: u1 is an admin in their first week and an owner from day 7 on, which is after
 * it; u2 is a member, then an admin, then a member again (with a number, which is no kind), all in
 * their window; u3 sent none.
 * acme's plan comes from a group event's trait ("team", set on day 0 of u1). It changes to "pro" on
 * 2024-01-12, after both acme people's windows ended: that is not what they had in their first
 * week. A group event after the as-of day ("enterprise") is not yet known to the report.
 */
function events(): FixtureEvent[] {
  const d = (day: number, time = '09:00') => utc('2024-01-01', day, time)
  const e = (day: number) => utc('2024-01-02', day)
  const g = (day: number, time = '09:00') => utc('2024-01-03', day, time)
  const f = [{ tag: 'button' }]
  const a = [{ tag: 'a' }]
  return [
    { user: 'u1', account: 'acme', session: 's1', at: d(0), device: 'mobile', browser: 'Mobile Safari', os: 'iOS', country: 'DE', path: '/welcome', query: '?utm_source=Newsletter&utm_medium=email' },
    { user: 'u1', account: 'acme', session: 's1', at: d(0, '10:00'), featureKey: 'f', elements: f },
    { user: 'u1', account: 'acme', session: 's2', at: d(0, '11:00'), featureKey: 'f', elements: f },
    { user: 'u1', account: 'acme', session: 's3', at: d(1) },
    { user: 'u1', account: 'acme', session: 's4', at: d(5) },
    { user: 'u1', account: 'acme', session: 's5', at: d(7) },
    { anon: 'a2', session: 'sA', at: utc('2024-01-02', 0, '09:00'), device: 'desktop', country: 'BR', referrer: 'https://www.google.com/search?q=tenure' },
    { user: 'u2', anon: 'a2', session: 'sA', at: utc('2024-01-02', 0, '10:00') },
    { user: 'u2', anon: 'a2', session: 'sB', at: e(2) },
    { user: 'u3', account: 'acme', session: 's1', at: g(0), elements: a },
    { user: 'u3', account: 'beta', session: 's1', at: g(0, '10:00'), elements: a },
    { user: 'u3', account: 'acme', session: 's2', at: g(1), elements: a },
    { user: 'u3', account: 'acme', session: 's3', at: g(7), elements: a },
    { user: 'u3', account: 'acme', session: 's4', at: g(8), featureKey: 'f', elements: f },
    { user: 'u3', account: 'acme', session: 's5', at: g(9), device: 'tablet', country: 'FR', referrer: 'https://news.example/item' },
    { user: 'u4', account: 'gamma', session: 'g1', at: utc('2024-01-05', 0) },
    { user: 'u9', account: 'acme', session: 'x', at: utc('2023-12-20', 0) },
    { user: 'u9', account: 'acme', session: 'y', at: d(3) },
    { event: '$group', user: 'u1', account: 'acme', session: 's1', at: d(0, '09:30'), properties: { plan: 'team' } },
    { event: '$identify', user: 'u1', account: 'acme', session: 's1', at: d(0, '09:40'), properties: { role: 'admin', email: 'u1@example.com' } },
    { event: '$identify', user: 'u1', account: 'acme', session: 's5', at: d(7, '09:40'), properties: { role: 'owner' } },
    { event: '$identify', user: 'u2', anon: 'a2', session: 'sA', at: utc('2024-01-02', 0, '10:01'), properties: { role: 'member' } },
    { event: '$identify', user: 'u2', anon: 'a2', session: 'sA', at: utc('2024-01-02', 0, '10:02'), properties: { role: 'member' } },
    { event: '$identify', user: 'u2', session: 'sB', at: e(1), properties: { role: 'admin' } },
    { event: '$identify', user: 'u2', session: 'sB', at: e(2), properties: { role: 'member', seats: 3 } },
    { event: '$group', user: 'u9', account: 'acme', session: 's8', at: utc('2024-01-12', 0), properties: { plan: 'pro' } },
    { event: '$group', user: 'u1', account: 'acme', session: 's9', at: utc('2024-01-20', 0), properties: { plan: 'enterprise' } },
  ]
}

async function params(timezone = 'UTC', from = '2024-01-01', project = P): Promise<Record<string, unknown>> {
  const ctx = await resolveContext(t.store.client, project, { timezone, asOf: '2024-01-17' })
  const features = await prepareFeatures(t.store.client, ctx, undefined)
  return { ...targetParams(ctx, features), from, to: '2024-01-10', n: 7, window: 7, non_activity: [...NON_ACTIVITY_EVENTS] }
}

const sorted = (rows: unknown[][]) => rows.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))

async function peopleRows(mode: 'on' | 'on_or_after', opts: { kept?: boolean; timezone?: string; from?: string } = {}): Promise<unknown[][]> {
  return sorted(await queryPeople(t.store.client, mode, await params(opts.timezone, opts.from), await listFeatures(t.store.client, P), { kept: opts.kept }))
}

beforeAll(async () => {
  t = await openTestStore()
  await createFeature(t.store.client, P, { id: 'f', name: 'f', rules: [{ type: 'feature_key', key: 'f' }] })
  await insertFixtureEvents(t.store.client, P, events())
  await insertAliases(t.store.client, P, { a2: 'u2' })
  await peopleRows('on')
  await insertFixtureEvents(t.store.client, P, [{ user: 'u1', account: 'acme', session: 's1', at: utc('2024-01-01', 0, '12:00') }])
})
afterAll(async () => {
  await t?.cleanup()
})

describe('highRetentionPeopleSql', () => {
  // [eligible, retained, active, late, events, sessions, used, used events, account, account size, plan, seats, days joined after `from`, first-touch device, source, country, landing path, identify traits, first of the account, days the account was active before, browser, system, group traits, events per part of the day, in the report's zone (12:00 is afternoon)]
  it('measures each new person in their own first week, a late event included at the next report', async () => {
    expect(await peopleRows('on')).toEqual([
      [1, 0, 1, 0, 1, 1, [], [], 'gamma', 1, '', null, 4, '', '', '', '/', [], 1, 0, '', '', [], [0, 0, 1, 0]],
      [1, 0, 2, 0, 3, 3, [], [], '', 0, '', null, 1, 'desktop', 'www.google.com', 'BR', '/', [['role', '"member"'], ['seats', '3']], 0, 0, '', '', [], [0, 2, 1, 0]],
      // acme was first active on 2023-12-20 (u9).
      [1, 1, 2, 0, 3, 2, [], [], 'acme', 3, 'team', null, 2, '', '', '', '', [], 0, 14, '', '', [['plan', '"team"']], [0, 3, 0, 0]],
      [1, 1, 3, 1, 6, 4, [2], [2], 'acme', 3, 'team', null, 0, 'mobile', 'newsletter', 'DE', '/welcome', [['email', '"u1@example.com"'], ['role', '"admin"']], 0, 12, 'Mobile Safari', 'iOS', [['plan', '"team"']], [0, 5, 1, 0]],
    ])
  })

  it('gives the same rows once the engine has merged the rollup', async () => {
    const before = await peopleRows('on')
    // The most parts one month of the rollup is in.
    const parts = async () => {
      const rs = await t.store.client.query({
        query: `SELECT max(n) AS n FROM (SELECT partition, count() AS n FROM system.parts WHERE active AND table = 'activity_rollup' GROUP BY partition)`,
        format: 'JSONEachRow',
      })
      return Number((await rs.json<{ n: string }>())[0]!.n)
    }
    expect(await parts()).toBeGreaterThan(1)
    await t.store.client.command({ query: 'OPTIMIZE TABLE activity_rollup FINAL' })
    expect(await parts()).toBe(1)
    expect(await peopleRows('on')).toEqual(before)
  })

  it('finds the same days 0 and accounts in the first activities and session spans kept at ingest, in any zone', async () => {
    expect(await firstActivityAndSpansComplete(t.store.client, P)).toBe(true)
    expect(await peopleRows('on', { kept: true })).toEqual(await peopleRows('on'))
    // Day 0 and the last day of activity move with the zone; u3's day in two accounts among them.
    for (const timezone of ['Asia/Kathmandu', 'America/St_Johns', 'Pacific/Kiritimati']) {
      const rollup = await peopleRows('on', { timezone })
      expect(rollup.length).toBeGreaterThan(0)
      expect(await peopleRows('on', { kept: true, timezone })).toEqual(rollup)
    }
    // Parts of the day are the zone's: u1's events from 09:00 to 12:00 UTC are 14:45 to 17:45 in Kathmandu.
    const kathmandu = await peopleRows('on', { timezone: 'Asia/Kathmandu' })
    expect(kathmandu.filter((r) => r[8] === 'acme' && r[4] === 6).map((r) => r[23])).toEqual([[0, 0, 6, 0]])
    // From the first day there is: the spans read from the day before it.
    const all = await peopleRows('on', { from: '1970-01-01' })
    expect(all.length).toBeGreaterThan(4)
    expect(await peopleRows('on', { kept: true, from: '1970-01-01' })).toEqual(all)
  })

  it('reads features beyond one mask word, and a project without features', async () => {
    const project = 'hr-people-words'
    // 70 features: f00…f63 are bits of the first word, f64…f69 of the second; feature fNN is at position NN + 2.
    const ids = Array.from({ length: 70 }, (_, i) => `f${String(i).padStart(2, '0')}`)
    for (const id of ids) await createFeature(t.store.client, project, { id, name: id, rules: [{ type: 'feature_key', key: id }] })
    const at = (day: number, time = '09:00') => utc('2024-01-01', day, time)
    await insertFixtureEvents(t.store.client, project, [
      { user: 'w1', session: 'a', at: at(0), featureKey: 'f01' },
      { user: 'w1', session: 'a', at: at(0, '09:20'), featureKey: 'f01' },
      { user: 'w1', session: 'b', at: at(1), featureKey: 'f66' },
      // After the window: not first-week use.
      { user: 'w1', session: 'c', at: at(9), featureKey: 'f02' },
      { user: 'w2', session: 'd', at: at(2), featureKey: 'f69' },
      { user: 'w2', session: 'd', at: at(2, '09:05'), featureKey: 'f63' },
      { user: 'w2', session: 'd', at: at(2, '09:40'), featureKey: 'f64' },
      { user: 'w3', session: 'e', at: at(3) },
    ])
    const rows = async (features: Awaited<ReturnType<typeof listFeatures>>) =>
      sorted((await queryPeople(t.store.client, 'on', await params('UTC', '2024-01-01', project), features, { kept: true })).map((r) => [r[4], r[6], r[7]]))
    expect(await rows(await listFeatures(t.store.client, project))).toEqual([[1, [], []], [3, [3, 68], [2, 1]], [3, [65, 66, 71], [1, 1, 1]]])
    expect(await rows([])).toEqual([[1, [], []], [3, [], []], [3, [], []]])
  })

  it('counts a return on or after day N the same way here', async () => {
    expect((await peopleRows('on_or_after')).map((r) => r.slice(0, 2))).toEqual([[1, 0], [1, 0], [1, 1], [1, 1]])
  })
})
