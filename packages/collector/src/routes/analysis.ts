import { Hono, type Context } from 'hono'
import type { z } from 'zod'
import {
  AccountFeatureParams,
  accountFeatureReport,
  AhaParams,
  ahaReport,
  AnalysisError,
  FeatureRetentionParams,
  featureRetentionReport,
  HighRetentionParams,
  highRetentionReport,
  highRetentionBreakdown,
  featureRetentionBreakdown,
  retentionBreakdown,
  RetentionParams,
  retentionReport,
} from '@tenure/analysis'
import type { ClickHouseClient } from '@clickhouse/client'
import { requireSecretKey } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { HttpError } from '../errors.js'
import { describe, wireQuery } from '../openapi/describe.js'
import { breakdownQueryShape, retentionBreakdownQueryShape, segmentQueryShape } from './segment-query.js'

/**
 * Feature-retention reports (secret key; scoped to the key's project). GET with snake_case
 * query parameters; lists are comma-separated, day lists also as ranges (`0-14`); dates are
 * YYYY-MM-DD, `as_of` a date or an ISO instant. The answer is the report object the analysis
 * package returns.
 *
 *   GET /v1/analysis/retention          from, to, days, mode (on|on_or_after), start (first|recurring),
 *                                       cohort (day|week|month), start_feature, return_feature, as_of, timezone
 *   GET /v1/analysis/feature-retention  from, to, days, mode, return (feature|any), features, as_of, timezone
 *   GET /v1/analysis/high-retention     from, to, n, window, min_n, mode, features, placebos, as_of, timezone
 *   GET /v1/analysis/aha                feature, from, to, n, window, max_uses, min_n, mode, as_of, timezone
 *   GET /v1/analysis/account-features   from, to, days, mode, return, features, detail, as_of, timezone
 *
 * Every report also takes `segment` (a saved segment's id) or `segment_def` (a definition as JSON):
 * the people (accounts, for account features) are restricted to the segment's members as of `as_of`.
 * Retention, feature retention and high-retention also take `breakdown=<property>` (`max_groups`;
 * the first two also `min_n`): the report for everyone and for each of the property's most common values.
 */
interface Report {
  schema: z.ZodObject
  summary: string
  run(client: ClickHouseClient, params: Record<string, string> & { project: string }): Promise<unknown>
  /** With `breakdown`: the report per value of a property, and the parameters only a breakdown takes. */
  breakdown?: { shape: z.ZodRawShape; run(client: ClickHouseClient, params: Record<string, string> & { project: string }): Promise<unknown> }
}
const REPORTS: Record<string, Report> = {
  retention: {
    schema: RetentionParams,
    summary: 'Day-N retention by cohort (product retention, or from and back to given features); users whose day N is not over are censored',
    run: (c, p) => retentionReport(c, p as never),
    breakdown: { shape: retentionBreakdownQueryShape, run: (c, p) => retentionBreakdown(c, p as never) },
  },
  'feature-retention': {
    schema: FeatureRetentionParams,
    summary: 'Per feature: adoption among active users and day-N retention of its new adopters',
    run: (c, p) => featureRetentionReport(c, p as never),
    breakdown: { shape: retentionBreakdownQueryShape, run: (c, p) => featureRetentionBreakdown(c, p as never) },
  },
  'high-retention': {
    schema: HighRetentionParams,
    summary: 'Features whose first-week adopters retain better on day n, adjusted for first-week activity, with q-values and placebo checks',
    run: (c, p) => highRetentionReport(c, p as never),
    breakdown: { shape: breakdownQueryShape, run: (c, p) => highRetentionBreakdown(c, p as never) },
  },
  aha: {
    schema: AhaParams,
    summary: 'Day-n retention by number of uses of one feature in the first window days, and the threshold past which it stops rising',
    run: (c, p) => ahaReport(c, p as never),
  },
  'account-features': {
    schema: AccountFeatureParams,
    summary: 'Feature adoption and retention per account',
    run: (c, p) => accountFeatureReport(c, p as never),
  },
}

const camel = (k: string) => k.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase())
const snake = (k: string) => k.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`)

/** Query string → report parameters; an unknown parameter is refused rather than silently ignored. */
function reportParams(c: Context<AppEnv>, schema: z.ZodObject, extra: z.ZodRawShape = {}): Record<string, string> {
  const known = new Set([...Object.keys(schema.shape), ...Object.keys(segmentQueryShape).map(camel), ...Object.keys(extra).map(camel)])
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(c.req.query())) {
    const name = camel(k)
    if (!known.has(name)) throw new HttpError('invalid_query', `unknown parameter ${k}`, k)
    out[name] = v
  }
  return out
}

/** Analysis refusals keep their code; fields are named as on the wire. */
export async function analysisCall<T>(run: () => Promise<T>, where: 'query' | 'body'): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (!(err instanceof AnalysisError)) throw err
    const field = err.field && (where === 'query' ? snake(err.field) : err.field)
    const message = field && err.field ? err.message.replace(err.field, field) : err.message
    if (err.code !== 'invalid') throw new HttpError(err.code, message, field)
    throw new HttpError(where === 'query' ? 'invalid_query' : 'invalid_body', message, field)
  }
}

export function analysisRoutes(deps: Pick<AppDeps, 'projects' | 'store'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('/v1/analysis/*', requireSecretKey(deps.projects))
  for (const [name, report] of Object.entries(REPORTS)) {
    const doc = describe({
      tag: 'Analysis',
      summary: report.summary,
      description: 'An unknown parameter is refused (400 naming it) rather than ignored. The answer is the report object of `@tenure/analysis`.',
      auth: 'secret',
      query: wireQuery(report.schema).extend(segmentQueryShape).extend(report.breakdown?.shape ?? {}),
      ok: { description: 'The report.' },
    })
    app.get(`/v1/analysis/${name}`, ...doc, async (c) => {
      const breakdown = report.breakdown && c.req.query('breakdown') !== undefined ? report.breakdown : null
      const params = reportParams(c, report.schema, breakdown?.shape)
      const project = c.get('project')
      const run = breakdown?.run ?? report.run
      return c.json(await analysisCall(() => run(deps.store.client, { ...params, project: project.id }), 'query'))
    })
  }
  return app
}
