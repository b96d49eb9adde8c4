import { ROLLUP_ACTIVITY_SQL } from './rollup.sql.js'

/**
 * Usage per window: one window = one account over [from, to). Windows arrive as parallel array
 * parameters (ids, accounts, froms, mids, tos); `mid` splits a window for the usage trend. All
 * windows go in one query: the rollup is first reduced to one row per account, person and day,
 * and the windows join those rows by account and date range.
 * Parameters: those of ROLLUP_ACTIVITY_SQL plus ids, accounts, froms, mids, tos, help_paths, support_events.
 */
const WINDOWS = `
SELECT w.1 AS window_id, w.2 AS w_account, w.3 AS w_from, w.4 AS w_mid, w.5 AS w_to
FROM (SELECT arrayJoin(arrayZip({ids:Array(String)}, {accounts:Array(String)}, {froms:Array(Date)}, {mids:Array(Date)}, {tos:Array(Date)})) AS w)`

const IN_WINDOW = `
INNER JOIN (${WINDOWS}) AS win ON d.account = win.w_account
WHERE d.day >= win.w_from AND d.day < win.w_to`

const ACCOUNTS_ACTIVITY = `(${ROLLUP_ACTIVITY_SQL}) AS a
WHERE a.account IN {accounts:Array(String)}`

/**
 * Totals per window; with `conditions` (SQL over the rollup's columns, compiled from feature
 * definitions with values as parameters: trusted fragments, never user text) also users and
 * events per condition.
 */
export function usageSql(conditions: readonly string[] | null): string {
  const uses = conditions && conditions.length ? `, [${conditions.map((c) => `sumIf(n, ${c})`).join(', ')}] AS uses` : ''
  const perFeature = conditions && conditions.length
    ? `, [${conditions.map((_, k) => `uniqExactIf(d.person, d.uses[${k + 1}] > 0)`).join(', ')}] AS users, [${conditions.map((_, k) => `sum(d.uses[${k + 1}])`).join(', ')}] AS feature_events`
    : ''
  return `
WITH days AS (
  SELECT account, person, day,
    sum(n) AS events,
    sumIf(n, event = '$pageview' AND arrayExists(p -> startsWith(path, p), {help_paths:Array(String)})) AS help_views,
    sumIf(n, event IN {support_events:Array(String)}) AS support_contacts,
    groupUniqArrayIf(feature_key, feature_key != '') AS keys${uses}
  FROM ${ACCOUNTS_ACTIVITY}
  GROUP BY account, person, day
)
SELECT
  window_id,
  uniqExact(d.person) AS active_users,
  uniqExact(d.person, d.day) AS active_user_days,
  uniqExactIf((d.person, d.day), d.day >= win.w_mid) AS recent_user_days,
  sum(d.events) AS events,
  sum(d.help_views) AS help_views,
  sum(d.support_contacts) AS support_contacts,
  length(groupUniqArrayArray(d.keys)) AS features_used${perFeature}
FROM days AS d
${IN_WINDOW}
GROUP BY window_id`
}

/** Users and events per window and raw feature key (projects without feature definitions). */
export const FEATURE_KEY_USAGE_SQL = `
WITH days AS (
  SELECT account, person, day, feature_key, sum(n) AS events
  FROM ${ACCOUNTS_ACTIVITY} AND a.feature_key != ''
  GROUP BY account, person, day, feature_key
)
SELECT window_id, d.feature_key AS feature, uniqExact(d.person) AS users, sum(d.events) AS events
FROM days AS d
${IN_WINDOW}
GROUP BY window_id, d.feature_key`
