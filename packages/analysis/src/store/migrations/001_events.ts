import { engine, onCluster, shardedTable, type DdlContext } from '../ddl.js'

/**
 * The event table. Sort key: project, account, user, then the event uuid, so that
 * per-user and per-account retention scans read contiguous ranges, and so that a retried
 * event (same uuid, same user, same account) collapses into one row in ReplacingMergeTree.
 * Time is deliberately not in the key: clock-skew correction may move a retried event's
 * timestamp by milliseconds, and the key must be identical for the copies to merge.
 * Readers that count events use FINAL (or uniqExact(uuid)) so unmerged copies never count twice.
 */
export function up(ctx: DdlContext): string[] {
  return shardedTable(
    ctx,
    'events',
    (name) => `CREATE TABLE IF NOT EXISTS ${name}${onCluster(ctx)} (
  project_id LowCardinality(String),
  uuid UUID,
  event LowCardinality(String),
  timestamp DateTime64(3, 'UTC'),
  client_timestamp DateTime64(3, 'UTC'),
  received_at DateTime64(3, 'UTC'),
  anonymous_id String,
  user_id String,
  user_key String MATERIALIZED if(user_id != '', user_id, anonymous_id),
  account_id String,
  session_id String,
  url String,
  path String,
  host LowCardinality(String),
  referrer String,
  title String,
  feature_key String,
  element_text String,
  elements Array(Tuple(
    tag LowCardinality(String),
    id String,
    classes Array(String),
    attrs Map(String, String),
    text String,
    nth UInt16)),
  properties String,
  lib LowCardinality(String),
  browser LowCardinality(String),
  browser_version LowCardinality(String),
  os LowCardinality(String),
  os_version LowCardinality(String),
  device_type LowCardinality(String),
  ip String,
  INDEX idx_event event TYPE set(256) GRANULARITY 4,
  INDEX idx_feature feature_key TYPE bloom_filter GRANULARITY 4
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', name, ['received_at'])}
PARTITION BY toYYYYMM(timestamp)
ORDER BY (project_id, account_id, user_key, uuid)`,
    'cityHash64(project_id, user_key)',
  )
}
