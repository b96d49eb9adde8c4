import { daysOf, PERSON_TARGETS_TO_AS_OF_DAY_CTE } from '../sql/persons.sql.js'

const COHORT_OF = { day: 'd0', week: 'toMonday(d0)', month: 'toStartOfMonth(d0)' } as const
const RETAINED = {
  on: 'has(rdays, d0 + n)',
  on_or_after: 'arrayExists(d -> d >= d0 + n AND (d < {as_of_day:Date} OR n = 0), rdays)',
} as const

/**
 * Day N of a start is complete when it ends before the as-of day. A start on the (incomplete)
 * as-of day itself is in the cohort and censored for every N ≥ 1; its day 0 counts, as the start
 * happened on it.
 */
const ELIGIBLE = '(d0 + n < {as_of_day:Date} OR (n = 0 AND d0 = {as_of_day:Date}))'

/**
 * Day-N retention counts per cohort: one row per cohort with, for each N of `{days}`, how many
 * starts there were, how many had day N complete before the as-of day (eligible), and how many
 * of those returned. Start target `{s}`, return target `{r}` (positions in the target arrays).
 * A start is the first start day ever (`first`) or every start day (`recurring`) in [from, to].
 * `activity`: the activity CTEs of the report's features (`activityCtes`).
 */
export function dayNSql(opts: {
  cohort: keyof typeof COHORT_OF
  mode: keyof typeof RETAINED
  start: 'first' | 'recurring'
  /** People of a segment: SQL of one column `person` (see segments/compile.ts). */
  segment?: string | undefined
}, activity: string): string {
  const starts =
    opts.start === 'first'
      ? 'if(notEmpty(sdays) AND sdays[1] >= {from:Date} AND sdays[1] <= {to:Date}, [sdays[1]], [])'
      : 'arrayFilter(d -> d >= {from:Date} AND d <= {to:Date}, sdays)'
  const retained = RETAINED[opts.mode]
  return `WITH ${activity},
${PERSON_TARGETS_TO_AS_OF_DAY_CTE},
units AS (
  SELECT d0, rdays FROM (
    SELECT ${daysOf('{s:UInt32}')} AS sdays, ${daysOf('{r:UInt32}')} AS rdays, ${starts} AS starts FROM persons${opts.segment ? ` WHERE person IN (${opts.segment})` : ''}
  ) ARRAY JOIN starts AS d0
)
SELECT toString(${COHORT_OF[opts.cohort]}) AS cohort, count() AS size,
  sumForEach(arrayMap(n -> toUInt64(${ELIGIBLE}), {days:Array(UInt32)})) AS eligible,
  sumForEach(arrayMap(n -> toUInt64(${ELIGIBLE} AND ${retained}), {days:Array(UInt32)})) AS retained
FROM units
GROUP BY cohort
ORDER BY cohort`
}
