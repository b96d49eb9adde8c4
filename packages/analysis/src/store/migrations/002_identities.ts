import { engine, onCluster, type DdlContext } from '../ddl.js'

/**
 * Which anonymous ids belong to which user (written on identify) and which account a user
 * belongs to (written on group). Small tables, replicated whole rather than sharded so every
 * shard can resolve identities locally.
 */
export function up(ctx: DdlContext): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS person_aliases${onCluster(ctx)} (
  project_id LowCardinality(String),
  anonymous_id String,
  user_id String,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'person_aliases', ['updated_at'])}
ORDER BY (project_id, anonymous_id)`,
    `CREATE TABLE IF NOT EXISTS user_accounts${onCluster(ctx)} (
  project_id LowCardinality(String),
  user_id String,
  account_id String,
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'user_accounts', ['updated_at'])}
ORDER BY (project_id, user_id)`,
    `CREATE TABLE IF NOT EXISTS projects${onCluster(ctx)} (
  id String,
  name String,
  write_key String,
  secret_key_hash String,
  timezone String DEFAULT 'UTC',
  created_at DateTime64(3, 'UTC'),
  updated_at DateTime64(3, 'UTC')
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'projects', ['updated_at'])}
ORDER BY id`,
  ]
}
