import type { ClickHouseClient } from '@clickhouse/client'
import type { Context } from 'hono'
import type { HealthReports } from './data/health-cache.js'

/** The project a session belongs to: every read is scoped to its id; its zone is the pages' default. */
export interface DashboardProject {
  id: string
  name: string
  timezone: string
}

/** Hono environment of the dashboard: `c.get('project')` is set for signed-in requests. */
export interface DashboardEnv {
  Variables: { project: DashboardProject }
}

/** Projects as the login form and each signed-in request find them. */
export interface ProjectLookup {
  /** The project whose secret key this is, or undefined. */
  verifySecret(key: string): Promise<DashboardProject | undefined>
  get(id: string): DashboardProject | undefined
}

/** How the host sees a request: it alone knows whether a proxy in front of it may be trusted. */
export interface RequestOrigin {
  /** The client's address (the first X-Forwarded-For hop behind a trusted proxy). */
  address(c: Context): string
  /** Whether the browser reached the host over HTTPS (also behind a TLS-terminating proxy). */
  secure(c: Context): boolean
}

export interface RateDecision {
  ok: boolean
  /** Seconds until the next try fits, when refused. */
  retryAfter: number
}

/** A budget of tries per key: `check` asks without spending, `take` spends one. */
export interface KeyedLimit {
  check(key: string): RateDecision
  take(key: string): RateDecision
}

/** What ingestion did with one project's events over a range of UTC days. */
export interface IngestCounts {
  accepted: number
  /** Inserted from memory plus replayed from the spool (a replay may store an event again; the table keeps one copy). */
  stored: number
  replayed: number
  rejected: number
  rejectedByReason: Record<string, number>
  bots: number
  duplicates: number
  rateLimited: number
  refusedSpoolFull: number
  spooled: number
  /** Events in store inserts that failed (each attempt; the events were kept and retried). */
  failed: number
  /** Events the store refused, moved to the quarantine with its reason (less those inserted again). */
  quarantined: number
}

/** State of the collector process, shared by every project it serves. */
export interface CollectorHealth {
  storeUp: boolean
  spoolBytes: number
  spoolMaxBytes: number
  failedInserts: number
  spoolRecordsLost: number
}

/** Ingestion as the collector saw it, for the overview. */
export interface IngestStatus {
  /** One project's counters on UTC days [from, to], with what is counted and not written yet. */
  projectCounts(projectId: string, from: string, to: string): Promise<IngestCounts>
  /** The project's events acknowledged and not stored yet. */
  backlogOf(projectId: string): number
  health(): CollectorHealth
}

/**
 * The host's background job adding events stored before the activity rollup existed to it. It
 * works through every project the host serves, one month of one project at a time.
 */
export interface RollupJobStatus {
  state: 'waiting' | 'running' | 'done' | 'stopped' | 'failed'
  /** The project being worked on and the month (YYYYMM) being added, with that project's months done and in all. */
  project: string | null
  month: number | null
  monthsDone: number
  months: number
}

/**
 * What the dashboard needs from the process that mounts it (the collector). The dashboard reads
 * reports from the store itself; everything about keys, requests and ingestion it asks for here.
 */
export interface DashboardDeps {
  client: ClickHouseClient
  projects: ProjectLookup
  request: RequestOrigin
  /** A token bucket per key: `perSecond` tries earned back, `burst` at most, the newest `keys` keys remembered. */
  limit(budget: { perSecond: number; burst: number; keys: number }): KeyedLimit
  ingest: IngestStatus
  /** The rollup backfill job's progress, as the host's /healthz shows it; a host without the job leaves it out. */
  rollupJob?(): RollupJobStatus
  /** The health reports the account pages share, when the host keeps them warm (see HealthWarmer); else the pages keep their own. */
  health?: HealthReports
}
