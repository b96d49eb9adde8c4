import { describe, expect, it } from 'vitest'
import { twoProportionZTest } from './z-test.js'

describe('twoProportionZTest', () => {
  it('equals the uncorrected chi-square test (R: prop.test(c(56,48), c(70,80), correct=FALSE))', () => {
    const r = twoProportionZTest(56, 70, 48, 80)!
    expect(r.z * r.z).toBeCloseTo(7.0231, 3)
    expect(r.p).toBeCloseTo(0.008045, 6)
  })

  it('is symmetric and gives p = 1 for equal rates', () => {
    expect(twoProportionZTest(48, 80, 56, 70)!.z).toBeCloseTo(-twoProportionZTest(56, 70, 48, 80)!.z, 12)
    expect(twoProportionZTest(5, 10, 50, 100)!.p).toBeCloseTo(1, 12)
  })

  it('has no variance when every outcome is the same, and no test for an empty group', () => {
    expect(twoProportionZTest(0, 10, 0, 20)).toEqual({ z: 0, p: 1 })
    expect(twoProportionZTest(0, 0, 3, 20)).toBeNull()
  })
})
