import type { ClickHouseClient } from '@clickhouse/client'
import type { RatioSet } from '../stats/fieller.js'
import type { ExperimentEvidence } from '../nudges/experiment.js'
import { prepareNudgeReport } from '../nudges/report.js'
import { listNudges } from '../nudges/store.js'
import { pushTo } from '../multimap.js'
import { mapLimited } from '../limited.js'

/**
 * How far a feature's link to retention is established:
 * - `association` — "association (adjusted)": the observational comparison only, with its E-value;
 * - `confirmed` — "confirmed by experiment": a nudge towards the feature (running or finished)
 *   gives a CACE whose always-valid interval lies wholly above no effect;
 * - `not_confirmed` — "not confirmed": such an experiment's interval includes no effect.
 */
export type EvidenceLevel = 'association' | 'confirmed' | 'not_confirmed'

export const EVIDENCE_LABELS: Record<EvidenceLevel, string> = {
  association: 'association (adjusted)',
  confirmed: 'confirmed by experiment',
  not_confirmed: 'not confirmed',
}

export interface FeatureExperiment {
  nudgeId: string
  nudgeName: string
  status: string
  evidence: ExperimentEvidence
  cace: number | null
  alwaysValid: RatioSet
  firstStageF: number | null
  weakInstrument: boolean
  users: number
  message: string
}

export interface FeatureEvidence {
  level: EvidenceLevel
  label: string
  /** The adjusted comparison's E-value (point estimate), shown at every level. */
  eValue: number | null
  /** The experiment that decided the level; null at `association`. */
  experiment: FeatureExperiment | null
  /** Experiments towards the feature that have not yet reached enough users past day N. */
  pending: FeatureExperiment[]
  /** Set for a flagged feature no experiment confirms: a nudge towards it would test the flag. */
  testWithNudge: { featureId: string } | null
}

interface Row {
  featureId: string
  highRetention: boolean
  adjusted: { eValue: number | null }
}

/** Picks the level from a feature's experiments: the largest one with enough data decides. */
export function evidenceFor(row: Row, experiments: readonly FeatureExperiment[]): FeatureEvidence {
  const decided = experiments.filter((e) => e.evidence !== 'not_enough_data').sort((a, b) => b.users - a.users)
  const pending = experiments.filter((e) => e.evidence === 'not_enough_data')
  const best = decided[0] ?? null
  const level: EvidenceLevel = best === null ? 'association' : best.evidence === 'confirmed' ? 'confirmed' : 'not_confirmed'
  return {
    level,
    label: EVIDENCE_LABELS[level],
    eValue: row.adjusted.eValue,
    experiment: best,
    pending,
    testWithNudge: level !== 'confirmed' && row.highRetention ? { featureId: row.featureId } : null,
  }
}

export interface EvidenceOptions {
  timezone: string
  asOf: string
  retentionDay: number
  mode: 'on' | 'on_or_after'
}

/** Nudge reports computed side by side for the evidence. */
const PARALLEL_REPORTS = 3

/**
 * The experiments behind each feature: every nudge towards it that has been started, measured
 * by its report on the same day N, retention mode and as-of as the high-retention report.
 */
export async function featureExperiments(client: ClickHouseClient, project: string, featureIds: readonly string[], o: EvidenceOptions): Promise<Map<string, FeatureExperiment[]>> {
  return (await prepareExperiments(client, project, featureIds, o))()
}

/**
 * `featureExperiments` with each nudge report's small reads done and its large query not yet sent
 * (see `prepareNudgeReport`): the high-retention report sends its people query first.
 */
export async function prepareExperiments(client: ClickHouseClient, project: string, featureIds: readonly string[], o: EvidenceOptions): Promise<() => Promise<Map<string, FeatureExperiment[]>>> {
  const wanted = new Set(featureIds)
  const nudges = (await listNudges(client, project)).filter((n) => wanted.has(n.featureId) && n.startedAt !== null)
  const prepared = await mapLimited(nudges, PARALLEL_REPORTS, (n) =>
    prepareNudgeReport(client, { project, nudgeId: n.id, asOf: o.asOf, timezone: o.timezone, retentionDay: o.retentionDay, mode: o.mode }),
  )
  return async () => {
    // A few side by side: each holds its exposed people's activity while it runs.
    const reports = await mapLimited(prepared, PARALLEL_REPORTS, (run) => run())
    const out = new Map<string, FeatureExperiment[]>()
    nudges.forEach((n, i) => {
      const e = reports[i]!.experiment
      pushTo(out, n.featureId, {
        nudgeId: n.id, nudgeName: n.name, status: n.status, evidence: e.evidence, cace: e.cace.estimate, alwaysValid: e.cace.alwaysValid,
        firstStageF: e.firstStage.f, weakInstrument: e.firstStage.weak, users: e.n.assigned + e.n.heldOut, message: e.message,
      })
    })
    return out
  }
}

/** Attaches an evidence level to every feature row of the high-retention report. */
export async function withEvidence<R extends Row>(client: ClickHouseClient, project: string, rows: readonly R[], o: EvidenceOptions): Promise<(R & { evidence: FeatureEvidence })[]> {
  const experiments = await featureExperiments(client, project, rows.map((r) => r.featureId), o)
  return rows.map((r) => ({ ...r, evidence: evidenceFor(r, experiments.get(r.featureId) ?? []) }))
}
