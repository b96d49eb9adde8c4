import { describe, expect, it } from 'vitest'
import { up as spansUp } from './migrations/046_session_spans.js'
import { up as firstActivityUp } from './migrations/047_first_activity.js'
import { up as personDaysUp } from './migrations/048_person_days.js'

/** Tables kept at ingest beside the rollup, on a cluster: each shard's view feeds that shard's table from its own events. */
describe('tables kept at ingest on a cluster', () => {
  it.each([
    ['session_spans', spansUp],
    ['first_activity', firstActivityUp],
    ['person_days', personDaysUp],
  ] as const)('%s: a replicated local table, a Distributed front, a view on the local events and a plan row', (table, up) => {
    const statements = up({ cluster: 'analytics' })
    expect(statements).toHaveLength(4)
    expect(statements[0]).toMatch(new RegExp(`^CREATE TABLE IF NOT EXISTS ${table}_local ON CLUSTER analytics`))
    expect(statements[0]).toContain('ReplicatedAggregatingMergeTree')
    expect(statements[1]).toMatch(new RegExp(`^CREATE TABLE IF NOT EXISTS ${table} ON CLUSTER analytics AS ${table}_local ENGINE = Distributed\\(analytics, currentDatabase\\(\\), ${table}_local, cityHash64\\(project_id, user_key\\)\\)`))
    expect(statements[2]).toMatch(new RegExp(`^CREATE MATERIALIZED VIEW IF NOT EXISTS ${table}_mv ON CLUSTER analytics TO ${table}_local AS`))
    expect(statements[2]).toContain('FROM events_local')
    expect(statements[3]).toMatch(/^INSERT INTO activity_rollup_backfill SELECT DISTINCT project_id, \d+, /)
    // On one engine: the table itself, no front.
    const single = up({})
    expect(single).toHaveLength(3)
    expect(single[1]).toContain(`TO ${table} AS`)
    expect(single[1]).toContain('FROM events\n')
  })
})
