import { engine, onCluster, physicalTable, quoteIdent, type DdlContext } from '../ddl.js'
import { up as ruleDictionaries } from './012_rule_dictionaries.js'

/**
 * Events move to partitions by the month of `client_timestamp`, the event's time on its sender's
 * clock, which every copy of an event shares. The skew-corrected `timestamp` is not shared: a
 * retried copy is corrected by the latency of its own request, so a copy of an event sent at
 * 23:59:59.9 on a month's last day can land in the next month, and ReplacingMergeTree collapses
 * copies only within a partition. With copies in one partition, merges keep one row and FINAL
 * readers see one row whatever time window they read.
 *
 * A client clock more than 400 days off (the stored window) would scatter partitions over
 * centuries, and an insert touching over 100 partitions is refused; such events, whose clock is
 * corrected anyway, are partitioned by the corrected time instead. Copies share their clock's
 * offset up to network latency, so they take the same branch.
 *
 * Existing rows are copied into a table with the new partition key (materialized columns keep their
 * values, so `inserted_at` watermarks do not move) and the two tables are exchanged; the
 * materialized views that read `events` are created again on the new table. On a cluster the copy
 * goes through a Distributed table with the same sharding key, so every row stays on its shard.
 * Run with the collectors stopped: rows inserted during the copy would stay in the old table.
 */
export const EVENTS_PARTITION_KEY = `toYYYYMM(if(abs(dateDiff('second', client_timestamp, timestamp)) < ${400 * 86_400}, client_timestamp, timestamp))`

const NEXT = 'events_by_client_month'
/** Every column of `events` at this version: those of 001, and the materialized ones (001, 010, 012), whose values are kept. */
const COLUMNS = [
  'project_id', 'uuid', 'event', 'timestamp', 'client_timestamp', 'received_at', 'anonymous_id', 'user_id', 'user_key', 'account_id',
  'session_id', 'url', 'path', 'host', 'referrer', 'title', 'feature_key', 'element_text', 'elements', 'properties', 'lib', 'browser',
  'browser_version', 'os', 'os_version', 'device_type', 'ip', 'inserted_at', 'chain_hash',
].join(', ')
const COPY_SETTINGS = 'SETTINGS insert_allow_materialized_columns = 1, insert_distributed_sync = 1'

export function up(ctx: DdlContext): string[] {
  const oldPhysical = physicalTable(ctx, 'events')
  const nextPhysical = physicalTable(ctx, NEXT)
  const views = ruleDictionaries(ctx).filter((s) => s.startsWith('CREATE MATERIALIZED VIEW'))
  const viewNames = views.map((s) => quoteIdent(/^CREATE MATERIALIZED VIEW IF NOT EXISTS (\w+)/.exec(s)![1]!))
  return [
    `CREATE TABLE IF NOT EXISTS ${nextPhysical}${onCluster(ctx)} AS ${oldPhysical}
ENGINE = ${engine(ctx, 'ReplacingMergeTree', nextPhysical, ['received_at'])}
PARTITION BY ${EVENTS_PARTITION_KEY}
ORDER BY (project_id, account_id, user_key, uuid)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1`,
    ...(ctx.cluster
      ? [`CREATE TABLE IF NOT EXISTS ${NEXT}${onCluster(ctx)} AS ${nextPhysical} ENGINE = Distributed(${quoteIdent(ctx.cluster)}, currentDatabase(), ${nextPhysical}, cityHash64(project_id, user_key))`]
      : []),
    `INSERT INTO ${NEXT} (${COLUMNS}) SELECT ${COLUMNS} FROM events ${COPY_SETTINGS}`,
    ...viewNames.map((v) => `DROP VIEW IF EXISTS ${v}${onCluster(ctx)}`),
    `EXCHANGE TABLES ${oldPhysical} AND ${nextPhysical}${onCluster(ctx)}`,
    ...views,
    ...(ctx.cluster ? [`DROP TABLE IF EXISTS ${NEXT}${onCluster(ctx)}`] : []),
    `DROP TABLE IF EXISTS ${nextPhysical}${onCluster(ctx)}`,
  ]
}
