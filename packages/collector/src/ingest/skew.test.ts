import { describe, expect, it } from 'vitest'
import { instantMs, skewOffset } from './skew.js'

describe('skewOffset', () => {
  it('ignores offsets within the threshold and returns larger ones in full', () => {
    expect(skewOffset(1_000_000 - 3_000, 1_000_000, 10_000)).toBe(0)
    expect(skewOffset(1_000_000 + 9_999, 1_000_000, 10_000)).toBe(0)
    expect(skewOffset(1_000_000 + 3_600_000, 1_000_000, 10_000)).toBe(-3_600_000)
    expect(skewOffset(1_000_000 - 60_000, 1_000_000, 10_000)).toBe(60_000)
    expect(skewOffset(undefined, 1_000_000, 10_000)).toBe(0)
    expect(skewOffset(NaN, 1_000_000, 10_000)).toBe(0)
  })

  it('reads ISO text and epoch milliseconds', () => {
    expect(instantMs('2026-01-05T10:00:00.250Z')).toBe(Date.UTC(2026, 0, 5, 10, 0, 0, 250))
    expect(instantMs('2026-01-05T11:00:00+01:00')).toBe(Date.UTC(2026, 0, 5, 10))
    expect(instantMs(1_767_607_200_000)).toBe(1_767_607_200_000)
    expect(instantMs('nope')).toBeNaN()
  })
})
