import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bandOf, fittedModel, manualModel, percentileOf, scoreOf } from './health-score.js'
import { validateHealth, type HealthSample } from './health-validation.js'

describe('health score', () => {
  it('turns values into mid-rank percentiles', () => {
    const ref = [1, 2, 2, 3]
    expect([percentileOf(ref, 0), percentileOf(ref, 1), percentileOf(ref, 2), percentileOf(ref, 3), percentileOf(ref, 9)]).toEqual([0, 12.5, 50, 87.5, 100])
    expect(percentileOf(ref, null)).toBe(50)
  })

  it('weights percentiles, a negative weight counting the component inverted', () => {
    const model = manualModel(['a', 'b'], [[1, 10], [2, 20], [3, 30], [4, 40]], [3, -1])
    // a = 4 → 87.5; b = 10 → 12.5, inverted 87.5: (3·87.5 + 1·87.5) / 4.
    expect(scoreOf(model, [4, 10])).toBe(87.5)
    expect(scoreOf(model, [1, 40])).toBe(12.5)
    expect([bandOf(39.9), bandOf(40), bandOf(60)]).toEqual(['red', 'yellow', 'green'])
  })

  it('fits weights that favour the component that predicts renewal', () => {
    const rows: number[][] = []
    const renewed: boolean[] = []
    for (let i = 0; i < 200; i++) {
      const driver = i % 10
      const noise = (i * 7919) % 13
      rows.push([driver, noise])
      renewed.push(driver + ((i * 31) % 5) > 6)
    }
    const model = fittedModel(['driver', 'noise'], rows, renewed)
    expect(model.weights[0]!).toBeGreaterThan(3 * Math.abs(model.weights[1]!))
  })

  it('validates in time order: fitted on the earlier renewals, tested on the later ones', () => {
    const samples: HealthSample[] = []
    for (let i = 0; i < 100; i++) {
      const day = `2025-${String(1 + Math.floor(i / 10)).padStart(2, '0')}-15`
      samples.push({ id: `s${i}`, dueDate: day, renewed: i % 3 !== 0, values: [i % 3 === 0 ? 1 : 5, i % 7] })
    }
    const v = validateHealth(['usage', 'noise'], samples, { trainShare: 0.55 })
    // 55 falls inside May's ten renewals, so May stays whole in training: 60 train, 40 test.
    expect([v.trained.count, v.trained.to, v.tested.count, v.tested.from]).toEqual([60, '2025-06-15', 40, '2025-07-15'])
    expect(v.tested.auc!.auc).toBe(1)
    expect(v.tested.bands.find((b) => b.band === 'red')!.renewals).toMatchObject({ k: 0, n: 14 })
    expect(v.tested.bands.find((b) => b.band === 'green')!.renewals).toMatchObject({ k: 26, n: 26 })
  })

  it('takes the mid-rank percentile as its definition says, however many values are equal', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 60 }), fc.integer({ min: -1, max: 5 }), (values, v) => {
      const sorted = [...values].sort((a, b) => a - b)
      const below = values.filter((x) => x < v).length
      const equal = values.filter((x) => x === v).length
      expect(percentileOf(sorted, v)).toBe((100 * (below + equal / 2)) / values.length)
    }), { numRuns: 300 })
  })
})
