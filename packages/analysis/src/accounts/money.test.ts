import { describe, expect, it } from 'vitest'
import { formatAmount, mrrScale, mrrUnits, parseAmount, ratio, unitsToNumber } from './money.js'

describe('money', () => {
  it('parses plain decimals exactly and refuses everything else', () => {
    expect(parseAmount('1200.5')).toBe(12_005_000n)
    expect(parseAmount('0.0001')).toBe(1n)
    expect(formatAmount(12_005_000n)).toBe('1200.5')
    for (const bad of ['', '-1', '1,000', '1e3', '1.23456', 'abc', '1.']) expect(parseAmount(bad)).toBeNull()
  })

  it('normalises annual and multi-month amounts to MRR without rounding', () => {
    const scale = mrrScale([1, 3, 12, 36])
    expect(scale.months).toBe(36n)
    const annual = mrrUnits(scale, parseAmount('1000')!, 12) // 83.333… a month
    expect(annual * 12n).toBe(mrrUnits(scale, parseAmount('1000')!, 1))
    expect(unitsToNumber(scale, annual)).toBeCloseTo(83.333333333, 8)
    expect(unitsToNumber(scale, annual * 12n)).toBe(1000)
    expect(unitsToNumber(scale, mrrUnits(scale, parseAmount('36000')!, 36))).toBe(1000)
    expect(() => mrrUnits(scale, 1n, 5)).toThrow(/not in this MRR scale/)
    expect(ratio(3n, 4n)).toBe(0.75)
    expect(ratio(1n, 0n)).toBeNull()
  })
})
