import { onCluster, shardedTableNames, type DdlContext } from '../ddl.js'

/**
 * The client's country per event (ISO 3166-1 alpha-2), looked up by the collector on the full IP
 * when IP storage is on; '' otherwise, and for every event stored before this column. The
 * property `first.country` reads it from a person's first page view. On a cluster the column goes
 * on the shards' tables and on the Distributed front, which must name it to read it.
 */
export function up(ctx: DdlContext): string[] {
  return shardedTableNames(ctx, 'events').map(
    (t) => `ALTER TABLE ${t}${onCluster(ctx)} ADD COLUMN IF NOT EXISTS country LowCardinality(String) DEFAULT '' AFTER ip`,
  )
}
