import { AMOUNT_SCALE, unitsToNumber, type MrrScale } from './money.js'
import type { MrrSeries } from './movements.js'
import { logoPeriod } from './retention-rates.js'

export interface UnitEconomicsOptions {
  /** Month index of the series at which MRR and ARPA are taken. */
  atIndex: number
  /** Months over which the monthly logo churn rate is pooled (ending at `atIndex`). */
  churnMonths?: number
  /** Optional gross margin in (0, 1]; LTV is multiplied by it. */
  grossMargin?: number
  /** CAC per account (exact amount units, AMOUNT_SCALE per currency unit). */
  cacByAccount?: Map<string, bigint>
  /** One CAC for every account; takes precedence over per-account CAC. */
  globalCac?: number
}

export interface UnitEconomics {
  payingAccounts: number
  mrr: number
  arr: number
  /** MRR / paying accounts. */
  arpa: number | null
  /** Σ accounts lost per month / Σ accounts paying at each month's start, over `churnMonths`. */
  monthlyLogoChurn: number | null
  churnMonths: number
  /** ARPA / monthly logo churn (× gross margin when given); null while no account has churned. */
  ltv: number | null
  cac: number | null
  /** How many accounts the CAC average is taken over (0 with a global CAC). */
  cacAccounts: number
  ltvToCac: number | null
}

export function unitEconomics(series: MrrSeries, scale: MrrScale, opts: UnitEconomicsOptions): UnitEconomics {
  const i = opts.atIndex
  let mrrUnits = 0n
  let paying = 0
  for (const row of series.mrr.values()) {
    if (row[i]! > 0n) {
      paying += 1
      mrrUnits += row[i]!
    }
  }
  const mrr = unitsToNumber(scale, mrrUnits)
  const arpa = paying === 0 ? null : unitsToNumber(scale, mrrUnits) / paying
  const churnMonths = Math.min(opts.churnMonths ?? 12, i)
  let lost = 0
  let atStart = 0
  for (let j = i - churnMonths + 1; j <= i; j++) {
    const p = logoPeriod(series, j - 1, j)
    lost += p.lost
    atStart += p.atStart
  }
  const monthlyLogoChurn = atStart === 0 ? null : lost / atStart
  const margin = opts.grossMargin ?? 1
  const ltv = arpa === null || !monthlyLogoChurn ? null : (arpa / monthlyLogoChurn) * margin
  let cac: number | null = null
  let cacAccounts = 0
  if (opts.globalCac !== undefined) cac = opts.globalCac
  else if (opts.cacByAccount) {
    let total = 0n
    for (const [account, value] of opts.cacByAccount) {
      if (!series.mrr.has(account)) continue
      total += value
      cacAccounts += 1
    }
    cac = cacAccounts === 0 ? null : Number(total) / Number(AMOUNT_SCALE) / cacAccounts
  }
  return {
    payingAccounts: paying, mrr, arr: unitsToNumber(scale, mrrUnits * 12n), arpa, monthlyLogoChurn, churnMonths, ltv, cac, cacAccounts,
    ltvToCac: ltv === null || !cac ? null : ltv / cac,
  }
}
