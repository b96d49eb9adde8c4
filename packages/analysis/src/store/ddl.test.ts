import { describe, expect, it } from 'vitest'
import { up as eventsUp } from './migrations/001_events.js'
import { up as countersUp } from './migrations/021_ingest_counters.js'
import { up as fsyncUp } from './migrations/022_fsync_inserts.js'
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

  it('refuses a cluster name that is not an identifier', () => {
    expect(() => eventsUp({ cluster: 'x; DROP TABLE events' })).toThrow(/invalid identifier/)
  })
})
