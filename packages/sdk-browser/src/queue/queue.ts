import type { WireEvent } from '../types.js'

/** A queued event with its serialised size, and a lease while a request carries it. */
export interface Item {
  e: WireEvent
  /** UTF-8 bytes of `JSON.stringify(e)`. */
  n: number
  /** Claimed by a request until this time (ms); others leave it alone until then. */
  l?: number
}

export interface QueueState {
  items: Item[]
  /** Events dropped for room and not yet reported to the collector. */
  dropped: number
}

export interface Bounds {
  maxEvents: number
  maxBytes: number
}

export interface BatchLimits {
  maxEvents: number
  /** Byte budget of the whole request body. */
  maxBytes: number
  /** Bytes of the envelope around the events (see `envelopeBytes`). */
  envelope: number
}

export const emptyQueue = (): QueueState => ({ items: [], dropped: 0 })

const bytesOf = (items: Item[]) => items.reduce((s, i) => s + i.n, 0)

/** Appends, then drops the oldest events until the queue fits its bounds, counting them. */
export function append(q: QueueState, add: Item[], b: Bounds): QueueState {
  const items = q.items.concat(add)
  let bytes = bytesOf(items)
  let cut = 0
  while (items.length - cut > b.maxEvents || (bytes > b.maxBytes && cut < items.length)) bytes -= items[cut++]!.n
  return cut ? { items: items.slice(cut), dropped: q.dropped + cut } : { items, dropped: q.dropped }
}

/** Available now: never claimed, or the claim's lease ran out (its page went away mid-request). */
const free = (it: Item, now: number) => !it.l || it.l <= now

/**
 * Claims the oldest free events that fit one request body, leasing them until `now + leaseMs`.
 * A single event larger than the budget still goes alone, so it cannot block the queue.
 */
export function claim(q: QueueState, now: number, leaseMs: number, lim: BatchLimits): { q: QueueState; batch: Item[] } {
  const batch: Item[] = []
  let size = lim.envelope
  for (const it of q.items) {
    if (batch.length >= lim.maxEvents) break
    if (!free(it, now)) continue
    const add = it.n + (batch.length ? 1 : 0)
    if (batch.length && size + add > lim.maxBytes) break
    batch.push(it)
    size += add
  }
  if (!batch.length) return { q, batch }
  const chosen = new Set(batch)
  const until = now + leaseMs
  return { q: { ...q, items: q.items.map((it) => (chosen.has(it) ? { ...it, l: until } : it)) }, batch }
}

/** A request failed: its events are free to go again. */
export function release(q: QueueState, uuids: ReadonlySet<string>): QueueState {
  return { ...q, items: q.items.map((it) => (uuids.has(it.e.uuid) ? { e: it.e, n: it.n } : it)) }
}

/** A request succeeded (or was refused for good): its events leave the queue. */
export function remove(q: QueueState, uuids: ReadonlySet<string>): QueueState {
  return { ...q, items: q.items.filter((it) => !uuids.has(it.e.uuid)) }
}
