import type { ClickHouseClient } from '@clickhouse/client'
import type { IngestCounts } from '@tenure/dashboard'
import { REJECTED, type ProjectCounterName } from '../metrics.js'
import type { CounterReader } from './flusher.js'
import type { CounterRow } from './ledger.js'
import { PROJECT_COUNTERS_SQL } from './project-counts.sql.js'

/** Adds up counter rows (of the table, or deltas not written yet) into the dashboard overview's figures. */
export function sumCounts(rows: Pick<CounterRow, 'counter' | 'reason' | 'value'>[]): IngestCounts {
  const by = new Map<string, number>()
  const rejectedByReason: Record<string, number> = {}
  for (const r of rows) {
    if (r.counter === REJECTED) rejectedByReason[r.reason] = (rejectedByReason[r.reason] ?? 0) + r.value
    else by.set(r.counter, (by.get(r.counter) ?? 0) + r.value)
  }
  const n = (name: ProjectCounterName) => by.get(name) ?? 0
  const reasons = Object.fromEntries(Object.entries(rejectedByReason).sort(([a], [b]) => a.localeCompare(b)))
  return {
    accepted: n('events_accepted'),
    stored: n('events_inserted') + n('events_replayed'),
    replayed: n('events_replayed'),
    rejected: Object.values(reasons).reduce((s, v) => s + v, 0),
    rejectedByReason: reasons,
    bots: n('events_bots'),
    duplicates: n('events_duplicate'),
    rateLimited: n('events_rate_limited'),
    refusedSpoolFull: n('events_refused_spool_full'),
    spooled: n('events_spooled'),
    failed: n('events_failed'),
    quarantined: Math.max(0, n('events_quarantined') - n('events_reinserted')),
  }
}

/**
 * One project's ingestion counters on UTC days [from, to]: the `ingest_counters` table plus what
 * this collector counted and has not written yet, so the figures are right at once.
 */
export async function projectIngestCounts(
  client: ClickHouseClient,
  counters: CounterReader,
  p: { projectId: string; from: string; to: string },
): Promise<IngestCounts> {
  return counters.consistent(async (unflushed) => {
    const rs = await client.query({ query: PROJECT_COUNTERS_SQL, query_params: { project: p.projectId, from: p.from, to: p.to }, format: 'JSONEachRow' })
    const stored = (await rs.json<{ counter: string; reason: string; value: string }>()).map((r) => ({ ...r, value: Number(r.value) }))
    return sumCounts([...stored, ...unflushed(p.projectId, p.from, p.to)])
  })
}
