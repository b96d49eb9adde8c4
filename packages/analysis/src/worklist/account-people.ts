import type { ClickHouseClient } from '@clickhouse/client'
import { NON_ACTIVITY_EVENTS } from '../events.js'
import { Params } from '../sql/params.js'
import { isoInstant } from '../people/cursor.js'
import { featureConditions, matchedFeaturesSql } from '../people/feature-conditions.js'
import { KEY_OWNERS_SQL, peopleSql, WEEKLY_SQL } from './account-people.sql.js'

export interface AccountPerson {
  person: string
  traits: Record<string, unknown>
  firstSeen: string
  lastSeen: string
  /** Last event the person caused (null when only passive events). */
  lastActive: string | null
  /** Active days since `from`. */
  recentActiveDays: number
  events: number
  /** Features used in this account (names where defined), alphabetical. */
  features: string[]
}

type Row = { key: string; events: string; first_seen: string; last_seen: string; last_active: string; recent_days: string; traits: string; features: string[] }

function traitsOf(json: string): Record<string, unknown> {
  try {
    const v = JSON.parse(json) as unknown
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {}
  } catch {
    return {}
  }
}

const EPOCH = '1970-01-01 00:00:00.000'

/** The people of an account, anonymous keys folded into the user they were identified as; most recently active first. */
export async function accountPeople(client: ClickHouseClient, p: { projectId: string; accountId: string; from: string; tz: string }): Promise<AccountPerson[]> {
  const params = new Params('f')
  const conds = await featureConditions(client, p.projectId, params)
  const names = new Map(conds.map((c) => [c.id, c.name]))
  const rs = await client.query({
    query: peopleSql(matchedFeaturesSql(conds, params)),
    query_params: { ...params.values, project: p.projectId, account: p.accountId, tz: p.tz, from: `${p.from} 00:00:00.000`, passive: NON_ACTIVITY_EVENTS },
    format: 'JSONEachRow',
  })
  const rows = await rs.json<Row>()
  const owners = new Map<string, string>()
  if (rows.length) {
    const o = await client.query({ query: KEY_OWNERS_SQL, query_params: { project: p.projectId, keys: rows.map((r) => r.key) }, format: 'JSONEachRow' })
    for (const r of await o.json<{ anonymous_id: string; user_id: string }>()) if (r.user_id) owners.set(r.anonymous_id, r.user_id)
  }
  const people = new Map<string, AccountPerson & { traitsAt: string }>()
  for (const r of rows) {
    const person = owners.get(r.key) ?? r.key
    const cur = people.get(person)
    const lastActive = r.last_active === EPOCH ? null : isoInstant(r.last_active)
    const feats = r.features.map((f) => names.get(f) ?? f)
    const traits = traitsOf(r.traits)
    if (!cur) {
      people.set(person, {
        person, traits, traitsAt: Object.keys(traits).length ? r.last_seen : '', firstSeen: isoInstant(r.first_seen), lastSeen: isoInstant(r.last_seen), lastActive,
        recentActiveDays: Number(r.recent_days), events: Number(r.events), features: feats,
      })
      continue
    }
    cur.events += Number(r.events)
    // Days of two keys of one person may overlap; the larger count is a lower bound, never a double count.
    cur.recentActiveDays = Math.max(cur.recentActiveDays, Number(r.recent_days))
    if (isoInstant(r.first_seen) < cur.firstSeen) cur.firstSeen = isoInstant(r.first_seen)
    if (isoInstant(r.last_seen) > cur.lastSeen) cur.lastSeen = isoInstant(r.last_seen)
    if (lastActive && (!cur.lastActive || lastActive > cur.lastActive)) cur.lastActive = lastActive
    if (Object.keys(traits).length && r.last_seen > cur.traitsAt) Object.assign(cur, { traits, traitsAt: r.last_seen })
    cur.features = [...new Set([...cur.features, ...feats])]
  }
  return [...people.values()]
    .map(({ traitsAt: _, ...rest }) => ({ ...rest, features: [...rest.features].sort() }))
    .sort((a, b) => ((b.lastActive ?? '') < (a.lastActive ?? '') ? -1 : (b.lastActive ?? '') > (a.lastActive ?? '') ? 1 : a.person.localeCompare(b.person)))
}

export interface WeekUsage {
  week: string
  people: number
  events: number
}

/** Weekly active user keys and events of the account over [from, to). */
export async function accountWeeklyUsage(client: ClickHouseClient, p: { projectId: string; accountId: string; from: string; to: string; tz: string }): Promise<WeekUsage[]> {
  const rs = await client.query({
    query: WEEKLY_SQL,
    query_params: { project: p.projectId, account: p.accountId, tz: p.tz, from: `${p.from} 00:00:00.000`, to: `${p.to} 00:00:00.000`, passive: NON_ACTIVITY_EVENTS },
    format: 'JSONEachRow',
  })
  return (await rs.json<{ week: string; people: string; events: string }>()).map((r) => ({ week: r.week, people: Number(r.people), events: Number(r.events) }))
}
