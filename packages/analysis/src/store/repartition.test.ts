import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore } from './client.js'
import { up as repartitionUp } from './migrations/024_events_partition_by_client_month.js'
import { loadMigrations, migrate } from './migrate.js'
import type { Store } from './client.js'

const COLUMNS = ['project_id', 'uuid', 'event', 'timestamp', 'client_timestamp', 'received_at', 'anonymous_id', 'path', 'elements']
const row = (uuid: string, timestamp: string, client: string, received: string) =>
  JSON.stringify(['p', uuid, 'e', timestamp, client, received, 'a', '/x', [{ tag: 'a', id: '', classes: [], attrs: {}, text: '', nth: 0 }]])

describe('events partitioned by the month of the client time (migration 024)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenure-repartition-'))
  let store: Store
  const q = async <T>(query: string) => (await store.client.query({ query, format: 'JSONEachRow' })).json<T>()
  beforeAll(async () => {
    store = openStore({ kind: 'embedded', path: dir })
  })
  afterAll(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps existing rows and their insert times, and collapses copies that straddle a month edge', async () => {
    await migrate(store, (await loadMigrations()).filter((m) => m.version < 24))
    const insert = (lines: string[]) => store.insertBytes({ table: 'events', columns: COLUMNS, format: 'JSONCompactEachRow', bytes: Buffer.from(lines.join('\n') + '\n') })
    await insert([row('00000000-0000-4000-8000-000000000001', '2026-01-15 10:00:00.000', '2026-01-15 10:00:00.000', '2026-01-15 10:00:01.000')])
    const before = await q<{ i: string }>('SELECT toString(inserted_at) AS i FROM events')
    expect(await migrate(store, (await loadMigrations()).filter((m) => m.version <= 24))).toEqual([24])
    expect(await q<{ i: string }>('SELECT toString(inserted_at) AS i FROM events')).toEqual(before)
    // Two copies of one event: the client's time is shared, the corrected times fall in two months.
    const id = '00000000-0000-4000-8000-000000000002'
    await insert([row(id, '2026-01-31 23:59:59.900', '2026-01-31 23:59:59.900', '2026-02-01 00:00:00.000')])
    await insert([row(id, '2026-02-01 00:00:14.900', '2026-01-31 23:59:59.900', '2026-02-01 00:00:15.000')])
    const perMonth = await q<{ n: string }>(`SELECT count() AS n FROM events FINAL WHERE uuid = '${id}' AND timestamp < '2026-02-01 00:00:00'`)
    const nextMonth = await q<{ n: string }>(`SELECT count() AS n FROM events FINAL WHERE uuid = '${id}' AND timestamp >= '2026-02-01 00:00:00'`)
    expect(Number(perMonth[0]!.n) + Number(nextMonth[0]!.n)).toBe(1)
    await store.client.command({ query: 'OPTIMIZE TABLE events FINAL' })
    expect(await q<{ n: string }>(`SELECT count() AS n FROM events WHERE uuid = '${id}'`)).toEqual([{ n: 1 }])
    // A clock decades off is partitioned by its corrected time: one insert of many such clocks stays under the partition limit.
    const clocks = Array.from({ length: 150 }, (_, i) => row(`00000000-0000-4000-8000-${String(1000 + i).padStart(12, '0')}`, '2026-01-20 10:00:00.000', `${1901 + i}-03-01 10:00:00.000`, '2026-01-20 10:00:01.000'))
    await insert(clocks)
    const parts = await q<{ n: string }>(`SELECT uniqExact(partition) AS n FROM system.parts WHERE database = currentDatabase() AND table = 'events' AND active`)
    expect(Number(parts[0]!.n)).toBeLessThanOrEqual(3)
    // The views that read events follow the new table.
    expect(await q<{ path: string }>(`SELECT DISTINCT path FROM event_paths WHERE project_id = 'p'`)).toEqual([{ path: '/x' }])
  })

  it('copies through a Distributed table on a cluster, so rows stay on their shard', () => {
    const s = repartitionUp({ cluster: 'analytics' })
    expect(s[0]).toContain('CREATE TABLE IF NOT EXISTS events_by_client_month_local ON CLUSTER analytics AS events_local')
    expect(s[0]).toContain(`ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/{database}/events_by_client_month_local', '{replica}', received_at)`)
    expect(s[0]).toContain("PARTITION BY toYYYYMM(if(abs(dateDiff('second', client_timestamp, timestamp)) < 34560000, client_timestamp, timestamp))")
    expect(s).toContain('CREATE TABLE IF NOT EXISTS events_by_client_month ON CLUSTER analytics AS events_by_client_month_local ENGINE = Distributed(analytics, currentDatabase(), events_by_client_month_local, cityHash64(project_id, user_key))')
    expect(s).toContain('EXCHANGE TABLES events_local AND events_by_client_month_local ON CLUSTER analytics')
    expect(s.at(-1)).toBe('DROP TABLE IF EXISTS events_by_client_month_local ON CLUSTER analytics')
  })
})
