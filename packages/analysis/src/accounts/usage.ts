import type { ClickHouseClient } from '@clickhouse/client'
import { activityParams } from './activity.sql.js'
import { addDays, daysBetween, type IsoDate } from './dates.js'
import { FEATURE_KEY_USAGE_SQL, featureConditionUsageSql, USAGE_SQL } from './usage.sql.js'

/** One account over [from, to). */
export interface UsageWindow {
  id: string
  accountId: string
  from: IsoDate
  to: IsoDate
}

/** A feature as a SQL condition over the activity columns, with its parameters (from a feature definition). */
export interface FeatureCondition {
  key: string
  sql: string
  params?: Record<string, unknown>
}

export interface UsageOptions {
  /** Page paths that count as help-page views (prefixes). */
  helpPaths?: string[]
  /** Custom event names that count as support contacts. */
  supportEvents?: string[]
  /** Features to measure; default: every `feature_key` seen on events. */
  features?: FeatureCondition[]
}

export const DEFAULT_HELP_PATHS = ['/help', '/docs', '/support', '/faq']
export const DEFAULT_SUPPORT_EVENTS = ['support_contact', 'support_ticket_created', 'chat_opened']

export interface WindowUsage {
  id: string
  activeUsers: number
  activeUserDays: number
  /** Person-days in the second half of the window. */
  recentUserDays: number
  events: number
  helpViews: number
  supportContacts: number
  featuresUsed: number
  /** Users and events per feature used in the window. */
  features: Map<string, { users: number; events: number }>
}

const BATCH = 400

function emptyUsage(id: string): WindowUsage {
  return { id, activeUsers: 0, activeUserDays: 0, recentUserDays: 0, events: 0, helpViews: 0, supportContacts: 0, featuresUsed: 0, features: new Map() }
}

/** Measures usage in every window (windows with no activity come back as zeros). */
export async function measureUsage(client: ClickHouseClient, projectId: string, windows: UsageWindow[], opts: UsageOptions = {}): Promise<Map<string, WindowUsage>> {
  const out = new Map(windows.map((w) => [w.id, emptyUsage(w.id)]))
  for (let i = 0; i < windows.length; i += BATCH) {
    const batch = windows.slice(i, i + BATCH)
    const from = batch.reduce((m, w) => (w.from < m ? w.from : m), batch[0]!.from)
    const to = batch.reduce((m, w) => (w.to > m ? w.to : m), batch[0]!.to)
    const params = {
      ...activityParams(projectId, from, to),
      ids: batch.map((w) => w.id),
      accounts: batch.map((w) => w.accountId),
      froms: batch.map((w) => w.from),
      mids: batch.map((w) => addDays(w.from, Math.floor(daysBetween(w.from, w.to) / 2))),
      tos: batch.map((w) => w.to),
      help_paths: opts.helpPaths ?? DEFAULT_HELP_PATHS,
      support_events: opts.supportEvents ?? DEFAULT_SUPPORT_EVENTS,
    }
    const rows = await (await client.query({ query: USAGE_SQL, query_params: params, format: 'JSONEachRow' })).json<Record<string, string>>()
    for (const r of rows) {
      const u = out.get(r.window_id!)!
      u.activeUsers = Number(r.active_users)
      u.activeUserDays = Number(r.active_user_days)
      u.recentUserDays = Number(r.recent_user_days)
      u.events = Number(r.events)
      u.helpViews = Number(r.help_views)
      u.supportContacts = Number(r.support_contacts)
      u.featuresUsed = Number(r.features_used)
    }
    if (opts.features) await featureConditions(client, params, opts.features, out)
    else {
      const frs = await (await client.query({ query: FEATURE_KEY_USAGE_SQL, query_params: params, format: 'JSONEachRow' })).json<Record<string, string>>()
      for (const r of frs) out.get(r.window_id!)!.features.set(r.feature!, { users: Number(r.users), events: Number(r.events) })
    }
  }
  return out
}

async function featureConditions(client: ClickHouseClient, params: Record<string, unknown>, features: FeatureCondition[], out: Map<string, WindowUsage>) {
  if (features.length === 0) return
  const merged = { ...params }
  for (const f of features) Object.assign(merged, f.params ?? {})
  const query = featureConditionUsageSql(features.map((f) => f.sql))
  const rows = await (await client.query({ query, query_params: merged, format: 'JSONEachRow' })).json<{ window_id: string; users: string[]; events: string[] }>()
  for (const r of rows) {
    const u = out.get(r.window_id)!
    features.forEach((f, k) => {
      const users = Number(r.users[k])
      if (users > 0) u.features.set(f.key, { users, events: Number(r.events[k]) })
    })
    u.featuresUsed = u.features.size
  }
}
