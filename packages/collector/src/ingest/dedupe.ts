import { PerProject } from './bounded.js'

/**
 * How much later than its receipt an event can be stored as, plus how far two copies of one event
 * can differ in stored time. With `sent_at` (the SDK, Segment libraries) a time is corrected when
 * the client's clock is off by more than the skew threshold (10 s), so a stored time lies at most
 * that far after its receipt, and two copies differ by the difference in their network delays.
 * Events dated further ahead (possible only without `sent_at`) and retried across a restart are
 * not checked. The memory of ids spans more than this (`REMEMBER_MS`), so live events are not
 * looked up.
 */
export const RETRY_TIME_SLACK_MS = 30_000

/**
 * How long an acknowledged id is remembered at least, whatever the rate: the slack, and as long
 * again for events that waited in a browser's queue before they were sent. Past it, an event still
 * new to the memory is looked up in the store before its insert; at a project's full rate that
 * lookup would come with every insert, and cost the event loop tens of milliseconds each time.
 */
export const REMEMBER_MS = 2 * RETRY_TIME_SLACK_MS

/** How the memory grows past its size: up to `maxIds` ids per project, for `spanMs` of receipts. */
export interface RememberSpan {
  maxIds: number
  spanMs: number
}

/**
 * Recently acknowledged event uuids per project, to drop a retried batch before it costs a spool
 * write: at least the last `perProject` ids, and all of those received within `span.spanMs` of the
 * newest, up to `span.maxIds`. The events table would collapse a copy anyway, but the activity rollup
 * kept at ingest counts every row it receives, so a copy this memory cannot vouch for is checked
 * against the store before its insert (`mayBeStored`).
 */
export class RecentIds {
  private readonly sets: PerProject<number>
  /** Per project: since when (receive time) every acknowledged id is remembered. */
  private readonly covered = new Map<string, number>()

  /** The latest receive time added (of any project). */
  private latest = -Infinity
  /** Before any id is forgotten: the receive time from which no copy can be stored but in this memory. */
  private coverStart: number

  constructor(perProject: number, private readonly startedAt = Date.now(), span?: RememberSpan) {
    this.sets = new PerProject(
      perProject,
      (project, since) => {
        const receivedAt = this.startedAt + since
        if (receivedAt > this.coveredSince(project)) this.covered.set(project, receivedAt)
      },
      span && { maxSize: span.maxIds, keep: (since) => this.startedAt + since > this.latest - span.spanMs },
    )
    this.coverStart = startedAt
  }

  /**
   * Every event the store holds was received before `t` (by an earlier run, whose spool left nothing
   * to replay): copies of those are all a restart must look for, not those of events received until
   * this run's start. On a fresh store nothing is looked up.
   */
  storedUntil(t: number): void {
    if (t < this.coverStart) this.coverStart = t
  }

  /** Remembers the id, received at `receivedAt`; false when it was already there. */
  add(project: string, id: string, receivedAt = Date.now()): boolean {
    const set = this.sets.of(project)
    if (set.has(id)) return false
    if (receivedAt > this.latest) this.latest = receivedAt
    // Milliseconds since the start: a small integer for twelve days, which the heap holds unboxed.
    set.set(id, receivedAt - this.startedAt)
    return true
  }

  /** Forgets ids whose batch was not acknowledged after all, so a retry is not mistaken for a copy. */
  remove(project: string, ids: Iterable<string>): void {
    const set = this.sets.peek(project)
    if (!set) return
    for (const id of ids) set.delete(id)
  }

  /**
   * The receive time from which every id this process acknowledged for the project is still
   * remembered: its start (or when the store's last events were received, see `storedUntil`), later
   * the receive time of the newest id forgotten to make room.
   */
  coveredSince(project: string): number {
    return this.covered.get(project) ?? this.coverStart
  }

  /**
   * Whether an event new to this memory may still be stored already: a copy stored earlier was
   * received before `coveredSince`, and no event is stored with a time far after its receipt (the
   * collector refuses times in the future), so an event whose stored time is later than that, give
   * or take `RETRY_TIME_SLACK_MS`, cannot be.
   */
  mayBeStored(project: string, timestampMs: number): boolean {
    return timestampMs < this.coveredSince(project) + RETRY_TIME_SLACK_MS
  }
}
