import { createClient, type ClickHouseClient } from '@clickhouse/client'
import { createChdbConnection } from 'chdb/connection'
import { resolve } from 'node:path'
import { mkdirSync } from 'node:fs'

/** Where the data lives: an embedded engine folder owned by this process, or a ClickHouse server. */
export type StoreConfig =
  | { kind: 'embedded'; path: string }
  | { kind: 'server'; url: string; username?: string; password?: string; database: string; cluster?: string }

export interface Store {
  client: ClickHouseClient
  config: StoreConfig
  /** Cluster name when DDL must be issued ON CLUSTER. */
  cluster?: string
  close(): Promise<void>
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
    const client = createClient({
      // chdb types its connection against @clickhouse/client-common, which the client package now
      // bundles as its own copy: the shapes match at run time, the two declarations do not unify.
      connection: createChdbConnection({ path: dbPath }) as unknown as ChdbAsClientConnection,
      clickhouse_settings: STORE_SETTINGS,
    })
    return { client, config, close: () => client.close() }
  }
  const client = createClient({
    url: config.url,
    username: config.username,
    password: config.password,
    database: config.database,
    clickhouse_settings: STORE_SETTINGS,
  })
  return { client, config, cluster: config.cluster, close: () => client.close() }
}

/** Reports compute on UTC-stored DateTime64 values; the session zone must not shift them. */
const STORE_SETTINGS = {
  date_time_input_format: 'best_effort',
  session_timezone: 'UTC',
} as const
