import { PERSON_USES_CTE } from '../sql/persons.sql.js'

const RETAINED = {
  on: 'has(days, d0 + {n:UInt32})',
  on_or_after: 'arrayExists(d -> d >= d0 + {n:UInt32}, days)',
} as const

/**
 * New users (first activity in [from, to]) by how many times they used the feature (target 2)
 * in days 0…window−1, capped at `{max_uses}`, with how many were retained on day N (any
 * activity). Bucket −1 holds the users whose day N was not complete (censored).
 */
export function ahaSql(mode: keyof typeof RETAINED, activity: string, segment?: string): string {
  return `WITH ${activity},
${PERSON_USES_CTE},
cohort AS (
  SELECT d0 + {n:UInt32} < {as_of_day:Date} AS eligible, ${RETAINED[mode]} AS retained,
    arraySum(arrayMap(x -> x.3, arrayFilter(x -> x.1 = 2 AND x.2 < d0 + {window:UInt32}, uses))) AS week_uses
  FROM (SELECT days, uses, days[1] AS d0 FROM persons${segment ? ` WHERE person IN (${segment})` : ''})
  WHERE notEmpty(days) AND d0 >= {from:Date} AND d0 <= {to:Date}
)
SELECT if(eligible, toInt64(least(week_uses, {max_uses:UInt32})), -1) AS bucket, count() AS users, countIf(retained) AS retained
FROM cohort
GROUP BY bucket
ORDER BY bucket`
}
