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
// Descriptions (`.describe`) are what the collector's OpenAPI document shows for each parameter.
const Mode = z.enum(['on', 'on_or_after']).describe('Retained on exactly day N (`on`) or on any day from N on (`on_or_after`)')

export const WindowParams = z.object({
  from: IsoDate.describe('First day of the cohort window: people whose start falls from this day (YYYY-MM-DD)'),
  to: IsoDate.describe('Last day of the cohort window (YYYY-MM-DD)'),
  /** Only days before the as-of day count; a day-N not yet over is censored. */
  asOf: AsOf.describe('Compute as of this date or ISO instant; default now').optional(),
  timezone: z.string().min(1).max(64).describe("IANA time zone of calendar days; default the project's").optional(),
})

function checkWindow(p: { from: string; to: string }, ctx: z.RefinementCtx): void {
  if (p.to < p.from) ctx.addIssue({ code: 'custom', message: '"to" is before "from"', path: ['to'] })
}

export const RetentionParams = WindowParams.extend({
  days: DayList.describe('Day offsets N: a list such as `1,7,30` or a range such as `0-14`').default([0, 1, 2, 3, 4, 5, 6, 7, 14, 30]),
  mode: Mode.default('on'),
  start: z.enum(['first', 'recurring']).describe('Cohort by the first start event only, or by every start event').default('first'),
  cohort: z.enum(['day', 'week', 'month']).describe('Cohort size').default('week'),
  startFeature: FeatureId.describe('Start event: use of this feature; default any activity (product retention)').optional(),
  returnFeature: FeatureId.describe('Return event: use of this feature; default any activity').optional(),
}).superRefine(checkWindow)
export type RetentionParams = z.input<typeof RetentionParams>

const Return = z.enum(['feature', 'any']).describe('What counts as a return: the same feature again, or any activity')
const Features = FeatureIdList.describe('Feature ids, comma-separated; default every defined feature')

export const FeatureRetentionParams = WindowParams.extend({
  days: DayList.describe('Day offsets N: a list such as `1,7,30` or a range such as `0-14`').default([1, 7, 14, 30]),
  mode: Mode.default('on'),
  return: Return.default('feature'),
  features: Features.optional(),
}).superRefine(checkWindow)
export type FeatureRetentionParams = z.input<typeof FeatureRetentionParams>

export const HighRetentionParams = WindowParams.extend({
  n: Int(1, 3650).describe('Day N of the retention outcome').default(30),
  mode: Mode.default('on'),
  /** n must be at least window, so exposure and outcome do not overlap. */
  window: Int(1, 90).describe('Adoption is use of the feature on days 0 … window−1').default(7),
  minN: Int(1, 1_000_000).describe('Fewest adopters for a feature to be flagged').default(30),
  features: Features.optional(),
  placebos: Int(10, 200).describe('Most placebo pseudo-features drawn per tested feature (fewer once more could not change whether it beats them); a flag must beat their distribution').default(100),
}).superRefine((p, ctx) => {
  checkWindow(p, ctx)
  if (p.n < p.window) {
    ctx.addIssue({ code: 'custom', message: `n must be at least the adoption window (${p.window}) so exposure and outcome do not overlap`, path: ['n'] })
  }
})
export type HighRetentionParams = z.input<typeof HighRetentionParams>

export const AhaParams = WindowParams.extend({
  feature: FeatureId.describe('The feature whose number of uses is counted'),
  n: Int(1, 3650).describe('Day N of the retention outcome').default(30),
  mode: Mode.default('on'),
  window: Int(1, 90).describe('Uses are counted on days 0 … window−1').default(7),
  maxUses: Int(1, 100).describe('The last bucket is "this many uses or more"').default(10),
  minN: Int(1, 1_000_000).describe('Fewest people in a bucket for its rate to be shown').default(30),
}).superRefine((p, ctx) => {
  checkWindow(p, ctx)
  if (p.n < p.window) {
    ctx.addIssue({ code: 'custom', message: `n must be at least the usage window (${p.window})`, path: ['n'] })
  }
})
export type AhaParams = z.input<typeof AhaParams>

export const AccountFeatureParams = WindowParams.extend({
  days: DayList.describe('Day offsets N: a list such as `7,30` or a range such as `0-14`').default([7, 30]),
  mode: Mode.default('on'),
  return: Return.default('feature'),
  features: Features.optional(),
  detail: z
    .preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean())
    .describe('Also list every account with its active users and adopters per feature (`true` or `1`)')
    .default(false),
}).superRefine(checkWindow)
export type AccountFeatureParams = z.input<typeof AccountFeatureParams>

/** Parses report parameters; bad input throws AnalysisError('invalid') naming the field. */
export { parseParams } from './parse.js'
