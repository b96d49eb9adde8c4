import { PERSON_DAYS_CTE } from '../sql/persons.sql.js'

const RETAINED = {
  on: 'has(adays, d0 + {n:UInt32})',
  on_or_after: 'arrayExists(d -> d >= d0 + {n:UInt32}, adays)',
} as const

/**
 * The counts behind the high-retention-features report. Population: new users (first activity
 * ever in [from, to]) whose day N is complete. For each, the stratum of early activity (how
 * many of days 0…window−1 they were active, bucketed by `{strata}` lower bounds), whether they
 * were retained on day N (any activity), and which features they used in days 0…window−1.
 *
 * Rows: (t, stratum, adopter, retained, users) for every feature target t ≥ 2, plus t = 0 rows
 * with the number of censored new users. Non-adopter rows come from subtracting adopters from
 * the t = 1 (everyone) rows, so each person expands only into the features they used.
 */
export function highRetentionSql(mode: keyof typeof RETAINED): string {
  return `WITH ${PERSON_DAYS_CTE},
cohort AS (
  SELECT d0, adays,
    d0 + {n:UInt32} < {as_of_day:Date} AS eligible,
    ${RETAINED[mode]} AS retained,
    toUInt32(arrayCount(b -> length(arrayFilter(d -> d < d0 + {window:UInt32}, adays)) >= b, {strata:Array(UInt32)})) AS stratum,
    arrayDistinct(arrayMap(x -> x.1, arrayFilter(x -> x.2 < d0 + {window:UInt32}, pairs))) AS used
  FROM (
    SELECT pairs, arraySort(arrayDistinct(arrayMap(x -> x.2, arrayFilter(x -> x.1 = 1, pairs)))) AS adays, adays[1] AS d0
    FROM persons
  )
  WHERE notEmpty(adays) AND d0 >= {from:Date} AND d0 <= {to:Date}
)
SELECT t, stratum, retained, count() AS users
FROM cohort ARRAY JOIN if(eligible, used, [toUInt32(0)]) AS t
GROUP BY t, stratum, retained
ORDER BY t, stratum, retained`
}
