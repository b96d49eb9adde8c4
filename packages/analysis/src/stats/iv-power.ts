import { mixtureCriticalValue } from './confidence-sequence.js'
import { normalQuantile } from './normal.js'

export interface IvPlanInput {
  /** The complier effect to detect, as a risk difference in day-N retention (e.g. 0.05). */
  cace: number
  /** The nudge's first stage: adoption among assigned minus among held out (0 < π ≤ 1). */
  firstStage: number
  /** Day-N retention without the nudge (the held-out arm's rate). */
  baseline: number
  /** Share of eligible users held out. */
  holdoutShare: number
  alpha?: number
  power?: number
  /** Planned total the always-valid boundary is tuned to (as in the report). */
  plannedN?: number
}

export interface IvPlan {
  /** Eligible users (both arms) whose windows must be over, fixed-horizon test. */
  total: number
  assigned: number
  heldOut: number
  /** The same when the result is read continuously through the always-valid sequence. */
  alwaysValid: { total: number; assigned: number; heldOut: number }
}

/**
 * Users needed to detect a complier effect. A nudge moves only a share π of users, so its effect
 * on retention is the CACE diluted π times; the test of no effect is the test of that ITT (the
 * Anderson–Rubin test at 0), hence n grows with 1/π². Normal approximation with unequal arms:
 *   N = (z₁₋α/₂ + z_power)² · (p₁q₁/(1−h) + p₀q₀/h) / (π·CACE)².
 * The always-valid N is the smallest N at which the mixture boundary plus z_power standard errors
 * fits under the diluted effect.
 */
export function ivSampleSize(input: IvPlanInput): IvPlan | null {
  const { cace, firstStage: pi, baseline: p0, holdoutShare: h } = input
  const alpha = input.alpha ?? 0.05
  const power = input.power ?? 0.8
  if (!(pi > 0 && pi <= 1) || !(h > 0 && h < 1) || !(p0 >= 0 && p0 <= 1) || cace === 0 || !Number.isFinite(cace)) return null
  const itt = cace * pi
  const p1 = Math.min(1, Math.max(0, p0 + itt))
  const perUser = (p1 * (1 - p1)) / (1 - h) + (p0 * (1 - p0)) / h
  if (perUser === 0) return null
  const zb = normalQuantile(power)
  const need = (z: number) => ((z + zb) ** 2 * perUser) / (itt * itt)
  const total = Math.ceil(need(normalQuantile(1 - alpha / 2)))
  // The boundary shrinks as N grows, so "boundary + power fits" is monotone in N: bisect.
  const fits = (n: number) => (mixtureCriticalValue(n, alpha, input.plannedN ?? 1000) + zb) * Math.sqrt(perUser / n) <= Math.abs(itt)
  let hi = Math.max(2, total)
  while (!fits(hi)) {
    hi *= 2
    if (hi > 1e12) return null
  }
  let lo = Math.max(1, Math.floor(hi / 2))
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (fits(mid)) hi = mid
    else lo = mid
  }
  const split = (n: number) => ({ total: n, assigned: Math.ceil(n * (1 - h)), heldOut: Math.ceil(n * h) })
  return { ...split(total), alwaysValid: split(hi) }
}

/**
 * Days until `needed` users have windows that are over, at the rate eligible users arrived so far,
 * plus the wait for the last one's window. Null when nothing has arrived yet.
 */
export function daysUntil(needed: number, have: number, perDay: number, windowDays: number): number | null {
  if (have >= needed) return 0
  if (!(perDay > 0)) return null
  return Math.ceil((needed - have) / perDay) + windowDays
}
