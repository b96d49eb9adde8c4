import { NON_ACTIVITY_EVENTS } from '../events.js'
import type { FeatureDefinition } from '../features/rules.js'
import type { SqlFragment } from '../sql/params.js'
import { featureTargets } from './targets.js'

/**
 * The activity of the retention reports, read from `activity_rollup` (kept at ingest) when the
 * query runs, so nothing is built before a report: a new time zone, an edited feature or late
 * events are simply in the next reading.
 *
 * CTEs, with `day` the local calendar day in `{tz:String}` — exact in any zone, as every offset is
 * a whole number of the rollup's quarter-hour buckets — and `uses` the events the rows stand for:
 * - `activity_days(user_key, identified, day, account_id, uses)`: any activity (target 1);
 * - `feature_rows(t, user_key, identified, day, account_id, uses)`: use of feature target t ≥ 2
 *   (position in the report's target list), each feature's rules tested on the rollup row's event,
 *   path, element chain and feature key (element and URL rules through the distinct chains and
 *   paths the store keeps, evaluated once per query);
 * - `activity_rows(t, …)`: both.
 * One row per target, user key, day and account: rows of a key not yet merged by the engine are
 * added up here. Events that are not a person's doing (metrics spec §1) count for nothing.
 * Parameters: project, tz, non_activity and the features' own (see `activityParams`).
 */
export function activityCtes(features: readonly FeatureDefinition[]): string {
  return `activity_days AS (
  SELECT user_key, identified, toDate(bucket, {tz:String}) AS day, account_id, sum(events) AS uses
  FROM activity_rollup
  WHERE project_id = {project:String} AND event NOT IN {non_activity:Array(String)}
  GROUP BY user_key, identified, day, account_id
),
feature_rows AS (
  SELECT t, user_key, identified, toDate(bucket, {tz:String}) AS day, account_id, sum(events) AS uses
  FROM activity_rollup
  ARRAY JOIN ${featurePositions(features)} AS t
  WHERE project_id = {project:String} AND event NOT IN {non_activity:Array(String)}
  GROUP BY t, user_key, identified, day, account_id
),
activity_rows AS (
  SELECT toUInt32(1) AS t, user_key, identified, day, account_id, uses FROM activity_days
  UNION ALL
  SELECT t, user_key, identified, day, account_id, uses FROM feature_rows
)`
}

/**
 * The features a rollup row (columns event, path, chain_hash, feature_key) is use of, as their
 * positions among the report's targets (2, 3, … in the order of `features`), ascending.
 */
export function featurePositions(features: readonly FeatureDefinition[]): string {
  const targets = featureTargets(features)
  if (targets.length === 0) return `CAST([], 'Array(UInt32)')`
  return `arrayFilter(x -> x > 0, [${targets.map((t, i) => `if(${t.condition}, toUInt32(${i + 2}), toUInt32(0))`).join(', ')}])`
}

/** The parameters of `activityCtes(features)` but project and tz. */
export function activityParams(features: readonly FeatureDefinition[]): Record<string, unknown> {
  const params: Record<string, unknown> = { non_activity: [...NON_ACTIVITY_EVENTS] }
  for (const t of featureTargets(features)) Object.assign(params, t.params)
  return params
}

/** `activityCtes` with its parameters. */
export function activitySource(features: readonly FeatureDefinition[]): SqlFragment {
  return { sql: activityCtes(features), params: activityParams(features) }
}
