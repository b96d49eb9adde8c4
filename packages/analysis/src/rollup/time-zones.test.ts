import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { insertEvents, type TestEvent } from '../accounts/__fixtures__/events.js'
import { openTestStore } from '../testing/store.js'
import { accountWeeklyUsage } from '../worklist/account-people.js'

/**
 * The rollup's 15-minute UTC buckets put every event on its own local day in any zone: half-hour
 * and 45-minute offsets, and the nights a zone changes its offset. Events sit a millisecond either
 * side of local midnights.
 */
const ZONES = ['Asia/Kolkata', 'Asia/Kathmandu', 'America/New_York', 'Australia/Lord_Howe', 'Pacific/Chatham', 'Europe/London']

/** UTC instants of local midnights around offset changes and on ordinary days, for each zone. */
const MIDNIGHTS_UTC = [
  '2025-03-08 18:30:00.000', // Kolkata +05:30
  '2025-03-09 18:15:00.000', // Kathmandu +05:45
  '2025-03-09 05:00:00.000', '2025-03-10 04:00:00.000', // New York, the night of the spring change
  '2025-11-02 04:00:00.000', '2025-11-03 05:00:00.000', // New York, the night of the autumn change
  '2025-04-05 13:00:00.000', '2025-04-06 13:30:00.000', // Lord Howe (+11 → +10:30)
  '2025-04-05 10:15:00.000', '2025-04-06 11:15:00.000', // Chatham (+13:45 → +12:45)
  '2025-03-30 00:00:00.000', '2025-10-25 23:00:00.000', // London
]

function shift(ts: string, ms: number): string {
  return new Date(Date.parse(`${ts.replace(' ', 'T')}Z`) + ms).toISOString().replace('T', ' ').replace('Z', '')
}

function events(): TestEvent[] {
  const out: TestEvent[] = []
  MIDNIGHTS_UTC.forEach((m, i) => {
    for (const [ms, user] of [[-1, 'before'], [0, 'at'], [14 * 60_000 + 59_999, 'quarter'], [-15 * 60_000, 'earlier']] as const) {
      out.push({ event: '$click', timestamp: shift(m, ms), user_id: `${user}-${i % 3}`, account_id: 'acme' })
    }
    out.push({ event: '$pageleave', timestamp: shift(m, 1), user_id: 'passive', account_id: 'acme' })
  })
  return out
}

describe('local days and weeks on the rollup in any time zone', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  beforeAll(async () => {
    t = await openTestStore()
    await insertEvents(t.store.client, 'p', events())
  })
  afterAll(() => t.cleanup())

  const q = async (query: string, tz: string) =>
    (await t.store.client.query({ query, query_params: { tz }, format: 'JSONEachRow' })).json<Record<string, string>>()

  it('counts events and people per local day exactly as the events themselves do', async () => {
    for (const tz of ZONES) {
      const fromRollup = await q(`SELECT toString(toDate(bucket, {tz:String})) AS day, toString(sum(events)) AS n, toString(uniqExact(user_key)) AS people
        FROM activity_rollup WHERE project_id = 'p' GROUP BY day ORDER BY day`, tz)
      const fromEvents = await q(`SELECT toString(toDate(timestamp, {tz:String})) AS day, toString(count()) AS n, toString(uniqExact(user_key)) AS people
        FROM events FINAL WHERE project_id = 'p' GROUP BY day ORDER BY day`, tz)
      expect({ tz, days: fromRollup }).toEqual({ tz, days: fromEvents })
      expect(fromRollup.length).toBeGreaterThan(5)
    }
  })

  it('gives an account the weekly people and events of its raw events', async () => {
    for (const tz of ZONES) {
      const weeks = await accountWeeklyUsage(t.store.client, { projectId: 'p', accountId: 'acme', from: '2025-03-01', to: '2025-11-10', tz })
      const raw = await q(`SELECT toString(toMonday(toDate(timestamp, {tz:String}))) AS week,
          uniqExactIf(user_key, event != '$pageleave') AS people, countIf(event != '$pageleave') AS events
        FROM events FINAL WHERE project_id = 'p' AND account_id = 'acme'
          AND timestamp >= '2025-03-01 00:00:00.000' AND timestamp < '2025-11-10 00:00:00.000'
        GROUP BY week ORDER BY week`, tz)
      expect({ tz, weeks }).toEqual({ tz, weeks: raw.map((r) => ({ week: r.week, people: Number(r.people), events: Number(r.events) })) })
    }
  })
})
