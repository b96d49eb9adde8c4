import type { Account, ContractVersion, RenewalOutcome } from '../types.js'

/**
 * A hand-computed book (USD). Month-end MRR, 2025:
 *   Jan 1500 (A 1000 annual, B 500)   Feb 1800 (+C 300)   Mar 2100 (+D 900/quarter = 300)
 *   Apr 1600 (B churns 500)           May 1750 (C → 450)  Jun 1750
 *   Jul 2350 (B reactivates at 600)   Aug 2350            Sep 2100 (C → 200)   Oct–Dec 2100
 *   Jan 2026 2200 (A renews 13 200/yr = 1100)
 */
const v = (p: Partial<ContractVersion> & Pick<ContractVersion, 'contractId' | 'accountId' | 'termStart' | 'amount'>): ContractVersion => ({
  effectiveFrom: p.termStart, termEnd: null, currency: 'USD', billingMonths: 1, seats: null, ...p,
})

export const smallContracts: ContractVersion[] = [
  v({ contractId: 'a-2025', accountId: 'A', termStart: '2025-01-01', termEnd: '2026-01-01', amount: '12000', billingMonths: 12, seats: 10 }),
  v({ contractId: 'a-2026', accountId: 'A', termStart: '2026-01-01', termEnd: '2027-01-01', amount: '13200', billingMonths: 12, seats: 11 }),
  v({ contractId: 'b-1', accountId: 'B', termStart: '2025-01-01', termEnd: '2025-04-01', amount: '500', seats: 5 }),
  v({ contractId: 'b-2', accountId: 'B', termStart: '2025-07-01', amount: '600' }),
  v({ contractId: 'c-1', accountId: 'C', termStart: '2025-02-15', amount: '300' }),
  v({ contractId: 'c-1', accountId: 'C', termStart: '2025-02-15', effectiveFrom: '2025-05-10', amount: '450' }),
  v({ contractId: 'c-1', accountId: 'C', termStart: '2025-02-15', effectiveFrom: '2025-09-01', amount: '200' }),
  v({ contractId: 'd-1', accountId: 'D', termStart: '2025-03-01', amount: '900', billingMonths: 3 }),
  v({ contractId: 'e-1', accountId: 'E', termStart: '2025-01-01', amount: '999', currency: 'EUR' }),
]

export const smallAccounts: Account[] = [
  { accountId: 'A', name: 'Acme', plan: 'team', seats: 10, cac: '5000' },
  { accountId: 'B', name: 'Bolt', plan: 'starter', seats: 5, cac: '3000' },
  { accountId: 'C', name: 'Cargo', plan: 'starter', seats: null, cac: null },
  { accountId: 'D', name: 'Delta', plan: 'team', seats: null, cac: null },
]

export const smallOutcomes: RenewalOutcome[] = []
