import type { ClickHouseClient } from '@clickhouse/client'
import { rollupParams } from './rollup.sql.js'
import { addDays, daysBetween, type IsoDate } from './dates.js'
import { FEATURE_KEY_USAGE_SQL, HELP_VIEW, PERSON_DAYS_FEATURE_KEY_USAGE_SQL, SUPPORT_CONTACT, personDaysUsageSql, usageSql } from './usage.sql.js'
import { featureMaskWords, type MaskTest } from '../activity/rows.sql.js'
import { combosComplete, personDaysComplete, type RollupReadiness } from '../rollup/status.js'
import type { FeatureDefinition } from '../features/rules.js'

/** One account over [from, to). */
export interface UsageWindow {
  id: string
  accountId: string
  from: IsoDate
  to: IsoDate
}

/**
 * A feature to measure: its definition, or a condition over the activity rollup's columns event,
 * path, chain_hash and feature_key (trusted SQL, with its parameters). Both become bits of the
 * usage query's masks (`featureMaskWords`).
 */
export type FeatureCondition = { key: string; definition: FeatureDefinition } | SqlFeatureCondition
export interface SqlFeatureCondition {
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

function emptyUsage(id: string): WindowUsage {
  return { id, activeUsers: 0, activeUserDays: 0, recentUserDays: 0, events: 0, helpViews: 0, supportContacts: 0, featuresUsed: 0, features: new Map() }
}

/**
 * Measures usage in every window (windows with no activity come back as zeros), all windows in one
 * query over `person_days`, or over the activity rollup while the background job still fills it.
 */
export async function measureUsage(
  client: ClickHouseClient,
  projectId: string,
  windows: UsageWindow[],
  opts: UsageOptions = {},
  /** Which kept tables are complete, when the caller has read it (else read here). */
  readiness?: Pick<RollupReadiness, 'combos' | 'personDays'>,
): Promise<Map<string, WindowUsage>> {
  const out = new Map(windows.map((w) => [w.id, emptyUsage(w.id)]))
  if (windows.length === 0) return out
  const from = windows.reduce((m, w) => (w.from < m ? w.from : m), windows[0]!.from)
  const to = windows.reduce((m, w) => (w.to > m ? w.to : m), windows[0]!.to)
  const params: Record<string, unknown> = {
    ...rollupParams(projectId, from, to),
    ids: windows.map((w) => w.id),
    accounts: windows.map((w) => w.accountId),
    froms: windows.map((w) => w.from),
    mids: windows.map((w) => addDays(w.from, Math.floor(daysBetween(w.from, w.to) / 2))),
    tos: windows.map((w) => w.to),
    ...accountSpans(windows),
    help_paths: opts.helpPaths ?? DEFAULT_HELP_PATHS,
    support_events: opts.supportEvents ?? DEFAULT_SUPPORT_EVENTS,
  }
  const features = opts.features
  const tests: MaskTest[] = [{ sql: HELP_VIEW }, { sql: SUPPORT_CONTACT }, ...(features ?? []).map((f) => ('definition' in f ? f.definition : { sql: f.sql }))]
  for (const f of features ?? []) if ('params' in f) Object.assign(params, f.params ?? {})
  const [combos, days] = readiness
    ? [readiness.combos, readiness.personDays]
    : await Promise.all([combosComplete(client, projectId), personDaysComplete(client, projectId)])
  const masks = featureMaskWords(tests, { prefix: 'um', combos })
  Object.assign(params, masks.params)
  const featureCount = features?.length ?? 0
  const [rows, keyRows] = await Promise.all([
    client.query({ query: days ? personDaysUsageSql(masks.dictionaries, featureCount) : usageSql(masks.words, featureCount), query_params: params, format: 'JSONEachRow' })
      .then((rs) => rs.json<Record<string, string> & { users?: string[]; feature_events?: string[] }>()),
    // Without conditions the features are the raw feature keys; with an empty list only their number counts.
    featureCount
      ? Promise.resolve([])
      : client.query({ query: days ? PERSON_DAYS_FEATURE_KEY_USAGE_SQL : FEATURE_KEY_USAGE_SQL, query_params: params, format: 'JSONEachRow' }).then((rs) => rs.json<Record<string, string>>()),
  ])
  for (const r of rows) {
    const u = out.get(r.window_id!)!
    u.activeUsers = Number(r.active_users)
    u.activeUserDays = Number(r.active_user_days)
    u.recentUserDays = Number(r.recent_user_days)
    u.events = Number(r.events)
    u.helpViews = Number(r.help_views)
    u.supportContacts = Number(r.support_contacts)
    features?.forEach((f, k) => {
      const users = Number(r.users![k])
      if (users > 0) u.features.set(f.key, { users, events: Number(r.feature_events![k]) })
    })
    if (featureCount) u.featuresUsed = u.features.size
  }
  for (const r of keyRows) {
    const u = out.get(r.window_id!)!
    u.featuresUsed += 1
    if (!features) u.features.set(r.feature!, { users: Number(r.users), events: Number(r.events) })
  }
  return out
}

/** Each account of the windows once, with its windows' earliest start and latest end, as parallel arrays. */
function accountSpans(windows: readonly UsageWindow[]): { span_accounts: string[]; span_froms: IsoDate[]; span_tos: IsoDate[] } {
  const spans = new Map<string, { from: IsoDate; to: IsoDate }>()
  for (const w of windows) {
    const s = spans.get(w.accountId)
    if (!s) spans.set(w.accountId, { from: w.from, to: w.to })
    else {
      if (w.from < s.from) s.from = w.from
      if (w.to > s.to) s.to = w.to
    }
  }
  return { span_accounts: [...spans.keys()], span_froms: [...spans.values()].map((s) => s.from), span_tos: [...spans.values()].map((s) => s.to) }
}
