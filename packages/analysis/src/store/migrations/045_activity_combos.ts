import { engine, onCluster, physicalTable, shardedTable, shardedTableNames, type DdlContext } from '../ddl.js'

/**
 * What a rollup row is, as one number: `combo` = a hash of its event name, page path, element
 * chain and feature key, the four columns feature rules test. `activity_combos` keeps each distinct
 * combination once per project, so a report evaluates its features (and any other test of those
 * columns) on that small dictionary and reads one UInt64 per rollup row instead of the three
 * strings beside it: feature rules stay retroactive, as nothing but the columns is stored.
 *
 * The element text is not part of it: a chain's text is rewritten when it becomes public, and a
 * combination's id must not change then.
 *
 * Rollup rows written before this migration compute `combo` from their columns when read, until
 * the column is materialized in the background. Combinations of events stored before it are added
 * by the background job (`rollup/backfill.ts`, plan row `COMBOS_SLICE`); until it is done, reports
 * test the columns of each row as before (`rollup/status.ts`).
 */
export const COMBOS_SLICE = 2

/** The combination of a rollup or events row. */
export const COMBO_SQL = 'cityHash64(event, path, chain_hash, feature_key)'

/** The columns of `activity_combos` from an events or rollup row (the view's and the backfill's SELECT). */
export const COMBOS_SELECT = `project_id, ${COMBO_SQL} AS combo, event, path, chain_hash, feature_key`

export function up(ctx: DdlContext): string[] {
  return [
    ...shardedTableNames(ctx, 'activity_rollup').map(
      (t) => `ALTER TABLE ${t}${onCluster(ctx)} ADD COLUMN IF NOT EXISTS combo UInt64 DEFAULT ${COMBO_SQL} AFTER element_text`,
    ),
    `ALTER TABLE ${physicalTable(ctx, 'activity_rollup')}${onCluster(ctx)} MATERIALIZE COLUMN combo`,
    // Sharded as the events are: each shard's view writes its own events' combinations, and reports
    // read every shard's through the Distributed front.
    ...shardedTable(
      ctx,
      'activity_combos',
      (name) => `CREATE TABLE IF NOT EXISTS ${name}${onCluster(ctx)} (
  project_id LowCardinality(String),
  combo UInt64,
  event LowCardinality(String),
  path String,
  chain_hash UInt64,
  feature_key String
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', name)}
ORDER BY (project_id, combo)`,
      'cityHash64(project_id, combo)',
    ),
    `CREATE MATERIALIZED VIEW IF NOT EXISTS activity_combos_mv${onCluster(ctx)} TO ${physicalTable(ctx, 'activity_combos')} AS
SELECT DISTINCT ${COMBOS_SELECT} FROM ${physicalTable(ctx, 'events')}`,
    `INSERT INTO activity_rollup_backfill SELECT DISTINCT project_id, ${COMBOS_SLICE}, now64(3), 'pending', now64(3) FROM events`,
  ]
}
