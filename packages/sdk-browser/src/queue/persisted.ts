import type { KV } from '../storage.js'
import { readJSON } from '../storage.js'
import { append, claim, emptyQueue, release, remove, type BatchLimits, type Bounds, type Item, type QueueState } from './queue.js'

/**
 * The pure queue kept in localStorage. Every operation reads the stored state first, so tabs of
 * the same site share one queue and a reload finds what was left; leases keep two tabs from
 * sending the same events, and a lease left by a closed page expires so its events go again.
 *
 * New events wait in memory until `commit()`: localStorage writes cost about 25 µs per KB in
 * Chromium, far more than describing a click, so the client commits when the page is idle and
 * always before the page is hidden. Every other operation commits first.
 */
export class PersistedQueue {
  private pending: Item[] = []
  /** Stored length at the last read or write: a cheap estimate between them. */
  private stored = 0

  constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly bounds: Bounds,
  ) {}

  private load(): QueueState {
    const q = readJSON<QueueState>(this.kv, this.key)
    const state = q && Array.isArray(q.items) ? { items: q.items, dropped: q.dropped || 0 } : emptyQueue()
    if (!this.pending.length) return state
    const merged = append(state, this.pending, this.bounds)
    this.pending = []
    return merged
  }

  /** On a full store, drops the oldest half until it fits: losing some beats losing the page's storage. */
  private save(q: QueueState): void {
    while (!this.kv.set(this.key, JSON.stringify(q)) && q.items.length) {
      const cut = Math.ceil(q.items.length / 2)
      q = { items: q.items.slice(cut), dropped: q.dropped + cut }
    }
    this.stored = q.items.length
  }

  /** Queues in memory; returns about how many events are queued now. */
  push(items: Item[]): number {
    this.pending.push(...items)
    return this.stored + this.pending.length
  }

  /** True when events wait in memory only. */
  get dirty(): boolean {
    return this.pending.length > 0
  }

  /** Writes the events waiting in memory to storage. */
  commit(): void {
    if (this.pending.length) this.save(this.load())
  }

  claim(now: number, leaseMs: number, lim: BatchLimits): { batch: Item[]; dropped: number } {
    const merging = this.pending.length > 0
    const r = claim(this.load(), now, leaseMs, lim)
    if (r.batch.length || merging) this.save(r.q)
    return { batch: r.batch, dropped: r.q.dropped }
  }

  release(uuids: ReadonlySet<string>): void {
    this.save(release(this.load(), uuids))
  }

  /** Removes delivered events; `reported` dropped events were announced by that delivery. */
  remove(uuids: ReadonlySet<string>, reported = 0): void {
    const q = remove(this.load(), uuids)
    this.save({ ...q, dropped: Math.max(0, q.dropped - reported) })
  }

  size(): number {
    this.commit()
    return this.load().items.length
  }

  /** Opt-out: nothing captured is kept. */
  clear(): void {
    this.pending = []
    this.kv.remove(this.key)
  }
}
