import { z } from 'zod'
import { FeatureId } from '../features/rules.js'

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/

/** A calendar date YYYY-MM-DD that exists. */
export const IsoDate = z
  .string()
  .regex(ISO_DATE, 'a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`)
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s)
  }, 'not a calendar date')

/** An instant (ISO 8601 with offset) or a date, which means 00:00 of that date in the report's time zone. */
export const AsOf = z
  .string()
  .max(40)
  .refine((s) => ISO_DATE.test(s) || !Number.isNaN(Date.parse(s)), 'an ISO 8601 date or date-time')

/** Day offsets N: a list `1,7,30`, a range `0-14`, or an array. At most 400 values, each 0…3650. */
export const DayList = z.preprocess(
  (v) => {
    if (typeof v === 'number') return [v]
    if (typeof v !== 'string') return v
    const s = v.trim()
    const range = /^(\d{1,4})\s*-\s*(\d{1,4})$/.exec(s)
    if (range) {
      const a = Number(range[1])
      const b = Number(range[2])
      if (b < a || b - a >= 400) return s
      return Array.from({ length: b - a + 1 }, (_, i) => a + i)
    }
    return s.split(',').map((x) => (x.trim() === '' ? Number.NaN : Number(x)))
  },
  z
    .array(z.number().int().min(0).max(3650))
    .min(1)
    .max(400)
    .transform((a) => [...new Set(a)].sort((x, y) => x - y)),
)

/** A list of feature ids, as an array or comma-separated. */
export const FeatureIdList = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()).filter(Boolean) : v),
  z.array(FeatureId).min(1).max(256),
)

const Int = (min: number, max: number) => z.coerce.number().int().min(min).max(max)

/** Parameters every report shares: the cohort window, the as-of instant and the time zone. */
export const WindowParams = z.object({
  from: IsoDate,
  to: IsoDate,
  /** Default: now. Only days before the as-of day count; a day-N not yet over is censored. */
  asOf: AsOf.optional(),
  /** IANA zone for calendar days; default: the project's zone. */
  timezone: z.string().min(1).max(64).optional(),
})

function checkWindow(p: { from: string; to: string }, ctx: z.RefinementCtx): void {
  if (p.to < p.from) ctx.addIssue({ code: 'custom', message: '"to" is before "from"', path: ['to'] })
}

export const RetentionParams = WindowParams.extend({
  days: DayList.default([0, 1, 2, 3, 4, 5, 6, 7, 14, 30]),
  mode: z.enum(['on', 'on_or_after']).default('on'),
  start: z.enum(['first', 'recurring']).default('first'),
  cohort: z.enum(['day', 'week', 'month']).default('week'),
  /** Start event: use of this feature; default any activity (product retention). */
  startFeature: FeatureId.optional(),
  /** Return event: use of this feature; default any activity. */
  returnFeature: FeatureId.optional(),
}).superRefine(checkWindow)
export type RetentionParams = z.input<typeof RetentionParams>

export const FeatureRetentionParams = WindowParams.extend({
  days: DayList.default([1, 7, 14, 30]),
  mode: z.enum(['on', 'on_or_after']).default('on'),
  /** `feature`: return = the same feature again (default); `any`: any activity. */
  return: z.enum(['feature', 'any']).default('feature'),
  features: FeatureIdList.optional(),
}).superRefine(checkWindow)
export type FeatureRetentionParams = z.input<typeof FeatureRetentionParams>

export const HighRetentionParams = WindowParams.extend({
  n: Int(1, 3650).default(30),
  mode: z.enum(['on', 'on_or_after']).default('on'),
  /** Adoption is measured on days 0 … window−1; n must be at least window. */
  window: Int(1, 90).default(7),
  minN: Int(1, 1_000_000).default(30),
  features: FeatureIdList.optional(),
  /** Placebo pseudo-features drawn per tested feature; a flag must beat their distribution. */
  placebos: Int(10, 200).default(100),
}).superRefine((p, ctx) => {
  checkWindow(p, ctx)
  if (p.n < p.window) {
    ctx.addIssue({ code: 'custom', message: `n must be at least the adoption window (${p.window}) so exposure and outcome do not overlap`, path: ['n'] })
  }
})
export type HighRetentionParams = z.input<typeof HighRetentionParams>

export const AhaParams = WindowParams.extend({
  feature: FeatureId,
  n: Int(1, 3650).default(30),
  mode: z.enum(['on', 'on_or_after']).default('on'),
  window: Int(1, 90).default(7),
  /** Last bucket is "k or more uses". */
  maxUses: Int(1, 100).default(10),
  minN: Int(1, 1_000_000).default(30),
}).superRefine((p, ctx) => {
  checkWindow(p, ctx)
  if (p.n < p.window) {
    ctx.addIssue({ code: 'custom', message: `n must be at least the usage window (${p.window})`, path: ['n'] })
  }
})
export type AhaParams = z.input<typeof AhaParams>

export const AccountFeatureParams = WindowParams.extend({
  days: DayList.default([7, 30]),
  mode: z.enum(['on', 'on_or_after']).default('on'),
  return: z.enum(['feature', 'any']).default('feature'),
  features: FeatureIdList.optional(),
  /** Also list every account with its active users and adopters per feature. */
  detail: z.preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean()).default(false),
}).superRefine(checkWindow)
export type AccountFeatureParams = z.input<typeof AccountFeatureParams>

/** Parses report parameters; bad input throws AnalysisError('invalid') naming the field. */
export { parseParams } from './parse.js'
