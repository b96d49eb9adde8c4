import type { ClickHouseClient } from '@clickhouse/client'

/**
 * Writes a plan row of the background job (`activity_rollup_backfill`) as the job and the
 * migrations do, stamped now: the row written last is the slice's state.
 */
export function writePlanRow(client: ClickHouseClient, row: { project: string; slice: number; state: string; cutoff: string }): Promise<unknown> {
  return client.insert({
    table: 'activity_rollup_backfill',
    values: [{ project_id: row.project, slice: row.slice, cutoff: row.cutoff, state: row.state, updated_at: new Date().toISOString().replace('T', ' ').replace('Z', '') }],
    format: 'JSONEachRow',
  })
}
