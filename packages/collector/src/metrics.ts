/**
 * Loss accounting: every event that reaches the collector ends in exactly one of
 * accepted / rejected / bot / duplicate / rate-limited, and every accepted event is either
 * inserted or still in the spool. Exposed as Prometheus text on /metrics and JSON on /healthz.
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
  spool_records_lost: 'Acknowledged spool records that could not be read back (corrupt file)',
  insert_failures: 'Store inserts that failed',
  requests_rate_limited: 'Requests answered 429',
  requests_rejected: 'Requests answered with a 4xx for bad input',
} as const

export type CounterName = keyof typeof COUNTERS

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
  /** Filled by the ingest pipeline; read at scrape time. */
  gauges: () => Gauges = () => ({ spool_bytes: 0, spool_max_bytes: 0, spool_segments: 0, backlog_events: 0, replay_segments: 0, store_up: 1 })

  inc(name: CounterName, by = 1): void {
    if (by === 0) return
    this.counters.set(name, (this.counters.get(name) ?? 0) + by)
  }

  /** Rejected events by reason code (the same codes the API answers with). */
  reject(reason: string, by = 1): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + by)
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
    for (const [name, value] of Object.entries(this.gauges())) {
      lines.push(`# TYPE tenure_${name} gauge`, `tenure_${name} ${value}`)
    }
    return lines.join('\n') + '\n'
  }
}
