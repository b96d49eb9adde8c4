import { describe, expect, it } from 'vitest'
import { ContractBook } from './book.js'
import { mrrSeries, type MrrSeries } from './movements.js'
import { customerRetentionRate, logoBetween, logoPeriod, netRetention } from './retention-rates.js'
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

describe('logo churn and CRR between two days', () => {
  it('takes S on the start day and N as the accounts paying at the end that did not at the start', () => {
    const book = new ContractBook(smallContracts, 'USD')
    // Paying on 2025-02-01: A, B (S = 2). On 2025-05-31: A, C (from Feb 15), D (from Mar 1); B ended Apr 1.
    // E = 3, N = 2 (C, D), lost 1 (B): logo churn 1/2, CRR = (3 − 2) / 2.
    expect(logoBetween(book, '2025-02-01', '2025-05-31')).toEqual({
      start: '2025-02-01', end: '2025-05-31', atStart: 2, atEnd: 3, newInPeriod: 2, lost: 1, logoChurnRate: 0.5, crr: 0.5,
    })
    // From 2025-03-15 (A, B, C, D) to 2025-09-30: B is back since July, so nobody is lost or new.
    expect(logoBetween(book, '2025-03-15', '2025-09-30')).toMatchObject({ atStart: 4, atEnd: 4, newInPeriod: 0, lost: 0, crr: 1 })
  })
})

describe('NRR and GRR over 12 months', () => {
  const book = new ContractBook(smallContracts, 'USD')
  const series = mrrSeries(book, '2026-01-31')

  it('is a cohort ratio: the accounts paying at t0, their MRR at t1 against t0', () => {
    // Cohort at end of Jan 2025: A 1000 + B 500 (C, D started later: not in it). At end of Jan 2026:
    // A 1100; B lapsed in April and came back in July at 600, so it counts with 600.
    // NRR = (1100 + 600) / 1500; GRR = (min(1100, 1000) + min(600, 500)) / 1500 = 1.
    const r = netRetention(series, 0, 12)!
    expect(r.cohortAccounts).toBe(2)
    expect(r.nrr).toBeCloseTo(1700 / 1500, 10)
    expect(r.grr).toBe(1)
    expect(netRetention(series, 1, 12)).toBeNull()
  })

  it('does not count a renewal signed late across a month end as lost', () => {
    // Paying 100 at t0; the term ends on the 25th of month 11, the renewal is signed 12 days later (the 6th
    // of month 12), at 110: the month-11 end shows 0, the t1 end 110. NRR = 110 / 100, GRR = 1.
    const mrr = new Map<string, bigint[]>([['late', [100n, ...new Array<bigint>(10).fill(100n), 0n, 110n]], ['lost', [50n, ...new Array<bigint>(12).fill(0n)]]])
    const s: MrrSeries = { months: Array.from({ length: 13 }, (_, i) => `m${i}`), days: [], mrr }
    const r = netRetention(s, 0, 12)!
    expect(r.nrr).toBeCloseTo(110 / 150, 10)
    expect(r.grr).toBeCloseTo(100 / 150, 10)
    expect([r.expansion, r.contraction, r.churned]).toEqual([10n, 0n, 50n])
  })
})
