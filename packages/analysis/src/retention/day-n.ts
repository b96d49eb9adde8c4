import type { ClickHouseClient } from '@clickhouse/client'
import type { FeatureDefinition } from '../features/rules.js'
import { retentionCells, type RetentionCell } from './cells.js'
import { activityCtes } from '../activity/rows.sql.js'
import { rollupCoverage, type RollupCoverage } from '../rollup/status.js'
import { prepareFeatures, resolveContext, targetParams, type ReportContext, statedContext, type StatedContext } from './context.js'
import { dayNSql } from './day-n.sql.js'
import { parseParams, RetentionParams } from './params.js'
import { resolveSegment, segmentParams, type AppliedSegment } from '../segments/resolve.js'
import type { SegmentSelector } from '../segments/definition.js'

export interface RetentionCohort {
  /** First day of the cohort (day, Monday of the week, or first of the month). */
  cohort: string
  /** Users (first-time) or start days (recurring) in the cohort. */
  size: number
  cells: RetentionCell[]
}

export interface RetentionReport extends StatedContext {
  report: 'retention'
  /** Whether the activity rollup holds every stored event yet; the figures cover what it holds. */
  activity: RollupCoverage
  from: string
  to: string
  days: number[]
  mode: 'on' | 'on_or_after'
  start: 'first' | 'recurring'
  cohortBy: 'day' | 'week' | 'month'
  /** Feature id of the start and return events; null = any activity. */
  startFeature: string | null
  returnFeature: string | null
  cohorts: RetentionCohort[]
  total: RetentionCohort
  /** The segment the people were restricted to; null for everyone. */
  segment: AppliedSegment | null
}

/**
 * Day-N retention (metrics spec §2): cohorts by start day/week/month, N = each of `days`,
 * retained on day N or on any day ≥ N, first-time or recurring starts, calendar days in the
 * project's time zone, censored starts counted apart. Defaults: product retention (start = first
 * activity, return = any activity), weekly cohorts.
 */
export async function retentionReport(
  client: ClickHouseClient,
  input: RetentionParams & { project: string } & SegmentSelector,
): Promise<RetentionReport> {
  const p = parseParams(RetentionParams, input)
  const ctx = await resolveContext(client, input.project, p)
  const ids = [...new Set([p.startFeature, p.returnFeature].filter((x): x is string => x !== undefined))]
  const [features, activity, segment]: [FeatureDefinition[], RollupCoverage, Awaited<ReturnType<typeof resolveSegment>>] = await Promise.all([
    prepareFeatures(client, ctx, ids),
    rollupCoverage(client, ctx.project),
    resolveSegment(client, ctx, input),
  ])
  const position = (id: string | undefined): number => (id === undefined ? 1 : 2 + features.findIndex((f) => f.id === id))
  const rs = await client.query({
    query: dayNSql({ cohort: p.cohort, mode: p.mode, start: p.start, segment: segment?.filter.sql }, activityCtes(features, ctx.combos)),
    query_params: {
      ...targetParams(ctx, features),
      s: position(p.startFeature),
      r: position(p.returnFeature),
      from: p.from,
      to: p.to,
      days: p.days,
      ...segmentParams(segment?.filter),
    },
    format: 'JSONEachRow',
  })
  const rows = await rs.json<{ cohort: string; size: string; eligible: string[]; retained: string[] }>()
  const cohorts = rows.map((r) => ({
    cohort: r.cohort,
    size: Number(r.size),
    cells: retentionCells(p.days, Number(r.size), r.eligible.map(Number), r.retained.map(Number)),
  }))
  const size = cohorts.reduce((s, c) => s + c.size, 0)
  const sumOf = (key: 'eligible' | 'retained') => p.days.map((_, i) => cohorts.reduce((s, c) => s + c.cells[i]![key], 0))
  return {
    report: 'retention',
    ...statedContext(ctx),
    activity,
    from: p.from,
    to: p.to,
    days: p.days,
    mode: p.mode,
    start: p.start,
    cohortBy: p.cohort,
    startFeature: p.startFeature ?? null,
    returnFeature: p.returnFeature ?? null,
    segment: segment?.applied ?? null,
    cohorts,
    total: { cohort: 'all', size, cells: retentionCells(p.days, size, sumOf('eligible'), sumOf('retained')) },
  }
}
