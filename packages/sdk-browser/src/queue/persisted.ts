import type { KV } from '../storage.js'
import { readJSON } from '../storage.js'
import { append, claim, emptyQueue, release, remove, type BatchLimits, type Bounds, type Item, type QueueState } from './queue.js'

/**
 * The pure queue kept in localStorage. Every operation reads the stored state first, so tabs of
 * the same site share one queue and a reload finds what was left; leases keep two tabs from
 * sending the same events, and a lease left by a closed page expires so its events go again.
 */
export class PersistedQueue {
  /** Operations read and write storage synchronously, one at a time: no interleaving within a tab. */
  constructor(
    private readonly kv: KV,
    private readonly key: string,
    private readonly bounds: Bounds,
  ) {}

  private load(): QueueState {
    const q = readJSON<QueueState>(this.kv, this.key)
    return q && Array.isArray(q.items) ? { items: q.items, dropped: q.dropped || 0 } : emptyQueue()
  }

  /** On a full store, drops the oldest half until it fits: losing some beats losing the page's storage. */
  private save(q: QueueState): void {
    while (!this.kv.set(this.key, JSON.stringify(q)) && q.items.length) {
      const cut = Math.ceil(q.items.length / 2)
      q = { items: q.items.slice(cut), dropped: q.dropped + cut }
    }
  }

  /** Returns how many events are queued now. */
  push(items: Item[]): number {
    const q = append(this.load(), items, this.bounds)
    this.save(q)
    return q.items.length
  }

  claim(now: number, leaseMs: number, lim: BatchLimits): { batch: Item[]; dropped: number } {
    const r = claim(this.load(), now, leaseMs, lim)
    if (r.batch.length) this.save(r.q)
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
    return this.load().items.length
  }

  /** Opt-out: nothing captured is kept. */
  clear(): void {
    this.kv.remove(this.key)
  }
}
