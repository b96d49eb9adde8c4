import { envelopeBytes, MAX_BATCH_BYTES, MAX_BATCH_EVENTS, NOTE_BYTES, serializeBatch } from './queue/batch.js'
import { outcomeOf, retryDelay } from './queue/backoff.js'
import type { PersistedQueue } from './queue/persisted.js'
import type { BatchLimits } from './queue/queue.js'
import type { SendResult, Transport } from './transport.js'

/** Longer than any request may take (the transport gives up after 30 s). */
export const LEASE_MS = 60_000

export interface DeliveryDeps {
  queue: PersistedQueue
  transport: Transport
  writeKey: string
  now(): number
  /** In [0, 1): jitter. */
  random(): number
  /** False when the browser knows it is offline: nothing is attempted until it says otherwise. */
  online(): boolean
  /** Asks for `flush()` to be called again after this many ms. */
  wake(ms: number): void
  /** Each accepted batch's answer (the collector may ask for the nudge chunk). */
  onAnswer?(json: unknown): void
}

/**
 * Moves events from the persisted queue to the collector. An event leaves the queue only when
 * the collector answered for it, or when the browser took it for delivery as the page closed;
 * failures put it back and wait with backoff (or the server's Retry-After).
 */
export class Delivery {
  private running: Promise<void> | null = null
  private attempt = 0
  private retryAt = 0

  constructor(private readonly d: DeliveryDeps) {}

  /** Sends batch after batch until the queue is empty or a request fails. */
  flush(): Promise<void> {
    if (this.running) return this.running
    if (!this.d.online() || this.d.now() < this.retryAt) return Promise.resolve()
    this.running = this.run().finally(() => {
      this.running = null
    })
    return this.running
  }

  /** The network is back: forget the backoff and go. */
  resume(): Promise<void> {
    this.retryAt = 0
    this.attempt = 0
    return this.flush()
  }

  /** True while waiting to retry after a failure. */
  get failing(): boolean {
    return this.attempt > 0
  }

  private limits(now: number): BatchLimits {
    return { maxEvents: MAX_BATCH_EVENTS, maxBytes: MAX_BATCH_BYTES - NOTE_BYTES, envelope: envelopeBytes(this.d.writeKey, now) }
  }

  private async run(): Promise<void> {
    for (;;) {
      const now = this.d.now()
      const { batch, dropped } = this.d.queue.claim(now, LEASE_MS, this.limits(now))
      if (!batch.length) return
      const ids = new Set(batch.map((i) => i.e.uuid))
      let r: SendResult
      try {
        r = await this.d.transport.send(serializeBatch(this.d.writeKey, now, batch.map((i) => i.e), dropped))
      } catch {
        r = { status: 0 }
      }
      const outcome = outcomeOf(r.status)
      if (outcome === 'retry') {
        this.d.queue.release(ids)
        const delay = retryDelay(r.status, r.retryAfterMs, this.attempt++, this.d.random())
        this.retryAt = this.d.now() + delay
        this.d.wake(delay)
        return
      }
      this.attempt = 0
      this.retryAt = 0
      // A refused batch can never be accepted as it is: keeping it would block everything behind it.
      this.d.queue.remove(ids, dropped)
      if (outcome === 'sent') this.d.onAnswer?.(r.json)
    }
  }

  /**
   * The page is going away: hand what is queued to the browser (beacons) and forget it, since a
   * beacon reports nothing back. Not while offline or while the collector is failing: then the
   * events stay in storage for the next page of this site. A batch in flight keeps its lease; if
   * its answer never arrives, the next page sends it again and the collector drops the copy.
   */
  flushOnExit(): void {
    this.d.queue.commit()
    if (!this.d.online() || this.failing) return
    for (;;) {
      const now = this.d.now()
      const { batch, dropped } = this.d.queue.claim(now, LEASE_MS, this.limits(now))
      if (!batch.length) return
      const ids = new Set(batch.map((i) => i.e.uuid))
      if (this.d.transport.beacon(serializeBatch(this.d.writeKey, now, batch.map((i) => i.e), dropped))) {
        this.d.queue.remove(ids, dropped)
      } else {
        // Over the browser's in-flight quota: the rest waits for the next page.
        this.d.queue.release(ids)
        return
      }
    }
  }
}
