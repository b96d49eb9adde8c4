import { createClient, type ClickHouseClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import { resolve } from 'node:path'
import { mkdirSync } from 'node:fs'
import { Readable } from 'node:stream'
import { quoteIdent } from './ddl.js'
import { ENGINE_SLOTS, gate } from './engine-gate.js'

/** Where the data lives: an embedded engine folder owned by this process, or a ClickHouse server. */
export type StoreConfig =
  | { kind: 'embedded'; path: string }
  | { kind: 'server'; url: string; username?: string; password?: string; database: string; cluster?: string }

export interface Store {
  client: ClickHouseClient
  config: StoreConfig
  /** Cluster name when DDL must be issued ON CLUSTER. */
  cluster?: string
  /**
   * Inserts rows already encoded as bytes in `format`. The bytes go to the engine as they are: no
   * JavaScript string is built from them, which keeps large inserts from stalling the event loop.
   */
  insertBytes(params: BytesInsert): Promise<void>
  close(): Promise<void>
}

export interface BytesInsert {
  table: string
  columns: readonly string[]
  format: 'JSONEachRow' | 'JSONCompactEachRow'
  bytes: Buffer
}

export function storeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): StoreConfig {
  if (env.CLICKHOUSE_URL) {
    return {
      kind: 'server',
      url: env.CLICKHOUSE_URL,
      username: env.CLICKHOUSE_USER,
      password: env.CLICKHOUSE_PASSWORD,
      database: env.CLICKHOUSE_DATABASE ?? 'default',
      cluster: env.CLICKHOUSE_CLUSTER || undefined,
    }
  }
  return { kind: 'embedded', path: resolve(env.TENURE_DATA_DIR ?? './.tenure-data') }
}

type ChdbAsClientConnection = NonNullable<Parameters<typeof createClient>[0]>['connection']

export function openStore(config: StoreConfig): Store {
  if (config.kind === 'embedded') {
    const dbPath = resolve(config.path, 'clickhouse')
    mkdirSync(dbPath, { recursive: true })
    const connection = createChdbConnection({ path: dbPath })
    const enter = gate(ENGINE_SLOTS)
    for (const method of ['query', 'exec', 'command', 'insert', 'ping'] as const) {
      const call = connection[method].bind(connection) as (...args: unknown[]) => Promise<unknown>
      Object.assign(connection, { [method]: (...args: unknown[]) => enter(() => call(...args)) })
    }
    const client = createClient({
      // chdb types its connection against @clickhouse/client-common, which the client package now
      // bundles as its own copy: the shapes match at run time, the two declarations do not unify.
      connection: connection as unknown as ChdbAsClientConnection,
      clickhouse_settings: { ...STORE_SETTINGS, ...SESSION_RESETS },
    })
    const insertBytes = async ({ table, columns, format, bytes }: BytesInsert) => {
      // chdb hands a Buffer to the engine without copying it into a string.
      await enter(() => connection.chdb.rawInsert({ table: quoteIdent(table), columns: columns.map(quoteIdent), format, values: bytes, settings: BYTES_INSERT_SETTINGS }))
    }
    return { client, config, insertBytes, close: () => client.close() }
  }
  const client = createClient({
    url: config.url,
    username: config.username,
    password: config.password,
    database: config.database,
    clickhouse_settings: STORE_SETTINGS,
  })
  const insertBytes = async ({ table, columns, format, bytes }: BytesInsert) => {
    const rs = await client.exec({
      query: `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) FORMAT ${format}`,
      values: Readable.from([bytes]),
      clickhouse_settings: BYTES_INSERT_SETTINGS,
    })
    rs.stream.resume()
  }
  return { client, config, cluster: config.cluster, insertBytes, close: () => client.close() }
}

/**
 * Reports compute on UTC-stored DateTime64 values; the session zone must not shift them. The
 * embedded engine applies a query's settings as session settings that outlive it, so a write that
 * names an `insert_deduplication_token` (ingestion counters) would lend its token to every later
 * insert, and the events table, which keeps recent block ids, would drop them as repeats: every
 * query states that it has none unless it names its own.
 *
 * The engine compiles an expression to machine code once it has met it a few times
 * (`min_count_to_compile_expression`), inside the query that meets it then: one call of each
 * report (the fourth in a row) took 25–50% longer than the others, every time, and the calls after
 * it were no faster; inserts were no faster either. Reports are few, large queries whose
 * parameters change from call to call, so compiling does not repay itself here.
 */
const STORE_SETTINGS = {
  date_time_input_format: 'best_effort',
  session_timezone: 'UTC',
  insert_deduplication_token: '',
  compile_expressions: 0,
  compile_aggregate_expressions: 0,
  compile_sort_description: 0,
} as const

/**
 * Settings that some queries name for themselves (mutations waited for, a backfill's aggregation
 * in key order, synchronous distributed inserts, a thread cap), at their defaults. The embedded
 * engine would otherwise keep them for every query after: one backfill month read in key order
 * makes every later report's grouping slower until the process restarts. A server keeps no
 * settings between queries, and its own profile's values stay in force there.
 */
export const SESSION_RESETS = {
  mutations_sync: '0',
  optimize_aggregation_in_order: 0,
  insert_distributed_sync: 0,
  max_threads: 0,
} as const

/**
 * Byte inserts come from a collector that batches rows itself, so the engine's insert queue would
 * only hold them twice. Parsing runs on one thread, so that on a small machine an insert leaves a
 * core to answering requests instead of taking every core for a moment. A retried insert is
 * dropped as a repeat of a recent block, and the views it feeds (the activity rollup) are checked
 * the same way, so an insert that failed halfway through its views completes them on retry without
 * counting twice (a view's block ids derive from its source block's, so two different inserts that
 happen to aggregate alike are both kept).
 */
const BYTES_INSERT_SETTINGS = {
  ...STORE_SETTINGS,
  async_insert: 0,
  input_format_parallel_parsing: 0,
  max_threads: 1,
  insert_deduplicate: 1,
  deduplicate_blocks_in_dependent_materialized_views: 1,
} as const
