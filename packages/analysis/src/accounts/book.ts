import type { IsoDate } from './dates.js'
import { mrrScale, mrrUnits, parseAmount, type MrrScale } from './money.js'
import { pushTo } from '../multimap.js'
import type { ContractVersion } from './types.js'

/** A contract version with its MRR in exact units. */
export interface PricedVersion extends ContractVersion {
  mrr: bigint
}

/**
 * The contracts of one currency, indexed for "what does each account pay on day d".
 * Amounts in other currencies cannot be added to these, so a book holds one currency.
 */
export class ContractBook {
  readonly scale: MrrScale
  readonly byContract: Map<string, PricedVersion[]>
  readonly currency: string
  /** The contracts any of whose versions names the account: `seatsAt` looks at these only, not at every contract. */
  private readonly contractsOf = new Map<string, Set<string>>()

  constructor(versions: ContractVersion[], currency: string, extraBillingMonths: number[] = []) {
    this.currency = currency
    const own = versions.filter((v) => v.currency === currency)
    this.scale = mrrScale([...own.map((v) => v.billingMonths), ...extraBillingMonths])
    this.byContract = new Map()
    for (const v of own) {
      const amount = parseAmount(v.amount)
      if (amount === null) throw new Error(`contract ${v.contractId}: invalid amount ${v.amount}`)
      pushTo(this.byContract, v.contractId, { ...v, mrr: mrrUnits(this.scale, amount, v.billingMonths) })
    }
    for (const list of this.byContract.values()) list.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1))
    for (const [contractId, list] of this.byContract) {
      for (const v of list) {
        const ids = this.contractsOf.get(v.accountId) ?? new Set<string>()
        ids.add(contractId)
        this.contractsOf.set(v.accountId, ids)
      }
    }
  }

  /** The version of a contract in force on `day` when it pays on that day. */
  versionAt(contractId: string, day: IsoDate): PricedVersion | undefined {
    const list = this.byContract.get(contractId)
    if (!list) return undefined
    let found: PricedVersion | undefined
    for (const v of list) {
      if (v.effectiveFrom > day) break
      found = v
    }
    if (!found) return undefined
    return found.termStart <= day && (found.termEnd === null || day < found.termEnd) ? found : undefined
  }

  /** MRR per account on `day` (accounts paying nothing are absent). */
  mrrAt(day: IsoDate): Map<string, bigint> {
    const out = new Map<string, bigint>()
    for (const contractId of this.byContract.keys()) {
      const v = this.versionAt(contractId, day)
      if (!v || v.mrr === 0n) continue
      out.set(v.accountId, (out.get(v.accountId) ?? 0n) + v.mrr)
    }
    return out
  }

  /** Earliest day any contract starts paying. */
  firstDay(): IsoDate | null {
    let first: IsoDate | null = null
    for (const list of this.byContract.values()) {
      for (const v of list) if (first === null || v.termStart < first) first = v.termStart
    }
    return first
  }

  /** Seats bought by an account on `day` (sum over its paying contracts; null when none states seats). */
  seatsAt(accountId: string, day: IsoDate): number | null {
    let seats: number | null = null
    for (const contractId of this.contractsOf.get(accountId) ?? []) {
      const v = this.versionAt(contractId, day)
      if (v && v.accountId === accountId && v.seats !== null) seats = (seats ?? 0) + v.seats
    }
    return seats
  }
}

/** The currency with the most contract versions (ties: alphabetical), for reports that were not told one. */
export function mainCurrency(versions: ContractVersion[]): string | null {
  const counts = new Map<string, number>()
  for (const v of versions) counts.set(v.currency, (counts.get(v.currency) ?? 0) + 1)
  let best: string | null = null
  for (const [c, n] of [...counts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) if (best === null || n > counts.get(best)!) best = c
  return best
}
