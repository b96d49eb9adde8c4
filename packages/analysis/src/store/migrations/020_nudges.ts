import { engine, onCluster, type DdlContext } from '../ddl.js'

/**
 * Onboarding nudges. Every change writes a new version (a MergeTree row, nothing folded), so a
 * nudge's history stays readable; the current state is the highest version. `config` holds the
 * validated configuration as JSON (audience, placement, copy, frequency, holdout share).
 * A small table, replicated whole on a cluster.
 */
export function up(ctx: DdlContext): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS nudges${onCluster(ctx)} (
  project_id LowCardinality(String),
  nudge_id String,
  version UInt32,
  name String,
  feature_id String,
  status LowCardinality(String),
  config String,
  created_at DateTime64(3, 'UTC'),
  started_at Nullable(DateTime64(3, 'UTC')),
  stopped_at Nullable(DateTime64(3, 'UTC')),
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'nudges')}
ORDER BY (project_id, nudge_id, version)`,
  ]
}
