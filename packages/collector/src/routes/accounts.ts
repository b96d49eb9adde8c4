import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import {
  accountDetail, detectSeatSharing, healthReport, revenueBreakdown, importAccountData, listImports, renewalsReport, revenueReport, ReportParamError, IMPORT_KINDS,
} from '@tenure/analysis'
import { requireSecretKey } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { errorBody, HttpError } from '../errors.js'
import { describe } from '../openapi/describe.js'
import { query } from './request.js'
import { analysisCall } from './analysis.js'
import { segmentQueryShape } from './segment-query.js'

/**
 * Accounts, contracts and renewals (secret key on every route; everything is scoped to the key's project).
 *
 *   POST /v1/accounts/import            CSV (?kind=accounts|contracts|renewals, else read from the header; as text/csv,
 *                                       or as JSON {"csv": "<file text>"} for clients that only send JSON)
 *                                       or a Stripe subscriptions export (?format=stripe or a JSON content type;
 *                                       ?account_id_key= picks the metadata key holding the group() id).
 *                                       200 {import_id, status: committed|unchanged, kind, rows, skipped};
 *                                       400 {error, row_errors: [{line, field, message}], error_count}: nothing stored.
 *   GET  /v1/accounts/imports           the latest imports and their status
 *   GET  /v1/accounts/:id               one account: contracts, month-end MRR, renewals, recent usage (?as_of, ?window_days)
 *   GET  /v1/reports/revenue            MRR/ARR, movements per month, renewal rates, logo churn, CRR, NRR/GRR, ARPA, LTV, LTV/CAC
 *                                       (?as_of, ?from, ?currency, ?gross_margin, ?cac, ?grace_days)
 *   GET  /v1/reports/renewals           usage before each renewal and renewal by feature use
 *                                       (?as_of, ?lookback_days, ?min_n, ?currency, ?help_paths, ?support_events)
 *   GET  /v1/reports/health             validated health score, temperature and quadrant per account
 *                                       (?as_of, ?components=a,b, ?weighting=fit|manual, ?weights=1,2, ?window_days, ?horizon_days,
 *                                        ?train_share, ?red_below, ?green_from, ?temperature_days, ?pricing_paths, ?upgrade_texts,
 *                                        ?upgrade_events, ?paid_features, ?health_threshold, ?temperature_threshold, ?seat_sharing=0)
 *   GET  /v1/reports/seat-sharing       users who look like several people on one seat, with evidence
 *                                       (?from, ?to — default the 30 days before today; ?min_overlap_seconds, ?min_overlap_days,
 *                                        ?heavy_factor, ?heavy_min_hours)
 * Dates are YYYY-MM-DD; lists are comma-separated.
 */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'is not a calendar date')
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)
const num = (min: number, max: number) => z.coerce.number().min(min).max(max)
const list = z.string().max(4000).transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))
const currency = z.string().regex(/^[A-Za-z]{3}$/, 'must be a three-letter currency code').transform((s) => s.toUpperCase())

const ImportQuery = z.object({
  kind: z.enum(IMPORT_KINDS).describe('What the CSV file holds; default read from its header').optional(),
  format: z.enum(['csv', 'stripe']).describe('Default `csv`, or `stripe` for a JSON body').optional(),
  account_id_key: z.string().min(1).max(200).describe('Stripe: the metadata key holding the group() account id').optional(),
})
const asOf = date.describe('Day the report is taken on (YYYY-MM-DD); default today')
const graceDays = int(0, 365).describe('Days after a due date within which a following contract still counts as the renewal')
const inCurrency = currency.describe('Three-letter currency of the report; default the one most contracts use')
const RevenueQuery = z.object({
  ...segmentQueryShape,
  breakdown: z.string().max(140).describe('Break the report down by an account property (default none; e.g. `account.plan`): everyone, then one group per value').optional(),
  max_groups: z.coerce.number().int().min(2).max(20).describe('With breakdown: at most this many groups, the most common values; default 10').optional(),
  as_of: asOf.optional(),
  from: date.describe('Start of the period for renewal and logo rates; default 12 months before as_of').optional(),
  currency: inCurrency.optional(),
  gross_margin: num(0.0001, 1).describe('Gross margin for LTV (0–1)').optional(),
  cac: num(0, 1e12).describe('One customer acquisition cost for every account, overriding imported ones').optional(),
  grace_days: graceDays.optional(),
})
const RenewalsQuery = z.object({
  ...segmentQueryShape,
  as_of: asOf.optional(),
  lookback_days: int(1, 3660).describe('Days of usage before each due date; default 90').optional(),
  min_n: int(1, 1_000_000).describe('Fewest accounts using a feature for it to be ranked; default 30').optional(),
  currency: inCurrency.optional(),
  grace_days: graceDays.optional(),
  help_paths: list.describe('Page path patterns counted as help views, comma-separated').optional(),
  support_events: list.describe('Event names counted as support contacts, comma-separated').optional(),
})
const HealthQuery = z.object({
  ...segmentQueryShape,
  as_of: asOf.optional(),
  components: list.describe('At most five score components, comma-separated; default seat utilisation, active days per user, feature breadth, usage trend').optional(),
  weighting: z.enum(['fit', 'manual']).describe('`fit`: logistic regression on past renewals (default); `manual`: the given weights').optional(),
  weights: z.string().max(4000).transform((s, ctx) => {
    const parts = s.split(',').map((x) => x.trim())
    // Decimal only: Number() would also take '0x7f', '' and 'Infinity'.
    const ws = parts.map((x) => (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(x) ? Number(x) : NaN))
    if (ws.some((w) => !Number.isFinite(w))) {
      ctx.addIssue({ code: 'custom', message: 'must be comma-separated decimal numbers, one per component' })
      return z.NEVER
    }
    return ws
  }).describe('With weighting=manual: one decimal weight per component, comma-separated; default equal').optional(),
  window_days: int(1, 3660).describe('Days of usage a score is computed over; default 90, shorter when the stored history is').optional(),
  horizon_days: int(1, 3660).describe('Validation scores each renewal this many days before its due date; default 90, shorter with a shorter history').optional(),
  train_share: num(0.01, 0.99).describe('Share of past renewals (the earliest) the score is fitted on; the rest test it').optional(),
  red_below: num(0, 100).describe('Scores below this are red; default 40').optional(),
  green_from: num(0, 100).describe('Scores from this on are green; default 60').optional(),
  temperature_days: int(1, 3660).describe('Days of purchase-intent events behind the temperature; default 30').optional(),
  pricing_paths: list.describe('Page path patterns of pricing pages (intent), comma-separated').optional(),
  upgrade_texts: list.describe('Element texts of upgrade buttons (intent), comma-separated').optional(),
  upgrade_events: list.describe('Event names that signal upgrade intent, comma-separated').optional(),
  paid_features: list.describe('Feature ids of paid features (intent), comma-separated').optional(),
  health_threshold: num(0, 100).describe('Health splitting the quadrants; default 50').optional(),
  temperature_threshold: num(0, 100).describe('Temperature splitting the quadrants; default 50').optional(),
  seat_sharing: z.enum(['0', '1', 'true', 'false']).describe('Look for seat sharing among current accounts; default on').optional(),
  currency: inCurrency.optional(),
})
const SeatQuery = z.object({
  from: date.describe('Start of the period looked at (YYYY-MM-DD); default 30 days before to').optional(),
  to: date.describe('End of the period looked at (YYYY-MM-DD); default today').optional(),
  min_overlap_seconds: int(0, 86_400).describe('Overlaps of two sessions on one login shorter than this are ignored; default 300').optional(),
  min_overlap_days: int(1, 366).describe('A user is flagged for overlaps on at least this many distinct days; default 2').optional(),
  heavy_factor: num(1, 1000).describe("Also flag a person whose active hours per active day reach this multiple of their peers' median; default 3").optional(),
  heavy_min_hours: num(0, 24).describe('… and at least this many hours per active day; default 6').optional(),
})
const DetailQuery = z.object({ as_of: asOf.optional(), window_days: int(1, 3660).describe('Days of recent usage shown').optional() })
const AccountPath = z.object({ id: z.string().min(1).max(200).describe('The account id (as sent with group())') })

/** Report parameters the analysis refuses (too many components, bad dates…) are the caller's to fix. */
async function report<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run()
  } catch (err) {
    if (err instanceof ReportParamError) throw new HttpError('invalid_query', err.message, err.field)
    throw err
  }
}

/** JSON clients (which cannot send text/csv) may wrap a CSV file as `{"csv": "<file text>"}`. */
function csvEnvelope(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as unknown
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed) && typeof (parsed as { csv?: unknown }).csv === 'string') return (parsed as { csv: string }).csv
  } catch {
    // Not JSON: the Stripe parser reports it.
  }
  return null
}

const today = () => new Date().toISOString().slice(0, 10)
const daysBefore = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) - n * 86_400_000).toISOString().slice(0, 10)

export function accountRoutes(deps: Pick<AppDeps, 'projects' | 'store'> & Partial<Pick<AppDeps, 'healthWarmer'>>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const client = deps.store.client
  // Per route, not by path pattern: other modules mount their own /v1/reports/* routes beside these.
  const auth = requireSecretKey(deps.projects)

  app.post(
    '/v1/accounts/import',
    ...describe({
      tag: 'Accounts and renewals',
      summary: 'Import accounts, contracts or renewals from a CSV file, or subscriptions from a Stripe export: all rows or none',
      description:
        'The CSV kind comes from `?kind=` or from the header. JSON clients may wrap a CSV file as `{"csv": "<file text>"}`; any other JSON body (or `?format=stripe`) is a Stripe subscriptions export. Re-sending the same file answers `status: unchanged`. A file with problems stores nothing and answers 400 with `row_errors: [{line, field, message}]` and `error_count` beside `error`. File formats: IMPORT.md in @tenure/analysis.',
      auth: 'secret',
      query: ImportQuery,
      body: { schema: z.string().max(MAX_IMPORT_BYTES), description: 'The CSV file, or the Stripe export (JSON).', media: ['text/csv', 'application/json'] },
      ok: { description: '`{import_id, status: committed|unchanged, kind, rows, skipped}`' },
      errors: [413],
    }),
    auth,
    bodyLimit({
      maxSize: MAX_IMPORT_BYTES,
      onError: (c) => c.json(errorBody('payload_too_large', `imports are limited to ${MAX_IMPORT_BYTES} bytes; split the file`), 413),
    }),
    async (c) => {
      const q = query(c, ImportQuery)
      const json = (c.req.header('content-type') ?? '').includes('json')
      let format = q.format ?? (json ? 'stripe' : 'csv')
      let content = await c.req.text()
      if (!content.trim()) throw new HttpError('invalid_body', 'the body is empty: send the CSV file or the Stripe export as the body')
      const envelope = json && q.format !== 'stripe' ? csvEnvelope(content) : null
      if (envelope !== null) {
        format = 'csv'
        content = envelope
      }
      const projectId = c.get('project').id
      const result = await importAccountData(client, projectId, format === 'csv' ? { format, content, kind: q.kind } : { format, content, accountIdKey: q.account_id_key })
      if (!result.ok) {
        const first = result.errors[0]
        const where = first?.line ? ` (line ${first.line})` : ''
        const message = `${result.errorCount} problem(s) in the ${result.kind ?? 'import'} file${where}: ${first?.message ?? 'invalid'}; nothing was imported`
        return c.json({ ...errorBody('invalid_body', message, first?.field ?? null), row_errors: result.errors, error_count: result.errorCount }, 400)
      }
      // The account pages' health report is computed again now, not when a page finds it out of date.
      if (result.status === 'committed') deps.healthWarmer?.poke()
      return c.json({ import_id: result.importId, status: result.status, kind: result.kind, rows: result.rows, skipped: result.skipped })
    },
  )

  app.get('/v1/accounts/imports', ...describe({ tag: 'Accounts and renewals', summary: 'The latest imports and their status', auth: 'secret', ok: { description: '`{imports: [...]}`' } }), auth, async (c) => c.json({ imports: await listImports(client, c.get('project').id) }))

  app.get('/v1/accounts/:id', ...describe({
    tag: 'Accounts and renewals',
    summary: 'One account: contracts, month-end MRR, renewals, recent usage',
    auth: 'secret',
    path: AccountPath,
    query: DetailQuery,
    ok: { description: 'The account detail.' },
    errors: [404],
  }), auth, async (c) => {
    const q = query(c, DetailQuery)
    const accountId = c.req.param('id')
    if (accountId.length > 200) throw new HttpError('invalid_query', 'account id is longer than 200 characters', 'id')
    const detail = await report(() => accountDetail(client, { projectId: c.get('project').id, accountId, asOf: q.as_of, windowDays: q.window_days }))
    if (!detail) throw new HttpError('not_found', `no account ${accountId} in imported data or events`, 'id')
    return c.json(detail)
  })

  app.get('/v1/reports/revenue', ...describe({
    tag: 'Accounts and renewals',
    summary: 'MRR/ARR, movements per month, renewal rates, logo churn, CRR, NRR/GRR, ARPA, LTV, LTV/CAC; by plan (or another account property) with breakdown',
    auth: 'secret',
    query: RevenueQuery,
    ok: { description: 'The revenue report.' },
  }), auth, async (c) => {
    const q = query(c, RevenueQuery)
    const params = {
      projectId: c.get('project').id, asOf: q.as_of, from: q.from, currency: q.currency, grossMargin: q.gross_margin, cac: q.cac, graceDays: q.grace_days,
      segment: q.segment, segmentDef: q.segment_def,
    }
    if (q.breakdown === undefined && q.max_groups !== undefined) throw new HttpError('invalid_query', 'max_groups needs breakdown', 'max_groups')
    const breakdown = q.breakdown
    return c.json(await analysisCall(() => report<unknown>(() => (breakdown !== undefined
      ? revenueBreakdown(client, { ...params, breakdown, maxGroups: q.max_groups })
      : revenueReport(client, params))), 'query'))
  })

  app.get('/v1/reports/renewals', ...describe({
    tag: 'Accounts and renewals',
    summary: 'Usage before each renewal, and renewal rates by feature use',
    auth: 'secret',
    query: RenewalsQuery,
    ok: { description: 'The renewals report.' },
  }), auth, async (c) => {
    const q = query(c, RenewalsQuery)
    return c.json(await analysisCall(() => report(() => renewalsReport(client, {
      segment: q.segment, segmentDef: q.segment_def,
      projectId: c.get('project').id, asOf: q.as_of, lookbackDays: q.lookback_days, minN: q.min_n, currency: q.currency, graceDays: q.grace_days,
      helpPaths: q.help_paths, supportEvents: q.support_events,
    })), 'query'))
  })

  app.get('/v1/reports/health', ...describe({
    tag: 'Accounts and renewals',
    summary: 'Health score validated on later renewals, temperature and quadrant per account',
    description:
      'The score is fitted on earlier renewals and tested on later ones. When it does not predict (held-out AUC interval containing 0.5, all weights 0, or fewer than 10 lost renewals), `predictive.predictive` is false, `predictive.missing` says what is missing, and no account gets a band.',
    auth: 'secret',
    query: HealthQuery,
    ok: { description: 'The health report.' },
  }), auth, async (c) => {
    const q = query(c, HealthQuery)
    const intent = Object.fromEntries(Object.entries({
      pricingPaths: q.pricing_paths, upgradeTexts: q.upgrade_texts, upgradeEvents: q.upgrade_events, paidFeatures: q.paid_features,
    }).filter(([, v]) => v !== undefined))
    return c.json(await analysisCall(() => report(() => healthReport(client, {
      segment: q.segment, segmentDef: q.segment_def,
      projectId: c.get('project').id, asOf: q.as_of, components: q.components, weighting: q.weighting, weights: q.weights,
      windowDays: q.window_days, horizonDays: q.horizon_days, trainShare: q.train_share, temperatureDays: q.temperature_days, intent, currency: q.currency,
      bands: q.red_below !== undefined || q.green_from !== undefined ? { redBelow: q.red_below ?? 40, greenFrom: q.green_from ?? 60 } : undefined,
      quadrantThresholds: q.health_threshold !== undefined || q.temperature_threshold !== undefined
        ? { health: q.health_threshold ?? 50, temperature: q.temperature_threshold ?? 50 } : undefined,
      seatSharing: q.seat_sharing === undefined ? undefined : q.seat_sharing === '1' || q.seat_sharing === 'true',
    })), 'query'))
  })

  app.get('/v1/reports/seat-sharing', ...describe({
    tag: 'Accounts and renewals',
    summary: 'Users who look like several people on one seat, with the evidence',
    auth: 'secret',
    query: SeatQuery,
    ok: { description: 'The seat-sharing report.' },
  }), auth, async (c) => {
    const q = query(c, SeatQuery)
    const to = q.to ?? today()
    const from = q.from ?? daysBefore(to, 30)
    if (from >= to) throw new HttpError('invalid_query', 'from must be before to', 'from')
    return c.json(await detectSeatSharing(client, c.get('project').id, from, to, {
      minOverlapSeconds: q.min_overlap_seconds, minOverlapDays: q.min_overlap_days, heavyFactor: q.heavy_factor, heavyMinHoursPerDay: q.heavy_min_hours,
    }))
  })

  return app
}
