import type { ClickHouseClient } from '@clickhouse/client'
import { wilson, type Proportion } from '../stats/wilson.js'
import { retentionCells, type RetentionCell } from './cells.js'
import { activityCtes } from '../activity/rows.sql.js'
import { firstActivityComplete, rollupCoverage, type RollupCoverage } from '../rollup/status.js'
import { prepareFeatures, resolveContext, targetParams, type ReportContext, statedContext, type StatedContext } from './context.js'
import { featureRetentionByPersonSql, featureRetentionSql } from './feature-retention.sql.js'
import { FeatureRetentionParams, parseParams } from './params.js'
import { resolveSegment, segmentParams, type AppliedSegment } from '../segments/resolve.js'
import type { SegmentSelector } from '../segments/definition.js'

export interface FeatureRetentionRow {
  featureId: string
  name: string
  version: number
  /** Users active in [from, to]. */
  activeUsers: number
  /** Active users who used the feature in [from, to]; adoption = adopters / activeUsers (Wilson). */
  adopters: number
  adoption: Proportion
  /** Users whose first use of the feature ever is in [from, to]: the retention cohort. */
  newAdopters: number
  cells: RetentionCell[]
}

export interface FeatureRetentionReport extends StatedContext {
  report: 'feature-retention'
  /** Whether the activity rollup holds every stored event yet; the figures cover what it holds. */
  activity: RollupCoverage
  from: string
  to: string
  days: number[]
  mode: 'on' | 'on_or_after'
  return: 'feature' | 'any'
  features: FeatureRetentionRow[]
  /** The segment the people were restricted to; null for everyone. */
  segment: AppliedSegment | null
}

/**
 * Per-feature retention (metrics spec §3): for each feature, adoption among active users with a
 * Wilson interval, and day-N retention of its new adopters (start = first use of the feature,
 * return = the same feature, or any activity with `return: 'any'`), counts beside every rate.
 */
export async function featureRetentionReport(
  client: ClickHouseClient,
  input: FeatureRetentionParams & { project: string } & SegmentSelector,
): Promise<FeatureRetentionReport> {
  const p = parseParams(FeatureRetentionParams, input)
  const ctx = await resolveContext(client, input.project, p)
  const [features, activity, segment, byPerson] = await Promise.all([
    prepareFeatures(client, ctx, p.features),
    rollupCoverage(client, ctx.project),
    resolveSegment(client, ctx, input),
    firstActivityComplete(client, ctx.project),
  ])
  const base = {
    report: 'feature-retention' as const,
    ...statedContext(ctx),
    activity,
    from: p.from,
    to: p.to,
    days: p.days,
    mode: p.mode,
    return: p.return,
    segment: segment?.applied ?? null,
  }
  if (features.length === 0) return { ...base, features: [] }
  const shape = { mode: p.mode, returnAny: p.return === 'any', segment: segment?.filter.sql }
  const rs = await client.query({
    query: byPerson
      ? featureRetentionByPersonSql(shape, features, ctx.combos)
      : featureRetentionSql(shape, activityCtes(features, ctx.combos)),
    query_params: { ...targetParams(ctx, features), from: p.from, to: p.to, days: p.days, ...segmentParams(segment?.filter) },
    format: 'JSONEachRow',
  })
  type Row = { t: number; active_users: string; adopters: string; new_adopters: string; eligible: string[]; retained: string[] }
  const byTarget = new Map((await rs.json<Row>()).map((r) => [Number(r.t), r]))
  const active = Number(byTarget.get(1)?.active_users ?? 0)
  return {
    ...base,
    features: features.map((f, i) => {
      const r = byTarget.get(i + 2)
      const adopters = Number(r?.adopters ?? 0)
      const newAdopters = Number(r?.new_adopters ?? 0)
      return {
        featureId: f.id,
        name: f.name,
        version: f.version,
        activeUsers: active,
        adopters,
        adoption: wilson(adopters, active),
        newAdopters,
        cells: retentionCells(p.days, newAdopters, (r?.eligible ?? []).map(Number), (r?.retained ?? []).map(Number)),
      }
    }),
  }
}
