import { engine, onCluster, physicalTable, shardedTable, shardedTableNames, type DdlContext } from '../ddl.js'

/**
 * Feature definitions and the per-day activity table that makes feature reports fast.
 *
 * `feature_definitions` keeps every version of every definition (a MergeTree, nothing folded):
 * the current one is the highest version, and a deletion is a version with `deleted = 1`.
 *
 * `feature_activity` holds, per time zone, feature version, user key, local calendar day and
 * account, how many events counted as use of the feature (`feature_id = ''`: any activity). Rows
 * are recomputed whole for every (user key, day) that received events, so recomputing twice
 * writes the same value: readers take max(uses) per key, and duplicates never inflate a count.
 * Rows of a feature version exist only once that version is built (see `activity_builds`);
 * a changed definition is a new version, built from all stored events at the next query.
 *
 * `events.inserted_at` is the engine's clock when the row was written, the watermark that
 * tells which user-days received events since the last refresh, whatever their event time
 * (late batches, spool replays, imports).
 */
export function up(ctx: DdlContext): string[] {
  return [
    ...shardedTableNames(ctx, 'events').map(
      (t) => `ALTER TABLE ${t}${onCluster(ctx)} ADD COLUMN IF NOT EXISTS inserted_at DateTime64(3, 'UTC') MATERIALIZED now64(3)`,
    ),
    // Rows written before this migration get the migration's time once, instead of now() on every read.
    `ALTER TABLE ${physicalTable(ctx, 'events')}${onCluster(ctx)} MATERIALIZE COLUMN inserted_at`,
    `CREATE TABLE IF NOT EXISTS feature_definitions${onCluster(ctx)} (
  project_id LowCardinality(String),
  feature_id String,
  version UInt32,
  name String,
  description String,
  rules String,
  deleted UInt8,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'feature_definitions')}
ORDER BY (project_id, feature_id, version)`,
    ...shardedTable(
      ctx,
      'feature_activity',
      (name) => `CREATE TABLE IF NOT EXISTS ${name}${onCluster(ctx)} (
  project_id LowCardinality(String),
  timezone LowCardinality(String),
  feature_id LowCardinality(String),
  version UInt32,
  user_key String,
  identified UInt8,
  day Date,
  account_id String,
  uses UInt32,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', name, ['updated_at'])}
ORDER BY (project_id, timezone, feature_id, version, user_key, identified, day, account_id)`,
      'cityHash64(project_id, user_key)',
    ),
    `CREATE TABLE IF NOT EXISTS activity_builds${onCluster(ctx)} (
  project_id LowCardinality(String),
  timezone LowCardinality(String),
  feature_id String,
  version UInt32,
  watermark DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'activity_builds', ['updated_at'])}
ORDER BY (project_id, timezone, feature_id, version)`,
  ]
}
