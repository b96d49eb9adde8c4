import { describe, expect, it } from 'vitest'
import { fisherExact, needsExactTest } from './fisher.js'

describe('fisherExact (two-sided)', () => {
  it("gives Fisher's tea-tasting value: [[3,1],[1,3]] → 0.4857", () => {
    expect(fisherExact(3, 4, 1, 4)).toBeCloseTo(0.4857142857, 9)
  })

  it('gives the textbook value for [[1,9],[11,3]] → 0.002759', () => {
    expect(fisherExact(1, 10, 11, 14)).toBeCloseTo(0.0027594561852, 11)
  })

  it('is 1 for degenerate margins and symmetric in the groups', () => {
    expect(fisherExact(0, 5, 0, 7)).toBe(1)
    expect(fisherExact(5, 5, 7, 7)).toBe(1)
    expect(fisherExact(0, 0, 3, 7)).toBe(1)
    expect(fisherExact(2, 9, 7, 8)).toBeCloseTo(fisherExact(7, 8, 2, 9), 12)
  })
})

describe('needsExactTest', () => {
  it('asks for the exact test when an expected count is under 5', () => {
    expect(needsExactTest(3, 4, 1, 4)).toBe(true)
    expect(needsExactTest(56, 70, 48, 80)).toBe(false)
  })
})
