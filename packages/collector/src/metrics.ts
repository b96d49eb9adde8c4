import { CounterLedger } from './counters/ledger.js'

/**
 * Loss accounting: every event that reaches the collector ends in exactly one of
 * accepted / rejected / bot / duplicate / rate-limited, and every accepted event is either
 * inserted or still in the spool. Exposed as Prometheus text on /metrics and JSON on /healthz.
 * Event counters of a known project are also kept per project, since this process started and
 * as deltas for the `ingest_counters` table (see counters/flusher.ts).
 */
export const COUNTERS = {
  requests: 'HTTP ingestion requests received',
  events_accepted: 'Events acknowledged (written to the spool) and bound for the store',
  events_bots: 'Events dropped because the user agent is a bot',
  events_duplicate: 'Events dropped because their uuid was acknowledged moments ago (a retried batch)',
  events_rate_limited: 'Events refused with 429',
  events_refused_spool_full: 'Events refused with 503 because the spool was full',
  events_spooled: 'Events appended to the on-disk spool before acknowledgement',
  events_inserted: 'Events inserted into the store from memory',
  events_replayed: 'Events inserted into the store by replaying spool segments from disk',
  events_failed: 'Events in store inserts that failed (kept in the spool and retried)',
  events_quarantined: 'Acknowledged events the store refused (a value it cannot parse or hold), moved to the quarantine with its reason',
  events_reinserted: 'Quarantined events inserted again through the API',
  side_rows_quarantined: 'Identity rows (person_aliases, user_accounts) the store refused, moved to the quarantine',
  quarantine_file_rows: 'Refused rows written to the quarantine file beside the spool because the quarantine table refused them too',
  spool_records_lost: 'Acknowledged spool records that could not be read back (corrupt file)',
  insert_failures: 'Store inserts that failed',
  spool_disk_full_writes: 'Spool writes that failed because its disk was full (ENOSPC); their events were refused with 503',
  requests_rate_limited: 'Requests answered 429',
  requests_rejected: 'Requests answered with a 4xx for bad input',
} as const

export type CounterName = keyof typeof COUNTERS

/** Counters that count events of one project (the rest are about requests, inserts or the spool). */
export const PROJECT_COUNTERS = [
  'events_accepted', 'events_bots', 'events_duplicate', 'events_rate_limited', 'events_refused_spool_full',
  'events_spooled', 'events_inserted', 'events_replayed', 'events_failed', 'events_quarantined', 'events_reinserted',
] as const satisfies readonly CounterName[]

export type ProjectCounterName = (typeof PROJECT_COUNTERS)[number]

/** The `counter` of rejected events in `ingest_counters` (with the code as `reason`). */
export const REJECTED = 'events_rejected'

const PROJECT_COUNTER_SET: ReadonlySet<string> = new Set(PROJECT_COUNTERS)

export interface ProjectSnapshot {
  counters: Record<ProjectCounterName, number>
  rejected: Record<string, number>
}

const label = (v: string) => v.replace(/[\\"\n]/g, (ch) => (ch === '\n' ? '\\n' : `\\${ch}`))

export interface Gauges {
  spool_bytes: number
  spool_max_bytes: number
  spool_segments: number
  backlog_events: number
  replay_segments: number
  store_up: number
}

export class Metrics {
  private readonly counters = new Map<CounterName, number>()
  private readonly rejected = new Map<string, number>()
  /** Per project since start: counter name, or `events_rejected\u0000<reason>`. */
  private readonly projects = new Map<string, Map<string, number>>()
  /** Per-project deltas waiting to be written to the store. */
  readonly ledger = new CounterLedger()
  /** Filled by the ingest pipeline; read at scrape time. */
  gauges: () => Gauges = () => ({ spool_bytes: 0, spool_max_bytes: 0, spool_segments: 0, backlog_events: 0, replay_segments: 0, store_up: 1 })

  /** Adds to a counter; with `project`, an event counter is counted for that project as well. */
  inc(name: CounterName, by = 1, project?: string): void {
    if (by === 0) return
    this.counters.set(name, (this.counters.get(name) ?? 0) + by)
    if (project !== undefined && PROJECT_COUNTER_SET.has(name)) this.countProject(project, name, '', by)
  }

  /** Rejected events by reason code (the same codes the API answers with). */
  reject(reason: string, by = 1, project?: string): void {
    if (by === 0) return
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + by)
    if (project !== undefined) this.countProject(project, REJECTED, reason, by)
  }

  private countProject(project: string, counter: string, reason: string, by: number): void {
    let counts = this.projects.get(project)
    if (!counts) this.projects.set(project, (counts = new Map()))
    const key = reason ? `${counter}\u0000${reason}` : counter
    counts.set(key, (counts.get(key) ?? 0) + by)
    this.ledger.add(project, counter, reason, by)
  }

  /** One project's event counters since this process started (zeros for a project it has not seen). */
  projectSnapshot(project: string): ProjectSnapshot {
    const counts = this.projects.get(project)
    const counters = {} as Record<ProjectCounterName, number>
    for (const name of PROJECT_COUNTERS) counters[name] = counts?.get(name) ?? 0
    const rejected: Record<string, number> = {}
    const prefix = `${REJECTED}\u0000`
    for (const [key, n] of [...(counts ?? [])].sort(([a], [b]) => a.localeCompare(b))) {
      if (key.startsWith(prefix)) rejected[key.slice(prefix.length)] = n
    }
    return { counters, rejected }
  }

  get(name: CounterName): number {
    return this.counters.get(name) ?? 0
  }

  rejectedByReason(): Record<string, number> {
    return Object.fromEntries([...this.rejected].sort(([a], [b]) => a.localeCompare(b)))
  }

  snapshot(): { counters: Record<CounterName, number>; rejected: Record<string, number>; gauges: Gauges } {
    const counters = {} as Record<CounterName, number>
    for (const name of Object.keys(COUNTERS) as CounterName[]) counters[name] = this.get(name)
    return { counters, rejected: this.rejectedByReason(), gauges: this.gauges() }
  }

  prometheus(): string {
    const lines: string[] = []
    for (const [name, help] of Object.entries(COUNTERS) as [CounterName, string][]) {
      const metric = `tenure_${name}_total`
      lines.push(`# HELP ${metric} ${help}`, `# TYPE ${metric} counter`, `${metric} ${this.get(name)}`)
    }
    lines.push('# HELP tenure_events_rejected_total Events rejected by validation, by reason', '# TYPE tenure_events_rejected_total counter')
    for (const [reason, n] of Object.entries(this.rejectedByReason())) {
      lines.push(`tenure_events_rejected_total{reason="${reason.replace(/[^a-z0-9_]/gi, '_')}"} ${n}`)
    }
    // Per project under their own names, so the totals above keep their meaning (sum() of them never counts twice).
    const projects = [...this.projects.keys()].sort().map((p) => [label(p), this.projectSnapshot(p)] as const)
    for (const name of PROJECT_COUNTERS) {
      const metric = `tenure_project_${name}_total`
      lines.push(`# HELP ${metric} ${COUNTERS[name]}, by project`, `# TYPE ${metric} counter`)
      for (const [p, snap] of projects) lines.push(`${metric}{project="${p}"} ${snap.counters[name]}`)
    }
    lines.push(`# HELP tenure_project_${REJECTED}_total Events rejected by validation, by project and reason`, `# TYPE tenure_project_${REJECTED}_total counter`)
    for (const [p, snap] of projects) {
      for (const [reason, n] of Object.entries(snap.rejected)) {
        lines.push(`tenure_project_${REJECTED}_total{project="${p}",reason="${reason.replace(/[^a-z0-9_]/gi, '_')}"} ${n}`)
      }
    }
    for (const [name, value] of Object.entries(this.gauges())) {
      lines.push(`# TYPE tenure_${name} gauge`, `tenure_${name} ${value}`)
    }
    return lines.join('\n') + '\n'
  }
}
