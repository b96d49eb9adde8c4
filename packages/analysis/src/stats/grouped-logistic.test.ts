import { describe, expect, it } from 'vitest'
import { fitGroupedLogistic, groupedPredict } from './grouped-logistic.js'
import { fitLogistic } from './logistic.js'

describe('fitGroupedLogistic', () => {
  it('reproduces the cell proportions when the model is saturated', () => {
    // x = 0: 3 of 10; x = 1: 8 of 10 → logit(0.3) and logit(0.8) − logit(0.3).
    const x = Float64Array.from([0, 1])
    const fit = fitGroupedLogistic({ x, p: 1, trials: Float64Array.from([10, 10]), successes: Float64Array.from([3, 8]) }, { l2: 0 })
    expect(fit.converged).toBe(true)
    expect(fit.beta[0]).toBeCloseTo(Math.log(3 / 7), 10)
    expect(fit.beta[1]).toBeCloseTo(Math.log(8 / 2) - Math.log(3 / 7), 10)
    expect(groupedPredict(fit, x, 1, 0)).toBeCloseTo(0.3, 10)
    expect(groupedPredict(fit, x, 1, 1)).toBeCloseTo(0.8, 10)
  })

  it('equals the per-subject fit with the same penalty', () => {
    const patterns = [[0, 1], [1, 0], [2, 1], [3, 0]]
    const trials = [5, 7, 4, 6]
    const successes = [1, 3, 3, 5]
    const rows: number[][] = []
    const ys: boolean[] = []
    patterns.forEach((pt, i) => {
      for (let j = 0; j < trials[i]!; j++) {
        rows.push(pt)
        ys.push(j < successes[i]!)
      }
    })
    const each = fitLogistic(rows, ys, { l2: 0.5 })
    const grouped = fitGroupedLogistic(
      { x: Float64Array.from(patterns.flat()), p: 2, trials: Float64Array.from(trials), successes: Float64Array.from(successes) },
      { l2: 0.5 },
    )
    expect(grouped.beta[0]).toBeCloseTo(each.intercept, 9)
    expect(grouped.beta[1]).toBeCloseTo(each.coefficients[0]!, 9)
    expect(grouped.beta[2]).toBeCloseTo(each.coefficients[1]!, 9)
  })
})
