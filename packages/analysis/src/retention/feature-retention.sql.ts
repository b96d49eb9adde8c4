import { PERSON_TARGETS_CTE } from '../sql/persons.sql.js'

const RETAINED = {
  on: 'has(rdays, d0 + n)',
  on_or_after: 'arrayExists(d -> d >= d0 + n, rdays)',
} as const

/**
 * Per target: users active in [from, to] (the row of target 1, any activity, carries the
 * count of active users); for features (targets 2…), those active users who used the feature
 * in [from, to] (adoption), and day-N retention of the users whose first use of the feature
 * ever falls in [from, to], returning by the same feature or (`returnAny`) any activity.
 * Each person expands only into the targets they used.
 */
export function featureRetentionSql(opts: { mode: keyof typeof RETAINED; returnAny: boolean; segment?: string | undefined }, activity: string): string {
  const inWindow = (days: string) => `arrayExists(d -> d >= {from:Date} AND d <= {to:Date}, ${days})`
  return `WITH ${activity},
${PERSON_TARGETS_CTE},
per AS (
  SELECT t, active, ${inWindow('fdays')} AS adopted,
    notEmpty(fdays) AND fdays[1] >= {from:Date} AND fdays[1] <= {to:Date} AS starts,
    fdays[1] AS d0, ${opts.returnAny ? 'adays' : 'fdays'} AS rdays
  FROM (
    SELECT x.1 AS t, x.2 AS fdays, adays, active
    FROM (SELECT ts, arrayFlatten(arrayMap(y -> y.2, arrayFilter(y -> y.1 = 1, ts))) AS adays, ${inWindow('adays')} AS active FROM persons${opts.segment ? ` WHERE person IN (${opts.segment})` : ''})
    ARRAY JOIN ts AS x
  )
)
SELECT t, countIf(active) AS active_users, countIf(active AND adopted) AS adopters, countIf(starts) AS new_adopters,
  sumForEach(arrayMap(n -> toUInt64(starts AND d0 + n < {as_of_day:Date}), {days:Array(UInt32)})) AS eligible,
  sumForEach(arrayMap(n -> toUInt64(starts AND d0 + n < {as_of_day:Date} AND ${RETAINED[opts.mode]}), {days:Array(UInt32)})) AS retained
FROM per
GROUP BY t
ORDER BY t`
}
