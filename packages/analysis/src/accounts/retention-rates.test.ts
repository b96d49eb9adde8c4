import { describe, expect, it } from 'vitest'
import { ContractBook } from './book.js'
import { mrrSeries, type MrrSeries } from './movements.js'
import { customerRetentionRate, logoPeriod, netRetention } from './retention-rates.js'
import { smallContracts } from './__fixtures__/small-book.js'

describe('customer retention rate', () => {
  it('matches the spec check: S = 200, lost 20, gained 40, E = 220 → 90%', () => {
    expect(customerRetentionRate(200, 220, 40)).toBe(0.9)
    // The same through the logo counts of a series: 200 paying, 20 of them stop, 40 start.
    const mrr = new Map<string, bigint[]>()
    for (let i = 0; i < 200; i++) mrr.set(`old${i}`, [100n, i < 20 ? 0n : 100n])
    for (let i = 0; i < 40; i++) mrr.set(`new${i}`, [0n, 50n])
    const series: MrrSeries = { months: ['2025-01', '2025-02'], days: ['2025-01-31', '2025-02-28'], mrr }
    const p = logoPeriod(series, 0, 1)
    expect(p).toEqual({ atStart: 200, atEnd: 220, newInPeriod: 40, lost: 20, logoChurnRate: 0.1, crr: 0.9 })
  })
})

describe('NRR and GRR over 12 months', () => {
  const book = new ContractBook(smallContracts, 'USD')
  const series = mrrSeries(book, '2026-01-31')

  it('follows the cohort paying at t0 and leaves reactivations out', () => {
    // Cohort at end of Jan 2025: A 1000 + B 500. A expands by 100 in Jan 2026; B churns 500 in April
    // (its July reactivation does not count). NRR = (1500 + 100 − 500) / 1500, GRR = (1500 − 500) / 1500.
    const r = netRetention(series, 0, 12)!
    expect(r.cohortAccounts).toBe(2)
    expect(r.nrr).toBeCloseTo(1100 / 1500, 9)
    expect(r.grr).toBeCloseTo(1000 / 1500, 9)
    expect(netRetention(series, 1, 12)).toBeNull()
  })
})
