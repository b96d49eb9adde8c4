import { fitGroupedLogistic, sparsePredict, sparseRows, type GroupedLogisticFit, type SparseRows } from './grouped-logistic.js'
import { normalSurvival, Z95 } from './normal.js'

/**
 * Subjects grouped by covariate pattern: cell i has covariates x_i (flat, `p` per cell),
 * `n1[i]` exposed of whom `k1[i]` had the outcome, `n0[i]` unexposed of whom `k0[i]` had it.
 */
export interface ExposureCells {
  x: Float64Array
  p: number
  n1: Float64Array
  k1: Float64Array
  n0: Float64Array
  k0: Float64Array
  /** `sparseRows(x, p, cells)`, when the caller compares many exposures on the same cells. */
  sparse?: SparseRows
}

export interface AipwResult {
  exposed: number
  unexposed: number
  /** Outcome rate of the exposed. */
  rateExposed: number | null
  /** Doubly robust estimate of the rate the exposed would have had unexposed. */
  rateCounterfactual: number | null
  riskRatio: number | null
  riskRatioLow: number | null
  riskRatioHigh: number | null
  difference: number | null
  differenceLow: number | null
  differenceHigh: number | null
  /** log RR / its standard error, and the two-sided p-value. */
  z: number | null
  p: number | null
  /** The fitted models, to start related fits from. */
  propensity: GroupedLogisticFit | null
  outcome: GroupedLogisticFit | null
}

export interface AipwOptions {
  l2?: number
  /** Propensity scores are capped here so that no unexposed subject weighs more than e/(1−e). */
  maxPropensity?: number
  start?: { propensity?: GroupedLogisticFit | null; outcome?: GroupedLogisticFit | null }
}

/**
 * Doubly robust (augmented inverse-probability-weighted) estimate of the effect on the exposed
 * (ATT): the propensity e(x) = P(exposed | x) and the unexposed outcome m0(x) = P(Y | x,
 * unexposed) are logistic models on the covariates, and the counterfactual rate of the exposed is
 *   μ0 = (1/N1)·Σ_cells [ n1·m0 + e/(1−e)·(k0 − n0·m0) ],
 * consistent when either model is right. Intervals come from the influence function
 * (Wald on log RR and on the difference), treating the fitted models as known.
 */
export function aipwEffectOnExposed(cells: ExposureCells, opts: AipwOptions = {}): AipwResult {
  const { x, p, n1, k1, n0, k0 } = cells
  const m = n1.length
  const maxE = opts.maxPropensity ?? 0.99
  let N1 = 0
  let N0 = 0
  let K1 = 0
  const trials = new Float64Array(m)
  for (let i = 0; i < m; i++) {
    N1 += n1[i]!
    N0 += n0[i]!
    K1 += k1[i]!
    trials[i] = n1[i]! + n0[i]!
  }
  const empty: AipwResult = {
    exposed: N1, unexposed: N0, rateExposed: N1 > 0 ? K1 / N1 : null, rateCounterfactual: null,
    riskRatio: null, riskRatioLow: null, riskRatioHigh: null, difference: null, differenceLow: null, differenceHigh: null,
    z: null, p: null, propensity: null, outcome: null,
  }
  if (N1 === 0 || N0 === 0) return empty
  const l2 = opts.l2 ?? 1
  const sparse = cells.sparse ?? sparseRows(x, p, m)
  const propensity = fitGroupedLogistic({ x, p, trials, successes: n1, sparse }, { l2, start: opts.start?.propensity?.beta })
  const outcome = fitGroupedLogistic({ x, p, trials: n0, successes: k0, sparse }, { l2, start: opts.start?.outcome?.beta })
  const e = new Float64Array(m)
  const m0 = new Float64Array(m)
  let sum0 = 0
  for (let i = 0; i < m; i++) {
    e[i] = Math.min(sparsePredict(propensity, sparse, i), maxE)
    m0[i] = sparsePredict(outcome, sparse, i)
    sum0 += n1[i]! * m0[i]! + (e[i]! / (1 - e[i]!)) * (k0[i]! - n0[i]! * m0[i]!)
  }
  const mu1 = K1 / N1
  const mu0 = sum0 / N1
  const N = N1 + N0
  const pi = N1 / N
  // Influence-function sums over the four kinds of subject in each cell.
  let ssRr = 0
  let ssRd = 0
  const both = mu1 > 0 && mu0 > 0
  const add = (count: number, f1: number, f0: number): void => {
    if (count === 0) return
    ssRd += count * (f1 - f0) ** 2
    if (both) ssRr += count * (f1 / mu1 - f0 / mu0) ** 2
  }
  for (let i = 0; i < m; i++) {
    const r = e[i]! / (1 - e[i]!)
    const g0 = (m0[i]! - mu0) / pi
    add(k1[i]!, (1 - mu1) / pi, g0)
    add(n1[i]! - k1[i]!, -mu1 / pi, g0)
    add(k0[i]!, 0, (r * (1 - m0[i]!)) / pi)
    add(n0[i]! - k0[i]!, 0, (r * -m0[i]!) / pi)
  }
  const seRd = Math.sqrt(ssRd) / N
  const difference = mu1 - mu0
  const out: AipwResult = {
    ...empty,
    rateCounterfactual: mu0,
    difference,
    differenceLow: difference - Z95 * seRd,
    differenceHigh: difference + Z95 * seRd,
    propensity,
    outcome,
  }
  if (mu1 <= 0 || mu0 <= 0) return out
  const logRr = Math.log(mu1 / mu0)
  const seLog = Math.sqrt(ssRr) / N
  const z = seLog > 0 ? logRr / seLog : null
  return {
    ...out,
    riskRatio: mu1 / mu0,
    riskRatioLow: Math.exp(logRr - Z95 * seLog),
    riskRatioHigh: Math.exp(logRr + Z95 * seLog),
    z,
    p: z === null ? null : Math.min(1, 2 * normalSurvival(Math.abs(z))),
  }
}
