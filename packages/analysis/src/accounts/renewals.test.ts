import { describe, expect, it } from 'vitest'
import { ContractBook } from './book.js'
import { renewalEvents, renewalRates } from './renewals.js'
import { unitsToNumber } from './money.js'
import { smallContracts } from './__fixtures__/small-book.js'
import type { RenewalOutcome } from './types.js'

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
