import { ContractBook, mainCurrency } from './book.js'
import { addDays, type IsoDate } from './dates.js'
import { unitsToNumber } from './money.js'
import { renewalEvents, type RenewalEvent } from './renewals.js'
import type { AccountBook } from './types.js'

/** A renewal whose outcome is known, with the numbers usage reports need beside it. */
export interface DecidedRenewal {
  /** `<account>@<due date>`: unique, since renewals are per account and due date. */
  id: string
  accountId: string
  dueDate: IsoDate
  outcome: RenewalEvent['outcome']
  renewed: boolean
  oldArr: number
  newArr: number
  seats: number | null
}

export interface BookView {
  currency: string | null
  contracts: ContractBook
  renewals: DecidedRenewal[]
  pending: number
}

/** Renewals that came due by `asOf` with a known outcome, in due-date order; seats fall back to the account's. */
export function decidedRenewals(book: AccountBook, asOf: IsoDate, opts: { currency?: string; graceDays?: number } = {}): BookView {
  const currency = opts.currency ?? mainCurrency(book.contracts)
  const months = book.outcomes.map((o) => o.newBillingMonths).filter((m): m is number => m !== null)
  const cb = new ContractBook(book.contracts, currency ?? '', months)
  const seatsOf = new Map(book.accounts.map((a) => [a.accountId, a.seats]))
  const events = renewalEvents(cb, book.outcomes, { asOf, graceDays: opts.graceDays })
  const decided = events.filter((e) => e.outcome !== 'pending')
  return {
    currency,
    contracts: cb,
    pending: events.length - decided.length,
    renewals: decided.map((e) => ({
      id: `${e.accountId}@${e.dueDate}`, accountId: e.accountId, dueDate: e.dueDate, outcome: e.outcome, renewed: e.outcome !== 'churned',
      oldArr: unitsToNumber(cb.scale, e.oldMrr * 12n), newArr: unitsToNumber(cb.scale, (e.newMrr ?? 0n) * 12n),
      seats: e.seats ?? seatsOf.get(e.accountId) ?? null,
    })),
  }
}

/** The look-back window before a due date: [due − days, due). */
export function lookbackWindow(r: DecidedRenewal, days: number, endOffsetDays = 0) {
  const to = addDays(r.dueDate, -endOffsetDays)
  return { id: r.id, accountId: r.accountId, from: addDays(to, -days), to }
}
