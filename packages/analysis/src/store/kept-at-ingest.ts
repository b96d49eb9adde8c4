import { engine, onCluster, physicalTable, shardedTable, type DdlContext } from './ddl.js'

/**
 * A table kept at ingest beside the activity rollup: an AggregatingMergeTree (sharded by person on
 * a cluster) that a materialized view on the events fills from every inserted block, and a plan
 * row per project with stored events, for the background job (`rollup/backfill.ts`) to add what
 * was stored before the view existed. `select` and `group` compute a row from events rows (the
 * view's and the job's statement); `where` picks the events. All trusted SQL.
 */
export function keptAtIngestDdl(
  ctx: DdlContext,
  spec: { table: string; columns: string; tail: string; select: string; where: string; group: string; slice: number },
): string[] {
  return [
    ...shardedTable(
      ctx,
      spec.table,
      (name) => `CREATE TABLE IF NOT EXISTS ${name}${onCluster(ctx)} (
${spec.columns}
) ENGINE = ${engine(ctx, 'AggregatingMergeTree', name)}
${spec.tail}`,
      'cityHash64(project_id, user_key)',
    ),
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${spec.table}_mv${onCluster(ctx)} TO ${physicalTable(ctx, spec.table)} AS
${spec.select}
FROM ${physicalTable(ctx, 'events')}
WHERE ${spec.where}
${spec.group}`,
    // Once per project: a plan row written again (the statements run a second time) would move the
    // cutoff past events the view already took, and a table of counts would count them twice.
    `INSERT INTO activity_rollup_backfill SELECT DISTINCT project_id, ${spec.slice}, now64(3), 'pending', now64(3) FROM events
WHERE project_id NOT IN (SELECT project_id FROM activity_rollup_backfill WHERE slice = ${spec.slice})`,
  ]
}
