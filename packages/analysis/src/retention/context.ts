import type { ClickHouseClient } from '@clickhouse/client'
import { activityParams } from '../activity/rows.sql.js'
import { AnalysisError } from '../errors.js'
import type { FeatureDefinition } from '../features/rules.js'
import { listFeatures } from '../features/store.js'
import { combosComplete } from '../rollup/status.js'

/** Where and when a report looks: project, time zone, the as-of instant and its calendar day. */
export interface ReportContext {
  project: string
  timezone: string
  /** ISO instant (UTC). */
  asOf: string
  /** The as-of instant's day in the time zone; only days before it are complete and count. */
  asOfDay: string
  /** Rollup rows are tested through `activity_combos` (complete for the project, see `combosComplete`). */
  combos: boolean
}

export async function projectTimezone(client: ClickHouseClient, project: string): Promise<string> {
  const rs = await client.query({
    query: 'SELECT timezone FROM projects FINAL WHERE id = {project:String} LIMIT 1',
    query_params: { project },
    format: 'JSONEachRow',
  })
  const [row] = await rs.json<{ timezone: string }>()
  return row?.timezone || 'UTC'
}

function checkTimezone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
  } catch {
    throw new AnalysisError('invalid', `unknown time zone "${tz}"`, 'timezone')
  }
}

/** The context as a report states it: how its rows are read is no concern of the report's reader. */
export type StatedContext = Omit<ReportContext, 'combos'>

export function statedContext(ctx: ReportContext): StatedContext {
  return { project: ctx.project, timezone: ctx.timezone, asOf: ctx.asOf, asOfDay: ctx.asOfDay }
}

/** Resolves the time zone (parameter, else the project's, else UTC) and the as-of instant (default now). */
export async function resolveContext(
  client: ClickHouseClient,
  project: string,
  p: { timezone?: string | undefined; asOf?: string | undefined },
): Promise<ReportContext> {
  const timezone = p.timezone ?? (await projectTimezone(client, project))
  checkTimezone(timezone)
  // Read beside the as-of instant; should it fail, rows are tested on their own columns (the same figures).
  const combos = combosComplete(client, project).catch(() => false)
  let row: { as_of: string; as_of_day: string } | undefined
  try {
    const rs = await client.query({
      query: `WITH ${p.asOf === undefined ? 'toTimeZone(now64(3), {tz:String})' : 'parseDateTime64BestEffort({as_of:String}, 3, {tz:String})'} AS t
        SELECT toString(toTimeZone(t, 'UTC')) AS as_of, toString(toDate(t)) AS as_of_day`,
      query_params: { tz: timezone, as_of: p.asOf ?? '' },
      format: 'JSONEachRow',
    })
    ;[row] = await rs.json<{ as_of: string; as_of_day: string }>()
  } catch (e) {
    const msg = String((e as Error).message)
    if (/time ?zone/i.test(msg)) throw new AnalysisError('invalid', `unknown time zone "${timezone}"`, 'timezone')
    throw new AnalysisError('invalid', `cannot read asOf "${p.asOf}"`, 'asOf')
  }
  return { project, timezone, asOf: row!.as_of.replace(' ', 'T') + 'Z', asOfDay: row!.as_of_day, combos: await combos }
}

/**
 * Loads the named features (all current ones when `ids` is undefined), failing on unknown ids.
 * Nothing is built for them: reports read their use from the activity rollup (`activity/rows.sql.ts`).
 */
export async function prepareFeatures(
  client: ClickHouseClient,
  ctx: ReportContext,
  ids: readonly string[] | undefined,
): Promise<FeatureDefinition[]> {
  const features = await listFeatures(client, ctx.project, ids ? { ids } : {})
  if (ids) {
    const known = new Set(features.map((f) => f.id))
    const missing = ids.find((id) => !known.has(id))
    if (missing !== undefined) throw new AnalysisError('not_found', `no feature ${missing}`, 'features')
    features.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
  }
  return features
}

/** Query parameters of a report's context and of the activity CTEs of its features (`activityCtes(features)`). */
export function targetParams(ctx: ReportContext, features: readonly FeatureDefinition[]): Record<string, unknown> {
  return { ...activityParams(features), project: ctx.project, tz: ctx.timezone, as_of_day: ctx.asOfDay, as_of: ctx.asOf.replace('T', ' ').replace('Z', '') }
}
