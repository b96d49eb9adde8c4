import { mixtureCriticalValue } from './confidence-sequence.js'
import { fiellerSet, type RatioSet } from './fieller.js'
import { newcombeDifference } from './newcombe.js'
import { Z95 } from './normal.js'

/**
 * One arm of a randomised encouragement design: users whose adoption and day-N windows are both
 * over, how many adopted the feature (D), how many were retained (Y), and how many both.
 */
export interface EncouragementArm {
  n: number
  adopted: number
  retained: number
  adoptedRetained: number
}

/** A difference of two arms with its fixed-horizon and always-valid intervals. */
export interface Itt {
  estimate: number | null
  se: number | null
  /** Newcombe's interval at 95%, valid when looked at once, at a sample size fixed in advance. */
  fixed: { low: number | null; high: number | null }
  /** 95% confidence sequence: valid at every look, however often the report is read. */
  alwaysValid: { low: number | null; high: number | null }
}

export interface IvEstimate {
  /** Assignment's effect on adoption (the first stage) and on day-N retention. */
  ittAdoption: Itt
  ittRetention: Itt
  /** F statistic of the first stage: (ITT on adoption / its SE)²; below 10 the instrument is weak. */
  firstStageF: number | null
  weakInstrument: boolean
  /** CACE as a risk difference: ITT on retention ÷ ITT on adoption (Wald), with Fieller/Anderson–Rubin sets. */
  cace: { estimate: number | null; fixed: RatioSet; alwaysValid: RatioSet }
  /**
   * CACE as a ratio: compliers' retention when they use the feature ÷ when they do not (both
   * identified under monotonicity: the nudge never stops anyone from using the feature).
   */
  caceRatio: {
    estimate: number | null
    compliers: { share: number | null; retainedUsing: number | null; retainedNotUsing: number | null }
    fixed: RatioSet
    alwaysValid: RatioSet
  }
  criticalValues: { fixed: number; alwaysValid: number | null }
}

/** Below this first-stage F the Wald ratio is badly biased and its normal interval is wrong (Staiger & Stock 1997). */
export const WEAK_F = 10

const ALL: RatioSet = { kind: 'all', low: null, high: null }

/** Sample covariance of two 0/1 variables from their counts (variance when x = y). */
function cov(n: number, kx: number, ky: number, kxy: number): number {
  return (kxy - (kx * ky) / n) / (n - 1)
}

function check(a: EncouragementArm, name: string): void {
  const ok = [a.n, a.adopted, a.retained, a.adoptedRetained].every((v) => Number.isInteger(v) && v >= 0)
  if (!ok || a.adopted > a.n || a.retained > a.n || a.adoptedRetained > Math.min(a.adopted, a.retained) || a.adopted + a.retained - a.adoptedRetained > a.n) {
    throw new RangeError(`inconsistent counts in the ${name} arm`)
  }
}

function itt(k1: number, n1: number, k0: number, n0: number, v1: number, v0: number, zAv: number | null): Itt {
  const est = k1 / n1 - k0 / n0
  const se = Math.sqrt(v1 / n1 + v0 / n0)
  const fixed = newcombeDifference(k1, n1, k0, n0, Z95)
  const alwaysValid = zAv === null ? { low: null, high: null } : { low: Math.max(-1, est - zAv * se), high: Math.min(1, est + zAv * se) }
  return { estimate: est, se, fixed: { low: fixed.low, high: fixed.high }, alwaysValid }
}

/**
 * Instrumental-variable analysis of a nudge with a random holdout (an encouragement design:
 * Angrist, Imbens & Rubin 1996). Assignment Z (not held out = 1) moves adoption D; the ratio of its
 * effects on retention Y and on D is the effect of using the feature among compliers (the users
 * the nudge moves), under the exclusion restriction (the nudge acts on return only through use).
 * Intervals for the ratios are Fieller sets, which equal the Anderson–Rubin sets here and keep
 * their coverage however weak the first stage; the always-valid versions swap 1.96 for the
 * normal-mixture boundary, tuned to `plannedN` users in all.
 */
export function encouragementIv(assigned: EncouragementArm, heldOut: EncouragementArm, plannedN = 1000): IvEstimate {
  check(assigned, 'assigned')
  check(heldOut, 'held-out')
  const a = assigned
  const h = heldOut
  const none = { estimate: null, se: null, fixed: { low: null, high: null }, alwaysValid: { low: null, high: null } }
  if (a.n < 2 || h.n < 2) {
    return {
      ittAdoption: none, ittRetention: none, firstStageF: null, weakInstrument: true,
      cace: { estimate: null, fixed: ALL, alwaysValid: ALL },
      caceRatio: { estimate: null, compliers: { share: null, retainedUsing: null, retainedNotUsing: null }, fixed: ALL, alwaysValid: ALL },
      criticalValues: { fixed: Z95, alwaysValid: null },
    }
  }
  const zAv = mixtureCriticalValue(a.n + h.n, 0.05, plannedN)
  // Per-arm (co)variances of D, Y, W1 = D·Y and W2 = (1 − D)·Y; W1 and W2 are never both 1.
  const arm = (x: EncouragementArm) => {
    const w2 = x.retained - x.adoptedRetained
    return {
      dd: cov(x.n, x.adopted, x.adopted, x.adopted),
      yy: cov(x.n, x.retained, x.retained, x.retained),
      dy: cov(x.n, x.adopted, x.retained, x.adoptedRetained),
      w1: cov(x.n, x.adoptedRetained, x.adoptedRetained, x.adoptedRetained),
      w2: cov(x.n, w2, w2, w2),
      w12: cov(x.n, x.adoptedRetained, w2, 0),
      mw1: x.adoptedRetained / x.n,
      mw2: w2 / x.n,
    }
  }
  const va = arm(a)
  const vh = arm(h)
  const ittD = itt(a.adopted, a.n, h.adopted, h.n, va.dd, vh.dd, zAv)
  const ittY = itt(a.retained, a.n, h.retained, h.n, va.yy, vh.yy, zAv)
  const d = ittD.estimate!
  const y = ittY.estimate!
  const vDD = va.dd / a.n + vh.dd / h.n
  const vYY = va.yy / a.n + vh.yy / h.n
  const vYD = va.dy / a.n + vh.dy / h.n
  const f = vDD > 0 ? (d * d) / vDD : d !== 0 ? Number.POSITIVE_INFINITY : null
  // Complier means: π·E[Y(1)|C] = ΔE[D·Y], π·E[Y(0)|C] = −ΔE[(1 − D)·Y].
  const num = va.mw1 - vh.mw1
  const den = vh.mw2 - va.mw2
  const vNum = va.w1 / a.n + vh.w1 / h.n
  const vDen = va.w2 / a.n + vh.w2 / h.n
  const cNumDen = -(va.w12 / a.n + vh.w12 / h.n)
  return {
    ittAdoption: ittD,
    ittRetention: ittY,
    firstStageF: f,
    weakInstrument: f === null || f < WEAK_F,
    cace: {
      estimate: d !== 0 ? y / d : null,
      fixed: fiellerSet(y, d, vYY, vDD, vYD, Z95),
      alwaysValid: fiellerSet(y, d, vYY, vDD, vYD, zAv),
    },
    caceRatio: {
      estimate: den > 0 && num >= 0 ? num / den : null,
      compliers: { share: d, retainedUsing: d > 0 ? num / d : null, retainedNotUsing: d > 0 ? den / d : null },
      fixed: fiellerSet(num, den, vNum, vDen, cNumDen, Z95),
      alwaysValid: fiellerSet(num, den, vNum, vDen, cNumDen, zAv),
    },
    criticalValues: { fixed: Z95, alwaysValid: zAv },
  }
}
