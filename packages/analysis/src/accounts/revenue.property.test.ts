import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ContractBook } from './book.js'
import { addDays, addMonths } from './dates.js'
import { mrrMovements, mrrSeries } from './movements.js'
import { netRetention } from './retention-rates.js'
import { renewalEvents, renewalRates } from './renewals.js'
import type { ContractVersion } from './types.js'

const versionArb = fc.record({
  account: fc.integer({ min: 0, max: 7 }),
  contract: fc.integer({ min: 0, max: 11 }),
  startOffset: fc.integer({ min: 0, max: 900 }),
  length: fc.option(fc.integer({ min: 1, max: 40 }), { nil: null }),
  changeAfter: fc.integer({ min: 0, max: 400 }),
  amount: fc.integer({ min: 0, max: 5_000_000 }),
  cents: fc.integer({ min: 0, max: 99 }),
  billingMonths: fc.constantFrom(1, 3, 6, 12, 24, 36, 7),
  seats: fc.option(fc.integer({ min: 1, max: 500 }), { nil: null }),
})

type RawVersion = typeof versionArb extends fc.Arbitrary<infer T> ? T : never

function toVersions(raw: RawVersion[]): ContractVersion[] {
  return raw.map((r) => {
    const termStart = addDays('2023-01-01', r.startOffset)
    return {
      contractId: `c${r.contract}-${r.account}`,
      accountId: `acc${r.account}`,
      effectiveFrom: addDays(termStart, r.changeAfter),
      termStart,
      termEnd: r.length === null ? null : addMonths(termStart, r.length),
      amount: `${r.amount}.${String(r.cents).padStart(2, '0')}`,
      currency: 'USD',
      billingMonths: r.billingMonths,
      seats: r.seats,
    }
  })
}

describe('revenue identities on random books', () => {
  it('end = start + new + expansion + reactivation − contraction − churned every month, and the series adds up', () => {
    fc.assert(
      fc.property(fc.array(versionArb, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 1500 }), (raw, asOfOffset) => {
        const book = new ContractBook(toVersions(raw), 'USD')
        const asOf = addDays('2023-01-01', asOfOffset)
        const series = mrrSeries(book, asOf)
        const moves = mrrMovements(series)
        let running = 0n
        moves.forEach((m, i) => {
          expect(m.identityHolds).toBe(true)
          expect(m.start).toBe(running)
          running = m.end
          let total = 0n
          for (const v of book.mrrAt(series.days[i]!).values()) total += v
          expect(m.end).toBe(total)
          expect(m.new >= 0n && m.expansion >= 0n && m.contraction >= 0n && m.churned >= 0n && m.reactivation >= 0n).toBe(true)
        })
        for (let t0 = 0; t0 + 12 < series.months.length; t0 += 5) {
          const r = netRetention(series, t0, 12)!
          if (r.grr !== null) expect(r.grr).toBeLessThanOrEqual(1)
          if (r.nrr !== null && r.grr !== null) expect(r.nrr).toBeGreaterThanOrEqual(r.grr)
        }
        const rates = renewalRates(renewalEvents(book, [], { asOf }), '2023-01-01', asOf)
        expect(rates.grossRenewedMrr <= rates.oldMrr).toBe(true)
        expect(rates.grossRenewedMrr <= rates.netRenewedMrr).toBe(true)
        expect(rates.accountsRenewed).toBeLessThanOrEqual(rates.accountsDue)
      }),
      { numRuns: 200 },
    )
  })
})
