import type { Store } from '@tenure/analysis/store'
import type { HealthReports, HealthWarmer, HealthWarmStatus } from '@tenure/dashboard'
import type { Project, ProjectRegistry } from './auth/projects.js'
import type { CollectorConfig } from './config.js'
import type { CounterFlusher } from './counters/flusher.js'
import type { Ingest } from './ingest/pipeline.js'
import type { Quarantine } from './ingest/quarantine.js'
import type { TextTokens } from './ingest/text-tokens.js'
import type { Metrics } from './metrics.js'
import type { RateLimiter } from './ratelimit.js'

/** What routes may use. Routes take this object (or a narrower slice of it) and nothing global. */
export interface AppDeps {
  store: Store
  projects: ProjectRegistry
  ingest: Ingest
  metrics: Metrics
  config: CollectorConfig
  rateLimiter: RateLimiter
  /** Per-project ingestion counters: writes them to the store, reads them with what is not written yet. */
  counters: CounterFlusher
  /** Rows the store refused: listed and re-inserted through the API. */
  quarantine: Quarantine
  /** Element text → tokens at ingest, and publication of texts k people share. */
  texts: TextTokens
  /** The startup job that tokenises element text stored before tokens (resolves when done or failed). */
  legacyText: Promise<unknown>
  /** Its progress, for /healthz. */
  legacyJob: LegacyTextJob
  /** The startup job that adds events stored before the activity rollup to it (resolves when done, stopped or failed). */
  rollupBackfill: Promise<unknown>
  /** Its progress, for /healthz. */
  rollupJob: RollupBackfillJob
  /**
   * An instant by which every event stored before this start had been received (see
   * `eventsReceivedUntil`); null when unknown, and the start then stands in for it.
   */
  storedUntil?: number | null
  /** The health reports the account pages share, computed ahead of them in the background. */
  healthReports?: HealthReports
  /** That warm-up's progress, for /healthz. */
  healthWarm?: HealthWarmStatus
  /** The warm-up itself: an import pokes it to look again at once. */
  healthWarmer?: HealthWarmer
}

export interface LegacyTextJob {
  state: 'running' | 'done' | 'failed'
  /** The project being worked on, and its step (publish, tokenise, count, chains). */
  project: string | null
  step: string | null
}

export interface RollupBackfillJob {
  state: 'waiting' | 'running' | 'done' | 'stopped' | 'failed'
  /** The project being worked on and the month (YYYYMM) being added, with that project's months done and in all. */
  project: string | null
  /** The table being filled: `activity_rollup` month by month, then each table kept beside it (month null). */
  table: string | null
  month: number | null
  months_done: number
  months: number
}

/** Hono environment of the app: `c.get('project')` is set by `requireSecretKey`. */
export interface AppEnv {
  Variables: { project: Project }
}
