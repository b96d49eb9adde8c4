import type { ContractBook } from '../accounts/book.js'
import { addDays, daysBetween, type IsoDate } from '../accounts/dates.js'
import { unitsToNumber } from '../accounts/money.js'

export interface UpcomingRenewal {
  accountId: string
  /** The term end of the contracts in force (the day the renewal is due). */
  dueDate: IsoDate
  daysLeft: number
  /** ARR of the contracts due that day. */
  arr: number
  contractIds: string[]
}

/**
 * Each account's next renewal on or after `asOf`: the earliest term end among its contracts paying
 * on `asOf` (or ending on it). Contracts without a term end never come due.
 */
export function upcomingRenewals(cb: ContractBook, asOf: IsoDate): Map<string, UpcomingRenewal> {
  const out = new Map<string, UpcomingRenewal>()
  // Exact units per account, so ARR of several contracts due the same day adds up to the cent.
  const units = new Map<string, bigint>()
  const yesterday = addDays(asOf, -1)
  for (const contractId of cb.byContract.keys()) {
    const today = cb.versionAt(contractId, asOf)
    const ending = today ? undefined : cb.versionAt(contractId, yesterday)
    const v = today ?? (ending?.termEnd === asOf ? ending : undefined)
    if (!v || v.termEnd === null || v.mrr === 0n) continue
    const cur = out.get(v.accountId)
    if (!cur || v.termEnd < cur.dueDate) {
      units.set(v.accountId, v.mrr * 12n)
      out.set(v.accountId, { accountId: v.accountId, dueDate: v.termEnd, daysLeft: daysBetween(asOf, v.termEnd), arr: unitsToNumber(cb.scale, v.mrr * 12n), contractIds: [contractId] })
    } else if (v.termEnd === cur.dueDate) {
      const sum = units.get(v.accountId)! + v.mrr * 12n
      units.set(v.accountId, sum)
      cur.arr = unitsToNumber(cb.scale, sum)
      cur.contractIds = [...cur.contractIds, contractId].sort()
    }
  }
  return out
}
