import { onCluster, shardedTableNames, type DdlContext } from '../ddl.js'

/**
 * The per-day activity tables of migrations 010 and 011 go: reports read the activity rollup when
 * they run (031), and nothing writes or reads `feature_activity`, `feature_first_use` or
 * `activity_builds` any more. The view that fed `feature_first_use` from `feature_activity` goes
 * first; on a cluster each sharded table's Distributed front goes before its `_local` table.
 */
export function up(ctx: DdlContext): string[] {
  const dropSharded = (name: string) => shardedTableNames(ctx, name).reverse().map((t) => `DROP TABLE IF EXISTS ${t}${onCluster(ctx)}`)
  return [
    `DROP VIEW IF EXISTS feature_first_use_mv${onCluster(ctx)}`,
    ...dropSharded('feature_first_use'),
    ...dropSharded('feature_activity'),
    `DROP TABLE IF EXISTS activity_builds${onCluster(ctx)}`,
  ]
}
