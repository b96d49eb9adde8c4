import { normalSurvival, Z95 } from './normal.js'
import { checkCounts } from './wilson.js'

/** One stratum: k1 of n1 exposed had the outcome, k2 of n2 unexposed had it. */
export interface Stratum {
  k1: number
  n1: number
  k2: number
  n2: number
}

export interface CmhResult {
  /** Mantel–Haenszel pooled risk ratio (exposed / unexposed); null when undefined. */
  riskRatio: number | null
  riskRatioLow: number | null
  riskRatioHigh: number | null
  /** Mantel–Haenszel pooled odds ratio. */
  oddsRatio: number | null
  /** Cochran–Mantel–Haenszel chi-square (1 df, no continuity correction) and its p-value. */
  chiSquare: number | null
  p: number | null
  /** Strata that carried information (both groups present, more than one subject). */
  informativeStrata: number
}

/**
 * Cochran–Mantel–Haenszel test and pooled risk ratio over 2×2 strata. Used to compare
 * adopters with non-adopters within levels of early activity, so that heavy users, who adopt
 * everything and retain anyway, do not make every feature look good. The risk-ratio interval
 * uses the Greenland–Robins (1985) variance of log RR_MH.
 */
export function cochranMantelHaenszel(strata: readonly Stratum[], z = Z95): CmhResult {
  let sumA = 0
  let sumE = 0
  let sumV = 0
  let rrNum = 0
  let rrDen = 0
  let orNum = 0
  let orDen = 0
  let grNum = 0
  let informative = 0
  for (const s of strata) {
    checkCounts(s.k1, s.n1)
    checkCounts(s.k2, s.n2)
    const t = s.n1 + s.n2
    if (s.n1 === 0 || s.n2 === 0 || t < 2) continue
    informative++
    const m1 = s.k1 + s.k2
    const m0 = t - m1
    sumA += s.k1
    sumE += (s.n1 * m1) / t
    sumV += (s.n1 * s.n2 * m1 * m0) / (t * t * (t - 1))
    rrNum += (s.k1 * s.n2) / t
    rrDen += (s.k2 * s.n1) / t
    orNum += (s.k1 * (s.n2 - s.k2)) / t
    orDen += (s.k2 * (s.n1 - s.k1)) / t
    grNum += (m1 * s.n1 * s.n2 - s.k1 * s.k2 * t) / (t * t)
  }
  const riskRatio = rrDen > 0 ? rrNum / rrDen : null
  let riskRatioLow: number | null = null
  let riskRatioHigh: number | null = null
  if (riskRatio !== null && rrNum > 0) {
    const se = Math.sqrt(grNum / (rrNum * rrDen))
    riskRatioLow = riskRatio * Math.exp(-z * se)
    riskRatioHigh = riskRatio * Math.exp(z * se)
  }
  const oddsRatio = orDen > 0 ? orNum / orDen : null
  if (sumV <= 0) {
    return { riskRatio, riskRatioLow, riskRatioHigh, oddsRatio, chiSquare: null, p: null, informativeStrata: informative }
  }
  const chiSquare = (sumA - sumE) ** 2 / sumV
  const p = Math.min(1, 2 * normalSurvival(Math.sqrt(chiSquare)))
  return { riskRatio, riskRatioLow, riskRatioHigh, oddsRatio, chiSquare, p, informativeStrata: informative }
}
