import type { ClickHouseClient } from '@clickhouse/client'
import { NON_ACTIVITY_EVENTS } from '@tenure/analysis'
import { addDays } from '../../params.js'

/**
 * The overview's daily figures as computed before the activity rollup: straight from
 * `events FINAL`, each event resolved to its person and account. Kept as the reference the
 * rollup-based overview is compared with (tests) and timed against (benchmark).
 */
const ACTIVITY = `
SELECT x.person AS person, if(x.account_id != '', x.account_id, ua.account_id) AS account, x.day AS day
FROM (
  SELECT if(e.user_id != '', e.user_id, if(pa.user_id != '', pa.user_id, e.anonymous_id)) AS person,
         e.account_id AS account_id, toDate(e.timestamp, {tz:String}) AS day
  FROM events AS e FINAL
  LEFT JOIN (
    SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
    WHERE project_id = {project:String} GROUP BY anonymous_id
  ) AS pa ON pa.anonymous_id = e.anonymous_id
  WHERE e.project_id = {project:String} AND e.timestamp < {hi:DateTime64(3)} AND e.event NOT IN {non_activity:Array(String)}
    AND e.timestamp >= {since:DateTime64(3)}
) AS x
LEFT JOIN (
  SELECT user_id, argMax(account_id, updated_at) AS account_id FROM user_accounts
  WHERE project_id = {project:String} GROUP BY user_id
) AS ua ON ua.user_id = x.person`

const DAILY_ACTIVE_SQL = `
SELECT toString(day) AS d, uniqExact(person) AS active_users, uniqExactIf(account, account != '') AS active_accounts
FROM (${ACTIVITY}) WHERE day >= {from:Date} AND day <= {to:Date}
GROUP BY d ORDER BY d`

const NEW_USERS_SQL = `
SELECT toString(first_day) AS d, count() AS new_users
FROM (SELECT person, min(day) AS first_day FROM (${ACTIVITY}) GROUP BY person)
WHERE first_day >= {from:Date} AND first_day <= {to:Date}
GROUP BY first_day ORDER BY first_day`

const TOTALS_SQL = `
SELECT uniqExact(person) AS active_users, uniqExactIf(account, account != '') AS active_accounts
FROM (${ACTIVITY}) WHERE day >= {from:Date} AND day <= {to:Date}`

const EVENTS_SQL = `
SELECT toString(toDate(timestamp, {tz:String})) AS d, count() AS events
FROM events FINAL
WHERE project_id = {project:String} AND timestamp >= {lo:DateTime64(3)} AND timestamp < {hi:DateTime64(3)}
  AND toDate(timestamp, {tz:String}) >= {from:Date} AND toDate(timestamp, {tz:String}) <= {to:Date}
GROUP BY d ORDER BY d`

export interface RawOverview {
  days: { day: string; activeUsers: number; activeAccounts: number; newUsers: number; events: number }[]
  totals: { activeUsers: number; activeAccounts: number; newUsers: number; events: number }
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  return (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>()
}

export async function rawOverview(client: ClickHouseClient, p: { projectId: string; from: string; to: string; tz: string }): Promise<RawOverview> {
  const lo = `${addDays(p.from, -1)} 00:00:00.000`
  const hi = `${addDays(p.to, 2)} 00:00:00.000`
  const params = { project: p.projectId, tz: p.tz, from: p.from, to: p.to, lo, hi, non_activity: [...NON_ACTIVITY_EVENTS] }
  const [active, fresh, events, totals] = await Promise.all([
    rows<{ d: string; active_users: string; active_accounts: string }>(client, DAILY_ACTIVE_SQL, { ...params, since: lo }),
    rows<{ d: string; new_users: string }>(client, NEW_USERS_SQL, { ...params, since: '1970-01-01 00:00:00.000' }),
    rows<{ d: string; events: string }>(client, EVENTS_SQL, params),
    rows<{ active_users: string; active_accounts: string }>(client, TOTALS_SQL, { ...params, since: lo }),
  ])
  const byDay = new Map<string, RawOverview['days'][number]>()
  for (let d = p.from; d <= p.to; d = addDays(d, 1)) byDay.set(d, { day: d, activeUsers: 0, activeAccounts: 0, newUsers: 0, events: 0 })
  for (const r of active) Object.assign(byDay.get(r.d) ?? {}, { activeUsers: Number(r.active_users), activeAccounts: Number(r.active_accounts) })
  for (const r of fresh) Object.assign(byDay.get(r.d) ?? {}, { newUsers: Number(r.new_users) })
  for (const r of events) Object.assign(byDay.get(r.d) ?? {}, { events: Number(r.events) })
  const days = [...byDay.values()]
  return {
    days,
    totals: {
      activeUsers: Number(totals[0]?.active_users ?? 0),
      activeAccounts: Number(totals[0]?.active_accounts ?? 0),
      newUsers: days.reduce((s, d) => s + d.newUsers, 0),
      events: days.reduce((s, d) => s + d.events, 0),
    },
  }
}
