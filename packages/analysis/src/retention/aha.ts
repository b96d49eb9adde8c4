import type { ClickHouseClient } from '@clickhouse/client'
import { wilson, type Proportion } from '../stats/wilson.js'
import { ahaThreshold } from './aha-threshold.js'
import { ahaSql } from './aha.sql.js'
import { activityCtes } from '../activity/rows.sql.js'
import { rollupCoverage, type RollupCoverage } from '../rollup/status.js'
import { prepareFeatures, resolveContext, targetParams, type ReportContext, statedContext, type StatedContext } from './context.js'
import { resolveSegment, segmentParams, type AppliedSegment } from '../segments/resolve.js'
import type { SegmentSelector } from '../segments/definition.js'
import { AhaParams, parseParams } from './params.js'

export interface AhaBucket {
  /** Uses in the window; the last bucket means "this many or more". */
  uses: number
  orMore: boolean
  users: number
  retained: number
  retention: Proportion
}

export interface AhaReport extends StatedContext {
  report: 'aha'
  /** Whether the activity rollup holds every stored event yet; the figures cover what it holds. */
  activity: RollupCoverage
  featureId: string
  name: string
  version: number
  from: string
  to: string
  n: number
  mode: 'on' | 'on_or_after'
  window: number
  minN: number
  censored: number
  buckets: AhaBucket[]
  /** See `ahaThreshold`; null when no count of uses retains significantly better than none. */
  threshold: number | null
  thresholdRule: string
  /** The segment the people were restricted to; null for everyone. */
  segment: AppliedSegment | null
}

/**
 * "Aha" thresholds (metrics spec §4): new users split by how many times they used a feature
 * in their first `window` days (0, 1, 2, … maxUses+), day-N retention per bucket with Wilson
 * intervals, and the smallest count after which retention stops rising.
 */
export async function ahaReport(client: ClickHouseClient, input: AhaParams & { project: string } & SegmentSelector): Promise<AhaReport> {
  const p = parseParams(AhaParams, input)
  const ctx = await resolveContext(client, input.project, p)
  const [[feature], activity, segment] = await Promise.all([
    prepareFeatures(client, ctx, [p.feature]),
    rollupCoverage(client, ctx.project),
    resolveSegment(client, ctx, input),
  ])
  const rs = await client.query({
    query: ahaSql(p.mode, activityCtes([feature!], ctx.combos), segment?.filter.sql),
    query_params: {
      ...targetParams(ctx, [feature!]),
      from: p.from,
      to: p.to,
      n: p.n,
      window: p.window,
      max_uses: p.maxUses,
      ...segmentParams(segment?.filter),
    },
    format: 'JSONEachRow',
  })
  const rows = (await rs.json<{ bucket: string; users: string; retained: string }>()).map((r) => ({
    bucket: Number(r.bucket),
    users: Number(r.users),
    retained: Number(r.retained),
  }))
  const buckets: AhaBucket[] = Array.from({ length: p.maxUses + 1 }, (_, uses) => {
    const r = rows.find((x) => x.bucket === uses)
    const users = r?.users ?? 0
    const retained = r?.retained ?? 0
    return { uses, orMore: uses === p.maxUses, users, retained, retention: wilson(retained, users) }
  })
  return {
    report: 'aha',
    ...statedContext(ctx),
    activity,
    featureId: feature!.id,
    name: feature!.name,
    version: feature!.version,
    from: p.from,
    to: p.to,
    n: p.n,
    mode: p.mode,
    window: p.window,
    minN: p.minN,
    segment: segment?.applied ?? null,
    censored: rows.find((x) => x.bucket === -1)?.users ?? 0,
    buckets,
    threshold: ahaThreshold(buckets, p.minN),
    thresholdRule:
      `smallest count of uses (with at least ${p.minN} users) after which no larger count retains significantly better ` +
      '(95% Newcombe interval); none when no count retains significantly better than zero uses',
  }
}
