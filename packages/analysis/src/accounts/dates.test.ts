import { describe, expect, it } from 'vitest'
import { addMonths, monthEnd, monthRange, monthsInTerm, parseIsoDate } from './dates.js'

describe('dates', () => {
  it('accepts only real calendar dates', () => {
    expect(parseIsoDate('2025-02-28')).toBe('2025-02-28')
    expect(parseIsoDate('2025-02-30')).toBeNull()
    expect(parseIsoDate('2025-03-01T23:30:00-02:00')).toBe('2025-03-02')
    expect(parseIsoDate('03/01/2025')).toBeNull()
  })

  it('counts months in a term whether the end is written inclusive or exclusive', () => {
    expect(monthsInTerm('2025-01-01', '2026-01-01')).toBe(12)
    expect(monthsInTerm('2025-01-01', '2025-12-31')).toBe(12)
    expect(monthsInTerm('2025-01-15', '2028-01-15')).toBe(36)
    expect(monthsInTerm('2025-01-01', '2025-01-10')).toBe(1)
  })

  it('walks months', () => {
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28')
    expect(monthEnd('2024-02')).toBe('2024-02-29')
    expect(monthRange('2024-11', '2025-02')).toEqual(['2024-11', '2024-12', '2025-01', '2025-02'])
  })
})
