import type { z } from 'zod'
import type { ErrorCode } from '../errors.js'
import { EventSchema, type EventInput, type LIMITS } from '../schema/batch.js'
import { instantMs } from './skew.js'

/** Why one event of a batch was not stored. `index` is its position in the batch as sent. */
export interface Rejection {
  index: number
  field: string | null
  code: ErrorCode
  reason: string
}

export type Limits = typeof LIMITS

export type Checked<T> = { ok: true; value: T } | { ok: false; rejection: Rejection }

/** Size first (cheap, and bounds the work of parsing), then the schema. */
export function checkEvent(raw: unknown, index: number, limits: Limits, schema: z.ZodType<EventInput> = EventSchema): Checked<EventInput> {
  const size = jsonSize(raw)
  if (size > limits.eventBytes) {
    return reject(index, null, 'event_too_large', `the event is ${size} bytes; at most ${limits.eventBytes}`)
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) return zodRejection(index, parsed.error)
  const props = parsed.data.properties
  if (props) {
    const bytes = jsonSize(props)
    if (bytes > limits.propertiesBytes) {
      return reject(index, 'properties', 'event_too_large', `properties are ${bytes} bytes; at most ${limits.propertiesBytes}`)
    }
  }
  return { ok: true, value: parsed.data }
}

/**
 * The event's time after skew correction must lie within [received − pastMs, received + futureMs].
 * Returns the client time in epoch ms.
 */
export function checkTime(
  timestamp: string | number,
  index: number,
  skewMs: number,
  receivedAt: number,
  limits: Limits,
): Checked<number> {
  const ms = instantMs(timestamp)
  if (!Number.isFinite(ms)) return reject(index, 'timestamp', 'invalid_timestamp', 'the timestamp is not a date')
  const corrected = ms + skewMs
  if (corrected > receivedAt + limits.futureMs) {
    return reject(index, 'timestamp', 'timestamp_in_future', `the timestamp is more than ${limits.futureMs / 3600_000} h in the future`)
  }
  if (corrected < receivedAt - limits.pastMs) {
    return reject(index, 'timestamp', 'timestamp_too_old', `the timestamp is more than ${Math.round(limits.pastMs / 86_400_000)} days old`)
  }
  return { ok: true, value: ms }
}

export function zodRejection(index: number, error: z.ZodError): { ok: false; rejection: Rejection } {
  const issue = error.issues[0]
  const field = issue && issue.path.length ? issue.path.map(String).join('.') : null
  return reject(index, field, 'invalid_event', issue?.message ?? 'invalid event')
}

export function reject(index: number, field: string | null, code: ErrorCode, reason: string): { ok: false; rejection: Rejection } {
  return { ok: false, rejection: { index, field, code, reason } }
}

/** Length of the JSON text (UTF-16 units, close to bytes for the ASCII bulk of events). */
export function jsonSize(v: unknown): number {
  try {
    return JSON.stringify(v)?.length ?? 0
  } catch {
    return Infinity
  }
}
