import { describe, expect, it } from 'vitest'
import { DASH, fmtInterval, fmtMoney, fmtNum, fmtP, fmtPct, fmtRatio } from './format.js'

describe('format', () => {
  it('groups thousands and rounds', () => {
    expect(fmtNum(1234567)).toBe('1,234,567')
    expect(fmtNum(12345.678, 2)).toBe('12,345.68')
    expect(fmtNum(-1500)).toBe('-1,500')
    expect(fmtNum(-0.0001, 2)).toBe('0.00')
    expect(fmtNum(999)).toBe('999')
  })

  it('shows shares as percentages and intervals', () => {
    expect(fmtPct(0.375)).toBe('37.5%')
    expect(fmtPct(1.0523, 0)).toBe('105%')
    expect(fmtInterval(0.1334, 0.2888)).toBe('13.3–28.9%')
  })

  it('shows missing values as a dash', () => {
    for (const f of [fmtNum, fmtPct, fmtP, fmtRatio]) expect(f(null)).toBe(DASH)
    expect(fmtMoney(Number.NaN, 'USD')).toBe(DASH)
    expect(fmtInterval(null, 0.2)).toBe(DASH)
  })

  it('writes money, p-values and ratios', () => {
    expect(fmtMoney(14400, 'USD')).toBe('USD 14,400')
    expect(fmtMoney(12.5, null, 2)).toBe('12.50')
    expect(fmtP(0.0004)).toBe('<0.001')
    expect(fmtP(0.04567)).toBe('0.046')
    expect(fmtRatio(1.8372)).toBe('1.84×')
  })
})
