import { resolve, join } from 'node:path'
import { LIMITS } from './schema/batch.js'
import { WORKSPACE_SDK_DIR } from './sdk/bundle.js'

/** Everything the collector can be tuned with; `configFromEnv` fills it from the process environment. */
export interface CollectorConfig {
  port: number
  dataDir: string
  spool: {
    dir: string
    /** Bytes of unsent events kept on disk before ingestion answers 503. */
    maxBytes: number
    /** A segment file is closed and a new one started past this size. */
    segmentBytes: number
  }
  batch: {
    /** Rows per ClickHouse insert. */
    maxRows: number
    /** Longest time an accepted event waits in memory before an insert. */
    maxDelayMs: number
    /** Rows held in memory for insertion; beyond it events wait on disk only and are replayed from there. */
    memoryRows: number
    /** Backoff after a failed insert, doubled up to `retryMaxMs`. */
    retryMinMs: number
    retryMaxMs: number
  }
  limits: typeof LIMITS
  /** Clock offsets (receive time − sent_at) smaller than this are network latency, not skew. */
  skewThresholdMs: number
  /** Keep the client IP (truncated to /24 or /48). Off by default. */
  storeIp: boolean
  /** Take the client IP from X-Forwarded-For (only behind a trusted proxy). */
  trustProxy: boolean
  /** Headless browsers count as bots unless this is set (end-to-end tests drive headless Chromium). */
  allowHeadless: boolean
  rateLimit: {
    /** Events per second per write key, sustained. */
    eventsPerSecond: number
    /** Events a write key may send in a burst. */
    burst: number
  }
  /** Origins allowed to send events from browsers. */
  corsOrigin: string | string[]
  /**
   * When set, `/metrics` and the collector-wide figures of `/healthz` answer only to
   * `Authorization: Bearer <token>` (the per-project counters there name project ids and volumes).
   */
  metricsToken?: string
  /** Recent event uuids remembered per project to drop retried batches early, whatever their age. */
  dedupeSize: number
  /**
   * The most uuids remembered per project: past `dedupeSize`, the memory keeps a minute of a
   * project's events (see `REMEMBER_MS` in ingest/dedupe.ts), up to this many (about 110 bytes each).
   */
  dedupeMaxSize: number
  /** How often per-project ingestion counters are written to the store. */
  countersFlushMs: number
  /** How often the account pages' health reports are checked against their data and computed again when it changed; 0 turns the warm-up off. */
  healthWarmMs: number
  bootstrap: { writeKey?: string; secretKey?: string; projectName: string }
  /** Folder of the built browser SDK served under `/sdk/` (the workspace's `packages/sdk-browser/dist`). */
  sdkDir: string
}

export function defaultConfig(dataDir = './.tenure-data'): CollectorConfig {
  const dir = resolve(dataDir)
  return {
    port: 8787,
    dataDir: dir,
    spool: { dir: join(dir, 'spool'), maxBytes: 512 * 1024 * 1024, segmentBytes: 8 * 1024 * 1024 },
    batch: { maxRows: 20_000, maxDelayMs: 1_000, memoryRows: 200_000, retryMinMs: 250, retryMaxMs: 10_000 },
    limits: LIMITS,
    skewThresholdMs: 10_000,
    storeIp: false,
    trustProxy: false,
    allowHeadless: false,
    rateLimit: { eventsPerSecond: 5_000, burst: 50_000 },
    corsOrigin: '*',
    // 40 s of events at the default rate limit: more than the retry check's slack (ingest/dedupe.ts).
    dedupeSize: 200_000,
    // A minute at 33k events/s, more than one collector stores on a small machine.
    dedupeMaxSize: 2_000_000,
    countersFlushMs: 10_000,
    healthWarmMs: 10_000,
    bootstrap: { projectName: 'Default project' },
    sdkDir: WORKSPACE_SDK_DIR,
  }
}

export type ConfigOverrides = { [K in keyof CollectorConfig]?: CollectorConfig[K] extends object ? Partial<CollectorConfig[K]> : CollectorConfig[K] }

export function mergeConfig(base: CollectorConfig, over: ConfigOverrides = {}): CollectorConfig {
  const dataDir = over.dataDir ? resolve(over.dataDir) : base.dataDir
  const spoolDir = over.spool?.dir ?? (over.dataDir ? join(dataDir, 'spool') : base.spool.dir)
  return {
    ...base,
    ...(over as Partial<CollectorConfig>),
    dataDir,
    spool: { ...base.spool, ...over.spool, dir: spoolDir },
    batch: { ...base.batch, ...over.batch },
    limits: { ...base.limits, ...over.limits },
    rateLimit: { ...base.rateLimit, ...over.rateLimit },
    bootstrap: { ...base.bootstrap, ...over.bootstrap },
  }
}

function num(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  if (!Number.isFinite(n)) throw new Error(`not a number: ${v}`)
  return n
}

const flag = (v: string | undefined) => v === '1' || v === 'true'

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const base = defaultConfig(env.TENURE_DATA_DIR ?? './.tenure-data')
  return mergeConfig(base, {
    port: num(env.PORT) ?? base.port,
    spool: {
      dir: env.TENURE_SPOOL_DIR ? resolve(env.TENURE_SPOOL_DIR) : base.spool.dir,
      maxBytes: num(env.TENURE_SPOOL_MAX_BYTES) ?? base.spool.maxBytes,
    },
    batch: {
      maxRows: num(env.TENURE_BATCH_ROWS) ?? base.batch.maxRows,
      maxDelayMs: num(env.TENURE_BATCH_DELAY_MS) ?? base.batch.maxDelayMs,
    },
    storeIp: flag(env.TENURE_STORE_IP),
    trustProxy: flag(env.TENURE_TRUST_PROXY),
    allowHeadless: flag(env.TENURE_ALLOW_HEADLESS),
    rateLimit: {
      eventsPerSecond: num(env.TENURE_RATE_LIMIT_EPS) ?? base.rateLimit.eventsPerSecond,
      burst: num(env.TENURE_RATE_LIMIT_BURST) ?? base.rateLimit.burst,
    },
    metricsToken: env.TENURE_METRICS_TOKEN || undefined,
    healthWarmMs: num(env.TENURE_HEALTH_WARM_MS) ?? base.healthWarmMs,
    sdkDir: env.TENURE_SDK_DIR ? resolve(env.TENURE_SDK_DIR) : base.sdkDir,
    corsOrigin: env.TENURE_CORS_ORIGINS ? env.TENURE_CORS_ORIGINS.split(',').map((s) => s.trim()) : '*',
    bootstrap: {
      writeKey: env.TENURE_WRITE_KEY || undefined,
      secretKey: env.TENURE_SECRET_KEY || undefined,
      projectName: env.TENURE_PROJECT_NAME || base.bootstrap.projectName,
    },
  })
}
