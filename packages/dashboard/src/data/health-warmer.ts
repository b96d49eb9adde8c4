import type { ClickHouseClient } from '@clickhouse/client'
import { todayIn } from '../params.js'
import { dataSignature, healthDataVersion, versionEvents, type HealthReports } from './health-cache.js'

/** What the warm-up is doing, for the host's /healthz. */
export interface HealthWarmStatus {
  /** `off`: the host turned the warm-up off (pages compute reports when first asked). */
  state: 'waiting' | 'idle' | 'warming' | 'stopped' | 'off'
  /** The project whose report is being computed. */
  project: string | null
  /** Reports computed by the warm-up since the process started. */
  reportsWarmed: number
  /** How long the last one took. */
  lastMs: number | null
  /** The last failure (project and message); cleared by the next report that succeeds. */
  lastError: string | null
}

export interface HealthWarmerOptions {
  client: ClickHouseClient
  reports: HealthReports
  /** The projects whose reports are kept warm (read on every pass: a new project joins). */
  projects: () => readonly string[]
  /** How often the data versions are looked at (default 10 s). */
  intervalMs?: number
  /** The day the pages open on (default today in UTC, as the account pages' `as_of`). */
  today?: () => string
  onError?: (projectId: string, err: unknown) => void
}

/**
 * Computes the health report the account pages open on ahead of the first page that asks, and
 * again whenever what it is computed from changes (`healthDataVersion`: a new day, an import of
 * accounts or contracts, a feature edit, a late event). The report goes into the pages' own
 * `HealthReports`, so a page asking while it is computed waits for that same computation.
 *
 * One project at a time, never two passes at once. A changed version is recomputed once it has
 * held for a whole pass, so a bulk load that changes it on every pass is not chased with a report
 * per pass; a day (or project) never warmed is computed on the first pass that sees it.
 */
export class HealthWarmer {
  readonly status: HealthWarmStatus = { state: 'waiting', project: null, reportsWarmed: 0, lastMs: null, lastError: null }
  private readonly warmed = new Map<string, string>()
  private readonly seen = new Map<string, string>()
  private timer: NodeJS.Timeout | null = null
  private pass: Promise<void> | null = null
  private stopped = false
  private again = false
  private eager = false
  private started = false
  /** What the last complete pass looked at (data signature, day, projects). */
  private lastLook: string | null = null

  constructor(private readonly opts: HealthWarmerOptions) {}

  /** Starts the passes: the first right away, then one every `intervalMs`. */
  start(): void {
    if (this.stopped || this.started) return
    this.started = true
    this.status.state = 'idle'
    this.again = false
    if (this.pass) this.again = true
    else this.runPass()
  }

  /**
   * Looks again now (after an import, say) instead of at the next interval, and computes a changed
   * report without waiting for its version to hold; a running pass is followed by another.
   */
  poke(): void {
    if (this.stopped) return
    this.eager = true
    if (!this.started) return
    if (this.pass) {
      this.again = true
      return
    }
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.runPass()
  }

  /** One pass over every project; resolves when it is done (a pass already running is awaited, not doubled). */
  runOnce(): Promise<void> {
    return this.pass ?? this.runPass(false)
  }

  /** Stops the passes; resolves once a report being computed is in. */
  async close(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    await this.pass
    if (this.status.state !== 'off') this.status.state = 'stopped'
    this.status.project = null
  }

  private runPass(schedule = true): Promise<void> {
    const pass = this.warmAll().finally(() => {
      this.pass = null
      if (this.stopped || !this.started || (!schedule && !this.again)) return
      const again = this.again
      this.again = false
      this.timer = setTimeout(() => {
        this.timer = null
        this.runPass()
      }, again ? 0 : (this.opts.intervalMs ?? 10_000))
      // Warming never keeps the process alive on its own.
      this.timer.unref?.()
    })
    this.pass = pass
    return pass
  }

  private async warmAll(): Promise<void> {
    const eager = this.eager
    this.eager = false
    const projects = this.opts.projects()
    // While nothing was stored (no insert, no mutation) and the day and projects are the same, no
    // project's version can have changed: the pass ends after one look at the system tables.
    const today = (this.opts.today ?? (() => todayIn('UTC')))()
    const signature = await dataSignature(this.opts.client).catch(() => null)
    const look = signature === null ? null : JSON.stringify([signature, today, projects])
    if (look !== null && look === this.lastLook && !eager) return
    let complete = true
    const failed = (projectId: string, key: string, err: unknown) => {
      // Not retried until the data changes: a report that fails fails the same way on the next pass.
      const version = this.seen.get(key)
      if (version !== undefined) this.warmed.set(key, version)
      else complete = false
      this.status.lastError = `${projectId}: ${err instanceof Error ? err.message : String(err)}`
      if (!this.stopped) this.opts.onError?.(projectId, err)
    }
    // Every project's version first, then the reports to compute, smallest project first: the most
    // projects are ready soonest (and a page asking meanwhile competes with a short computation).
    const due: { projectId: string; key: string; version: string; events: number }[] = []
    for (const projectId of projects) {
      if (this.stopped) return
      const key = `${projectId}\u0000${today}`
      // Days left behind are not warmed again: their entries go.
      for (const map of [this.warmed, this.seen]) for (const k of [...map.keys()]) if (k.startsWith(`${projectId}\u0000`) && k !== key) map.delete(k)
      try {
        const version = await healthDataVersion(this.opts.client, projectId, today)
        const before = this.seen.get(key)
        this.seen.set(key, version)
        if (this.warmed.get(key) === version) continue
        if (!eager && this.warmed.has(key) && before !== version) {
          // Left for the next pass to see it hold: that pass must look.
          complete = false
          continue
        }
        due.push({ projectId, key, version, events: versionEvents(version) })
      } catch (err) {
        failed(projectId, key, err)
      }
    }
    due.sort((a, b) => a.events - b.events)
    for (const { projectId, key, version } of due) {
      if (this.stopped) return
      try {
        this.status.state = 'warming'
        this.status.project = projectId
        const t0 = performance.now()
        await this.opts.reports.warm(this.opts.client, projectId, today)
        this.warmed.set(key, version)
        this.status.reportsWarmed += 1
        this.status.lastMs = Math.round(performance.now() - t0)
        this.status.lastError = null
      } catch (err) {
        failed(projectId, key, err)
      } finally {
        this.status.project = null
        if (this.status.state === 'warming') this.status.state = 'idle'
      }
    }
    if (!this.stopped) this.lastLook = complete ? look : null
  }
}
