import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createFeature } from '../features/store.js'
import type { FeatureRule } from '../features/rules.js'
import { openTestStore } from '../testing/store.js'
import { nudgeReportSql, type NudgeReportQuery } from './report.sql.js'
import { rawNudgeReportSql } from './__fixtures__/raw-report.sql.js'
import { insertNudgeEvents, type NudgeFixtureEvent } from './__fixtures__/events.js'

let t: Awaited<ReturnType<typeof openTestStore>>
const P = 'p_cmp'
const N = 'n_cmp'
const RULES: FeatureRule[] = [
  { type: 'element', selector: 'button#export', textMatch: 'equals' },
  { type: 'url', pattern: '/reports/**' },
  { type: 'event', name: 'csv_download' },
]

/** A small deterministic generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let x = Math.imul(a ^ (a >>> 15), 1 | a)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

const iso = (ms: number) => new Date(ms).toISOString()
const BASE = Date.parse('2026-03-01T00:00:00Z')
const MIN = 60_000
const QUARTER = 15 * MIN

/**
 * People exposed to the nudge (and some not), with feature use and activity around the exposure
 * and in the quarter hours either side of it, on days around the as-of instants below. Uses fall
 * on the exposure's own quarter hour before and after it, on its first millisecond, and in the
 * quarter hour as-of falls in.
 */
function fixture(seed: number): { events: NudgeFixtureEvent[]; aliases: { anonymous_id: string; user_id: string }[] } {
  const r = random(seed)
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!
  const events: NudgeFixtureEvent[] = []
  const aliases: { anonymous_id: string; user_id: string }[] = []
  for (let i = 0; i < 80; i++) {
    const user = `u${i}`
    const anonymous = r() < 0.3
    const who = anonymous ? { anon: `a${i}` } : { user, anon: `a${i}` }
    if (anonymous && r() < 0.6) aliases.push({ anonymous_id: `a${i}`, user_id: user })
    const first = BASE + Math.floor(r() * 20) * 86_400_000 + Math.floor(r() * 96) * QUARTER + Math.floor(r() * QUARTER)
    events.push({ ...who, at: iso(first) })
    const exposedAt = first + Math.floor(r() * 4 * 86_400_000)
    const arm = r()
    if (arm < 0.9) events.push({ ...who, at: iso(exposedAt), event: arm < 0.1 ? '$nudge_held_out' : '$nudge_shown', nudge: N })
    if (arm > 0.8) events.push({ ...who, at: iso(exposedAt + 3 * 86_400_000), event: '$nudge_held_out', nudge: N })
    if (r() < 0.1) events.push({ ...who, at: iso(exposedAt), event: '$nudge_shown', nudge: 'n_other' })
    if (r() < 0.3) events.push({ ...who, at: iso(exposedAt + MIN), event: pick(['$nudge_clicked', '$nudge_dismissed']), nudge: N })
    const bucket = exposedAt - (exposedAt % QUARTER)
    const use = (at: number) => {
      const kind = r()
      events.push(kind < 0.5 ? { ...who, at: iso(at), click: 'export' } : kind < 0.8 ? { ...who, at: iso(at), path: '/reports/q1' } : { ...who, at: iso(at), event: 'csv_download' })
    }
    // Uses in the exposure's quarter hour, before and after it, and on its first millisecond.
    if (r() < 0.4) use(bucket + Math.floor(r() * (exposedAt - bucket)))
    if (r() < 0.3) use(exposedAt + Math.floor(r() * (bucket + QUARTER - exposedAt)))
    if (r() < 0.1) use(bucket)
    // Later uses and returns, some on the edge of an adoption window's last day.
    for (let k = 0; k < 4; k++) {
      if (r() < 0.5) use(exposedAt + Math.floor(r() * 12 * 86_400_000))
      if (r() < 0.6) events.push({ ...who, at: iso(first + Math.floor(r() * 15) * 86_400_000 + Math.floor(r() * 86_400_000)), path: '/home' })
    }
    // Nudge bookkeeping and page leaves are not activity.
    if (r() < 0.2) events.push({ ...who, at: iso(first - 86_400_000), event: '$pageleave' })
  }
  return { events, aliases }
}

const AS_OFS = ['2026-03-12T10:07:30.500Z', '2026-03-20T00:00:00.000Z', '2026-04-10T23:59:59.999Z']
const ZONES = ['UTC', 'Asia/Kathmandu', 'America/Los_Angeles']

function localDay(ms: number, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms)
}

async function rows(sql: { sql: string; params: Record<string, unknown> }): Promise<unknown[]> {
  return (await t.store.client.query({ query: sql.sql, query_params: sql.params, format: 'JSONEachRow' })).json()
}

/** Every combination of as-of, zone, windows and mode: the rollup-based rows against the raw ones. */
async function compareAll(): Promise<number> {
  let compared = 0
  for (const asOf of AS_OFS) {
    for (const timezone of ZONES) {
      for (const [adoptionDays, retentionDay, mode] of [[7, 7, 'on'], [1, 0, 'on'], [3, 2, 'on_or_after'], ] as const) {
        const q: NudgeReportQuery = {
          project: P, nudgeId: N, featureRules: RULES, timezone, asOf, asOfDay: localDay(Date.parse(asOf), timezone),
          adoptionDays, retentionDay, mode, holdoutShare: 0.3,
        }
        const label = JSON.stringify({ asOf, timezone, adoptionDays, retentionDay, mode })
        const expected = await rows(rawNudgeReportSql(q))
        expect({ label, rows: await rows(nudgeReportSql(q)) }).toEqual({ label, rows: expected })
        compared += expected.length
      }
    }
  }
  return compared
}

beforeAll(async () => {
  t = await openTestStore()
  await createFeature(t.store.client, P, { id: 'export', name: 'Export', rules: RULES })
})
afterAll(async () => {
  await t?.cleanup()
})

describe('nudge report on the activity rollup', () => {
  it('gives the rows the raw events give, with copies of events and late events', async () => {
    const { events, aliases } = fixture(7)
    // Copies of some events, each with its original's id, sent again in later requests (a client's
    // retry after a collector restart): stored as separate inserts, so the rollup counts them twice.
    const withIds = events.map((e, i) => ({ ...e, uuid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}` }))
    const copies = withIds.filter((_, i) => i % 7 === 0)
    const [early, late] = [withIds.filter((_, i) => i % 5 !== 0), withIds.filter((_, i) => i % 5 === 0)]
    await insertNudgeEvents(t.store.client, P, early)
    await insertNudgeEvents(t.store.client, P, copies)
    await t.store.client.insert({
      table: 'person_aliases', format: 'JSONEachRow',
      values: aliases.map((a) => ({ project_id: P, ...a, updated_at: '2026-03-05 00:00:00.000' })),
    })
    const before = await compareAll()
    expect(before).toBeGreaterThan(0)
    // Late events: a fifth of them arrive after the reports above, with their original times.
    await insertNudgeEvents(t.store.client, P, late)
    await insertNudgeEvents(t.store.client, P, late.filter((_, i) => i % 3 === 0))
    expect(await compareAll()).toBeGreaterThan(0)
    // The fixture reaches every arm and both outcomes of each measure.
    const all = (await rows(nudgeReportSql({
      project: P, nudgeId: N, featureRules: RULES, timezone: 'UTC', asOf: AS_OFS[2]!, asOfDay: '2026-04-10', adoptionDays: 7, retentionDay: 7, mode: 'on', holdoutShare: 0.3,
    }))) as Record<string, string>[]
    expect(all.map((r) => r.arm)).toEqual(['conflicting', 'held_out', 'shown'])
    const shown = all.find((r) => r.arm === 'shown')!
    for (const k of ['adopt_k', 'ret_k', 'clicked', 'dismissed']) expect(Number(shown[k]), k).toBeGreaterThan(0)
    expect(Number(shown.adopt_k)).toBeLessThan(Number(shown.adopt_n))
    expect(Number(shown.ret_k)).toBeLessThan(Number(shown.ret_n))
  })

  it('reads uses in the exposure quarter hour and the as-of quarter hour by their time', async () => {
    const q = (asOf: string): NudgeReportQuery => ({
      project: 'p_edge', nudgeId: N, featureRules: RULES, timezone: 'UTC', asOf, asOfDay: asOf.slice(0, 10), adoptionDays: 1, retentionDay: 0, mode: 'on', holdoutShare: 0,
    })
    await createFeature(t.store.client, 'p_edge', { id: 'export', name: 'Export', rules: RULES })
    await insertNudgeEvents(t.store.client, 'p_edge', [
      // e1 used the feature in its exposure's quarter hour, a minute before being shown: not adopted.
      { user: 'e1', at: '2026-03-02T10:05:00Z', click: 'export' },
      { user: 'e1', at: '2026-03-02T10:06:00Z', event: '$nudge_shown', nudge: N },
      // e2 a minute after: adopted.
      { user: 'e2', at: '2026-03-02T10:06:00Z', event: '$nudge_shown', nudge: N },
      { user: 'e2', at: '2026-03-02T10:07:00Z', click: 'export' },
      // e3 first acts after as-of, in as-of's quarter hour: no activity before as-of.
      { user: 'e3', at: '2026-03-03T09:01:00Z', event: '$nudge_shown', nudge: N },
      { user: 'e3', at: '2026-03-03T09:03:00Z', path: '/reports/x' },
      // e4, shown the day before, acts only after as-of: day 0 is the exposure day, over at as-of, with no activity (e1 and e2 are retained on day 0).
      { user: 'e4', at: '2026-03-02T12:00:00Z', event: '$nudge_shown', nudge: N },
      { user: 'e4', at: '2026-03-03T09:05:00Z', path: '/home' },
      // e5 is shown at the start of a quarter hour and uses the feature that very millisecond: adopted (at or after exposure).
      { user: 'e5', at: '2026-03-02T10:15:00Z', event: '$nudge_shown', nudge: N },
      { user: 'e5', at: '2026-03-02T10:15:00Z', click: 'export' },
    ])
    const asOf = '2026-03-03T09:02:00.000Z'
    const [raw, rollup] = [await rows(rawNudgeReportSql(q(asOf))), await rows(nudgeReportSql(q(asOf)))]
    expect(rollup).toEqual(raw)
    expect(rollup).toMatchObject([{ arm: 'shown', users: 5, adopt_n: 4, adopt_k: 2, ret_n: 4, ret_k: 3 }])
  })
})
