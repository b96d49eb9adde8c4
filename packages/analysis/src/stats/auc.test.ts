import { describe, expect, it } from 'vitest'
import { auc } from './auc.js'

describe('AUC', () => {
  it('is the share of positive–negative pairs ranked correctly, ties half', () => {
    // Pairs (pos, neg): (0.35, 0.1) ✓, (0.35, 0.4) ✗, (0.8, 0.1) ✓, (0.8, 0.4) ✓ → 3/4.
    expect(auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])!.auc).toBe(0.75)
    // One tie between a positive and a negative counts 1/2: (1 + 0.5 + 1 + 1) / 4.
    expect(auc([0.1, 0.4, 0.4, 0.8], [false, false, true, true])!.auc).toBe(0.875)
    expect(auc([1, 2, 3], [true, true, false])!.auc).toBe(0)
    expect(auc([1, 2], [true, true])).toBeNull()
  })

  it('gives the Hanley–McNeil interval', () => {
    // A = 0.75, n1 = n0 = 2: Q1 = 0.6, Q2 = 0.642857…, SE² = (0.1875 + 0.0375 + 0.080357…)/4.
    const r = auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true])!
    const se = Math.sqrt((0.1875 + (0.6 - 0.5625) + (2 * 0.5625 / 1.75 - 0.5625)) / 4)
    expect(r.low).toBeCloseTo(Math.max(0, 0.75 - 1.959963984540054 * se), 12)
    expect(r.high).toBe(1)
  })
})
