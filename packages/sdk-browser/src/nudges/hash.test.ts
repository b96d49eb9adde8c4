import { describe, expect, it } from 'vitest'
import { fnv1a32, holdoutBucket, isHeldOut } from './hash.js'

/** The same vector is asserted by analysis (analysis/src/nudges/holdout.test.ts and the SQL version). */
const SHARED_VECTOR: [string, string, number][] = [
  ['user-42', 'n_welcome', 6508],
  ['anon-0193a7c2', 'n_export', 5187],
  ['ünïcödé@example.com', 'n_1', 1787],
  ['', 'n_empty_user', 1771],
]

describe('holdout hash (shared with analysis)', () => {
  it('is FNV-1a 32-bit over UTF-8', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5)
    expect(fnv1a32('a')).toBe(0xe40c292c)
    expect(fnv1a32('foobar')).toBe(0xbf9cf968)
  })

  it('gives the shared test vector', () => {
    for (const [user, nudge, bucket] of SHARED_VECTOR) expect(holdoutBucket(user, nudge), `${user}:${nudge}`).toBe(bucket)
  })

  it('keeps a user in one arm, and holds out the share within tolerance over 10,000 ids', () => {
    expect(isHeldOut('user-42', 'n_welcome', 0.6508)).toBe(false)
    expect(isHeldOut('user-42', 'n_welcome', 0.6509)).toBe(true)
    for (const share of [0.1, 0.3]) {
      let held = 0
      for (let i = 0; i < 10_000; i++) if (isHeldOut(`user-${i}`, 'n_onboarding', share)) held++
      expect(Math.abs(held / 10_000 - share)).toBeLessThan(0.02)
    }
  })
})
