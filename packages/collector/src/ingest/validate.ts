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

/**
 * Size first, so an oversized event is named as such rather than by the first field the schema
 * trips on; then the schema. Properties are measured when the row is built (their JSON is stored).
 */
export function checkEvent(raw: unknown, index: number, limits: Limits, schema: z.ZodType<EventInput> = EventSchema): Checked<EventInput> {
  if (jsonSizeOver(raw, limits.eventBytes)) {
    return reject(index, null, 'event_too_large', `the event exceeds ${limits.eventBytes} bytes`)
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) return zodRejection(index, parsed.error)
  return { ok: true, value: parsed.data }
}

/** The properties JSON stored with an event must fit its limit. */
export function checkProperties(json: string, index: number, limits: Limits): Checked<string> {
  if (json.length > limits.propertiesBytes) {
    return reject(index, 'properties', 'event_too_large', `properties are ${json.length} bytes; at most ${limits.propertiesBytes}`)
  }
  return { ok: true, value: json }
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

/**
 * Whether the JSON text of `v` would be longer than `limit`, without building it: walks the value
 * and stops as soon as the running length passes the limit. Strings count without escapes.
 */
export function jsonSizeOver(v: unknown, limit: number): boolean {
  let size = 0
  const walk = (x: unknown, depth: number): boolean => {
    if (depth > 64) return true
    switch (typeof x) {
      case 'string':
        size += x.length + 2
        break
      case 'number':
        size += 12
        break
      case 'boolean':
        size += 5
        break
      case 'object':
        if (x === null) {
          size += 4
        } else if (Array.isArray(x)) {
          size += 2
          for (const item of x) {
            size += 1
            if (walk(item, depth + 1)) return true
          }
        } else {
          size += 2
          for (const key in x) {
            size += key.length + 4
            if (walk((x as Record<string, unknown>)[key], depth + 1)) return true
          }
        }
        break
      default:
        break
    }
    return size > limit
  }
  return walk(v, 0)
}
