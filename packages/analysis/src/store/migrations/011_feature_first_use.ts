import { engine, onCluster, physicalTable, shardedTable, type DdlContext } from '../ddl.js'

/**
 * First day each user key used each feature version, per time zone: what adoption-in-the-first-
 * week questions need, in a few rows per user instead of one per active day. A materialized view
 * keeps it in step with every insert into `feature_activity`, and `min` makes recomputed rows
 * harmless. Readers take min(first_day) per key.
 */
export function up(ctx: DdlContext): string[] {
  const columns = 'project_id, timezone, feature_id, version, user_key, identified'
  return [
    ...shardedTable(
      ctx,
      'feature_first_use',
      (name) => `CREATE TABLE IF NOT EXISTS ${name}${onCluster(ctx)} (
  project_id LowCardinality(String),
  timezone LowCardinality(String),
  feature_id LowCardinality(String),
  version UInt32,
  user_key String,
  identified UInt8,
  first_day SimpleAggregateFunction(min, Date)
) ENGINE = ${engine(ctx, 'AggregatingMergeTree', name)}
ORDER BY (${columns})`,
      'cityHash64(project_id, user_key)',
    ),
    `CREATE MATERIALIZED VIEW IF NOT EXISTS feature_first_use_mv${onCluster(ctx)} TO ${physicalTable(ctx, 'feature_first_use')} AS
SELECT ${columns}, min(day) AS first_day FROM ${physicalTable(ctx, 'feature_activity')} GROUP BY ${columns}`,
    // Rows built before this migration.
    `INSERT INTO feature_first_use SELECT ${columns}, min(day) FROM feature_activity GROUP BY ${columns}`,
  ]
}
