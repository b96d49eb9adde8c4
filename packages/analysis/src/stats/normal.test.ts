import { describe, expect, it } from 'vitest'
import { normalCdf, normalQuantile, normalSurvival, zForConfidence } from './normal.js'

// Reference values from scipy.stats.norm (cdf, ppf).
describe('normal distribution', () => {
  it('matches reference CDF values, including the far tail', () => {
    expect(normalCdf(0)).toBe(0.5)
    expect(normalCdf(1.2345)).toBeCloseTo(0.8914916766373298, 14)
    expect(normalCdf(-1.959963984540054)).toBeCloseTo(0.025, 14)
    expect(normalCdf(-8) / 6.22096057427174e-16).toBeCloseTo(1, 6)
    expect(normalSurvival(8)).toBe(normalCdf(-8))
    expect(normalCdf(40)).toBe(1)
    expect(normalCdf(-40)).toBe(0)
  })

  it('inverts the CDF', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 13)
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12)
    expect(normalQuantile(0.5)).toBe(0)
    for (const p of [1e-100, 1e-8, 0.01, 0.3, 0.7, 0.999]) {
      expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 9)
    }
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY)
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY)
    expect(normalQuantile(1.5)).toBeNaN()
    expect(zForConfidence(0.9)).toBeCloseTo(1.6448536269514722, 13)
  })
})
