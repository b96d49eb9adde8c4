import type { ClickHouseClient } from '@clickhouse/client'
import { z } from 'zod'
import { AnalysisError } from '../errors.js'
import { listFeatures } from '../features/store.js'
import { resolveContext, type ReportContext, statedContext, type StatedContext } from '../retention/context.js'
import { AsOf } from '../retention/params.js'
import { parseParams } from '../retention/parse.js'
import { compareProportions } from '../stats/compare.js'
import type { Difference } from '../stats/newcombe.js'
import { normalSurvival } from '../stats/normal.js'
import type { Proportion } from '../stats/wilson.js'
import type { NudgeStatus } from './config.js'
import { nudgeExperiment, type NudgeExperiment } from './experiment.js'
import { nudgeReportSql } from './report.sql.js'
import { getNudge } from './store.js'
import { metricProgress, progressText, type MetricProgress } from './progress.js'
import { resolveSegment, segmentParams, type AppliedSegment } from '../segments/resolve.js'
import { rollupCoverage, type RollupCoverage } from '../rollup/status.js'
import type { SegmentSelector } from '../segments/definition.js'

const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

export const NudgeReportParams = z.object({
  nudgeId: z.string().min(1).max(64),
  asOf: AsOf.optional(),
  timezone: z.string().min(1).max(64).optional(),
  /** Adoption counts use of the target feature on days 0 … adoptionDays−1 after exposure. */
  adoptionDays: Int(1, 90).default(7),
  /** N of day-N retention (day 0 = first activity). */
  retentionDay: Int(0, 3650).default(7),
  mode: z.enum(['on', 'on_or_after']).default('on'),
  /** Users per arm (not censored) below which a metric says "not enough data yet". */
  minN: Int(1, 1_000_000).default(30),
  /** The complier effect (retention risk difference) the experiment's plan is sized for. */
  targetCace: z.coerce.number().min(0.001).max(1).default(0.05),
})
export type NudgeReportParams = z.input<typeof NudgeReportParams>

/** Shown vs held out on one metric: both rates with Wilson intervals, the difference with Newcombe's interval, a p-value. */
export interface NudgeMetric {
  shown: Proportion
  heldOut: Proportion
  /** Users whose window is not over at as-of, left out of n. */
  censored: { shown: number; heldOut: number }
  enoughData: boolean
  /** shown − held out; null while there is not enough data. */
  difference: Difference | null
  lift: number | null
  p: number | null
  test: 'z' | 'fisher' | null
}

export interface NudgeReport extends StatedContext {
  report: 'nudge'
  /** The segment the exposed people were restricted to; null for everyone. */
  segment?: AppliedSegment | null
  /** Whether the activity rollup holds every stored event yet; the activity and adoption figures cover what it holds. */
  activity: RollupCoverage
  nudge: { id: string; name: string; status: NudgeStatus; featureId: string; holdoutShare: number; startedAt: string | null; stoppedAt: string | null }
  adoptionDays: number
  retentionDay: number
  mode: 'on' | 'on_or_after'
  minN: number
  counts: {
    /** Users who met every condition at display time: shown, held out or (rarely) both. */
    eligible: number
    shown: number
    heldOut: number
    /** Recorded in both arms (e.g. a cleared browser after identify); left out of the comparison. */
    conflicting: number
    clicked: number
    dismissed: number
  }
  adoption: NudgeMetric
  retention: NudgeMetric
  /** Until lift is measurable: more users needed per arm, per metric, and roughly when at the rate since the start. */
  progress: { adoption: MetricProgress; retention: MetricProgress }
  /** Sample-ratio check: the held-out share against the configured one; a tiny p means assignment went wrong. */
  assignment: { expectedHeldOut: number; observedHeldOut: number | null; p: number | null; mismatched: number }
  status: 'ok' | 'not_enough_data'
  message: string
  /** Assigned vs held out as a randomised encouragement design: ITT, first stage, CACE, plan. */
  experiment: NudgeExperiment
}

interface ArmRow {
  arm: 'shown' | 'held_out' | 'conflicting'
  users: string
  clicked: string
  dismissed: string
  adopt_n: string
  adopt_k: string
  adopt_censored: string
  ret_n: string
  ret_k: string
  ret_censored: string
  mismatched: string
  iv_n: string
  iv_adopted: string
  iv_retained: string
  iv_both: string
}

type Counts = { [K in Exclude<keyof ArmRow, 'arm'>]: number }
const EMPTY: Counts = { users: 0, clicked: 0, dismissed: 0, adopt_n: 0, adopt_k: 0, adopt_censored: 0, ret_n: 0, ret_k: 0, ret_censored: 0, mismatched: 0, iv_n: 0, iv_adopted: 0, iv_retained: 0, iv_both: 0 }

function toCounts(r: ArmRow | undefined): Counts {
  if (!r) return EMPTY
  const c = { ...EMPTY }
  for (const k of Object.keys(EMPTY) as (keyof Counts)[]) c[k] = Number(r[k])
  return c
}

const ivArm = (c: Counts) => ({ n: c.iv_n, adopted: c.iv_adopted, retained: c.iv_retained, adoptedRetained: c.iv_both })

/** Compares the arms on k of n; withholds difference, lift and p below `minN` per arm. */
export function nudgeMetric(shown: { k: number; n: number; censored: number }, held: { k: number; n: number; censored: number }, minN: number): NudgeMetric {
  const cmp = compareProportions(shown.k, shown.n, held.k, held.n)
  const enoughData = shown.n >= minN && held.n >= minN
  return {
    shown: cmp.group,
    heldOut: cmp.baseline,
    censored: { shown: shown.censored, heldOut: held.censored },
    enoughData,
    difference: enoughData ? cmp.difference : null,
    lift: enoughData ? cmp.lift : null,
    p: enoughData ? cmp.p : null,
    test: enoughData ? cmp.test : null,
  }
}

/** Two-sided p of a one-sample test of the held-out share against the configured share. */
export function sampleRatioP(held: number, total: number, share: number): number | null {
  if (total === 0 || share <= 0 || share >= 1) return null
  const z = (held / total - share) / Math.sqrt((share * (1 - share)) / total)
  return Math.min(1, 2 * normalSurvival(Math.abs(z)))
}

const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`)

/**
 * The nudge report (metrics spec §7): eligible, shown and held-out users; for shown vs held out,
 * target-feature adoption after exposure and day-N retention, each with Wilson intervals, the
 * difference with its interval and a p-value; "not enough data yet" below `minN` users per arm.
 * Arms come from the recorded `$nudge_shown` / `$nudge_held_out` events; the holdout is random
 * (a hash), so a difference here is the nudge's effect, within its interval.
 */
export async function nudgeReport(client: ClickHouseClient, input: NudgeReportParams & { project: string } & SegmentSelector): Promise<NudgeReport> {
  return (await prepareNudgeReport(client, input))()
}

/**
 * The nudge report with its small reads done (the nudge, its feature, the context, the segment)
 * and its one large query not yet sent. The embedded engine answers one query at a time, so a
 * caller with a larger query of its own sends that first and this right behind it, and its
 * JavaScript then runs while the engine answers this one.
 */
export async function prepareNudgeReport(client: ClickHouseClient, input: NudgeReportParams & { project: string } & SegmentSelector): Promise<() => Promise<NudgeReport>> {
  const { project, segment: segmentId, segmentDef, ...rest } = input
  const p = parseParams(NudgeReportParams, rest)
  const nudge = await getNudge(client, project, p.nudgeId)
  if (!nudge) throw new AnalysisError('not_found', `no nudge ${p.nudgeId}`, 'nudgeId')
  const ctx = await resolveContext(client, project, { timezone: p.timezone, asOf: p.asOf })
  // A deleted target feature still has its last definition; the report keeps measuring with it.
  const [feature] = await listFeatures(client, project, { ids: [nudge.featureId], includeDeleted: true })
  if (!feature) throw new AnalysisError('not_found', `no feature ${nudge.featureId}`, 'featureId')
  // A segment restricts who is compared: exposed people (both arms) who are in it as of the report.
  const segment = await resolveSegment(client, ctx, { segment: segmentId, segmentDef })
  const q = nudgeReportSql({
    project,
    nudgeId: nudge.id,
    featureRules: feature.rules,
    timezone: ctx.timezone,
    asOf: ctx.asOf,
    asOfDay: ctx.asOfDay,
    adoptionDays: p.adoptionDays,
    retentionDay: p.retentionDay,
    mode: p.mode,
    holdoutShare: nudge.holdoutShare,
    segment: segment?.filter.sql,
  })
  const activity = await rollupCoverage(client, project)
  return async () => {
    const rows = await (await client.query({ query: q.sql, query_params: { ...q.params, ...segmentParams(segment?.filter) }, format: 'JSONEachRow' })).json<ArmRow>()
    const shown = toCounts(rows.find((r) => r.arm === 'shown'))
    const held = toCounts(rows.find((r) => r.arm === 'held_out'))
    const conflicting = toCounts(rows.find((r) => r.arm === 'conflicting'))

    const adoption = nudgeMetric(
      { k: shown.adopt_k, n: shown.adopt_n, censored: shown.adopt_censored },
      { k: held.adopt_k, n: held.adopt_n, censored: held.adopt_censored },
      p.minN,
    )
    const retention = nudgeMetric(
      { k: shown.ret_k, n: shown.ret_n, censored: shown.ret_censored },
      { k: held.ret_k, n: held.ret_n, censored: held.ret_censored },
      p.minN,
    )
    const assigned = shown.users + held.users
    const enough = adoption.enoughData && retention.enoughData
    const asOfMs = Date.parse(ctx.asOf)
    const progressOf = (m: 'adopt' | 'ret', windowDays: number) =>
      metricProgress(
        { users: shown.users, measured: shown[`${m}_n`], waiting: shown[`${m}_censored`] },
        { users: held.users, measured: held[`${m}_n`], waiting: held[`${m}_censored`] },
        { minN: p.minN, windowDays, startedAt: nudge.startedAt, asOfMs: Number.isFinite(asOfMs) ? asOfMs : Date.now() },
      )
    const progress = { adoption: progressOf('adopt', p.adoptionDays), retention: progressOf('ret', p.retentionDay + 1) }
    const message = enough
      ? `Adoption of ${nudge.featureId} within ${p.adoptionDays} days: shown ${pct(adoption.shown.rate)} vs held out ${pct(adoption.heldOut.rate)}; ` +
        `day-${p.retentionDay} retention: shown ${pct(retention.shown.rate)} vs held out ${pct(retention.heldOut.rate)}.`
      : `Not enough data yet: each arm needs at least ${p.minN} users whose window is over ` +
        `(adoption: ${adoption.shown.n} shown, ${adoption.heldOut.n} held out; day-${p.retentionDay} retention: ${retention.shown.n} shown, ${retention.heldOut.n} held out). ` +
        [progressText('Adoption', progress.adoption, p.minN), progressText(`Day-${p.retentionDay} retention`, progress.retention, p.minN)].join(' ')
    return {
      report: 'nudge',
      segment: segment?.applied ?? null,
      ...statedContext(ctx),
      activity,
      nudge: {
        id: nudge.id, name: nudge.name, status: nudge.status, featureId: nudge.featureId, holdoutShare: nudge.holdoutShare,
        startedAt: nudge.startedAt, stoppedAt: nudge.stoppedAt,
      },
      adoptionDays: p.adoptionDays,
      retentionDay: p.retentionDay,
      mode: p.mode,
      minN: p.minN,
      counts: {
        eligible: assigned + conflicting.users,
        shown: shown.users,
        heldOut: held.users,
        conflicting: conflicting.users,
        clicked: shown.clicked,
        dismissed: shown.dismissed,
      },
      adoption,
      retention,
      progress,
      assignment: {
        expectedHeldOut: nudge.holdoutShare,
        observedHeldOut: assigned ? held.users / assigned : null,
        p: sampleRatioP(held.users, assigned, nudge.holdoutShare),
        mismatched: shown.mismatched + held.mismatched,
      },
      status: enough ? 'ok' : 'not_enough_data',
      message,
      experiment: nudgeExperiment({
        assigned: ivArm(shown),
        heldOut: ivArm(held),
        eligible: assigned,
        pending: assigned - shown.iv_n - held.iv_n,
        holdoutShare: nudge.holdoutShare,
        startedAt: nudge.startedAt,
        stoppedAt: nudge.stoppedAt,
        asOf: ctx.asOf,
        adoptionDays: p.adoptionDays,
        retentionDay: p.retentionDay,
        minN: p.minN,
        targetCace: p.targetCace,
      }),
    }
  }
}
