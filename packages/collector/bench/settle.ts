import type { ClickHouseClient } from '@clickhouse/client'

/** Waits (at most `maxMs`) for the engine's background merges to finish, so a measured phase starts on a quiet engine. */
export async function settle(client: ClickHouseClient, maxMs = 30_000): Promise<void> {
  const end = Date.now() + maxMs
  while (Date.now() < end) {
    const rs = await client.query({ query: 'SELECT count() AS n FROM system.merges', format: 'JSONEachRow' })
    if (Number((await rs.json<{ n: string }>())[0]!.n) === 0) return
    await new Promise((r) => setTimeout(r, 250))
  }
}
