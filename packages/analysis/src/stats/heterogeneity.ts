import { chiSquareSurvival } from './chi-square.js'

/** One group's comparison of a rate: k of n in the exposed group against k of n in the rest. */
export interface RiskRatioCounts {
  exposed: { k: number; n: number }
  unexposed: { k: number; n: number }
}

export interface Heterogeneity {
  /** Groups whose log risk ratio could be estimated (both groups non-empty). */
  groups: number
  /** Cochran's Q on the log risk ratios, inverse-variance weighted; null below two groups. */
  q: number | null
  df: number | null
  /** P(χ²(df) ≥ Q): small when the ratio differs across groups. */
  p: number | null
  /** I² = max(0, (Q − df) / Q): the share of the spread beyond chance. */
  i2: number | null
  /** The fixed-effect pooled risk ratio. */
  pooledRiskRatio: number | null
}

/**
 * Cochran's Q test of whether a risk ratio differs across groups: y = ln(RR) per group with
 * variance 1/a − 1/n₁ + 1/c − 1/n₀ (Katz), and 0.5 added to every cell of a group with a zero
 * count, so a group where nobody (or everybody) returned still counts with a wide variance.
 */
export function cochranQ(groups: readonly RiskRatioCounts[]): Heterogeneity {
  const ys: { y: number; w: number }[] = []
  for (const g of groups) {
    if (g.exposed.n === 0 || g.unexposed.n === 0) continue
    const zero = g.exposed.k === 0 || g.unexposed.k === 0 || g.exposed.k === g.exposed.n || g.unexposed.k === g.unexposed.n
    const cc = zero ? 0.5 : 0
    const a = g.exposed.k + cc
    const n1 = g.exposed.n + 2 * cc
    const c = g.unexposed.k + cc
    const n0 = g.unexposed.n + 2 * cc
    const y = Math.log(a / n1) - Math.log(c / n0)
    const v = 1 / a - 1 / n1 + 1 / c - 1 / n0
    if (!(v > 0) || !Number.isFinite(y)) continue
    ys.push({ y, w: 1 / v })
  }
  if (ys.length === 0) return { groups: 0, q: null, df: null, p: null, i2: null, pooledRiskRatio: null }
  const sw = ys.reduce((s, x) => s + x.w, 0)
  const mean = ys.reduce((s, x) => s + x.w * x.y, 0) / sw
  if (ys.length < 2) return { groups: ys.length, q: null, df: null, p: null, i2: null, pooledRiskRatio: Math.exp(mean) }
  const q = ys.reduce((s, x) => s + x.w * (x.y - mean) ** 2, 0)
  const df = ys.length - 1
  return { groups: ys.length, q, df, p: chiSquareSurvival(q, df), i2: q > 0 ? Math.max(0, (q - df) / q) : 0, pooledRiskRatio: Math.exp(mean) }
}
