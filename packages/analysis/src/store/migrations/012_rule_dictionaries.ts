import { engine, onCluster, physicalTable, shardedTableNames, type DdlContext } from '../ddl.js'

/**
 * Distinct element chains and page paths per project, so that feature rules on elements and
 * URLs are evaluated once per distinct chain or path instead of once per event: building a
 * feature's activity then tests `chain_hash IN (…)` / `path IN (…)` against small sets.
 * `events.chain_hash` is computed at insert; materialized views keep the dictionaries in step
 * with every insert, and ReplacingMergeTree folds repeats. Small tables, replicated whole.
 */
export function up(ctx: DdlContext): string[] {
  const physical = physicalTable(ctx, 'events')
  return [
    ...shardedTableNames(ctx, 'events').map(
      (t) => `ALTER TABLE ${t}${onCluster(ctx)} ADD COLUMN IF NOT EXISTS chain_hash UInt64 MATERIALIZED cityHash64(elements)`,
    ),
    `ALTER TABLE ${physical}${onCluster(ctx)} MATERIALIZE COLUMN chain_hash`,
    `CREATE TABLE IF NOT EXISTS element_chains${onCluster(ctx)} (
  project_id LowCardinality(String),
  chain_hash UInt64,
  elements Array(Tuple(
    tag LowCardinality(String),
    id String,
    classes Array(String),
    attrs Map(String, String),
    text String,
    nth UInt16))
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'element_chains')}
ORDER BY (project_id, chain_hash)`,
    `CREATE TABLE IF NOT EXISTS event_paths${onCluster(ctx)} (
  project_id LowCardinality(String),
  path String
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'event_paths')}
ORDER BY (project_id, path)`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS element_chains_mv${onCluster(ctx)} TO element_chains AS
SELECT project_id, h AS chain_hash, any(chain) AS elements
FROM (SELECT project_id, cityHash64(elements) AS h, elements AS chain FROM ${physical} WHERE notEmpty(elements))
GROUP BY project_id, h`,
    `CREATE MATERIALIZED VIEW IF NOT EXISTS event_paths_mv${onCluster(ctx)} TO event_paths AS
SELECT DISTINCT project_id, path FROM ${physical}`,
    // Events stored before this migration.
    `INSERT INTO element_chains SELECT project_id, h, any(chain)
FROM (SELECT project_id, cityHash64(elements) AS h, elements AS chain FROM events WHERE notEmpty(elements)) GROUP BY project_id, h`,
    `INSERT INTO event_paths SELECT DISTINCT project_id, path FROM events`,
  ]
}
