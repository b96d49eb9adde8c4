import { describe, expect, it } from 'vitest'
import { compareProportions } from './compare.js'

describe('compareProportions', () => {
  it('uses the z-test at large counts and gives every figure', () => {
    const c = compareProportions(56, 70, 48, 80)
    expect(c.test).toBe('z')
    expect(c.p).toBeCloseTo(0.008045, 6)
    expect(c.lift).toBeCloseTo(0.8 / 0.6, 12)
    expect(c.difference.low).toBeCloseTo(0.0524, 4)
    expect(c.group.rate).toBe(0.8)
    expect(c.baseline.rate).toBe(0.6)
  })

  it("switches to Fisher's exact test at small counts", () => {
    const c = compareProportions(3, 4, 1, 4)
    expect(c.test).toBe('fisher')
    expect(c.p).toBeCloseTo(0.4857142857, 9)
    expect(c.lift).toBe(3)
  })

  it('has no lift against a zero baseline and no test for an empty group', () => {
    expect(compareProportions(3, 10, 0, 10).lift).toBeNull()
    expect(compareProportions(0, 0, 1, 10)).toMatchObject({ p: null, test: null, lift: null })
  })
})
