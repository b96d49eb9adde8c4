import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestStore } from '../testing/store.js'
import { SESSION_RESETS } from './client.js'

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

  it('runs a report query with default settings after a backfill-style query named its own', async () => {
    const client = t.store.client
    const read = async () => {
      const rs = await client.query({ query: `SELECT name, value FROM system.settings WHERE name IN {names:Array(String)} ORDER BY name`, query_params: { names: Object.keys(SESSION_RESETS) }, format: 'JSONEachRow' })
      return rs.json<{ name: string; value: string }>()
    }
    const before = await read()
    expect(before).toHaveLength(Object.keys(SESSION_RESETS).length)
    await client.command({
      query: 'SELECT 1',
      clickhouse_settings: { mutations_sync: '2', optimize_aggregation_in_order: 1, insert_distributed_sync: 1, max_threads: 1 },
    })
    expect(await read()).toEqual(before)
  })

  it('runs queries without compiling expressions to machine code', async () => {
    // Compiling happens inside a query that meets an expression again and made that report call 25–50% slower (client.ts).
    const rs = await t.store.client.query({
      query: `SELECT name, value FROM system.settings WHERE name IN ('compile_expressions', 'compile_aggregate_expressions', 'compile_sort_description') ORDER BY name`,
      format: 'JSONEachRow',
    })
    expect(await rs.json()).toEqual([
      { name: 'compile_aggregate_expressions', value: '0' },
      { name: 'compile_expressions', value: '0' },
      { name: 'compile_sort_description', value: '0' },
    ])
  })

  it('resets every setting a query of the project names for itself', () => {
    // Keys inside `clickhouse_settings: { … }` literals and the constants passed there, across the packages' sources.
    const root = join(dirname(fileURLToPath(import.meta.url)), '../../../..')
    const named = new Set<string>()
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name)
        if (e.isDirectory()) { if (e.name !== 'node_modules' && e.name !== 'dist') walk(path) }
        // client.ts states the store-wide settings; its byte inserts go through the engine's raw insert, which keeps none.
        else if (/\.ts$/.test(e.name) && !/\.test\.ts$/.test(e.name) && path.includes('/src/') && !path.endsWith('/store/client.ts')) {
          const text = readFileSync(path, 'utf8')
          for (const m of text.matchAll(/clickhouse_settings:\s*\{([^}]*)\}/g)) for (const k of m[1]!.matchAll(/(\w+)\s*:/g)) named.add(k[1]!)
          for (const m of text.matchAll(/clickhouse_settings:\s*(\w+)\b/g)) {
            const decl = text.match(new RegExp(`const ${m[1]} = \\{([^}]*)\\}`))
            for (const k of decl?.[1]?.matchAll(/(\w+)\s*:/g) ?? []) named.add(k[1]!)
          }
        }
      }
    }
    walk(join(root, 'packages'))
    expect(named.size).toBeGreaterThan(3)
    // Store-wide settings (client.ts) are stated on every query already.
    const stated = new Set(['date_time_input_format', 'session_timezone', 'insert_deduplication_token', ...Object.keys(SESSION_RESETS)])
    expect([...named].filter((k) => !stated.has(k))).toEqual([])
  })
})
