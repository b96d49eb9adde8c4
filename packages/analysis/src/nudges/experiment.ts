import { daysUntil, ivSampleSize, type IvPlan } from '../stats/iv-power.js'
import { encouragementIv, type EncouragementArm, type Itt, type IvEstimate } from '../stats/iv.js'
import type { RatioSet } from '../stats/fieller.js'
import { ratioSetContains } from '../stats/fieller.js'

/** What an experiment says about its target feature, for the evidence levels of the high-retention report. */
export type ExperimentEvidence = 'confirmed' | 'not_confirmed' | 'not_enough_data'

export interface NudgeExperimentInput {
  /** Users not held out (every eligible user the hash did not hold out is shown the nudge). */
  assigned: EncouragementArm
  heldOut: EncouragementArm
  /** Everyone assigned so far, windows over or not. */
  eligible: number
  /** Eligible users whose windows are still open. */
  pending: number
  holdoutShare: number
  startedAt: string | null
  stoppedAt: string | null
  asOf: string
  adoptionDays: number
  retentionDay: number
  minN: number
  /** The complier effect (risk difference in day-N retention) the plan is for. */
  targetCace: number
}

export interface NudgeExperiment {
  design: string
  n: { assigned: number; heldOut: number }
  ittAdoption: Itt
  ittRetention: Itt
  firstStage: { difference: number | null; f: number | null; weak: boolean; words: string }
  cace: IvEstimate['cace']
  caceRatio: IvEstimate['caceRatio']
  criticalValues: IvEstimate['criticalValues']
  /** Decided on the always-valid set, so it stays true however often the report was read. */
  evidence: ExperimentEvidence
  intervals: string
  plan: {
    targetCace: number
    needed: IvPlan | null
    have: number
    perDay: number | null
    /** Days from as-of until the fixed-horizon / always-valid sample has passed day N; null when unknown. */
    days: { fixed: number | null; alwaysValid: number | null }
    words: string
  }
  message: string
}

const DESIGN =
  'Randomised encouragement design: the holdout hash assigns users at random, so assigned vs held out estimates the ' +
  "nudge's effect on adoption (first stage) and on day-N retention (intention to treat); their ratio (Wald) is the effect " +
  'of using the feature among the users the nudge moves to use it (CACE), assuming the nudge changes return only through use.'

const INTERVALS =
  'Fixed-horizon: 95% intervals valid if the report is read once, at a size chosen in advance. Always-valid: 95% ' +
  'confidence sequences (normal mixture), valid at every look; evidence is decided on these. CACE sets are Fieller / ' +
  'Anderson–Rubin: unbounded when the instrument is weak, rather than falsely narrow.'

const pts = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)} pts`)
const DAY_MS = 86_400_000
/**
 * Where the always-valid boundary is tightest (users in both arms). It must be fixed before the
 * data are seen, not follow the growing count, or the sequence loses its guarantee; 1 000 is
 * the order of a first nudge's experiment, and the boundary stays valid at any other size.
 */
export const PLANNED_N = 1000

export function describeSet(s: RatioSet, fmt: (x: number) => string): string {
  if (s.kind === 'all') return 'any value (nothing learned yet)'
  if (s.kind === 'outside') return `outside (${fmt(s.low!)}, ${fmt(s.high!)})`
  return `[${fmt(s.low!)}, ${fmt(s.high!)}]`
}

/** The evidence an always-valid CACE set gives: confirmed only when it lies wholly above no effect. */
export function evidenceOf(s: RatioSet, enough: boolean): ExperimentEvidence {
  if (!enough) return 'not_enough_data'
  return s.kind === 'bounded' && s.low! > 0 && !ratioSetContains(s, 0) ? 'confirmed' : 'not_confirmed'
}

/** The nudge report's experiment section: ITT, first stage, CACE with fixed and always-valid intervals, and a plan. */
export function nudgeExperiment(i: NudgeExperimentInput): NudgeExperiment {
  const iv = encouragementIv(i.assigned, i.heldOut, PLANNED_N)
  const enough = i.assigned.n >= i.minN && i.heldOut.n >= i.minN
  const f = iv.firstStageF
  const d = iv.ittAdoption.estimate
  const firstWords =
    f === null
      ? 'No first stage yet.'
      : iv.weakInstrument
        ? `Instrument too weak: the nudge moved adoption by only ${pts(d)} (F = ${f.toFixed(1)}, below 10), so the effect of using the feature cannot be pinned down from it.`
        : `The nudge moved adoption by ${pts(d)} (F = ${f.toFixed(1)}): a strong enough instrument.`
  const evidence = evidenceOf(iv.cace.alwaysValid, enough)

  const baseline = i.heldOut.n > 0 ? i.heldOut.retained / i.heldOut.n : null
  const needed = d !== null && d > 0 && baseline !== null ? ivSampleSize({ cace: i.targetCace, firstStage: d, baseline, holdoutShare: i.holdoutShare }) : null
  const have = i.assigned.n + i.heldOut.n
  const end = i.stoppedAt ? Date.parse(i.stoppedAt) : Date.parse(i.asOf)
  const elapsed = i.startedAt ? (end - Date.parse(i.startedAt)) / DAY_MS : 0
  const perDay = elapsed >= 1 ? i.eligible / elapsed : null
  const running = i.startedAt !== null && i.stoppedAt === null
  const wait = Math.max(i.adoptionDays, i.retentionDay + 1)
  // Users already assigned but still inside their windows arrive without new traffic.
  const when = (n: number) => (have + i.pending >= n ? (have >= n ? 0 : wait) : running && perDay ? daysUntil(n, have + i.pending, perDay, wait) : null)
  const days = { fixed: needed ? when(needed.total) : null, alwaysValid: needed ? when(needed.alwaysValid.total) : null }
  const planWords = !needed
    ? 'No plan yet: it needs a positive first stage and a held-out retention rate.'
    : `To detect a CACE of ${pts(i.targetCace)} with 80% power: ${needed.assigned} assigned and ${needed.heldOut} held out ` +
      `(${needed.alwaysValid.assigned} and ${needed.alwaysValid.heldOut} when read continuously); ${have} have passed day ${i.retentionDay}. ` +
      (days.alwaysValid === 0
        ? 'Reached.'
        : days.alwaysValid === null
          ? running ? 'No arrival rate yet to say when.' : 'The nudge is not running, so no more users will arrive.'
          : perDay === null || have + i.pending >= needed.alwaysValid.total
            // Reached by the users already assigned once their windows are over, whatever the rate (there may be none yet).
            ? `The users already assigned reach it in about ${days.alwaysValid} days.`
            : `At today's rate (${perDay.toFixed(1)} eligible users a day) that is about ${days.alwaysValid} days from now.`)

  const ci = iv.cace.alwaysValid
  const message = !enough
    ? `Not enough data yet for the experiment: each arm needs ${i.minN} users past day ${i.retentionDay} (${i.assigned.n} assigned, ${i.heldOut.n} held out).`
    : `Using the feature changes day-${i.retentionDay} retention by ${pts(iv.cace.estimate)} among users the nudge moves ` +
      `(always-valid 95%: ${describeSet(ci, (x) => pts(x))}). ` +
      (evidence === 'confirmed' ? 'Confirmed by experiment.' : 'Not confirmed: the interval includes no effect or is not wholly above it.') +
      (iv.weakInstrument ? ' Instrument too weak.' : '')
  return {
    design: DESIGN,
    n: { assigned: i.assigned.n, heldOut: i.heldOut.n },
    ittAdoption: iv.ittAdoption,
    ittRetention: iv.ittRetention,
    firstStage: { difference: d, f, weak: iv.weakInstrument, words: firstWords },
    cace: iv.cace,
    caceRatio: iv.caceRatio,
    criticalValues: iv.criticalValues,
    evidence,
    intervals: INTERVALS,
    plan: { targetCace: i.targetCace, needed, have, perDay, days, words: planWords },
    message,
  }
}
