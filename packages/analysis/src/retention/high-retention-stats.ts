import type { AipwResult } from '../stats/aipw.js'
import { benjaminiHochberg } from '../stats/bh.js'
import { compareProportions } from '../stats/compare.js'
import { eValue, eValueOfLimit } from '../stats/e-value.js'
import type { Difference } from '../stats/newcombe.js'
import { wilson, type Proportion } from '../stats/wilson.js'
import type { PlaceboCheck } from './placebo.js'

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
  /** The doubly robust comparison on the first-window covariates and its placebo check (null when no flag is possible). */
  adjusted: AipwResult
  placebo: PlaceboCheck | null
  /** Other features whose use the adjusted comparison also holds equal (see co-used.ts). */
  coUsed: string[]
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
  /**
   * Adopters against similar non-adopters (doubly robust, effect on the adopters): the adopters'
   * rate, the rate they would have had without the feature, lift and difference with 95%
   * intervals, p and BH q, E-values of the lift and of its interval's limit, the placebo check,
   * and, for reading, the crude rates within strata of active days.
   */
  adjusted: {
    rateCounterfactual: number | null
    lift: number | null
    low: number | null
    high: number | null
    difference: number | null
    differenceLow: number | null
    differenceHigh: number | null
    p: number | null
    q: number | null
    eValue: number | null
    eValueLimit: number | null
    /** The placebo check with `q`, the BH q-value of its p over the features tested. */
    placebo: (PlaceboCheck & { q: number | null }) | null
    /** Other features whose use this comparison also holds equal: those that could bias it most. */
    coUsed: string[]
    strata: StratumResult[]
  }
  highRetention: boolean
}

/** Whether a feature is tested (metrics spec §4): at least `minN` adopters and `minN` non-adopters. */
export const hasEnoughData = (adopters: number, nonAdopters: number, minN: number): boolean => adopters >= minN && nonAdopters >= minN

/**
 * Turns per-stratum counts and the adjusted estimates into the comparisons of metrics spec §4:
 * crude rates, difference, lift and p-value (Fisher's exact test at small counts); BH q-values
 * over the features tested (each family separately); and the flag, which rests on the adjusted
 * result only: adjusted q < alpha, adjusted lift > 1, beating the placebo distribution
 * (placebo q < alpha), and at least min_n adopters and non-adopters.
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
    const enough = hasEnoughData(n1, n2, opts.minN)
    return {
      featureId: f.featureId,
      enough,
      crude,
      adj: f.adjusted,
      placebo: f.placebo,
      coUsed: f.coUsed,
      strata: f.strata.map((s, i) => ({
        label: strataLabels[i] ?? String(i),
        adopters: wilson(s.retainedAdopters, s.adopters),
        nonAdopters: wilson(s.retainedNonAdopters, s.nonAdopters),
      })),
    }
  })
  const q = benjaminiHochberg(partial.map((x) => (x.enough ? x.crude.p : null)))
  const qAdj = benjaminiHochberg(partial.map((x) => (x.enough ? x.adj.p : null)))
  // Beating the placebos is tested for every feature at once too, so it gets its own q-values.
  const qPlacebo = benjaminiHochberg(partial.map((x) => (x.enough ? (x.placebo?.p ?? 1) : null)))
  return partial.map((x, i) => {
    const adjQ = qAdj[i] ?? null
    const a = x.adj
    const placeboQ = qPlacebo[i] ?? null
    const beatsPlacebo = placeboQ !== null && placeboQ < alpha
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
        rateCounterfactual: a.rateCounterfactual,
        lift: a.riskRatio,
        low: a.riskRatioLow,
        high: a.riskRatioHigh,
        difference: a.difference,
        differenceLow: a.differenceLow,
        differenceHigh: a.differenceHigh,
        p: x.enough ? a.p : null,
        q: adjQ,
        eValue: eValue(a.riskRatio),
        eValueLimit: eValueOfLimit(a.riskRatio, a.riskRatioLow, a.riskRatioHigh),
        placebo: x.enough && x.placebo ? { ...x.placebo, q: placeboQ } : null,
        coUsed: x.coUsed,
        strata: x.strata,
      },
      highRetention:
        x.enough && adjQ !== null && adjQ < alpha && a.riskRatio !== null && a.riskRatio > 1 && beatsPlacebo,
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
