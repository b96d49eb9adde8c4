import type { WireEvent } from '../types.js'
import { utf8Length } from './bytes.js'

/** Under the 64 KiB that browsers allow a keepalive fetch or a beacon, with room for the dropped-count note. */
export const MAX_BATCH_BYTES = 60_000
/** Below the collector's per-batch limit (1000). */
export const MAX_BATCH_EVENTS = 500
/** The collector refuses events above 32,000 bytes; stay clear of that. */
export const MAX_EVENT_BYTES = 30_000
/** Room reserved in each body for the `$dropped` note on its first event. */
export const NOTE_BYTES = 48

export interface Envelope {
  write_key: string
  sent_at: number
  events: WireEvent[]
}

/**
 * Bytes of the body around its events: `{"write_key":"…","sent_at":…,"events":[]}`. A body with
 * events e1…ek is exactly this plus their sizes plus k−1 commas.
 */
export function envelopeBytes(writeKey: string, sentAt: number): number {
  return utf8Length(JSON.stringify({ write_key: writeKey, sent_at: sentAt, events: [] }))
}

/**
 * The request body. When events were dropped for room, the first event says how many
 * (`properties.$dropped`), so the loss is visible in the data instead of silent.
 */
export function serializeBatch(writeKey: string, sentAt: number, events: WireEvent[], dropped = 0): string {
  const first = events[0]
  const list = dropped > 0 && first ? [{ ...first, properties: { ...first.properties, $dropped: dropped } }, ...events.slice(1)] : events
  const body: Envelope = { write_key: writeKey, sent_at: sentAt, events: list }
  return JSON.stringify(body)
}

/**
 * Fits one event under the collector's size limit: first its properties go, then its element
 * chain, each replaced by a note. Returns the serialised size, or null when nothing fits.
 */
export function fitEvent(e: WireEvent, max: number = MAX_EVENT_BYTES): { e: WireEvent; n: number } | null {
  let n = utf8Length(JSON.stringify(e))
  if (n <= max) return { e, n }
  const slim: WireEvent = { ...e, properties: { $truncated: true } }
  n = utf8Length(JSON.stringify(slim))
  if (n <= max) return { e: slim, n }
  delete slim.elements
  n = utf8Length(JSON.stringify(slim))
  return n <= max ? { e: slim, n } : null
}
