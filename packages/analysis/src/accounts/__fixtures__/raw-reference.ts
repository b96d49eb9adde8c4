import type { ClickHouseClient } from '@clickhouse/client'
import { compileRules } from '../../features/compile.js'
import { listFeatures } from '../../features/store.js'
import { Params } from '../../sql/params.js'
import { textContainsAnySql } from '../../text/sql.js'
import { ACTIVITY_SQL, activityParams } from '../activity.sql.js'
import { addDays, daysBetween, type IsoDate } from '../dates.js'
import { DEFAULT_INTENT, type IntentConfig } from '../temperature.js'
import { DEFAULT_HELP_PATHS, DEFAULT_SUPPORT_EVENTS, type SqlFeatureCondition, type UsageWindow, type WindowUsage } from '../usage.js'

/**
 * The account measures as computed before the activity rollup: straight from `events FINAL`,
 * each event row resolved to its person and account (ACTIVITY_SQL). Kept as the reference the
 * rollup-based reports are compared with (tests) and timed against (benchmark).
 */

const WINDOWS = `
SELECT w.1 AS window_id, w.2 AS w_account, w.3 AS w_from, w.4 AS w_mid, w.5 AS w_to
FROM (SELECT arrayJoin(arrayZip({ids:Array(String)}, {accounts:Array(String)}, {froms:Array(Date)}, {mids:Array(Date)}, {tos:Array(Date)})) AS w)`

const IN_WINDOW = `
FROM (${ACTIVITY_SQL}) AS a
INNER JOIN (${WINDOWS}) AS win ON a.account = win.w_account
WHERE a.day >= win.w_from AND a.day < win.w_to`

const USAGE_SQL = `
SELECT window_id, uniqExact(person) AS active_users, uniqExact(person, day) AS active_user_days,
  uniqExactIf((person, day), day >= w_mid) AS recent_user_days, count() AS events,
  countIf(event = '$pageview' AND arrayExists(p -> startsWith(path, p), {help_paths:Array(String)})) AS help_views,
  countIf(event IN {support_events:Array(String)}) AS support_contacts,
  uniqExactIf(feature_key, feature_key != '') AS features_used
${IN_WINDOW}
GROUP BY window_id`

const FEATURE_KEY_USAGE_SQL = `
SELECT window_id, feature_key AS feature, uniqExact(person) AS users, count() AS events
${IN_WINDOW}
  AND feature_key != ''
GROUP BY window_id, feature_key`

function conditionUsageSql(conditions: string[]): string {
  return `
SELECT window_id, [${conditions.map((c) => `uniqExactIf(person, ${c})`).join(', ')}] AS users, [${conditions.map((c) => `countIf(${c})`).join(', ')}] AS events
${IN_WINDOW}
GROUP BY window_id`
}

/** The project's feature definitions as conditions over a raw events row. */
export async function rawFeatureConditions(client: ClickHouseClient, projectId: string): Promise<SqlFeatureCondition[] | undefined> {
  const defs = await listFeatures(client, projectId)
  if (defs.length === 0) return undefined
  const params = new Params('feat')
  const compiled = defs.map((d) => ({ key: d.id, sql: compileRules(d.rules, params) }))
  return compiled.map((c) => ({ ...c, params: params.values }))
}

/** Usage per window from raw events, in batches of 400 windows (as the reports used to). */
export async function rawUsage(
  client: ClickHouseClient, projectId: string, windows: UsageWindow[], opts: { features?: SqlFeatureCondition[]; helpPaths?: string[]; supportEvents?: string[] } = {},
): Promise<Map<string, WindowUsage>> {
  const out = new Map(windows.map((w): [string, WindowUsage] => [w.id, {
    id: w.id, activeUsers: 0, activeUserDays: 0, recentUserDays: 0, events: 0, helpViews: 0, supportContacts: 0, featuresUsed: 0, features: new Map(),
  }]))
  const q = async <T>(query: string, params: Record<string, unknown>) => (await client.query({ query, query_params: params, format: 'JSONEachRow' })).json<T>()
  for (let i = 0; i < windows.length; i += 400) {
    const batch = windows.slice(i, i + 400)
    const from = batch.reduce((m, w) => (w.from < m ? w.from : m), batch[0]!.from)
    const to = batch.reduce((m, w) => (w.to > m ? w.to : m), batch[0]!.to)
    const params: Record<string, unknown> = {
      ...activityParams(projectId, from, to),
      ids: batch.map((w) => w.id), accounts: batch.map((w) => w.accountId), froms: batch.map((w) => w.from),
      mids: batch.map((w) => addDays(w.from, Math.floor(daysBetween(w.from, w.to) / 2))), tos: batch.map((w) => w.to),
      help_paths: opts.helpPaths ?? DEFAULT_HELP_PATHS, support_events: opts.supportEvents ?? DEFAULT_SUPPORT_EVENTS,
    }
    for (const r of await q<Record<string, string>>(USAGE_SQL, params)) {
      const u = out.get(r.window_id!)!
      Object.assign(u, {
        activeUsers: Number(r.active_users), activeUserDays: Number(r.active_user_days), recentUserDays: Number(r.recent_user_days), events: Number(r.events),
        helpViews: Number(r.help_views), supportContacts: Number(r.support_contacts), featuresUsed: Number(r.features_used),
      })
    }
    if (opts.features) {
      if (opts.features.length === 0) continue
      const merged = { ...params }
      for (const f of opts.features) Object.assign(merged, f.params ?? {})
      for (const r of await q<{ window_id: string; users: string[]; events: string[] }>(conditionUsageSql(opts.features.map((f) => f.sql)), merged)) {
        const u = out.get(r.window_id)!
        opts.features.forEach((f, k) => {
          if (Number(r.users[k]) > 0) u.features.set(f.key, { users: Number(r.users[k]), events: Number(r.events[k]) })
        })
        u.featuresUsed = u.features.size
      }
    } else {
      for (const r of await q<Record<string, string>>(FEATURE_KEY_USAGE_SQL, params)) out.get(r.window_id!)!.features.set(r.feature!, { users: Number(r.users), events: Number(r.events) })
    }
  }
  return out
}

const TEMPERATURE_SQL = `
SELECT account, uniqExact(person) AS active_users,
  countIf(event = '$pageview' AND arrayExists(p -> startsWith(path, p), {pricing_paths:Array(String)})) AS pricing_views,
  countIf(
    (event IN ('$click', '$submit') AND element_text != '' AND ${textContainsAnySql('element_text', '{upgrade_texts:Array(String)}', '{project:String}')})
    OR has({upgrade_events:Array(String)}, event)
    OR (feature_key != '' AND has({upgrade_features:Array(String)}, feature_key))
  ) AS upgrade_clicks,
  uniqExactIf(person, feature_key != '' AND has({paid_features:Array(String)}, feature_key)) AS paid_feature_users
FROM (${ACTIVITY_SQL}) AS a
WHERE account != ''
GROUP BY account`

/** Intent counts per account from raw events: active users, pricing views, upgrade clicks, paid-feature users. */
export async function rawIntent(client: ClickHouseClient, projectId: string, from: IsoDate, to: IsoDate, cfg: IntentConfig = DEFAULT_INTENT) {
  const rs = await client.query({
    query: TEMPERATURE_SQL,
    query_params: {
      ...activityParams(projectId, from, to), pricing_paths: cfg.pricingPaths, upgrade_texts: cfg.upgradeTexts, upgrade_events: cfg.upgradeEvents,
      upgrade_features: cfg.upgradeFeatures, paid_features: cfg.paidFeatures,
    },
    format: 'JSONEachRow',
  })
  return new Map((await rs.json<Record<string, string>>()).map((r) => [r.account!, {
    activeUsers: Number(r.active_users), pricingViews: Number(r.pricing_views), upgradeClicks: Number(r.upgrade_clicks), paidFeatureUsers: Number(r.paid_feature_users),
  }]))
}

const OVERLAP_SQL = `
WITH sessions AS (
  SELECT account, user_id, if(session_id != '', session_id, concat('day ', toString(day))) AS session, device,
    min(ts) AS started, max(ts) AS ended
  FROM (${ACTIVITY_SQL}) AS a
  WHERE user_id != '' AND account != ''
  GROUP BY account, user_id, session, device
)
SELECT s1.account AS account, s1.user_id AS user_id, toString(toDate(greatest(s1.started, s2.started))) AS day,
  s1.session AS session_a, s1.device AS device_a, toString(s1.started) AS start_a, toString(s1.ended) AS end_a,
  s2.session AS session_b, s2.device AS device_b, toString(s2.started) AS start_b, toString(s2.ended) AS end_b,
  dateDiff('second', greatest(s1.started, s2.started), least(s1.ended, s2.ended)) AS overlap_seconds
FROM sessions AS s1
INNER JOIN sessions AS s2 ON s1.account = s2.account AND s1.user_id = s2.user_id
WHERE (s1.session, s1.device) < (s2.session, s2.device)
  AND s1.started < s2.ended AND s2.started < s1.ended
  AND dateDiff('second', greatest(s1.started, s2.started), least(s1.ended, s2.ended)) >= {min_overlap:UInt32}
ORDER BY account, user_id, start_a, session_a, device_a, session_b, device_b`

const PERSON_ACTIVITY_SQL = `
SELECT account, person, uniqExact(day) AS active_days, uniqExact(toStartOfHour(ts)) AS active_hours, count() AS events, uniqExact(device) AS devices
FROM (${ACTIVITY_SQL}) AS a
WHERE account != ''
GROUP BY account, person
ORDER BY account, person`

/** The seat-sharing inputs from raw events: overlapping session pairs, and activity per person. */
export async function rawSeatSharingInputs(client: ClickHouseClient, projectId: string, from: IsoDate, to: IsoDate, minOverlapSeconds = 300) {
  const params = { ...activityParams(projectId, from, to), min_overlap: minOverlapSeconds }
  const [overlaps, people] = await Promise.all([
    client.query({ query: OVERLAP_SQL, query_params: params, format: 'JSONEachRow' }).then((r) => r.json<Record<string, string>>()),
    client.query({ query: PERSON_ACTIVITY_SQL, query_params: params, format: 'JSONEachRow' }).then((r) => r.json<Record<string, string>>()),
  ])
  return { overlaps, people }
}
