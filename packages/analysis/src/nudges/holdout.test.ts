import { describe, expect, it } from 'vitest'
import { fnv1a32, holdoutBucket, isHeldOut } from './holdout.js'

/** The same vector is asserted by the SDK's nudge chunk (sdk-browser/src/nudges/hash.test.ts). */
const SHARED_VECTOR: [string, string, number][] = [
  ['user-42', 'n_welcome', 6508],
  ['anon-0193a7c2', 'n_export', 5187],
  ['ünïcödé@example.com', 'n_1', 1787],
  ['', 'n_empty_user', 1771],
]

describe('holdout hash', () => {
  it('is FNV-1a 32-bit over UTF-8 (published values)', () => {
    expect(fnv1a32('')).toBe(0x811c9dc5)
    expect(fnv1a32('a')).toBe(0xe40c292c)
    expect(fnv1a32('foobar')).toBe(0xbf9cf968)
  })

  it('gives the shared test vector', () => {
    for (const [user, nudge, bucket] of SHARED_VECTOR) expect(holdoutBucket(user, nudge), `${user}:${nudge}`).toBe(bucket)
  })

  it('puts a user in the same arm every time', () => {
    for (let i = 0; i < 100; i++) expect(isHeldOut('user-42', 'n_welcome', 0.5)).toBe(isHeldOut('user-42', 'n_welcome', 0.5))
    expect(isHeldOut('user-42', 'n_welcome', 0.6508)).toBe(false)
    expect(isHeldOut('user-42', 'n_welcome', 0.6509)).toBe(true)
  })

  it('holds out the configured share of 10,000 ids within tolerance', () => {
    for (const share of [0.1, 0.25, 0.5]) {
      let held = 0
      for (let i = 0; i < 10_000; i++) if (isHeldOut(`user-${i}`, 'n_onboarding', share)) held++
      // Binomial sd at 10k draws is at most 0.005; 4 sd is a tolerance a fair hash never misses.
      expect(Math.abs(held / 10_000 - share)).toBeLessThan(0.02)
    }
    let none = 0
    let all = 0
    for (let i = 0; i < 1000; i++) {
      if (isHeldOut(`u${i}`, 'n', 0)) none++
      if (isHeldOut(`u${i}`, 'n', 1)) all++
    }
    expect([none, all]).toEqual([0, 1000])
  })

  it('assigns arms independently across nudges', () => {
    let both = 0
    for (let i = 0; i < 10_000; i++) if (isHeldOut(`user-${i}`, 'n_a', 0.5) && isHeldOut(`user-${i}`, 'n_b', 0.5)) both++
    expect(Math.abs(both / 10_000 - 0.25)).toBeLessThan(0.02)
  })
})
