import { describe, expect, it } from 'vitest'
import { eValue, eValueOfLimit } from './e-value.js'

describe('eValue', () => {
  it('matches VanderWeele & Ding (2017): RR 3.9 (1.8–8.7) → 7.26 and 3.0', () => {
    expect(eValue(3.9)).toBeCloseTo(7.26, 2)
    expect(eValueOfLimit(3.9, 1.8, 8.7)).toBeCloseTo(3.0, 10)
  })
  it('inverts protective ratios and is 1 when the interval covers 1', () => {
    expect(eValue(0.5)).toBeCloseTo(2 + Math.sqrt(2), 12)
    expect(eValue(1)).toBe(1)
    expect(eValueOfLimit(1.3, 0.9, 1.8)).toBe(1)
    expect(eValueOfLimit(0.5, 0.3, 0.8)).toBeCloseTo(1.25 + Math.sqrt(1.25 * 0.25), 12)
    expect(eValue(null)).toBeNull()
  })
})
