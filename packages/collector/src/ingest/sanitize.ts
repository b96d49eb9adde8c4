import type { EventRow } from './rows.js'

/**
 * What the store can hold, checked where rows are built so that nothing the engine would refuse is
 * ever acknowledged. Strings: JSON text with an unpaired UTF-16 surrogate (`"\ud800"`) is refused
 * by the engine's parser, so lone surrogates become U+FFFD, the replacement character, as any
 * UTF-8 encoder does; the event is kept. Times: a `DateTime64(3)` column holds 1900-01-01 to
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
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[wellFormed(k)] = wellFormedDeep(x)
    return out as T
  }
  return v
}

/**
 * Whether serialised JSON may hold a lone surrogate: one regular-expression pass over the row's
 * text, so the common case costs no walk over the event. A literal backslash-u in user text can
 * match too; normalising it then changes nothing.
 */
export function mayHoldLoneSurrogate(json: string): boolean {
  return ESCAPED_SURROGATE.test(json)
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
