import { engine, onCluster, type DdlContext } from '../ddl.js'

/**
 * Rows the store refused at insert (a value the engine cannot parse or hold), moved aside by the
 * collector so they never hold back the rows around them: the table they were bound for, the row
 * as it was inserted (one JSON line; events as arrays in `columns` order) and the engine's reason.
 * `id` is derived from the table and row, so quarantining the same row twice (a replay after a
 * crash) keeps one. A re-insert writes the row again with `status = 'reinserted'`; the latest
 * `updated_at` wins. A small table, replicated whole on a cluster.
 */
export function up(ctx: DdlContext): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS quarantine${onCluster(ctx)} (
  project_id LowCardinality(String),
  id UUID,
  target LowCardinality(String),
  columns Array(String),
  row_json String,
  error String,
  status LowCardinality(String),
  quarantined_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'quarantine', ['updated_at'])}
ORDER BY (project_id, id)`,
  ]
}
