import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NON_ACTIVITY_EVENTS } from '../events.js'
import { compileRules } from '../features/compile.js'
import { createFeature, listFeatures } from '../features/store.js'
import type { FeatureDefinition } from '../features/rules.js'
import { Params } from '../sql/params.js'
import { openTestStore } from '../testing/store.js'
import { insertFixtureEvents, type FixtureEvent } from '../retention/__fixtures__/events.js'
import { activityCtes, activityParams } from './rows.sql.js'

/**
 * The activity rows the reports read from the rollup equal those computed from the raw events
 * themselves — distinct events per target, user key, local day and account, with every rule kind
 * tested on the events' own elements — in zones with half-hour and 45-minute offsets and on the
 * nights clocks change, events a millisecond either side of local midnight, anonymous and
 * identified keys, two accounts, events that make no one active, and a late batch stored apart.
 */
const P = 'rows'
const ZONES = ['UTC', 'Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'Pacific/Chatham', 'Australia/Lord_Howe']
const MIDNIGHTS_UTC = [
  '2025-03-08T18:30:00.000Z', // Kolkata
  '2025-03-09T18:15:00.000Z', // Kathmandu
  '2025-03-09T05:00:00.000Z', '2025-03-10T04:00:00.000Z', // New York, spring change
  '2025-11-02T04:00:00.000Z', '2025-11-03T05:00:00.000Z', // New York, autumn change
  '2025-04-05T10:15:00.000Z', '2025-04-06T11:15:00.000Z', // Chatham
  '2025-04-05T13:00:00.000Z', '2025-04-06T13:30:00.000Z', // Lord Howe
]

const save = [{ tag: 'button', classes: ['save'], text: 'Save' }, { tag: 'div', classes: ['toolbar'] }]
const other = [{ tag: 'a', classes: ['nav'], text: 'Home' }]
const KINDS: Omit<FixtureEvent, 'at'>[] = [
  { elements: save },
  { elements: other, path: '/reports/42' },
  { event: 'export_done' },
  { featureKey: 'share', elements: other },
  { event: '$pageleave', path: '/reports/7' },
  { path: '/settings' },
]
const WHO: Omit<FixtureEvent, 'at'>[] = [
  { user: 'u1', account: 'acme' },
  { user: 'u1', account: 'beta' },
  { anon: 'a2' },
  { user: 'u3', anon: 'a3' },
]

function events(late: boolean): FixtureEvent[] {
  const out: FixtureEvent[] = []
  MIDNIGHTS_UTC.forEach((m, i) => {
    ;[-1, 0, 899_999, -900_000, 3_600_000].forEach((ms, j) => {
      const k = i * 7 + j + (late ? 3 : 0)
      out.push({ ...WHO[k % WHO.length]!, ...KINDS[k % KINDS.length]!, at: new Date(Date.parse(m) + ms).toISOString() })
    })
  })
  return out
}

let t: Awaited<ReturnType<typeof openTestStore>>
let features: FeatureDefinition[]
beforeAll(async () => {
  t = await openTestStore()
  for (const f of [
    { id: 'save', name: 'Save', rules: [{ type: 'element' as const, selector: '.toolbar .save' }] },
    { id: 'save-text', name: 'Save text', rules: [{ type: 'element' as const, text: 'save', textMatch: 'contains' as const }] },
    { id: 'reports', name: 'Reports', rules: [{ type: 'url' as const, pattern: '/reports/*' }] },
    { id: 'export', name: 'Export', rules: [{ type: 'event' as const, name: 'export_done' }, { type: 'feature_key' as const, key: 'share' }] },
    { id: 'never', name: 'Never', rules: [{ type: 'event' as const, name: 'no_such_event' }] },
  ]) await createFeature(t.store.client, P, f)
  features = await listFeatures(t.store.client, P)
  await insertFixtureEvents(t.store.client, P, events(false))
  await insertFixtureEvents(t.store.client, P, events(true))
})
afterAll(async () => {
  await t?.cleanup()
})

type Row = [number, string, number, string, string, number]

/** `rows`: activity_days and feature_rows; `targets`: rollup_targets, each row counted for its targets. */
async function fromRollup(tz: string, source: 'rows' | 'targets'): Promise<Row[]> {
  const rows = source === 'rows'
    ? `SELECT toUInt32(1) AS t, user_key, identified, day, account_id, uses FROM activity_days
        UNION ALL SELECT t, user_key, identified, day, account_id, uses FROM feature_rows`
    : `SELECT t, user_key, identified, day, account_id, sum(events) AS uses FROM rollup_targets ARRAY JOIN ts AS t
        GROUP BY t, user_key, identified, day, account_id`
  const rs = await t.store.client.query({
    query: `WITH ${activityCtes(features)}
      SELECT t, user_key, identified, toString(day) AS d, account_id, uses FROM (${rows}) ORDER BY t, user_key, identified, d, account_id`,
    query_params: { ...activityParams(features), project: P, tz },
    format: 'JSONCompactEachRow',
  })
  return (await rs.json<Row>()).map(normal)
}

async function fromEvents(tz: string): Promise<Row[]> {
  const params = new Params('r')
  const conds = features.map((f, i) => `if(${compileRules(f.rules, params)}, ${i + 2}, 0)`)
  const rs = await t.store.client.query({
    query: `SELECT t, user_key, toUInt8(user_id != '') AS identified, toString(toDate(timestamp, {tz:String})) AS d, account_id, uniqExact(uuid) AS uses
      FROM events FINAL ARRAY JOIN arrayFilter(x -> x > 0, [1, ${conds.join(', ')}]) AS t
      WHERE project_id = {project:String} AND event NOT IN {non_activity:Array(String)}
      GROUP BY t, user_key, identified, d, account_id ORDER BY t, user_key, identified, d, account_id`,
    query_params: { ...params.values, project: P, tz, non_activity: [...NON_ACTIVITY_EVENTS] },
    format: 'JSONCompactEachRow',
  })
  return (await rs.json<Row>()).map(normal)
}

const normal = (r: Row): Row => [Number(r[0]), r[1], Number(r[2]), r[3], r[4], Number(r[5])]

describe('activity rows from the rollup', () => {
  it('equal the distinct events of each target, user key, local day and account in any zone', async () => {
    const days = new Map<string, string>()
    for (const tz of ZONES) {
      const expected = await fromEvents(tz)
      expect({ tz, rows: await fromRollup(tz, 'rows') }).toEqual({ tz, rows: expected })
      expect({ tz, rows: await fromRollup(tz, 'targets') }).toEqual({ tz, rows: expected })
      // Every feature but the one no event matches has rows.
      const matched = features.flatMap((f, i) => (f.id === 'never' ? [] : [i + 2]))
      expect(new Set(expected.map((r) => r[0]))).toEqual(new Set([1, ...matched]))
      days.set(tz, expected.map((r) => `${r[1]} ${r[3]}`).join())
    }
    // The zones put the same events on different local days.
    expect(new Set(days.values()).size).toBe(ZONES.length)
  })
})

describe('a project with more features than one mask word holds', () => {
  it('gives each row the positions of all the features it is use of', async () => {
    const many = Array.from({ length: 70 }, (_, i) => ({
      id: `m${String(i).padStart(2, '0')}`,
      name: `M${i}`,
      // Two features per event name, so that one row is use of features in both words.
      rules: [{ type: 'event' as const, name: `e${i % 35}` }],
    }))
    for (const f of many) await createFeature(t.store.client, 'many', f)
    const defs = await listFeatures(t.store.client, 'many')
    await insertFixtureEvents(t.store.client, 'many', [{ user: 'u', event: 'e3', at: '2025-01-01T10:00:00.000Z' }, { user: 'u', event: 'e34', at: '2025-01-02T10:00:00.000Z' }])
    const rs = await t.store.client.query({
      query: `WITH ${activityCtes(defs)} SELECT toString(day) AS d, ts FROM rollup_targets ORDER BY d`,
      query_params: { ...activityParams(defs), project: 'many', tz: 'UTC' },
      format: 'JSONCompactEachRow',
    })
    const positionsOf = (...ids: string[]) => [1, ...ids.map((id) => defs.findIndex((f) => f.id === id) + 2).sort((a, b) => a - b)]
    expect(await rs.json()).toEqual([['2025-01-01', positionsOf('m03', 'm38')], ['2025-01-02', positionsOf('m34', 'm69')]])
  })
})
