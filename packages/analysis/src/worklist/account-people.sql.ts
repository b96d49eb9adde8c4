import { EVENTS } from '../events.js'

/**
 * The account's rows: the first two columns of the events sort key. Read without FINAL: events are
 * counted by distinct uuid, and the other figures (first and last times, days, traits, features)
 * are the same whatever the copies.
 */
const ACCOUNT_EVENTS = `events WHERE project_id = {project:String} AND account_id = {account:String}`

/** Per user key of the account: span, recent active days, traits of the latest identify, features (an array expression per row). */
export function peopleSql(featuresExpr: string): string {
  return `SELECT user_key AS key, uniqExact(uuid) AS events, toString(min(timestamp)) AS first_seen, toString(max(timestamp)) AS last_seen,
  toString(maxIf(timestamp, event NOT IN {passive:Array(String)})) AS last_active,
  uniqExactIf(toDate(timestamp, {tz:String}), event NOT IN {passive:Array(String)} AND timestamp >= {from:DateTime64(3)}) AS recent_days,
  argMaxIf(properties, timestamp, event = '${EVENTS.identify}') AS traits,
  groupUniqArrayArray(${featuresExpr}) AS features
FROM ${ACCOUNT_EVENTS}
GROUP BY user_key`
}

/** The person each anonymous key was merged into. */
export const KEY_OWNERS_SQL = `SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
WHERE project_id = {project:String} AND anonymous_id IN {keys:Array(String)} GROUP BY anonymous_id`

/**
 * Active people (user keys) and their events per week (Monday, in the zone) in the account, from
 * the activity rollup: its 15-minute UTC buckets fall on one local day in every zone.
 */
export const WEEKLY_SQL = `SELECT toString(toMonday(toDate(bucket, {tz:String}))) AS week,
  uniqExactIf(user_key, event NOT IN {passive:Array(String)}) AS people, sumIf(events, event NOT IN {passive:Array(String)}) AS events
FROM activity_rollup
WHERE project_id = {project:String} AND account_id = {account:String}
  AND bucket >= toDateTime({from:DateTime64(3)}, 'UTC') AND bucket < toDateTime({to:DateTime64(3)}, 'UTC')
GROUP BY week ORDER BY week`
