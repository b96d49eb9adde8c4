import type { IsoDate } from './dates.js'

/** A B2B customer; `accountId` is the id the SDK's `group()` sends, so usage joins on it. */
export interface Account {
  accountId: string
  name: string
  plan: string
  seats: number | null
  /** Customer acquisition cost, in the currency of the account's contracts (decimal string). */
  cac: string | null
}

/**
 * One dated version of a contract (subscription). The version in force on a day is the one with the
 * latest `effectiveFrom` on or before it; the contract pays on that day when
 * `termStart ≤ day < termEnd` (termEnd is the renewal date, exclusive; null = runs until ended).
 */
export interface ContractVersion {
  contractId: string
  accountId: string
  effectiveFrom: IsoDate
  termStart: IsoDate
  termEnd: IsoDate | null
  /** Price per billing period (decimal string, ≤ 4 decimals). */
  amount: string
  currency: string
  /** Months per billing period: 1 monthly, 12 annual, or the whole term for an upfront multi-month contract. */
  billingMonths: number
  seats: number | null
}

export const RENEWAL_LABELS = ['renewed', 'churned', 'expanded', 'contracted'] as const
export type RenewalLabel = (typeof RENEWAL_LABELS)[number]

/** What happened when a contract term came due, as the revenue team recorded it. */
export interface RenewalOutcome {
  contractId: string
  accountId: string
  dueDate: IsoDate
  outcome: RenewalLabel
  /** New price per billing period (null when churned). */
  newAmount: string | null
  /** Billing period of the new amount; null = the same as the contract's. */
  newBillingMonths: number | null
  newSeats: number | null
}

export interface AccountBook {
  accounts: Account[]
  contracts: ContractVersion[]
  outcomes: RenewalOutcome[]
}
