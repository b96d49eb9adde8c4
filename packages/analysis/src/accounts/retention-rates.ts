import { ratio } from './money.js'
import { classifyMovement, type MrrSeries } from './movements.js'

/** Customer retention rate, CRR = (E − N) / S (null when S = 0). Spec check: (220 − 40) / 200 = 0.9. */
export function customerRetentionRate(atStart: number, atEnd: number, newInPeriod: number): number | null {
  return atStart === 0 ? null : (atEnd - newInPeriod) / atStart
}

export interface LogoPeriod {
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
  let atStart = 0
  let atEnd = 0
  let newInPeriod = 0
  let lost = 0
  for (const row of series.mrr.values()) {
    const s = startIdx >= 0 && row[startIdx]! > 0n
    const e = row[endIdx]! > 0n
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
  expansion: bigint
  contraction: bigint
  churned: bigint
  /** (MRR₀ + expansion − contraction − churned) / MRR₀. */
  nrr: number | null
  /** (MRR₀ − contraction − churned) / MRR₀. */
  grr: number | null
}

/**
 * NRR and GRR over `months` months for the accounts paying at the end of month `t0Index`, adding up
 * their monthly movements after t0. Reactivations (and new accounts) are not counted, as the spec says.
 * Null when the series does not reach t0 + months.
 */
export function netRetention(series: MrrSeries, t0Index: number, months = 12): NetRetention | null {
  if (t0Index < 0 || t0Index + months > series.months.length - 1) return null
  let mrrT0 = 0n
  let expansion = 0n
  let contraction = 0n
  let churned = 0n
  let cohortAccounts = 0
  for (const row of series.mrr.values()) {
    if (row[t0Index]! === 0n) continue
    cohortAccounts += 1
    mrrT0 += row[t0Index]!
    for (let j = t0Index + 1; j <= t0Index + months; j++) {
      const mv = classifyMovement(row[j - 1]!, row[j]!, true)
      if (!mv) continue
      if (mv.kind === 'expansion') expansion += mv.amount
      else if (mv.kind === 'contraction') contraction += mv.amount
      else if (mv.kind === 'churned') churned += mv.amount
    }
  }
  return {
    t0Index, months, cohortAccounts, mrrT0, expansion, contraction, churned,
    nrr: ratio(mrrT0 + expansion - contraction - churned, mrrT0),
    grr: ratio(mrrT0 - contraction - churned, mrrT0),
  }
}
