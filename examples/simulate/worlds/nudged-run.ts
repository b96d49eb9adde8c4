import { createFeature, createNudge, highRetentionReport, nudgeReport, startNudge, type HighRetentionReport, type NudgeReport, type Store } from '@tenure/analysis'
import { DAY_MS, formatDay, parseDay } from '../dates.js'
import { BulkSink } from '../sinks/bulk.js'
import { nudgedWorldSessions, type NudgedTruth, type NudgedWorldSpec } from './nudged.js'

export interface NudgedWorldResult {
  truth: NudgedTruth
  events: number
  highRetention: HighRetentionReport
  nudges: NudgeReport[]
}

/** Day N of the world's reports (the confounding worlds' day 14, adoption in days 0–6). */
export const NUDGED_DAY_N = 14

/**
 * Writes a nudged world into `project`, defines its features and nudges (started, with the
 * world's holdout share), and runs the high-retention report (with its evidence levels) and each
 * nudge's report as of `asOf` (default: the world's end).
 */
export async function runNudgedWorld(store: Store, project: string, spec: NudgedWorldSpec, asOf = spec.endDate): Promise<NudgedWorldResult> {
  const truth: NudgedTruth = { nudges: [] }
  const sink = new BulkSink({ store, projectId: project, rowsPerInsert: 100_000 })
  for (const s of nudgedWorldSessions(spec, truth)) await sink.write(s)
  const events = await sink.flush()
  for (const f of spec.features) {
    await createFeature(store.client, project, { id: f.id, name: f.id, rules: [{ type: 'event', name: `feature:${f.id}` }] })
    await createNudge(store.client, project, {
      id: f.nudgeId, name: `Try ${f.id}`, featureId: f.id, placement: { type: 'banner', position: 'bottom' },
      copy: { body: `Have you tried ${f.id}?` }, holdoutShare: spec.holdoutShare,
    })
    await startNudge(store.client, project, f.nudgeId)
  }
  return { truth, events, ...(await reportNudgedWorld(store, project, spec, asOf)) }
}

export async function reportNudgedWorld(store: Store, project: string, spec: NudgedWorldSpec, asOf: string): Promise<Omit<NudgedWorldResult, 'truth' | 'events'>> {
  const start = parseDay(spec.endDate) - spec.days * DAY_MS
  const highRetention = await highRetentionReport(store.client, {
    project, from: formatDay(start), to: formatDay(start + (spec.joinDays - 1) * DAY_MS), n: NUDGED_DAY_N, window: 7, asOf, timezone: 'UTC',
  })
  const nudges = []
  for (const f of spec.features) nudges.push(await nudgeReport(store.client, { project, nudgeId: f.nudgeId, asOf, timezone: 'UTC', retentionDay: NUDGED_DAY_N }))
  return { highRetention, nudges }
}
