import { describe, expect, it } from 'vitest'
import { fitLogistic, predictLogistic, sigmoid } from './logistic.js'

/** A small deterministic generator so the test data are the same on every run. */
function lcg(seed: number) {
  let s = seed >>> 0
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32)
}

describe('logistic regression', () => {
  it('recovers known coefficients from a large sample', () => {
    const rnd = lcg(7)
    const x: number[][] = []
    const y: boolean[] = []
    for (let i = 0; i < 20_000; i++) {
      const row = [rnd() * 2 - 1, rnd() * 2 - 1]
      x.push(row)
      y.push(rnd() < sigmoid(-0.5 + 2 * row[0]! - 1 * row[1]!))
    }
    const fit = fitLogistic(x, y, { l2: 0 })
    expect(fit.converged).toBe(true)
    expect(fit.intercept).toBeCloseTo(-0.5, 1)
    expect(fit.coefficients[0]).toBeCloseTo(2, 1)
    expect(fit.coefficients[1]).toBeCloseTo(-1, 1)
  })

  it('solves the penalised score equations exactly', () => {
    const x = [[0.2, 1], [0.9, 0], [0.4, 1], [0.7, 1], [0.1, 0], [0.95, 1]]
    const y = [false, true, false, true, false, true]
    const l2 = 0.5
    const fit = fitLogistic(x, y, { l2 })
    // At the optimum: Σ(y − μ) = 0 and Σ x_k (y − μ) = λ β_k.
    const resid = x.map((r, i) => (y[i] ? 1 : 0) - predictLogistic(fit, r))
    expect(resid.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9)
    for (let k = 0; k < 2; k++) {
      expect(x.reduce((s, r, i) => s + r[k]! * resid[i]!, 0)).toBeCloseTo(l2 * fit.coefficients[k]!, 9)
    }
  })

  it('stays finite on separable data', () => {
    const fit = fitLogistic([[0], [1], [2], [3]], [false, false, true, true], { l2: 1 })
    expect(fit.converged).toBe(true)
    expect(Number.isFinite(fit.coefficients[0]!)).toBe(true)
    expect(fit.coefficients[0]!).toBeGreaterThan(0)
  })
})
