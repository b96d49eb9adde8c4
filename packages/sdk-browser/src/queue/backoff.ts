export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

export const BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 5 * 60_000 }
/** A server asking for more than this is treated as asking for this. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000

/**
 * Exponential backoff with "equal jitter": attempt k waits between half and all of
 * min(max, base·2^k), so clients that failed together do not retry together.
 * `random` is a number in [0, 1).
 */
export function backoffDelay(attempt: number, random: number, o: BackoffOptions = BACKOFF): number {
  const cap = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(attempt, 30))
  return Math.round(cap / 2 + (random * cap) / 2)
}

/** Retry-After as delta-seconds or an HTTP date, in ms from `now`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined
  const v = value.trim()
  const ms = /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - now
  if (Number.isNaN(ms)) return undefined
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS)
}

export type Outcome = 'sent' | 'retry' | 'refused'

/**
 * What a response means for its events. Network failures (status 0), timeouts, rate limits and
 * server errors are retried; other 4xx mean the batch will never be accepted as is, so retrying
 * would only block the queue behind it.
 */
export function outcomeOf(status: number): Outcome {
  if (status >= 200 && status < 300) return 'sent'
  if (status === 0 || status === 408 || status === 429 || status >= 500) return 'retry'
  return 'refused'
}

/** How long to wait before the next attempt: the server's Retry-After on 429/503, else backoff. */
export function retryDelay(status: number, retryAfterMs: number | undefined, attempt: number, random: number): number {
  if ((status === 429 || status === 503) && retryAfterMs !== undefined) return retryAfterMs
  return backoffDelay(attempt, random)
}
