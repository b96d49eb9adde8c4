import { describe, expect, it } from 'vitest'
import { ContractBook } from './book.js'
import { economicsCac } from './economics-input.js'
import { unitEconomics } from './economics.js'
import { mrrSeries } from './movements.js'
import { smallAccounts, smallContracts } from './__fixtures__/small-book.js'

describe('ARPA, LTV and LTV/CAC', () => {
  const book = new ContractBook(smallContracts, 'USD')
  const series = mrrSeries(book, '2025-12-31')

  it('takes ARPA at the month end and pools monthly logo churn', () => {
    const e = unitEconomics(series, book.scale, { atIndex: 11, cacByAccount: economicsCac(smallAccounts) })
    expect([e.payingAccounts, e.mrr, e.arr, e.arpa]).toEqual([4, 2100, 25_200, 525])
    // Accounts paying at the start of Feb..Dec: 2+3+4+3+3+3+4+4+4+4+4 = 38; one lost (B in April).
    expect(e.monthlyLogoChurn).toBe(1 / 38)
    expect(e.ltv).toBeCloseTo(525 * 38, 9)
    expect([e.cac, e.cacAccounts]).toEqual([4000, 2])
    expect(e.ltvToCac).toBeCloseTo((525 * 38) / 4000, 9)
  })

  it('applies gross margin and a global CAC', () => {
    const e = unitEconomics(series, book.scale, { atIndex: 11, grossMargin: 0.8, globalCac: 10_000 })
    expect(e.ltv).toBeCloseTo(525 * 38 * 0.8, 9)
    expect(e.ltvToCac).toBeCloseTo((525 * 38 * 0.8) / 10_000, 9)
  })
})
