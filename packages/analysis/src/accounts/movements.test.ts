import { describe, expect, it } from 'vitest'
import { ContractBook } from './book.js'
import { mrrMovements, mrrSeries } from './movements.js'
import { unitsToNumber } from './money.js'
import { smallContracts } from './__fixtures__/small-book.js'

describe('MRR movements on the hand-computed book', () => {
  const book = new ContractBook(smallContracts, 'USD')
  const series = mrrSeries(book, '2026-01-31')
  const moves = mrrMovements(series)
  const usd = (u: bigint) => unitsToNumber(book.scale, u)

  it('measures month-end MRR per account, annual and quarterly contracts normalised', () => {
    expect(series.months[0]).toBe('2025-01')
    expect(series.months.at(-1)).toBe('2026-01')
    expect(moves.map((m) => usd(m.end))).toEqual([1500, 1800, 2100, 1600, 1750, 1750, 2350, 2350, 2100, 2100, 2100, 2100, 2200])
    expect(series.mrr.has('E')).toBe(false) // EUR is another book
  })

  it('classifies new, expansion, contraction, churn and reactivation', () => {
    const pick = (month: string) => {
      const m = moves.find((x) => x.month === month)!
      return { new: usd(m.new), expansion: usd(m.expansion), contraction: usd(m.contraction), churned: usd(m.churned), reactivation: usd(m.reactivation) }
    }
    expect(pick('2025-01')).toEqual({ new: 1500, expansion: 0, contraction: 0, churned: 0, reactivation: 0 })
    expect(pick('2025-03')).toEqual({ new: 300, expansion: 0, contraction: 0, churned: 0, reactivation: 0 })
    expect(pick('2025-04')).toEqual({ new: 0, expansion: 0, contraction: 0, churned: 500, reactivation: 0 })
    expect(pick('2025-05')).toEqual({ new: 0, expansion: 150, contraction: 0, churned: 0, reactivation: 0 })
    expect(pick('2025-07')).toEqual({ new: 0, expansion: 0, contraction: 0, churned: 0, reactivation: 600 })
    expect(pick('2025-09')).toEqual({ new: 0, expansion: 0, contraction: 250, churned: 0, reactivation: 0 })
    expect(pick('2026-01')).toEqual({ new: 0, expansion: 100, contraction: 0, churned: 0, reactivation: 0 })
    const apr = moves.find((x) => x.month === '2025-04')!
    expect([apr.accountsStart, apr.accountsEnd, apr.churnedAccounts]).toEqual([4, 3, 1])
  })

  it('holds end = start + new + expansion + reactivation − contraction − churned every month', () => {
    expect(moves.every((m) => m.identityHolds)).toBe(true)
    for (let i = 1; i < moves.length; i++) expect(moves[i]!.start).toBe(moves[i - 1]!.end)
  })
})
