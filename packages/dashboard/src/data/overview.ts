import type { ClickHouseClient } from '@clickhouse/client'
import { firstActivityComplete, NON_ACTIVITY_EVENTS, resolveContext, resolveSegment, rollupCoverage, segmentClause, segmentParams, type AppliedSegment, type RollupCoverage } from '@tenure/analysis'
import { addDays } from '../params.js'
import { activeSql, EVENTS_SQL, newUsersSql } from './overview.sql.js'

export interface OverviewDay {
  day: string
  activeUsers: number
  activeAccounts: number
  newUsers: number
  events: number
}

export interface Overview {
  from: string
  to: string
  tz: string
  /** Every day of the range, zeros included. */
  days: OverviewDay[]
  totals: { activeUsers: number; activeAccounts: number; newUsers: number; events: number }
  /** Whether the activity rollup holds every stored event of the project yet; while not, the figures cover what it holds. */
  activity: Pick<RollupCoverage, 'complete' | 'note'>
  /** The segment people and accounts were restricted to (events are always the project's); null for everyone. */
  segment: AppliedSegment | null
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' })
  return rs.json<T>()
}

/**
 * Active people and accounts, new people and stored events per local day of [from, to], from the
 * activity rollup: while events stored before it existed are still being added to it, the figures
 * cover the events added so far and every event received since (`activity` says so).
 *
 * With a saved segment (`segment`, its id), people and accounts are those of the segment's people
 * only: new people are its members whose first activity fell in the range, active accounts those
 * its members were active in. Membership is as of now, as on the other report pages. Stored events
 * stay the project's: they measure ingestion, not people.
 */
export async function overview(
  client: ClickHouseClient,
  p: { projectId: string; from: string; to: string; tz: string; segment?: string | undefined },
): Promise<Overview> {
  // UTC days wide enough for any zone offset (±14 h); the local-day filter does the exact cut.
  const lo = addDays(p.from, -1)
  const hi = addDays(p.to, 2)
  const params = {
    project: p.projectId, tz: p.tz, from: p.from, to: p.to,
    lo: `${lo} 00:00:00.000`, hi: `${hi} 00:00:00.000`, lo_day: lo, hi_day: hi,
    non_activity: [...NON_ACTIVITY_EVENTS],
  }
  const segment = p.segment === undefined
    ? null
    : await resolveSegment(client, await resolveContext(client, p.projectId, { timezone: p.tz }), { segment: p.segment })
  // The segment's query names its parameters apart (seg…), so they travel beside the overview's.
  const people = segmentClause(segment?.filter, 'person')
  const peopleParams = { ...params, ...segmentParams(segment?.filter) }
  // First activities kept at ingest while the rollup is complete too: while it is not, new people
  // come from the rollup like the other figures, so all of them cover the same events.
  const [coverage, firstsKept] = await Promise.all([rollupCoverage(client, p.projectId), firstActivityComplete(client, p.projectId)])
  const firsts = coverage.complete && firstsKept ? 'kept' : 'rollup'
  const [active, fresh, events] = await Promise.all([
    rows<{ total: number; d: string; active_users: string; active_accounts: string }>(client, activeSql(people), peopleParams),
    rows<{ d: string; new_users: string }>(client, newUsersSql(people, firsts), peopleParams),
    rows<{ d: string; events: string }>(client, EVENTS_SQL, params),
  ])
  const byDay = new Map<string, OverviewDay>()
  for (let d = p.from; d <= p.to; d = addDays(d, 1)) byDay.set(d, { day: d, activeUsers: 0, activeAccounts: 0, newUsers: 0, events: 0 })
  for (const r of active) if (Number(r.total) === 0) Object.assign(byDay.get(r.d) ?? {}, { activeUsers: Number(r.active_users), activeAccounts: Number(r.active_accounts) })
  for (const r of fresh) Object.assign(byDay.get(r.d) ?? {}, { newUsers: Number(r.new_users) })
  for (const r of events) Object.assign(byDay.get(r.d) ?? {}, { events: Number(r.events) })
  const days = [...byDay.values()]
  const t = active.find((r) => Number(r.total) === 1)
  return {
    from: p.from, to: p.to, tz: p.tz, days,
    totals: {
      activeUsers: Number(t?.active_users ?? 0),
      activeAccounts: Number(t?.active_accounts ?? 0),
      newUsers: days.reduce((s, d) => s + d.newUsers, 0),
      events: days.reduce((s, d) => s + d.events, 0),
    },
    activity: { complete: coverage.complete, note: coverage.note },
    segment: segment?.applied ?? null,
  }
}
