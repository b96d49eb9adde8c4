import { describe, expect, it } from 'vitest'
import { chiSquareSurvival } from './chi-square.js'
import { cochranQ } from './heterogeneity.js'

describe('chiSquareSurvival', () => {
  it('matches tabled values', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 10)
    expect(chiSquareSurvival(5.991464547107979, 2)).toBeCloseTo(0.05, 10)
    expect(chiSquareSurvival(11.070497693516351, 5)).toBeCloseTo(0.05, 10)
    expect(chiSquareSurvival(1, 3)).toBeCloseTo(0.8012519569012008, 10)
    expect(chiSquareSurvival(0, 2)).toBe(1)
  })
})

describe('cochranQ', () => {
  it('computes Q on log risk ratios by hand', () => {
    // Group 1: 20/40 vs 10/40 → RR 2, y = ln 2, v = 1/20 − 1/40 + 1/10 − 1/40 = 0.1, w = 10.
    // Group 2: 10/40 vs 10/40 → RR 1, y = 0,   v = 1/10 − 1/40 + 1/10 − 1/40 = 0.15, w = 20/3.
    // Pooled ȳ = (10 ln 2) / (10 + 20/3) = 0.6 ln 2; Q = 10 (0.4 ln 2)² + 20/3 (0.6 ln 2)² = 4 ln²2 = 1.921812…
    const h = cochranQ([
      { exposed: { k: 20, n: 40 }, unexposed: { k: 10, n: 40 } },
      { exposed: { k: 10, n: 40 }, unexposed: { k: 10, n: 40 } },
    ])
    expect(h.q).toBeCloseTo(4 * Math.LN2 ** 2, 10)
    expect(h.df).toBe(1)
    expect(h.p).toBeCloseTo(chiSquareSurvival(4 * Math.LN2 ** 2, 1), 12)
    expect(h.pooledRiskRatio).toBeCloseTo(Math.exp(0.6 * Math.LN2), 10)
    expect(h.i2).toBeCloseTo(Math.max(0, (h.q! - 1) / h.q!), 12)
  })

  it('gives Q = 0 for equal ratios and no test below two groups', () => {
    const same = { exposed: { k: 20, n: 40 }, unexposed: { k: 10, n: 40 } }
    expect(cochranQ([same, same]).q).toBeCloseTo(0, 12)
    expect(cochranQ([same]).q).toBeNull()
    expect(cochranQ([{ exposed: { k: 0, n: 0 }, unexposed: { k: 1, n: 2 } }]).groups).toBe(0)
  })
})
