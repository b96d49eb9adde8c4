import { createFeature, highRetentionReport, type Store } from '@tenure/analysis'
import { DAY_MS, formatDay, parseDay } from '../dates.js'
import { BulkSink } from '../sinks/bulk.js'
import { worldSessions, type WorldSpec, type WorldTruth } from './confounding.js'

export interface WorldFeatureResult {
  id: string
  effect: number
  /** Adopters in the report (first-week users among eligible new users). */
  adopters: number
  crudeLift: number | null
  crudeQ: number | null
  /** What a crude report would flag: crude q < 0.05 and lift > 1. */
  crudeFlag: boolean
  adjustedLift: number | null
  adjustedLow: number | null
  adjustedQ: number | null
  /** BH q of the placebo check. */
  placeboP: number | null
  eValue: number | null
  flagged: boolean
}

export interface WorldResult {
  kind: string
  seed: number
  events: number
  ms: number
  features: WorldFeatureResult[]
}

/**
 * Writes a confounding world into `project` with the collector's row builder, defines its
 * features, and runs the high-retention report on its cohort (joins on days 0…joinDays−1,
 * day-14 retention, adoption in days 0–6).
 */
export async function runWorld(store: Store, project: string, spec: WorldSpec): Promise<WorldResult> {
  const truth: WorldTruth = { features: [] }
  const sink = new BulkSink({ store, projectId: project, rowsPerInsert: 100_000 })
  for (const s of worldSessions(spec, truth)) await sink.write(s)
  const events = await sink.flush()
  for (const f of spec.features) {
    await createFeature(store.client, project, { id: f.id, name: f.id, rules: [{ type: 'event', name: `feature:${f.id}` }] })
  }
  const start = parseDay(spec.endDate) - spec.days * DAY_MS
  const t0 = performance.now()
  const report = await highRetentionReport(store.client, {
    project,
    from: formatDay(start),
    to: formatDay(start + (spec.joinDays - 1) * DAY_MS),
    n: 14,
    window: 7,
    asOf: spec.endDate,
    timezone: 'UTC',
  })
  const ms = performance.now() - t0
  const effect = new Map(truth.features.map((f) => [f.id, f.effect]))
  return {
    kind: spec.kind,
    seed: spec.seed,
    events,
    ms,
    features: report.features.map((f) => ({
      id: f.featureId,
      effect: effect.get(f.featureId) ?? 1,
      adopters: f.adopters.n,
      crudeLift: f.lift,
      crudeQ: f.q,
      crudeFlag: f.q !== null && f.q < 0.05 && (f.lift ?? 0) > 1,
      adjustedLift: f.adjusted.lift,
      adjustedLow: f.adjusted.low,
      adjustedQ: f.adjusted.q,
      placeboP: f.adjusted.placebo?.q ?? null,
      eValue: f.adjusted.eValue,
      flagged: f.highRetention,
    })),
  }
}
