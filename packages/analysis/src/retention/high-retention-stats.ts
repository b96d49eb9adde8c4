import { benjaminiHochberg } from '../stats/bh.js'
import { cochranMantelHaenszel } from '../stats/cmh.js'
import { compareProportions } from '../stats/compare.js'
import type { Difference } from '../stats/newcombe.js'
import { wilson, type Proportion } from '../stats/wilson.js'

/** Adopter and non-adopter counts of one feature in one stratum of early activity. */
export interface StratumCounts {
  adopters: number
  retainedAdopters: number
  nonAdopters: number
  retainedNonAdopters: number
}

export interface FeatureCounts {
  featureId: string
  /** Index = stratum. */
  strata: StratumCounts[]
}

export interface StratumResult {
  label: string
  adopters: Proportion
  nonAdopters: Proportion
}

export interface FeatureComparison {
  featureId: string
  /** `not_enough_data` when either group is below min_n: listed, never tested or ranked. */
  status: 'tested' | 'not_enough_data'
  adopters: Proportion
  nonAdopters: Proportion
  lift: number | null
  difference: Difference
  p: number | null
  test: 'z' | 'fisher' | null
  q: number | null
  /** Within strata of early activity: Mantel–Haenszel risk ratio (the adjusted lift) and CMH test. */
  adjusted: {
    lift: number | null
    low: number | null
    high: number | null
    p: number | null
    q: number | null
    strata: StratumResult[]
  }
  highRetention: boolean
}

/**
 * Turns per-stratum counts into the comparisons of metrics spec §4: crude rates, difference,
 * lift and p-value (Fisher's exact test at small counts); the stratified comparison; BH q-values
 * over the features tested (each family separately); and the flag, which rests on the adjusted
 * result only: adjusted q < alpha, adjusted lift > 1, at least min_n adopters.
 */
export function compareFeatures(
  features: readonly FeatureCounts[],
  strataLabels: readonly string[],
  opts: { minN: number; alpha?: number },
): FeatureComparison[] {
  const alpha = opts.alpha ?? 0.05
  const partial = features.map((f) => {
    const sum = (k: keyof StratumCounts) => f.strata.reduce((s, x) => s + x[k], 0)
    const n1 = sum('adopters')
    const k1 = sum('retainedAdopters')
    const n2 = sum('nonAdopters')
    const k2 = sum('retainedNonAdopters')
    const crude = compareProportions(k1, n1, k2, n2)
    const enough = n1 >= opts.minN && n2 >= opts.minN
    const cmh = cochranMantelHaenszel(
      f.strata.map((s) => ({ k1: s.retainedAdopters, n1: s.adopters, k2: s.retainedNonAdopters, n2: s.nonAdopters })),
    )
    return {
      featureId: f.featureId,
      enough,
      crude,
      cmh,
      strata: f.strata.map((s, i) => ({
        label: strataLabels[i] ?? String(i),
        adopters: wilson(s.retainedAdopters, s.adopters),
        nonAdopters: wilson(s.retainedNonAdopters, s.nonAdopters),
      })),
    }
  })
  const q = benjaminiHochberg(partial.map((x) => (x.enough ? x.crude.p : null)))
  const qAdj = benjaminiHochberg(partial.map((x) => (x.enough ? x.cmh.p : null)))
  return partial.map((x, i) => {
    const adjQ = qAdj[i] ?? null
    return {
      featureId: x.featureId,
      status: x.enough ? 'tested' : 'not_enough_data',
      adopters: x.crude.group,
      nonAdopters: x.crude.baseline,
      lift: x.crude.lift,
      difference: x.crude.difference,
      p: x.enough ? x.crude.p : null,
      test: x.enough ? x.crude.test : null,
      q: q[i] ?? null,
      adjusted: {
        lift: x.cmh.riskRatio,
        low: x.cmh.riskRatioLow,
        high: x.cmh.riskRatioHigh,
        p: x.enough ? x.cmh.p : null,
        q: adjQ,
        strata: x.strata,
      },
      highRetention: x.enough && adjQ !== null && adjQ < alpha && x.cmh.riskRatio !== null && x.cmh.riskRatio > 1,
    }
  })
}

/** Lower bounds of early-activity strata for a window: 1, 2, 3–4, 5–7 for a week. */
export function strataBounds(window: number): number[] {
  return [1, 2, 3, 5].filter((b) => b <= window)
}

export function strataLabels(bounds: readonly number[], window: number): string[] {
  return bounds.map((b, i) => {
    const hi = i + 1 < bounds.length ? bounds[i + 1]! - 1 : window
    return hi === b ? `${b}` : `${b}–${hi}`
  })
}
