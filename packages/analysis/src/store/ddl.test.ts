import { describe, expect, it } from 'vitest'
import { up as eventsUp } from './migrations/001_events.js'
import { up as countersUp } from './migrations/021_ingest_counters.js'
import { up as fsyncUp } from './migrations/022_fsync_inserts.js'
import { up as rollupUp } from './migrations/031_activity_rollup.js'
import { up as countryUp } from './migrations/041_event_country.js'
import { migrationsTableDdl } from './migrate.js'

describe('cluster DDL', () => {
  it('issues ON CLUSTER with Replicated engines and a Distributed events table sharded by user', () => {
    const [local, distributed] = eventsUp({ cluster: 'analytics' })
    expect(local).toContain('CREATE TABLE IF NOT EXISTS events_local ON CLUSTER analytics')
    expect(local).toContain(`ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/events_local', '{replica}', received_at)`)
    expect(distributed).toBe(
      'CREATE TABLE IF NOT EXISTS events ON CLUSTER analytics AS events_local ENGINE = Distributed(analytics, currentDatabase(), events_local, cityHash64(project_id, user_key))',
    )
    expect(migrationsTableDdl({ cluster: 'analytics' })).toContain('ReplicatedReplacingMergeTree(')
  })

  it('adds the country column on the shards\' tables and on the Distributed front, which must name it to read it', () => {
    expect(countryUp({ cluster: 'analytics' })).toEqual([
      "ALTER TABLE events_local ON CLUSTER analytics ADD COLUMN IF NOT EXISTS country LowCardinality(String) DEFAULT '' AFTER ip",
      "ALTER TABLE events ON CLUSTER analytics ADD COLUMN IF NOT EXISTS country LowCardinality(String) DEFAULT '' AFTER ip",
    ])
    expect(countryUp({})).toEqual(["ALTER TABLE events ADD COLUMN IF NOT EXISTS country LowCardinality(String) DEFAULT '' AFTER ip"])
  })

  it('keeps single-engine DDL plain', () => {
    const statements = eventsUp({})
    expect(statements).toHaveLength(1)
    expect(statements[0]).toContain('ENGINE = ReplacingMergeTree(received_at)')
    expect(statements[0]).not.toContain('ON CLUSTER')
  })

  it('sums ingestion counters in a SummingMergeTree that keeps insert tokens on one engine and on a cluster', () => {
    const [single] = countersUp({})
    expect(single).toContain('ENGINE = SummingMergeTree(value)')
    expect(single).toContain('SETTINGS non_replicated_deduplication_window = 1000')
    const [replicated] = countersUp({ cluster: 'analytics' })
    expect(replicated).toContain('CREATE TABLE IF NOT EXISTS ingest_counters ON CLUSTER analytics')
    expect(replicated).toContain(`ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/ingest_counters', '{replica}', value)`)
    expect(replicated).not.toContain('non_replicated')
  })

  it('makes inserts fsync on the physical tables, on one engine and on a cluster', () => {
    expect(fsyncUp({})).toEqual([
      'ALTER TABLE events MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1',
      'ALTER TABLE person_aliases MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1',
      'ALTER TABLE user_accounts MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1',
    ])
    expect(fsyncUp({ cluster: 'analytics' })[0]).toBe('ALTER TABLE events_local ON CLUSTER analytics MODIFY SETTING fsync_after_insert = 1, fsync_part_directory = 1')
  })

  it('keeps the activity rollup with views on the local tables and reads through a Distributed table on a cluster', () => {
    const cluster = rollupUp({ cluster: 'analytics' })
    expect(cluster.some((s) => s.includes('non_replicated_deduplication_window'))).toBe(false)
    const local = cluster.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS activity_rollup_local'))!
    expect(local).toContain(`ENGINE = ReplicatedSummingMergeTree('/clickhouse/tables/{shard}/{database}/activity_rollup_local', '{replica}', events)`)
    expect(local).toContain('ON CLUSTER analytics')
    expect(cluster).toContain(
      'CREATE TABLE IF NOT EXISTS activity_rollup ON CLUSTER analytics AS activity_rollup_local ENGINE = Distributed(analytics, currentDatabase(), activity_rollup_local, cityHash64(project_id, user_key))',
    )
    const view = cluster.find((s) => s.startsWith('CREATE MATERIALIZED VIEW'))!
    expect(view).toContain('activity_rollup_mv ON CLUSTER analytics TO activity_rollup_local')
    expect(view).toContain('FROM events_local')
    const single = rollupUp({})
    expect(single[0]).toBe('ALTER TABLE events MODIFY SETTING non_replicated_deduplication_window = 1000')
    expect(single.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS activity_rollup ('))).toContain('ENGINE = SummingMergeTree(events)')
    expect(single.find((s) => s.startsWith('CREATE MATERIALIZED VIEW'))).toContain('TO activity_rollup AS')
  })

  it('refuses a cluster name that is not an identifier', () => {
    expect(() => eventsUp({ cluster: 'x; DROP TABLE events' })).toThrow(/invalid identifier/)
  })
})
