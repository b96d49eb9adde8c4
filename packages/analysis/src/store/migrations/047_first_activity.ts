import { engine, onCluster, physicalTable, shardedTable, type DdlContext } from '../ddl.js'
import { ACTIVITY_WHERE } from './046_session_spans.js'

/**
 * Each user key's first activity, kept at ingest: the overview counts the people whose first
 * activity falls on each day, and finding it in the rollup read every row of the project's history.
 * A view adds each inserted block's earliest quarter hour of activity per project, identified flag
 * and user key (the rollup's bucket, so a local day in any zone is exact on it, as on the rollup);
 * `first` merges to the earliest, so a late, retried or replayed insert changes nothing it should not.
 * Activity is as in `session_spans` (the events that are a person's doing, as this migration ran).
 *
 * Keys of events stored before this migration are added by the background job (`rollup/backfill.ts`,
 * plan row `FIRST_ACTIVITY_SLICE` of `activity_rollup_backfill`); a key both copied and seen by the
 * view is harmless, as the earliest stays the earliest. Until the job is done, the overview reads
 * the rollup as before (`firstActivityComplete`).
 */
export const FIRST_ACTIVITY_SLICE = 4

/** One row per project, identified flag and user key, from an events SELECT (the view's and the backfill's). */
export const FIRST_ACTIVITY_SELECT = `SELECT project_id, toUInt8(user_id != '') AS identified, user_key, min(toStartOfFifteenMinutes(timestamp)) AS first`
export const FIRST_ACTIVITY_GROUP = 'GROUP BY project_id, identified, user_key'

export function up(ctx: DdlContext): string[] {
  return [
    ...shardedTable(
      ctx,
      'first_activity',
      (name) => `CREATE TABLE IF NOT EXISTS ${name}${onCluster(ctx)} (
  project_id LowCardinality(String),
  identified UInt8,
  user_key String,
  first SimpleAggregateFunction(min, DateTime('UTC'))
) ENGINE = ${engine(ctx, 'AggregatingMergeTree', name)}
ORDER BY (project_id, identified, user_key)`,
      'cityHash64(project_id, user_key)',
    ),
    `CREATE MATERIALIZED VIEW IF NOT EXISTS first_activity_mv${onCluster(ctx)} TO ${physicalTable(ctx, 'first_activity')} AS
${FIRST_ACTIVITY_SELECT}
FROM ${physicalTable(ctx, 'events')}
WHERE ${ACTIVITY_WHERE}
${FIRST_ACTIVITY_GROUP}`,
    `INSERT INTO activity_rollup_backfill SELECT DISTINCT project_id, ${FIRST_ACTIVITY_SLICE}, now64(3), 'pending', now64(3) FROM events`,
  ]
}
