import type { EventRow } from './rows.js'

/**
 * What the store can hold, checked before anything is acknowledged. Strings: JSON text with an
 * unpaired UTF-16 surrogate (`"\ud800"`) is refused by the engine's parser, so lone surrogates in a
 * request body become U+FFFD, the replacement character, as any UTF-8 encoder does, and the event is
 * kept; the collector's own cuts (`clip`) never split a pair. Times: a `DateTime64(3)` column holds 1900-01-01 to
 * 2299-12-31; instants outside it are refused with a field error by the schema, and a row whose
 * times are not in that range (whatever produced them) is refused rather than stored wrongly.
 */

/** First and last instants a `DateTime64(3, 'UTC')` column holds, in epoch ms. */
export const STORABLE_MS = { min: Date.UTC(1900, 0, 1), max: Date.UTC(2300, 0, 1) - 1 } as const

export function storableMs(ms: number): boolean {
  return Number.isFinite(ms) && ms >= STORABLE_MS.min && ms <= STORABLE_MS.max
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g
/** How JSON.stringify writes a lone surrogate (well-formed pairs are written as characters). */
const ESCAPED_SURROGATE = /\\u[dD][89a-fA-F]/

/** The text with every unpaired surrogate replaced by U+FFFD. */
export function wellFormed(s: string): string {
  return s.replace(LONE_SURROGATE, '\ufffd')
}

/** A copy of a JSON-like value with every string (and object key) well-formed. */
export function wellFormedDeep<T>(v: T): T {
  if (typeof v === 'string') return wellFormed(v) as T
  if (Array.isArray(v)) return v.map((x) => wellFormedDeep(x)) as T
  if (v !== null && typeof v === 'object') {
    // fromEntries defines own properties, so a `__proto__` key stays a key instead of a prototype.
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [wellFormed(k), wellFormedDeep(x)])) as T
  }
  return v
}

/**
 * A parsed request body with every string well-formed. Text decoded from UTF-8 holds no lone
 * surrogate (the decoder turns invalid bytes into U+FFFD), so one can only arrive as a JSON escape:
 * one pass of a regular expression over the body decides, and the common body is returned as it
 * is, with no walk over its events. A literal backslash-u in user text can match too; the walk
 * then changes nothing.
 */
export function wellFormedBody(parsed: unknown, text: string): unknown {
  return ESCAPED_SURROGATE.test(text) ? wellFormedDeep(parsed) : parsed
}

/** The first `max` UTF-16 units of a text, one fewer where the cut would leave half a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s
  const end = s.charCodeAt(max - 1)
  return s.slice(0, end >= 0xd800 && end <= 0xdbff ? max - 1 : max)
}

const TIME_FIELDS = ['timestamp', 'client_timestamp', 'received_at'] as const

/** The first time field of a row that its column cannot hold, or null. Rows hold 'YYYY-MM-DD hh:mm:ss.sss'. */
export function unstorableTime(row: Pick<EventRow, (typeof TIME_FIELDS)[number]>): (typeof TIME_FIELDS)[number] | null {
  for (const f of TIME_FIELDS) if (!storableTimeText(row[f])) return f
  return null
}

function storableTimeText(t: string): boolean {
  if (t.length !== 23 || t.charCodeAt(4) !== 45 /* - */) return false
  const year = Number(t.slice(0, 4))
  return year >= 1900 && year <= 2299
}
