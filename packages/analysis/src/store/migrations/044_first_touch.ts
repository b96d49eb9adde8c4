import { engine, onCluster, physicalTable, shardedTable, type DdlContext } from '../ddl.js'

/**
 * Each user key's first page view, kept at ingest: the high-retention report adjusts for the
 * device and source people arrived with, and reading them from the page views would scan most of
 * the events table in every report. A view adds each inserted block's earliest page view per
 * user key; `first_at` and the `argMin` state merge to the earliest of all, so a late or repeated
 * insert changes nothing it should not. `touch` holds the page view's `FIRST_TOUCH_COLUMNS`: the
 * high-retention report's device and source covariates and the segments' `first.<field>`
 * properties read them.
 *
 * Page views stored before this migration are added by the background job (`rollup/backfill.ts`,
 * plan row `FIRST_TOUCH_SLICE` of `activity_rollup_backfill`); a page view both copied and seen by
 * the view is harmless, as the earliest stays the earliest.
 */
export const FIRST_TOUCH_SLICE = 1

/** One row per project, identified flag and user key, from an events SELECT (the view's and the backfill's). */
export const FIRST_TOUCH_SELECT = `SELECT project_id, toUInt8(user_id != '') AS identified, user_key, min(timestamp) AS first_at,
  argMinState((url, referrer, toString(device_type), path, toString(browser), toString(os), toString(country)), timestamp) AS touch`

/** The fields of `touch`, in order: what a first-touch property or covariate reads. */
export const FIRST_TOUCH_COLUMNS = ['url', 'referrer', 'device_type', 'path', 'browser', 'os', 'country'] as const
export const FIRST_TOUCH_GROUP = `GROUP BY project_id, identified, user_key`

export function up(ctx: DdlContext): string[] {
  const events = physicalTable(ctx, 'events')
  return [
    ...shardedTable(
      ctx,
      'first_touch',
      (name) => `CREATE TABLE IF NOT EXISTS ${name}${onCluster(ctx)} (
  project_id LowCardinality(String),
  identified UInt8,
  user_key String,
  first_at SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  touch AggregateFunction(argMin, Tuple(String, String, String, String, String, String, String), DateTime64(3, 'UTC'))
) ENGINE = ${engine(ctx, 'AggregatingMergeTree', name)}
ORDER BY (project_id, identified, user_key)`,
      'cityHash64(project_id, user_key)',
    ),
    `CREATE MATERIALIZED VIEW IF NOT EXISTS first_touch_mv${onCluster(ctx)} TO ${physicalTable(ctx, 'first_touch')} AS
${FIRST_TOUCH_SELECT}
FROM ${events}
WHERE event = '$pageview'
${FIRST_TOUCH_GROUP}`,
    `INSERT INTO activity_rollup_backfill SELECT DISTINCT project_id, ${FIRST_TOUCH_SLICE}, now64(3), 'pending', now64(3) FROM events`,
  ]
}
