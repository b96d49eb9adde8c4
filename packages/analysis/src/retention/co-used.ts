import { fitGroupedLogistic, sparsePredict, type GroupedLogisticFit } from '../stats/grouped-logistic.js'
import { Z95 } from '../stats/normal.js'
import type { PlaceboDesign } from './adjusted-effect.js'

/**
 * Other features used beside the one compared, as covariates chosen per comparison. A feature
 * used mostly together with another that works looks as if it worked too, and the count of other
 * features used cannot tell the two apart. So each comparison also holds equal the use of the few
 * other features that could bias it most, ranked as high-dimensional propensity scores rank
 * candidate covariates (Schneeweiss et al. 2009, after Bross 1966): a feature used by P1 of the
 * exposed and P0 of the others, going with a rate ratio RR of return among the unexposed, could
 * move the lift by (P1·(RR−1) + 1) / (P0·(RR−1) + 1), RR taken ≥ 1.
 *
 * RR is measured beyond the report's other covariates: return observed among the feature's users
 * against return expected for them from those covariates. That is what keeps the direction right
 * when two features go together. One that works still goes with more return than its users'
 * activity predicts among people who did not use the other, so it is held equal when the other is
 * compared; one merely used beside it does not, so it is left out of the first one's comparison,
 * where holding it equal would only take away most of the comparison's people.
 */

/** Per pair of the report's features (features × features, row-major; the diagonal holds each feature alone): people who used both in the window, those of them retained, and their expected return. */
export interface CoUse {
  features: number
  people: number
  both: Float64Array
  retainedBoth: Float64Array
  expectedBoth: Float64Array
  /** The population's return model behind the expected return, on the placebo design's columns. */
  returnFit: GroupedLogisticFit
}

/**
 * The pair counts of `used` (each person's features first used in the window), with each
 * person's expected return from the population's covariates (a logistic model on the placebo
 * design's cells: every covariate, no one's own events left out).
 */
export function coUseOf(used: readonly (readonly number[])[], retained: Uint8Array, features: number, design: PlaceboDesign): CoUse {
  const cells = design.people.length
  const fit = fitGroupedLogistic({ x: design.x, p: design.p, trials: design.people, successes: design.retained, sparse: design.sparse })
  const expectedOfCell = new Float64Array(cells)
  for (let c = 0; c < cells; c++) expectedOfCell[c] = sparsePredict(fit, design.sparse, c)
  const both = new Float64Array(features * features)
  const retainedBoth = new Float64Array(features * features)
  const expectedBoth = new Float64Array(features * features)
  used.forEach((list, i) => {
    const r = retained[i]!
    const e = expectedOfCell[design.cellOf[i]!]!
    for (const f of list) {
      if (f >= features) continue
      for (const g of list) {
        if (g >= features) continue
        both[f * features + g]! += 1
        retainedBoth[f * features + g]! += r
        expectedBoth[f * features + g]! += e
      }
    }
  })
  return { features, people: used.length, both, retainedBoth, expectedBoth, returnFit: fit }
}

/** At most this many other features are held equal in one comparison. */
export const MAX_CO_USED = 5
/** A feature is held equal only with this many of its users among the exposed and among the others, so that the models can weigh it. */
const MIN_SIDE = 10
/** Nor when it could move the lift by less than 1% (the lift is shown to two decimals): such a feature costs a parameter and buys nothing. */
const MIN_BIAS = Math.log(1.01)

/**
 * The other features (indices) that could bias feature `f`'s comparison most, strongest first:
 * those whose users among the unexposed return more (or less) than expected, beyond chance or
 * further than `f`'s own users who did not use them.
 */
export function coUsedCovariates(co: CoUse, f: number): number[] {
  const { features: k, people: n, both, retainedBoth, expectedBoth } = co
  const nf = both[f * k + f]!
  const scored: { g: number; score: number }[] = []
  for (let g = 0; g < k; g++) {
    if (g === f) continue
    const withBoth = both[f * k + g]!
    const others = both[g * k + g]! - withBoth
    if (withBoth < MIN_SIDE || others < MIN_SIDE) continue
    const g1 = excess(co, g, f)
    if (g1 === null) continue
    // Held equal when its excess is beyond chance, or when it beats the excess of f's own users
    // without g: of two features used together, the one that goes with return explains the other.
    const f1 = excess(co, f, g)
    if (Math.abs(g1.z) < Z95 && (f1 === null || Math.abs(g1.z) <= Math.abs(f1.z))) continue
    const rr = Math.exp(Math.abs(g1.logRatio))
    const p1 = withBoth / nf
    const p0 = others / (n - nf)
    const score = Math.abs(Math.log((p1 * (rr - 1) + 1) / (p0 * (rr - 1) + 1)))
    if (score >= MIN_BIAS) scored.push({ g, score })
  }
  return scored
    .sort((a, b) => b.score - a.score || a.g - b.g)
    .slice(0, MAX_CO_USED)
    .map((s) => s.g)
}

/**
 * Return of the people who used `g` but not `f`, against what their covariates predict: the log
 * ratio of observed to expected, and its z with a Poisson error on the observed count.
 */
function excess(co: CoUse, g: number, f: number): { logRatio: number; z: number } | null {
  const k = co.features
  const observed = co.retainedBoth[g * k + g]! - co.retainedBoth[f * k + g]!
  const expected = co.expectedBoth[g * k + g]! - co.expectedBoth[f * k + g]!
  if (observed <= 0 || expected <= 0) return null
  const logRatio = Math.log(observed / expected)
  return { logRatio, z: logRatio * Math.sqrt(observed) }
}
