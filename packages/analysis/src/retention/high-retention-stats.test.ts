import { describe, expect, it } from 'vitest'
import type { AipwResult } from '../stats/aipw.js'
import { compareFeatures, strataBounds, strataLabels } from './high-retention-stats.js'
import type { PlaceboCheck } from './placebo.js'

const adjusted = (riskRatio: number, low: number, high: number, p: number): AipwResult => ({
  exposed: 100, unexposed: 100, rateExposed: 0.5, rateCounterfactual: 0.5 / riskRatio, riskRatio, riskRatioLow: low,
  riskRatioHigh: high, difference: 0.1, differenceLow: 0, differenceHigh: 0.2, z: 2, p, propensity: null, outcome: null,
})
const placebo = (p: number): PlaceboCheck => ({ placebos: 20, flaggedShare: 0.05, meanZ: 0, sdZ: 1, p })
const strata = [{ adopters: 50, retainedAdopters: 30, nonAdopters: 50, retainedNonAdopters: 10 }, { adopters: 50, retainedAdopters: 45, nonAdopters: 50, retainedNonAdopters: 30 }]

describe('compareFeatures', () => {
  it('flags only on the adjusted result that also beats its placebos', () => {
    const out = compareFeatures(
      [
        { featureId: 'real', strata, adjusted: adjusted(1.8, 1.4, 2.3, 0.0001), placebo: placebo(0.001), coUsed: [] },
        { featureId: 'like-placebos', strata, adjusted: adjusted(1.8, 1.4, 2.3, 0.0001), placebo: placebo(0.2), coUsed: [] },
        { featureId: 'not-significant', strata, adjusted: adjusted(1.2, 0.9, 1.6, 0.2), placebo: placebo(0.01), coUsed: [] },
        { featureId: 'worse', strata, adjusted: adjusted(0.5, 0.3, 0.8, 0.0001), placebo: placebo(0.9), coUsed: [] },
        { featureId: 'tiny', strata: [{ adopters: 3, retainedAdopters: 3, nonAdopters: 97, retainedNonAdopters: 20 }], adjusted: adjusted(3, 1.1, 8, 0.01), placebo: null, coUsed: [] },
      ],
      ['low', 'high'],
      { minN: 30 },
    )
    expect(out.map((f) => f.highRetention)).toEqual([true, false, false, false, false])
    const [real, , , worse, tiny] = out
    // Crude: 75/100 against 40/100.
    expect(real!.lift).toBeCloseTo(0.75 / 0.4, 12)
    expect(real!.adjusted.eValue).toBeCloseTo(1.8 + Math.sqrt(1.8 * 0.8), 12)
    expect(real!.adjusted.eValueLimit).toBeCloseTo(1.4 + Math.sqrt(1.4 * 0.4), 12)
    expect(worse!.adjusted.eValueLimit).toBeCloseTo(1.25 + Math.sqrt(1.25 * 0.25), 12)
    // BH over the four tested features' adjusted p: 0.0001 (×4/2 for the two ties), 0.2 × 4/3.
    expect(real!.adjusted.q).toBeCloseTo(0.0004 / 3 * 1, 12)
    expect(out[2]!.adjusted.q).toBeCloseTo(0.2, 12)
    expect(tiny).toMatchObject({ status: 'not_enough_data', p: null, q: null, highRetention: false })
    expect(tiny!.adjusted).toMatchObject({ p: null, q: null, placebo: null })
  })

  it('builds week-1 strata 1, 2, 3–4, 5–7', () => {
    expect(strataLabels(strataBounds(7), 7)).toEqual(['1', '2', '3–4', '5–7'])
    expect(strataLabels(strataBounds(3), 3)).toEqual(['1', '2', '3'])
  })
})
