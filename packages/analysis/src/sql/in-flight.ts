import type { ClickHouseClient } from '@clickhouse/client'

const running = new WeakMap<ClickHouseClient, Map<string, Promise<unknown>>>()

/**
 * Runs `run` once for callers asking the same question of the same store at the same time: a page
 * that shows a report beside another report that computes it too (health and seat sharing, say)
 * pays for it once. Nothing is kept once the answer is in, so no answer is ever stale.
 */
export function shareInFlight<T>(client: ClickHouseClient, key: string, run: () => Promise<T>): Promise<T> {
  let byKey = running.get(client)
  if (!byKey) running.set(client, (byKey = new Map()))
  const inFlight = byKey.get(key)
  if (inFlight) return inFlight as Promise<T>
  const p = run().finally(() => byKey.delete(key))
  byKey.set(key, p)
  return p
}
