import type { ContractBook } from './book.js'
import type { IsoDate } from './dates.js'
import { ratio } from './money.js'
import type { MrrSeries } from './movements.js'

/** Customer retention rate, CRR = (E − N) / S (null when S = 0). Spec check: (220 − 40) / 200 = 0.9. */
export function customerRetentionRate(atStart: number, atEnd: number, newInPeriod: number): number | null {
  return atStart === 0 ? null : (atEnd - newInPeriod) / atStart
}

export interface LogoPeriod {
  /** Days S and E are taken on (paying on that day). */
  start?: IsoDate
  end?: IsoDate
  /** Paying accounts at the start (S), at the end (E), new in the period (N: paying at the end, not at the start). */
  atStart: number
  atEnd: number
  newInPeriod: number
  /** Paying at the start, not at the end. */
  lost: number
  /** lost / S. */
  logoChurnRate: number | null
  /** (E − N) / S = 1 − logo churn. */
  crr: number | null
}

/**
 * Logo counts between two month ends of a series: from the end of month index `startIdx`
 * (−1 = before the first month, nobody paying) to the end of month index `endIdx`.
 */
export function logoPeriod(series: MrrSeries, startIdx: number, endIdx: number): LogoPeriod {
  return logoCounts([...series.mrr.values()].map((row) => [startIdx >= 0 && row[startIdx]! > 0n, row[endIdx]! > 0n]))
}

/**
 * Logo counts between two days (metrics spec §5): S = accounts paying on `start`, E = paying on
 * `end`, N = paying on `end` but not on `start` (new or reactivated), lost = paying on `start`,
 * not on `end`. Logo churn = lost / S; CRR = (E − N) / S, the share of S still paying.
 */
export function logoBetween(book: ContractBook, start: IsoDate, end: IsoDate): LogoPeriod {
  const s = book.mrrAt(start)
  const e = book.mrrAt(end)
  const accounts = new Set([...s.keys(), ...e.keys()])
  const pairs = [...accounts].map((a): [boolean, boolean] => [(s.get(a) ?? 0n) > 0n, (e.get(a) ?? 0n) > 0n])
  return { start, end, ...logoCounts(pairs) }
}

function logoCounts(pairs: [boolean, boolean][]): LogoPeriod {
  let atStart = 0
  let atEnd = 0
  let newInPeriod = 0
  let lost = 0
  for (const [s, e] of pairs) {
    if (s) atStart += 1
    if (e) atEnd += 1
    if (e && !s) newInPeriod += 1
    if (s && !e) lost += 1
  }
  return {
    atStart, atEnd, newInPeriod, lost,
    logoChurnRate: atStart === 0 ? null : lost / atStart,
    crr: customerRetentionRate(atStart, atEnd, newInPeriod),
  }
}

export interface NetRetention {
  /** Index of the month whose end is t0. */
  t0Index: number
  months: number
  cohortAccounts: number
  mrrT0: bigint
  /** Σ MRR at t1 of the cohort. */
  mrrT1: bigint
  /** Over the cohort, t1 against t0: Σ rises, Σ falls of accounts still paying, Σ MRR₀ of those not paying at t1. */
  expansion: bigint
  contraction: bigint
  churned: bigint
  /** Σ MRR₁ / Σ MRR₀ = (MRR₀ + expansion − contraction − churned) / MRR₀. */
  nrr: number | null
  /** Σ min(MRR₁, MRR₀) / Σ MRR₀ = (MRR₀ − contraction − churned) / MRR₀. */
  grr: number | null
}

/**
 * NRR and GRR as cohort ratios (metrics spec §5): the accounts paying at the end of month
 * `t0Index`, their MRR then against their MRR `months` month ends later. Accounts that first
 * paid after t0 are not in either; a cohort account that lapsed and came back before t1 counts
 * with its MRR at t1, so a renewal signed a few days late is not a permanent loss. Null when the
 * series does not reach t0 + months.
 */
export function netRetention(series: MrrSeries, t0Index: number, months = 12): NetRetention | null {
  if (t0Index < 0 || t0Index + months > series.months.length - 1) return null
  let mrrT0 = 0n
  let mrrT1 = 0n
  let expansion = 0n
  let contraction = 0n
  let churned = 0n
  let cohortAccounts = 0
  for (const row of series.mrr.values()) {
    const a = row[t0Index]!
    if (a === 0n) continue
    const b = row[t0Index + months]!
    cohortAccounts += 1
    mrrT0 += a
    mrrT1 += b
    if (b === 0n) churned += a
    else if (b > a) expansion += b - a
    else contraction += a - b
  }
  return {
    t0Index, months, cohortAccounts, mrrT0, mrrT1, expansion, contraction, churned,
    nrr: ratio(mrrT1, mrrT0),
    grr: ratio(mrrT0 - contraction - churned, mrrT0),
  }
}
