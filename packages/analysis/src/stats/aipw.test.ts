import { describe, expect, it } from 'vitest'
import { aipwEffectOnExposed } from './aipw.js'
import { Z95 } from './normal.js'

const f = (a: number[]) => Float64Array.from(a)

describe('aipwEffectOnExposed', () => {
  // x = 0: exposed 6/10, unexposed 9/30; x = 1: exposed 24/30, unexposed 4/10.
  // Saturated models: m0 = 0.3, 0.4 and e = 0.25, 0.75, so the counterfactual rate of the exposed
  // is (10·0.3 + 30·0.4) / 40 = 0.375 against 30/40 = 0.75: RR = 2, difference 0.375.
  const cells = { x: f([0, 1]), p: 1, n1: f([10, 30]), k1: f([6, 24]), n0: f([30, 10]), k0: f([9, 4]) }

  it('standardises the unexposed rate to the exposed', () => {
    const r = aipwEffectOnExposed(cells, { l2: 0 })
    expect(r.rateExposed).toBe(0.75)
    expect(r.rateCounterfactual).toBeCloseTo(0.375, 9)
    expect(r.riskRatio).toBeCloseTo(2, 9)
    expect(r.difference).toBeCloseTo(0.375, 9)
  })

  it('takes intervals from the influence function', () => {
    // Σψ² for log RR over the eight kinds of subject, ψ = φ1/μ1 − φ0/μ0 with π = 1/2, by hand:
    //   x=0 exposed: 6·(16/15)² + 4·1.6²; unexposed: 9·(28/22.5)² + 21·(8/15)²
    //   x=1 exposed: 24·(8/15)² + 6·(32/15)²; unexposed: 4·9.6² + 6·6.4²
    const ss = 6 * (16 / 15) ** 2 + 4 * 1.6 ** 2 + 9 * (28 / 22.5) ** 2 + 21 * (8 / 15) ** 2 +
      24 * (8 / 15) ** 2 + 6 * (32 / 15) ** 2 + 4 * 9.6 ** 2 + 6 * 6.4 ** 2
    expect(ss).toBeCloseTo(685.5111, 3)
    const se = Math.sqrt(ss) / 80
    const r = aipwEffectOnExposed(cells, { l2: 0 })
    expect(r.riskRatioLow).toBeCloseTo(2 * Math.exp(-Z95 * se), 7)
    expect(r.riskRatioHigh).toBeCloseTo(2 * Math.exp(Z95 * se), 7)
    expect(r.z).toBeCloseTo(Math.log(2) / se, 6)
    // Difference: ψ = φ1 − φ0.
    const ssD = 6 * (0.5 + 0.15) ** 2 + 4 * (-1.5 + 0.15) ** 2 + 9 * (28 / 60) ** 2 + 21 * 0.2 ** 2 +
      24 * (0.5 - 0.05) ** 2 + 6 * (-1.5 - 0.05) ** 2 + 4 * 3.6 ** 2 + 6 * 2.4 ** 2
    expect(r.differenceLow).toBeCloseTo(0.375 - (Z95 * Math.sqrt(ssD)) / 80, 7)
  })

  it('returns nulls without both groups', () => {
    const r = aipwEffectOnExposed({ ...cells, n0: f([0, 0]), k0: f([0, 0]) })
    expect(r).toMatchObject({ riskRatio: null, p: null, rateExposed: 0.75 })
  })
})
