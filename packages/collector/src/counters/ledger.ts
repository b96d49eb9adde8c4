/** One row of the `ingest_counters` table: a delta of one counter of one project on one UTC day. */
export interface CounterRow {
  project_id: string
  /** 'YYYY-MM-DD', the UTC day the events were counted on. */
  day: string
  counter: string
  /** The rejection code for `events_rejected`, else ''. */
  reason: string
  value: number
}

const DAY_MS = 86_400_000

const isoDay = (dayNumber: number) => new Date(dayNumber * DAY_MS).toISOString().slice(0, 10)

/**
 * Per-project counter deltas not yet written to the store. Counting is a map update per call
 * (callers count once per batch, not per event); days are kept as numbers and formatted only
 * when the deltas are taken.
 */
export class CounterLedger {
  /** Day number → project → counter (or counter and reason) → delta. Nested so keys are strings callers already hold. */
  private days = new Map<number, Map<string, Map<string, Delta>>>()
  private count = 0

  add(project: string, counter: string, reason: string, by: number, nowMs = Date.now()): void {
    if (by === 0) return
    const day = Math.floor(nowMs / DAY_MS)
    let projects = this.days.get(day)
    if (!projects) this.days.set(day, (projects = new Map()))
    let deltas = projects.get(project)
    if (!deltas) projects.set(project, (deltas = new Map()))
    const key = reason ? `${counter}\u0000${reason}` : counter
    const hit = deltas.get(key)
    if (hit) hit.value += by
    else {
      deltas.set(key, { counter, reason, value: by })
      this.count++
    }
  }

  /** Distinct keys holding a delta. */
  get size(): number {
    return this.count
  }

  /** Removes every delta and returns them as table rows. */
  take(): CounterRow[] {
    const out: CounterRow[] = []
    for (const [day, projects] of this.days) for (const [project, deltas] of projects) out.push(...rows(project, day, deltas))
    this.days = new Map()
    this.count = 0
    return out
  }

  /** Deltas of one project counted on UTC days from..to ('YYYY-MM-DD', inclusive), left in place. */
  pendingFor(project: string, from: string, to: string): CounterRow[] {
    const out: CounterRow[] = []
    for (const [day, projects] of this.days) {
      const deltas = projects.get(project)
      const iso = isoDay(day)
      if (deltas && iso >= from && iso <= to) out.push(...rows(project, day, deltas))
    }
    return out
  }
}

interface Delta {
  counter: string
  reason: string
  value: number
}

function rows(project: string, day: number, deltas: Map<string, Delta>): CounterRow[] {
  const iso = isoDay(day)
  return [...deltas.values()].map((d) => ({ project_id: project, day: iso, counter: d.counter, reason: d.reason, value: d.value }))
}
