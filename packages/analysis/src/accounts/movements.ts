import type { ContractBook } from './book.js'
import { monthEnd, monthOf, monthRange, type IsoDate } from './dates.js'

/**
 * Month-end MRR per account: `mrr.get(account)[i]` is what the account pays on the last day of
 * `months[i]` (or on `asOf` for the month that contains it). Months run from the first paid
 * month in the book, so "first paid month ever" is known for every later month.
 */
export interface MrrSeries {
  months: string[]
  /** The day each month is measured on. */
  days: IsoDate[]
  mrr: Map<string, bigint[]>
}

export function mrrSeries(book: ContractBook, asOf: IsoDate): MrrSeries {
  const first = book.firstDay()
  if (first === null || first > asOf) return { months: [], days: [], mrr: new Map() }
  const months = monthRange(monthOf(first), monthOf(asOf))
  const days = months.map((m) => (monthEnd(m) > asOf ? asOf : monthEnd(m)))
  const mrr = new Map<string, bigint[]>()
  days.forEach((day, i) => {
    for (const [account, value] of book.mrrAt(day)) {
      let row = mrr.get(account)
      if (!row) {
        row = new Array<bigint>(months.length).fill(0n)
        mrr.set(account, row)
      }
      row[i] = value
    }
  })
  return { months, days, mrr }
}

export type MovementKind = 'new' | 'expansion' | 'contraction' | 'churned' | 'reactivation'

/** How one account's MRR changed from the previous month end; `paidBefore` = it paid at some earlier month end. */
export function classifyMovement(prev: bigint, cur: bigint, paidBefore: boolean): { kind: MovementKind; amount: bigint } | null {
  if (prev === cur) return null
  if (prev === 0n) return { kind: paidBefore ? 'reactivation' : 'new', amount: cur }
  if (cur === 0n) return { kind: 'churned', amount: prev }
  return cur > prev ? { kind: 'expansion', amount: cur - prev } : { kind: 'contraction', amount: prev - cur }
}

export interface MonthMovements {
  month: string
  start: bigint
  new: bigint
  expansion: bigint
  reactivation: bigint
  contraction: bigint
  churned: bigint
  end: bigint
  accountsStart: number
  accountsEnd: number
  newAccounts: number
  reactivatedAccounts: number
  churnedAccounts: number
  /** `end = start + new + expansion + reactivation − contraction − churned`, checked in exact units. */
  identityHolds: boolean
}

/** Movements for every month of the series (the first month starts from zero). */
export function mrrMovements(series: MrrSeries): MonthMovements[] {
  const out: MonthMovements[] = []
  const paidBefore = new Set<string>()
  series.months.forEach((month, i) => {
    const m: MonthMovements = {
      month, start: 0n, new: 0n, expansion: 0n, reactivation: 0n, contraction: 0n, churned: 0n, end: 0n,
      accountsStart: 0, accountsEnd: 0, newAccounts: 0, reactivatedAccounts: 0, churnedAccounts: 0, identityHolds: true,
    }
    for (const [account, row] of series.mrr) {
      const prev = i === 0 ? 0n : row[i - 1]!
      const cur = row[i]!
      m.start += prev
      m.end += cur
      if (prev > 0n) m.accountsStart += 1
      if (cur > 0n) m.accountsEnd += 1
      const mv = classifyMovement(prev, cur, paidBefore.has(account))
      if (mv) {
        m[mv.kind] += mv.amount
        if (mv.kind === 'new') m.newAccounts += 1
        else if (mv.kind === 'reactivation') m.reactivatedAccounts += 1
        else if (mv.kind === 'churned') m.churnedAccounts += 1
      }
    }
    for (const [account, row] of series.mrr) if (row[i]! > 0n) paidBefore.add(account)
    m.identityHolds = m.end === m.start + m.new + m.expansion + m.reactivation - m.contraction - m.churned
    out.push(m)
  })
  return out
}
