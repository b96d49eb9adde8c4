import { describe, expect, it } from 'vitest'
import { ContractBook } from './book.js'
import { renewalEvents, renewalRates } from './renewals.js'
import { unitsToNumber } from './money.js'
import { smallContracts } from './__fixtures__/small-book.js'
import type { ContractVersion, RenewalOutcome } from './types.js'

describe('renewals', () => {
  const book = new ContractBook(smallContracts, 'USD')

  it('derives outcomes from the contracts that follow', () => {
    const events = renewalEvents(book, [], { asOf: '2026-01-31' })
    expect(events.map((e) => [e.accountId, e.dueDate, e.outcome, e.source])).toEqual([
      ['B', '2025-04-01', 'churned', 'derived'], // the July restart is 91 days later: a reactivation, not a renewal
      ['A', '2026-01-01', 'expanded', 'derived'],
    ])
    expect(unitsToNumber(book.scale, events[1]!.newMrr!)).toBe(1100)
    expect(events[1]!.seats).toBe(10)
  })

  it('computes logo, gross and net dollar renewal rates', () => {
    const r = renewalRates(renewalEvents(book, [], { asOf: '2026-01-31' }), '2025-01-01', '2026-01-31')
    expect([r.accountsDue, r.accountsRenewed, r.logoRenewalRate]).toEqual([2, 1, 0.5])
    // Old ARR 18 000 (A 12 000 + B 6 000); gross keeps min(13 200, 12 000); net keeps 13 200.
    expect(r.grossDollarRenewalRate).toBeCloseTo(12_000 / 18_000, 9)
    expect(r.netDollarRenewalRate).toBeCloseTo(13_200 / 18_000, 9)
  })

  it('keeps a renewal pending within the grace period and prefers recorded outcomes', () => {
    const pending = renewalEvents(book, [], { asOf: '2025-04-15' })
    expect(pending.map((e) => e.outcome)).toEqual(['pending'])
    const recorded: RenewalOutcome[] = [
      { contractId: 'a-2025', accountId: 'A', dueDate: '2026-01-01', outcome: 'contracted', newAmount: '9600', newBillingMonths: null, newSeats: 8 },
    ]
    const events = renewalEvents(book, recorded, { asOf: '2026-01-31' })
    const a = events.find((e) => e.accountId === 'A')!
    expect([a.outcome, a.source, unitsToNumber(book.scale, a.newMrr!)]).toEqual(['contracted', 'imported', 800])
    expect(a.warnings).toEqual([])
  })
})

describe('renewal rates per due account (metrics spec §5)', () => {
  const v = (contractId: string, accountId: string, termStart: string, termEnd: string, amount: string): ContractVersion => ({
    contractId, accountId, termStart, termEnd, amount, effectiveFrom: termStart, currency: 'USD', billingMonths: 1, seats: null,
  })
  // Q1 2025. M (monthly): 100 due Jan 31 and Feb 28, then 150 from Mar 1, due Mar 31, renewed Apr 1 at 150.
  // L (monthly 200): due Mar 1, the next term signed 12 days late (Mar 13): renewed within the grace.
  // X (monthly 300): due Jan 15, the next term 40 days later (Feb 24): lost, then back (not a renewal).
  // P (monthly 50): due Mar 25, nothing yet by the as-of day Apr 10: pending, left out.
  const contracts: ContractVersion[] = [
    v('m', 'M', '2025-01-01', '2025-01-31', '100'),
    v('m', 'M', '2025-01-31', '2025-02-28', '100'),
    v('m', 'M', '2025-03-01', '2025-03-31', '150'),
    v('m', 'M', '2025-04-01', '2025-04-30', '150'),
    v('l', 'L', '2025-02-01', '2025-03-01', '200'),
    v('l', 'L', '2025-03-13', '2025-04-13', '200'),
    v('x', 'X', '2024-12-15', '2025-01-15', '300'),
    v('x', 'X', '2025-02-24', '2025-03-24', '300'),
    v('p1', 'P', '2025-02-25', '2025-03-25', '50'),
  ]
  const book = new ContractBook(contracts, 'USD')
  const events = renewalEvents(book, [], { asOf: '2025-04-10', graceDays: 30 })

  it('derives each due date with a 30-day grace', () => {
    expect(events.map((e) => [e.accountId, e.dueDate, e.outcome])).toEqual([
      ['X', '2025-01-15', 'churned'],
      ['M', '2025-01-31', 'renewed'],
      ['M', '2025-02-28', 'expanded'],
      ['L', '2025-03-01', 'renewed'],
      ['X', '2025-03-24', 'pending'],
      ['P', '2025-03-25', 'pending'],
      ['M', '2025-03-31', 'renewed'],
    ])
  })

  it('counts every due account once: old MRR of its first due term, new MRR after its last', () => {
    // Q1: X's last due term (Mar 24) is still within its grace, so X is pending like P.
    const q1 = renewalRates(events, '2025-01-01', '2025-03-31')
    expect([q1.accountsDue, q1.accountsRenewed, q1.pending]).toEqual([2, 2, 2])
    // M: old 100 (Jan 31), new 150 (after Mar 31); L: 200 → 200. Gross (100 + 200) / 300; net (150 + 200) / 300.
    expect(unitsToNumber(book.scale, q1.oldMrr)).toBe(300)
    expect(q1.grossDollarRenewalRate).toBeCloseTo(300 / 300, 12)
    expect(q1.netDollarRenewalRate).toBeCloseTo(350 / 300, 10)
    // January alone: X lost (300 → 0), M renewed (100 → 100).
    const jan = renewalRates(events, '2025-01-01', '2025-01-31')
    expect([jan.accountsDue, jan.accountsRenewed, jan.logoRenewalRate]).toEqual([2, 1, 0.5])
    expect(jan.grossDollarRenewalRate).toBeCloseTo(100 / 400, 12)
    expect(jan.netDollarRenewalRate).toBeCloseTo(100 / 400, 12)
  })
})
