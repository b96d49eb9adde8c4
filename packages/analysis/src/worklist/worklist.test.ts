import { describe, expect, it } from 'vitest'
import { ContractBook } from '../accounts/book.js'
import type { ContractVersion } from '../accounts/types.js'
import { upcomingRenewals } from './upcoming.js'
import { filterWorklist, renewalCalendar, trendLabel, type WorklistRow } from './worklist.js'

const v = (contractId: string, accountId: string, termStart: string, termEnd: string | null, amount: string, billingMonths = 12): ContractVersion => ({
  contractId, accountId, effectiveFrom: termStart, termStart, termEnd, amount, currency: 'USD', billingMonths, seats: null,
})

describe('upcoming renewals', () => {
  const cb = new ContractBook([
    v('a1', 'acme', '2026-01-01', '2027-01-01', '12000'),
    v('a2', 'acme', '2026-03-01', '2027-01-01', '1200.10'),
    v('a3', 'acme', '2026-06-01', '2027-06-01', '600'),
    v('b1', 'bolt', '2025-12-04', '2026-12-04', '2400'),
    v('c1', 'cargo', '2026-01-01', null, '100', 1),
    v('d1', 'done', '2025-01-01', '2026-01-01', '100'),
  ], 'USD')

  it('takes each account’s earliest term end on or after the day, adding the ARR of contracts due that day', () => {
    const next = upcomingRenewals(cb, '2026-12-04')
    expect(next.get('acme')).toEqual({ accountId: 'acme', dueDate: '2027-01-01', daysLeft: 28, arr: 13200.1, contractIds: ['a1', 'a2'] })
    // Due today: its term ended today, so it no longer pays, but the renewal is due.
    expect(next.get('bolt')).toEqual({ accountId: 'bolt', dueDate: '2026-12-04', daysLeft: 0, arr: 2400, contractIds: ['b1'] })
    // Open-ended contracts never come due; ended ones are gone.
    expect(next.has('cargo')).toBe(false)
    expect(next.has('done')).toBe(false)
  })
})

const row = (over: Partial<WorklistRow>): WorklistRow => ({
  accountId: 'x', name: '', plan: '', arr: 0, health: 50, band: 'yellow', temperature: 0, quadrant: 'train', action: '', usageTrend: 0, trend: 'steady',
  nextRenewal: null, daysToRenewal: null, renewalArr: null, seatSharingSuspected: false, ...over,
})

describe('worklist filters', () => {
  const rows = [
    row({ accountId: 'a', health: 20, band: 'red', arr: 5000, usageTrend: -0.4, trend: 'declining', nextRenewal: '2026-12-10', daysToRenewal: 6 }),
    row({ accountId: 'b', health: 70, band: 'green', arr: 90000, usageTrend: 0.3, trend: 'growing', nextRenewal: '2027-02-01', daysToRenewal: 59 }),
    row({ accountId: 'c', health: 45, band: 'yellow', arr: 12000, nextRenewal: '2027-06-01', daysToRenewal: 179 }),
    row({ accountId: 'd', health: 30, band: 'red', arr: 1000 }),
  ]
  const ids = (rs: WorklistRow[]) => rs.map((r) => r.accountId)

  it('labels usage trends beyond ±0.1 as changes', () => {
    expect([trendLabel(0.11), trendLabel(0.1), trendLabel(-0.1), trendLabel(-0.2), trendLabel(null)]).toEqual(['growing', 'steady', 'steady', 'declining', null])
  })
  it('filters by band, ARR, renewal window and trend, most at risk first by default', () => {
    expect(ids(filterWorklist(rows, {}))).toEqual(['a', 'd', 'c', 'b'])
    expect(ids(filterWorklist(rows, { bands: ['red', 'yellow'], minArr: 2000 }))).toEqual(['a', 'c'])
    expect(ids(filterWorklist(rows, { renewalWithinDays: 60 }))).toEqual(['a', 'b'])
    expect(ids(filterWorklist(rows, { trends: ['declining', 'growing'], maxArr: 10000 }))).toEqual(['a'])
  })
  it('sorts by the asked column; unknown values last either way', () => {
    expect(ids(filterWorklist(rows, { sort: 'arr' }))).toEqual(['b', 'c', 'a', 'd'])
    expect(ids(filterWorklist(rows, { sort: 'days_to_renewal' }))).toEqual(['a', 'b', 'c', 'd'])
    expect(ids(filterWorklist(rows, { sort: 'days_to_renewal', dir: 'desc' }))).toEqual(['c', 'b', 'a', 'd'])
    expect(() => filterWorklist(rows, { minArr: 5, maxArr: 1 })).toThrow('min_arr must not exceed max_arr')
  })
  it('lists the renewals due within the days, soonest first', () => {
    const cal = renewalCalendar({ asOf: '2026-12-04', currency: 'USD', rows }, 90)
    expect(cal.map((r) => [r.accountId, r.nextRenewal])).toEqual([['a', '2026-12-10'], ['b', '2027-02-01']])
    expect(() => renewalCalendar({ asOf: '2026-12-04', currency: 'USD', rows }, 0)).toThrow('days must be 1 to 3660')
  })
})
