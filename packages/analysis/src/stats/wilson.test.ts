import { describe, expect, it } from 'vitest'
import { wilson } from './wilson.js'

describe('wilson', () => {
  it('gives the published interval for 20 of 100 (metrics spec §4)', () => {
    const w = wilson(20, 100)
    expect(w.rate).toBe(0.2)
    expect(w.low).toBeCloseTo(0.1334, 4)
    expect(w.high).toBeCloseTo(0.2888, 4)
  })

  it('matches Newcombe (1998) Table I, method 3, for 81 of 263 and 15 of 148', () => {
    // Newcombe, "Two-sided confidence intervals for the single proportion", Stat Med 1998.
    const a = wilson(81, 263)
    expect(a.low).toBeCloseTo(0.2553, 4)
    expect(a.high).toBeCloseTo(0.3662, 4)
    const b = wilson(15, 148)
    expect(b.low).toBeCloseTo(0.0624, 4)
    expect(b.high).toBeCloseTo(0.1605, 4)
  })

  it('stays inside [0, 1] at the edges and is empty for n = 0', () => {
    expect(wilson(0, 10)).toMatchObject({ rate: 0, low: 0 })
    expect(wilson(0, 10).high).toBeCloseTo(0.2775, 4)
    expect(wilson(10, 10)).toMatchObject({ rate: 1, high: 1 })
    expect(wilson(0, 0)).toEqual({ k: 0, n: 0, rate: null, low: null, high: null })
  })

  it('rejects impossible counts', () => {
    expect(() => wilson(5, 4)).toThrow(RangeError)
    expect(() => wilson(-1, 4)).toThrow(RangeError)
    expect(() => wilson(1.5, 4)).toThrow(RangeError)
  })
})
