import { ACTIVITY_SQL } from './activity.sql.js'

/**
 * Usage per window: one window = one account over [from, to). Windows arrive as parallel array
 * parameters (ids, accounts, froms, mids, tos); `mid` splits a window for the usage trend.
 * Parameters: those of ACTIVITY_SQL plus ids, accounts, froms, mids, tos, help_paths, support_events.
 */
const WINDOWS = `
SELECT w.1 AS window_id, w.2 AS w_account, w.3 AS w_from, w.4 AS w_mid, w.5 AS w_to
FROM (SELECT arrayJoin(arrayZip({ids:Array(String)}, {accounts:Array(String)}, {froms:Array(Date)}, {mids:Array(Date)}, {tos:Array(Date)})) AS w)`

const IN_WINDOW = `
FROM (${ACTIVITY_SQL}) AS a
INNER JOIN (${WINDOWS}) AS win ON a.account = win.w_account
WHERE a.day >= win.w_from AND a.day < win.w_to`

export const USAGE_SQL = `
SELECT
  window_id,
  uniqExact(person) AS active_users,
  uniqExact(person, day) AS active_user_days,
  uniqExactIf((person, day), day >= w_mid) AS recent_user_days,
  count() AS events,
  countIf(event = '$pageview' AND arrayExists(p -> startsWith(path, p), {help_paths:Array(String)})) AS help_views,
  countIf(event IN {support_events:Array(String)}) AS support_contacts,
  uniqExactIf(feature_key, feature_key != '') AS features_used
${IN_WINDOW}
GROUP BY window_id`

/** Users and events per window and feature key. */
export const FEATURE_KEY_USAGE_SQL = `
SELECT window_id, feature_key AS feature, uniqExact(person) AS users, count() AS events
${IN_WINDOW}
  AND feature_key != ''
GROUP BY window_id, feature_key`

/**
 * Users per window for features given as SQL conditions over the activity columns (compiled from
 * feature definitions, values as parameters): `conditions` are trusted fragments, never user text.
 */
export function featureConditionUsageSql(conditions: string[]): string {
  const users = conditions.map((c) => `uniqExactIf(person, ${c})`).join(', ')
  const events = conditions.map((c) => `countIf(${c})`).join(', ')
  return `
SELECT window_id, [${users}] AS users, [${events}] AS events
${IN_WINDOW}
GROUP BY window_id`
}
