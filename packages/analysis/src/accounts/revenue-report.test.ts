import { describe, expect, it } from 'vitest'
import { computeRevenueReport } from './revenue-report.js'
import { smallAccounts, smallContracts } from './__fixtures__/small-book.js'

describe('revenue report over the hand-computed book', () => {
  const report = computeRevenueReport({ accounts: smallAccounts, contracts: smallContracts, outcomes: [] }, { asOf: '2026-01-31' })

  it('states currency, MRR, ARR and the months', () => {
    expect(report.currency).toBe('USD')
    expect(report.otherCurrencies).toEqual([{ currency: 'EUR', contractVersions: 1 }])
    expect([report.mrr, report.arr]).toEqual([2200, 26_400])
    expect(report.months).toHaveLength(13)
    expect(report.identityHoldsEveryMonth).toBe(true)
  })

  it('gives NRR/GRR, renewal rates and logo counts for the trailing year', () => {
    expect(report.netRetention).toMatchObject({ t0: '2025-01', t1: '2026-01', cohortAccounts: 2, expansion: 200, churned: 0, mrrT0: 1500, mrrT1: 1700 })
    // Cohort ratio: B lapsed in April and pays 600 again at t1. NRR = 1700 / 1500, GRR = 1500 / 1500.
    expect(report.netRetention!.nrr).toBeCloseTo(1700 / 1500, 10)
    expect(report.netRetention!.grr).toBe(1)
    expect(report.period).toEqual({ from: '2025-02-01', to: '2026-01-31' })
    // Due in the period: B (April, churned) and A (January, 12 000 → 13 200).
    expect(report.renewals).toMatchObject({ accountsDue: 2, accountsRenewed: 1, logoRenewalRate: 0.5, oldArr: 18_000, grossRenewedArr: 12_000, netRenewedArr: 13_200 })
    // S = paying on `from`, 2025-02-01 (A, B); E = paying on 2026-01-31 (A, B, C, D).
    expect(report.logos).toEqual({ start: '2025-02-01', end: '2026-01-31', atStart: 2, atEnd: 4, newInPeriod: 2, lost: 0, logoChurnRate: 0, crr: 1 })
    // S is taken on `from` itself: from 2025-04-15, B (ended April 1) is not in S, so nothing is lost.
    const april = computeRevenueReport({ accounts: smallAccounts, contracts: smallContracts, outcomes: [] }, { asOf: '2025-06-30', from: '2025-04-15' })
    expect(april.logos).toMatchObject({ start: '2025-04-15', atStart: 3, atEnd: 3, lost: 0, newInPeriod: 0 })
    expect(report.economics.arpa).toBe(550)
  })

  it('is empty, not broken, without contracts', () => {
    const empty = computeRevenueReport({ accounts: [], contracts: [], outcomes: [] }, { asOf: '2026-01-31' })
    expect([empty.mrr, empty.months.length, empty.netRetention, empty.renewals.accountsDue]).toEqual([0, 0, null, 0])
  })
})
