import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'

/**
 * The embedded engine keeps a query's settings for the queries after it. An insert with its own
 * deduplication token (as ingestion counters write) must not make later inserts into the events
 * table, which keeps recent block ids, look like repeats of it.
 */
describe('settings of one query do not carry over to the next', () => {
  let t: Awaited<ReturnType<typeof openTestStore>>
  beforeAll(async () => {
    t = await openTestStore()
  })
  afterAll(() => t.cleanup())

  const row = (uuid: string) => ({
    project_id: 'p', uuid, event: '$click', timestamp: '2026-01-05 10:00:00.000', client_timestamp: '2026-01-05 10:00:00.000',
    received_at: '2026-01-05 10:00:00.000', anonymous_id: 'a1', user_id: '', account_id: '', elements: [], properties: '{}',
  })

  it('stores inserts made after an insert that named a deduplication token', async () => {
    const client = t.store.client
    await client.insert({
      table: 'ingest_counters', values: [{ project_id: 'p', day: '2026-01-05', counter: 'accepted', reason: '', value: 1 }], format: 'JSONEachRow',
      clickhouse_settings: { insert_deduplication_token: 'counters-1' },
    })
    await client.insert({ table: 'events', values: [row('0190f5f4-8a4e-7c3b-9d2a-000000000001')], format: 'JSONEachRow' })
    await client.insert({ table: 'events', values: [row('0190f5f4-8a4e-7c3b-9d2a-000000000002')], format: 'JSONEachRow' })
    await t.store.insertBytes({
      table: 'events', columns: ['project_id', 'uuid', 'event', 'timestamp', 'client_timestamp', 'received_at', 'anonymous_id'], format: 'JSONCompactEachRow',
      bytes: Buffer.from('["p","0190f5f4-8a4e-7c3b-9d2a-000000000003","$click","2026-01-05 10:00:00.000","2026-01-05 10:00:00.000","2026-01-05 10:00:00.000","a1"]\n'),
    })
    const rs = await client.query({ query: `SELECT toString((SELECT count() FROM events)) AS n, toString((SELECT sum(events) FROM activity_rollup)) AS r`, format: 'JSONEachRow' })
    expect(await rs.json()).toEqual([{ n: '3', r: '3' }])
  })
})
