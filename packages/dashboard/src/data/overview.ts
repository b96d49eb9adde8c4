import type { ClickHouseClient } from '@clickhouse/client'
import { NON_ACTIVITY_EVENTS, rollupCoverage, type RollupCoverage } from '@tenure/analysis'
import { addDays } from '../params.js'
import { ACTIVE_SQL, EVENTS_SQL, NEW_USERS_SQL } from './overview.sql.js'

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
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' })
  return rs.json<T>()
}

/**
 * Active people and accounts, new people and stored events per local day of [from, to]. People and
 * accounts come from the activity rollup: while events stored before it existed are still being
 * added to it, they cover the events added so far and every event received since (`activity` says
 * so). Stored events are counted on the events, each copy of a retried event once (see EVENTS_SQL).
 */
export async function overview(
  client: ClickHouseClient,
  p: { projectId: string; from: string; to: string; tz: string },
): Promise<Overview> {
  // UTC days wide enough for any zone offset (±14 h); the local-day filter does the exact cut.
  const lo = addDays(p.from, -1)
  const hi = addDays(p.to, 2)
  const params = {
    project: p.projectId, tz: p.tz, from: p.from, to: p.to,
    lo: `${lo} 00:00:00.000`, hi: `${hi} 00:00:00.000`, lo_day: lo, hi_day: hi,
    non_activity: [...NON_ACTIVITY_EVENTS],
  }
  const [active, fresh, events, coverage] = await Promise.all([
    rows<{ total: number; d: string; active_users: string; active_accounts: string }>(client, ACTIVE_SQL, params),
    rows<{ d: string; new_users: string }>(client, NEW_USERS_SQL, params),
    rows<{ d: string; events: string }>(client, EVENTS_SQL, params),
    rollupCoverage(client, p.projectId),
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
  }
}
