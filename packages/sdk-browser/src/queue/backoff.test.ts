import { describe, expect, it } from 'vitest'
import { backoffDelay, MAX_RETRY_AFTER_MS, outcomeOf, parseRetryAfter, retryDelay } from './backoff.js'

describe('backoffDelay', () => {
  it('doubles per attempt between half and all of the cap', () => {
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 0))).toEqual([500, 1000, 2000, 4000])
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, 0.999999))).toEqual([1000, 2000, 4000, 8000])
    expect(backoffDelay(2, 0.5)).toBe(3000)
  })

  it('stops growing at five minutes', () => {
    expect(backoffDelay(9, 0)).toBe(150_000)
    expect(backoffDelay(50, 0.999999)).toBe(300_000)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.UTC(2025, 0, 1, 0, 0, 0)
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000)
    expect(parseRetryAfter(' 0 ', now)).toBe(0)
  })
  it('reads HTTP dates', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0)
  })
  it('ignores junk and caps long waits', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined()
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter('999999', now)).toBe(MAX_RETRY_AFTER_MS)
  })
})

describe('outcomeOf and retryDelay', () => {
  it('retries network errors, timeouts, rate limits and server errors; refuses other 4xx', () => {
    expect([200, 204, 0, 408, 429, 500, 503, 400, 401, 413].map(outcomeOf)).toEqual([
      'sent', 'sent', 'retry', 'retry', 'retry', 'retry', 'retry', 'refused', 'refused', 'refused',
    ])
  })

  it('honours Retry-After on 429 and 503 only', () => {
    expect(retryDelay(429, 7000, 3, 0)).toBe(7000)
    expect(retryDelay(503, 2000, 0, 0)).toBe(2000)
    expect(retryDelay(500, 7000, 1, 0)).toBe(1000)
    expect(retryDelay(429, undefined, 1, 0)).toBe(1000)
  })
})
