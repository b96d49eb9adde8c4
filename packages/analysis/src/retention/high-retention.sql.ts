import { PERSON_FIRST_USE_CTE } from '../sql/persons.sql.js'

const RETAINED = {
  on: 'has(days, d0 + {n:UInt32})',
  on_or_after: 'arrayExists(d -> d >= d0 + {n:UInt32}, days)',
} as const

/**
 * The counts behind the high-retention-features report. Population: new users (first activity
 * ever in [from, to]) whose day N is complete. For each, the stratum of early activity (how
 * many of days 0…window−1 they were active, bucketed by `{strata}` lower bounds), whether they
 * were retained on day N (any activity), and which features they used in days 0…window−1 —
 * which is whether their first use of it falls before day `window`.
 *
 * Rows: (t, stratum, retained, users) for t = 1 (everyone eligible) and every feature target
 * t ≥ 2 (its adopters), plus t = 0 rows with the censored new users. Non-adopters are the t = 1
 * counts minus the adopters, so each person expands only into the features they used.
 */
export function highRetentionSql(mode: keyof typeof RETAINED): string {
  return `WITH ${PERSON_FIRST_USE_CTE},
cohort AS (
  SELECT d0 + {n:UInt32} < {as_of_day:Date} AS eligible,
    ${RETAINED[mode]} AS retained,
    toUInt32(arrayCount(b -> length(arrayFilter(d -> d < d0 + {window:UInt32}, days)) >= b, {strata:Array(UInt32)})) AS stratum,
    arrayPushFront(arrayDistinct(arrayMap(x -> x.1, arrayFilter(x -> x.2 < d0 + {window:UInt32}, firsts))), toUInt32(1)) AS used
  FROM (SELECT days, firsts, days[1] AS d0 FROM persons)
  WHERE notEmpty(days) AND d0 >= {from:Date} AND d0 <= {to:Date}
)
SELECT t, stratum, retained, count() AS users
FROM cohort ARRAY JOIN if(eligible, used, [toUInt32(0)]) AS t
GROUP BY t, stratum, retained
ORDER BY t, stratum, retained`
}
