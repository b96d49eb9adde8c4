import { engine, onCluster, type DdlContext } from '../ddl.js'

/**
 * What ingestion counted per project and UTC day (accepted, rejected by reason, bots, duplicates,
 * rate limited, spooled, inserted, replayed, failed). Collectors write deltas; rows with the same
 * key are added up as parts merge, and readers take `sum(value)` grouped, so unmerged parts never
 * show. Each write carries an `insert_deduplication_token`, so a write retried after a lost answer
 * counts once; the window keeps the tokens of recent writes on a single engine too (on a cluster,
 * Replicated engines keep them anyway). A small table, replicated whole on a cluster.
 */
export function up(ctx: DdlContext): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ingest_counters${onCluster(ctx)} (
  project_id LowCardinality(String),
  day Date,
  counter LowCardinality(String),
  reason LowCardinality(String),
  value UInt64
) ENGINE = ${engine(ctx, 'SummingMergeTree', 'ingest_counters', ['value'])}
ORDER BY (project_id, day, counter, reason)${ctx.cluster ? '' : '\nSETTINGS non_replicated_deduplication_window = 1000'}`,
  ]
}
