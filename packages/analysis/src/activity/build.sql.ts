import { NON_ACTIVITY_EVENTS } from '../events.js'
import type { SqlFragment } from '../sql/params.js'
import type { ActivityTarget } from './targets.js'

/**
 * INSERT … SELECT that writes activity rows for `targets`: one row per target, user key,
 * local day and account, with the number of distinct events (copies of a retried event count
 * once: distinct 64-bit hashes of the uuid, half the work of whole uuids and exact at these sizes).
 * With `since`, only the (user key, day) pairs that received events inserted after it are
 * recomputed — whole, from all their events, so a recomputed row replaces the old one.
 */
export function buildActivitySql(
  project: string,
  timezone: string,
  targets: readonly ActivityTarget[],
  since: string | null,
): SqlFragment {
  const conds = targets.map((t, i) => `if(${t.condition}, ${i + 1}, 0)`).join(', ')
  const params: Record<string, unknown> = {
    project,
    tz: timezone,
    non_activity: [...NON_ACTIVITY_EVENTS],
    target_ids: targets.map((t) => t.featureId),
    target_versions: targets.map((t) => t.version),
    since: since ?? '1970-01-01 00:00:00.000',
  }
  for (const t of targets) Object.assign(params, t.params)
  const changed = since
    ? `AND timestamp >= (SELECT min(timestamp) FROM events WHERE project_id = {project:String} AND inserted_at > {since:DateTime64(3)}) - INTERVAL 2 DAY
    AND timestamp <= (SELECT max(timestamp) FROM events WHERE project_id = {project:String} AND inserted_at > {since:DateTime64(3)}) + INTERVAL 2 DAY
    AND (user_key, toDate(timestamp, {tz:String})) IN (
      SELECT DISTINCT user_key, toDate(timestamp, {tz:String}) FROM events
      WHERE project_id = {project:String} AND inserted_at > {since:DateTime64(3)})`
    : ''
  const sql = `INSERT INTO feature_activity
  (project_id, timezone, feature_id, version, user_key, identified, day, account_id, uses, updated_at)
SELECT {project:String}, {tz:String}, {target_ids:Array(String)}[t], {target_versions:Array(UInt32)}[t],
  user_key, identified, day, account_id, toUInt32(uniqExact(cityHash64(uuid))), now64(3)
FROM (
  SELECT uuid, user_key, toUInt8(user_id != '') AS identified, toDate(timestamp, {tz:String}) AS day, account_id,
    arrayJoin(arrayFilter(x -> x > 0, [${conds}])) AS t
  FROM events
  WHERE project_id = {project:String} AND event NOT IN {non_activity:Array(String)}
    ${changed}
)
GROUP BY t, user_key, identified, day, account_id`
  return { sql, params }
}
