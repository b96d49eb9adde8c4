import { describe, expect, it } from 'vitest'
import { compareFeatures, strataBounds, strataLabels } from './high-retention-stats.js'

describe('compareFeatures', () => {
  it('flags only on the stratified result and leaves small features untested', () => {
    const labels = ['low', 'high']
    const out = compareFeatures(
      [
        // Crudely better only because adopters are mostly in the high stratum.
        { featureId: 'confounded', strata: [{ adopters: 10, retainedAdopters: 2, nonAdopters: 90, retainedNonAdopters: 18 }, { adopters: 90, retainedAdopters: 72, nonAdopters: 10, retainedNonAdopters: 8 }] },
        { featureId: 'real', strata: [{ adopters: 50, retainedAdopters: 30, nonAdopters: 50, retainedNonAdopters: 10 }, { adopters: 50, retainedAdopters: 45, nonAdopters: 50, retainedNonAdopters: 30 }] },
        { featureId: 'tiny', strata: [{ adopters: 3, retainedAdopters: 3, nonAdopters: 97, retainedNonAdopters: 20 }, { adopters: 0, retainedAdopters: 0, nonAdopters: 100, retainedNonAdopters: 80 }] },
      ],
      labels,
      { minN: 30 },
    )
    const [confounded, real, tiny] = out
    expect(confounded!.lift).toBeCloseTo(0.74 / 0.26, 12)
    expect(confounded!.p).toBeLessThan(1e-6)
    expect(confounded!.adjusted.lift).toBeCloseTo(1, 12)
    expect(confounded!.highRetention).toBe(false)
    expect(real!.highRetention).toBe(true)
    expect(real!.adjusted.strata.map((s) => s.label)).toEqual(labels)
    expect(tiny).toMatchObject({ status: 'not_enough_data', p: null, q: null, highRetention: false })
    expect(tiny!.adopters).toMatchObject({ k: 3, n: 3 })
  })

  it('builds week-1 strata 1, 2, 3–4, 5–7', () => {
    expect(strataLabels(strataBounds(7), 7)).toEqual(['1', '2', '3–4', '5–7'])
    expect(strataLabels(strataBounds(3), 3)).toEqual(['1', '2', '3'])
  })
})
