import type { Store } from '@tenure/analysis/store'

/**
 * An instant by which every event the store holds had been received: no part of the events table
 * was written later (merges only write later parts), and an event is written after its receipt.
 * 0 when it holds none. Null for a server: its clock is not this process's, and on a cluster one
 * node does not list the other shards' parts.
 */
export async function eventsReceivedUntil(store: Store): Promise<number | null> {
  if (store.config.kind !== 'embedded' || store.cluster) return null
  const rs = await store.client.query({
    query: `SELECT count() AS parts, toUnixTimestamp(max(modification_time)) AS last
      FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active`,
    format: 'JSONEachRow',
  })
  const [row] = await rs.json<{ parts: string | number; last: string | number }>()
  if (!row || Number(row.parts) === 0) return 0
  // Whole seconds, truncated: the next one is past every write.
  return (Number(row.last) + 1) * 1000
}
