import { engine, onCluster, physicalTable, shardedTable, shardedTableNames, type DdlContext } from '../ddl.js'

/**
 * Activity kept at ingest: a materialized view on the events table adds every inserted block to
 * `activity_rollup`, one row per project, account, user key, 15-minute UTC bucket, event name,
 * page path, element chain (`chain_hash`, see `element_chains`), feature key and element text,
 * with the number of events. Every IANA offset is a whole number of quarter hours (+05:30, +05:45,
 * and both sides of a DST change included), so local days and weeks in any zone are exact on
 * top of the buckets. Account reports read these rows instead of raw events: distinct people,
 * active days and hours come out exact whatever the copies, and counts are `sum(events)`.
 *
 * Counts stay exact because no copy of an event reaches the view twice: the events table keeps
 * the hashes of its recent insert blocks (`non_replicated_deduplication_window`; Replicated
 * engines keep them anyway), so a retried insert is dropped before the view runs, and the
 * collector checks replayed spool rows against the store before inserting them.
 *
 * `origin` is 0 for rows the view writes and the month (YYYYMM) for rows the backfill wrote from
 * events stored before this migration (`activity_rollup_backfill`): a backfill slice interrupted
 * midway is deleted by its origin and written again, so the job can restart without counting twice.
 * The view starts with this migration and the backfill takes the events inserted before `cutoff`:
 * run it with the collectors stopped, as other migrations of the events table.
 */
export const ROLLUP_KEY = 'project_id, account_id, user_key, identified, bucket, event, path, chain_hash, feature_key, element_text'

export function up(ctx: DdlContext): string[] {
  const dedupe = ctx.cluster ? [] : shardedTableNames(ctx, 'events').map((t) => `ALTER TABLE ${t} MODIFY SETTING non_replicated_deduplication_window = 1000`)
  return [
    ...dedupe,
    ...rollupDdl(ctx, { key: ROLLUP_KEY, columns: ROLLUP_COLUMNS }),
    `CREATE TABLE IF NOT EXISTS activity_rollup_backfill${onCluster(ctx)} (
  project_id LowCardinality(String),
  slice UInt32,
  cutoff DateTime64(3, 'UTC'),
  state LowCardinality(String),
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'activity_rollup_backfill', ['updated_at'])}
ORDER BY (project_id, slice)`,
    // One plan row (slice 0) per project that has stored events; the view covers what comes next.
    `INSERT INTO activity_rollup_backfill SELECT DISTINCT project_id, 0, now64(3), 'pending', now64(3) FROM events`,
  ]
}

/**
 * The rollup table (sharded on a cluster) and the view that fills it, for a key (the table's
 * columns before `origin` and `events`) and the SELECT list that computes the key from an events
 * row. Migration 043 builds them again with the session id in the key.
 */
export function rollupDdl(ctx: DdlContext, shape: { key: string; columns: string; extraColumns?: string }): string[] {
  const events = physicalTable(ctx, 'events')
  const rollup = physicalTable(ctx, 'activity_rollup')
  return [
    ...shardedTable(
      ctx,
      'activity_rollup',
      (name) => `CREATE TABLE IF NOT EXISTS ${name}${onCluster(ctx)} (
  project_id LowCardinality(String),
  account_id String,
  user_key String,
  identified UInt8,
  bucket DateTime('UTC'),
  event LowCardinality(String),
  path String,
  chain_hash UInt64,
  feature_key String,
  element_text String,${shape.extraColumns ?? ''}
  origin UInt32,
  events UInt64
) ENGINE = ${engine(ctx, 'SummingMergeTree', name, ['events'])}
PARTITION BY toYYYYMM(bucket)
ORDER BY (${shape.key}, origin)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1${ctx.cluster ? '' : ', non_replicated_deduplication_window = 1000'}`,
      'cityHash64(project_id, user_key)',
    ),
    `CREATE MATERIALIZED VIEW IF NOT EXISTS activity_rollup_mv${onCluster(ctx)} TO ${rollup} AS
SELECT ${shape.columns}, toUInt32(0) AS origin, count() AS events
FROM ${events}
GROUP BY ${shape.key}`,
  ]
}

/** The rollup's key columns computed from an events row (the view's and the backfill's SELECT). */
export const ROLLUP_COLUMNS = `project_id, account_id, user_key, toUInt8(user_id != '') AS identified, toStartOfFifteenMinutes(timestamp) AS bucket,
  event, path, chain_hash, feature_key, element_text`
