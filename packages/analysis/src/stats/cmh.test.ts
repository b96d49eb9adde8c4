import { describe, expect, it } from 'vitest'
import { cochranMantelHaenszel } from './cmh.js'

describe('cochranMantelHaenszel', () => {
  it('matches R mantelhaen.test(UCBAdmissions, correct = FALSE)', () => {
    // Admitted/rejected for men then women in departments A–F.
    const ucb = [
      [512, 313, 89, 19],
      [353, 207, 17, 8],
      [120, 205, 202, 391],
      [138, 279, 131, 244],
      [53, 138, 94, 299],
      [22, 351, 24, 317],
    ] as const
    const r = cochranMantelHaenszel(ucb.map(([a, b, c, d]) => ({ k1: a, n1: a + b, k2: c, n2: c + d })))
    expect(r.chiSquare).toBeCloseTo(1.5246, 4)
    expect(r.p).toBeCloseTo(0.2169, 4)
    expect(r.oddsRatio).toBeCloseTo(0.9046968, 7)
    expect(r.informativeStrata).toBe(6)
  })

  it('reduces to the crude risk ratio and its log-scale interval for one stratum', () => {
    const r = cochranMantelHaenszel([{ k1: 30, n1: 100, k2: 15, n2: 100 }])
    expect(r.riskRatio).toBeCloseTo(2, 12)
    const se = Math.sqrt(1 / 30 - 1 / 100 + 1 / 15 - 1 / 100)
    expect(r.riskRatioLow).toBeCloseTo(2 * Math.exp(-1.959963984540054 * se), 10)
    expect(r.riskRatioHigh).toBeCloseTo(2 * Math.exp(1.959963984540054 * se), 10)
  })

  it('removes confounding that a crude comparison shows', () => {
    // Within each stratum adopters and others retain alike; adopters are mostly heavy users.
    const strata = [
      { k1: 2, n1: 10, k2: 18, n2: 90 },
      { k1: 72, n1: 90, k2: 8, n2: 10 },
    ]
    const r = cochranMantelHaenszel(strata)
    expect(r.riskRatio).toBeCloseTo(1, 12)
    expect(r.chiSquare).toBeCloseTo(0, 12)
    expect(r.p).toBeCloseTo(1, 12)
  })

  it('skips strata without both groups and is empty when nothing is informative', () => {
    const r = cochranMantelHaenszel([{ k1: 3, n1: 5, k2: 0, n2: 0 }])
    expect(r).toMatchObject({ riskRatio: null, chiSquare: null, p: null, informativeStrata: 0 })
  })
})
