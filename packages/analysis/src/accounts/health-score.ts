import { fitLogistic } from '../stats/logistic.js'
import { countBelow } from '../stats/sorted.js'

/**
 * A health score: each component becomes a 0–100 percentile among a reference set of accounts,
 * and the score is their weighted mean. A negative weight means "more is worse" (the component
 * enters as 100 − percentile), so the score always stays within 0–100.
 */
export interface HealthModel {
  components: string[]
  weights: number[]
  /** Sorted reference values per component (the accounts the percentiles are taken among). */
  reference: number[][]
  weighting: 'manual' | 'fitted'
}

export type Band = 'red' | 'yellow' | 'green'
export interface BandThresholds {
  /** Scores below this are red. */
  redBelow: number
  /** Scores at or above this are green. */
  greenFrom: number
}
export const DEFAULT_BANDS: BandThresholds = { redBelow: 40, greenFrom: 60 }

export function bandOf(score: number, t: BandThresholds = DEFAULT_BANDS): Band {
  return score < t.redBelow ? 'red' : score >= t.greenFrom ? 'green' : 'yellow'
}

/** Mid-rank percentile of v among sorted values: 100 · (#below + ½ #equal) / n; 50 when unknown. */
export function percentileOf(sorted: readonly number[], v: number | null): number {
  if (v === null || sorted.length === 0) return 50
  // Both ends of the run of values equal to v by halving: a component where most accounts share one
  // value (no use of a feature: 0) would otherwise cost a pass over them per lookup.
  const lo = countBelow(sorted, v)
  const eq = countBelow(sorted, v, true)
  return (100 * (lo + (eq - lo) / 2)) / sorted.length
}

export function referenceOf(rows: readonly (readonly (number | null)[])[], componentCount: number): number[][] {
  return Array.from({ length: componentCount }, (_, k) =>
    rows.map((r) => r[k]).filter((v): v is number => v !== null && v !== undefined).sort((a, b) => a - b),
  )
}

export function percentiles(model: Pick<HealthModel, 'reference'>, values: readonly (number | null)[]): number[] {
  return model.reference.map((ref, k) => percentileOf(ref, values[k] ?? null))
}

export function scoreOf(model: HealthModel, values: readonly (number | null)[]): number {
  const p = percentiles(model, values)
  const total = model.weights.reduce((s, w) => s + Math.abs(w), 0)
  if (total === 0) return p.reduce((s, x) => s + x, 0) / p.length
  return model.weights.reduce((s, w, k) => s + Math.abs(w) * (w >= 0 ? p[k]! : 100 - p[k]!), 0) / total
}

/** A model with weights set by hand (default: equal), percentiles among `rows`. */
export function manualModel(components: string[], rows: (number | null)[][], weights?: number[]): HealthModel {
  const w = weights ?? components.map(() => 1)
  if (w.length !== components.length) throw new Error('one weight per component')
  return { components, weights: w, reference: referenceOf(rows, components.length), weighting: 'manual' }
}

/**
 * Weights fitted by L2-penalised logistic regression of renewal on the component percentiles (as
 * fractions). The score is then an increasing function of the fitted log-odds, so its AUC is the model's.
 */
export function fittedModel(components: string[], rows: (number | null)[][], renewed: boolean[], l2 = 1): HealthModel {
  const reference = referenceOf(rows, components.length)
  const x = rows.map((r) => percentiles({ reference }, r).map((p) => p / 100))
  const fit = fitLogistic(x, renewed, { l2 })
  return { components, weights: fit.coefficients, reference, weighting: 'fitted' }
}
