import type { ClickHouseClient } from '@clickhouse/client'
import { NON_ACTIVITY_EVENTS } from '@tenure/analysis'
import { addDays } from '../params.js'
import { DAILY_ACTIVE_SQL, EVENTS_SQL, NEW_USERS_SQL, TOTALS_SQL } from './overview.sql.js'

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
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' })
  return rs.json<T>()
}

/** Active people and accounts, new people and stored events per local day of [from, to]. */
export async function overview(client: ClickHouseClient, p: { projectId: string; from: string; to: string; tz: string }): Promise<Overview> {
  // UTC bounds wide enough for any zone offset (±14 h); the local-day filter does the exact cut.
  const params = {
    project: p.projectId, tz: p.tz, from: p.from, to: p.to,
    lo: `${addDays(p.from, -1)} 00:00:00.000`, hi: `${addDays(p.to, 2)} 00:00:00.000`,
    non_activity: [...NON_ACTIVITY_EVENTS],
  }
  const [active, fresh, events, totals] = await Promise.all([
    rows<{ d: string; active_users: string; active_accounts: string }>(client, DAILY_ACTIVE_SQL, params),
    rows<{ d: string; new_users: string }>(client, NEW_USERS_SQL, params),
    rows<{ d: string; events: string }>(client, EVENTS_SQL, params),
    rows<{ active_users: string; active_accounts: string }>(client, TOTALS_SQL, params),
  ])
  const byDay = new Map<string, OverviewDay>()
  for (let d = p.from; d <= p.to; d = addDays(d, 1)) byDay.set(d, { day: d, activeUsers: 0, activeAccounts: 0, newUsers: 0, events: 0 })
  for (const r of active) Object.assign(byDay.get(r.d) ?? {}, { activeUsers: Number(r.active_users), activeAccounts: Number(r.active_accounts) })
  for (const r of fresh) Object.assign(byDay.get(r.d) ?? {}, { newUsers: Number(r.new_users) })
  for (const r of events) Object.assign(byDay.get(r.d) ?? {}, { events: Number(r.events) })
  const days = [...byDay.values()]
  const t = totals[0]
  return {
    from: p.from, to: p.to, tz: p.tz, days,
    totals: {
      activeUsers: Number(t?.active_users ?? 0),
      activeAccounts: Number(t?.active_accounts ?? 0),
      newUsers: days.reduce((s, d) => s + d.newUsers, 0),
      events: days.reduce((s, d) => s + d.events, 0),
    },
  }
}
