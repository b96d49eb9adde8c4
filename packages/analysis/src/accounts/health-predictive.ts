import type { AucResult } from '../stats/index.js'

/** Fewer lost renewals than this leave too little to learn from (metrics.md §6). */
export const MIN_LOST_RENEWALS = 10
/** A fitted weight this small is reported as 0.000: it moves the score by nothing visible. */
const ZERO_WEIGHT = 5e-4

export interface Predictiveness {
  /** True only when none of the rules below holds; bands mean risk only then. */
  predictive: boolean
  /** `predictive`, or `not predictive yet` with what is missing. */
  summary: string
  /** What is missing, one sentence each (empty when predictive). */
  missing: string[]
}

/**
 * Whether the score may be read as risk (metrics.md §6): not when the held-out AUC interval
 * includes 0.5 (or cannot be computed), when every fitted weight is 0, or when fewer than
 * 10 renewals were lost.
 */
export function judgePredictiveness(input: {
  heldOut: AucResult | null
  heldOutCount: number
  weights: number[]
  fitted: boolean
  lost: number
  excludedBeforeHistory?: number
}): Predictiveness {
  const missing: string[] = []
  const a = input.heldOut
  if (!a) {
    missing.push(
      input.heldOutCount === 0
        ? 'no later renewals to test the score on: more renewals must come due (or import older contracts and events)'
        : 'the later renewals are all renewed or all lost, so the score cannot be tested against them yet',
    )
  } else if (a.low <= 0.5) {
    missing.push(`held-out AUC ${a.auc.toFixed(2)} (95% interval ${a.low.toFixed(2)}–${a.high.toFixed(2)}) includes 0.5: on renewals it was not fitted on, the score does no better than chance yet`)
  }
  if (input.fitted && input.weights.every((w) => Math.abs(w) < ZERO_WEIGHT)) {
    missing.push('every fitted weight is 0: no component moved with renewal in the training renewals')
  }
  if (input.lost < MIN_LOST_RENEWALS) {
    missing.push(`only ${input.lost} lost renewal${input.lost === 1 ? '' : 's'} to learn from: at least ${MIN_LOST_RENEWALS} are needed`)
  }
  if (missing.length && input.excludedBeforeHistory) {
    missing.push(`${input.excludedBeforeHistory} earlier renewals were left out because their usage window starts before the first day of activity: a longer event history adds them`)
  }
  return missing.length === 0
    ? { predictive: true, summary: 'predictive', missing }
    : { predictive: false, summary: `not predictive yet: ${missing[0]}`, missing }
}
