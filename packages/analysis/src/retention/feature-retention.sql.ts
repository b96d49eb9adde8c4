import { featureMaskWords, MASK_WORD, maskPositions, ROLLUP_ACTIVITY } from '../activity/rows.sql.js'
import type { FeatureDefinition } from '../features/rules.js'
import { ALIASES_CTE, PERSON_TARGETS_CTE, personNumberSql } from '../sql/persons.sql.js'

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
  return `WITH ${activity},
${PERSON_TARGETS_CTE},
per AS (
  ${perSql(opts, `SELECT x.1 AS t, x.2 AS fdays, adays, active
    FROM (SELECT ts, arrayFlatten(arrayMap(y -> y.2, arrayFilter(y -> y.1 = 1, ts))) AS adays, ${inWindow('adays')} AS active FROM persons${opts.segment ? ` WHERE person IN (${opts.segment})` : ''})
    ARRAY JOIN ts AS x`)}
)
${resultSql(opts.mode)}`
}

/**
 * `featureRetentionSql` in one pass over the rollup: its rows are grouped by person number and
 * day (`personNumberSql`, a number rather than the key's text, and persons resolved before the
 * pass rather than after it), each day holding the features used as mask words, and a person's
 * days of a feature are then the days whose mask has its bit. The same rows; only once
 * `first_activity` holds every stored key (`firstActivityComplete`).
 */
export function featureRetentionByPersonSql(
  opts: { mode: keyof typeof RETAINED; returnAny: boolean; segment?: string | undefined },
  features: readonly FeatureDefinition[],
  combos: boolean,
): string {
  const { words } = featureMaskWords(features, { combos })
  const each = (f: (w: number) => string) => words.map((_, w) => f(w)).join('')
  // A feature's word and bit; target 1 (any activity) reads no word.
  const word = `intDiv(greatest(t, 2) - 2, ${MASK_WORD})`
  const masksOfT = words.length === 1 ? 'ms0' : `[${words.map((_, w) => `ms${w}`).join(', ')}][${word} + 1]`
  return `WITH rollup_activity AS (
  ${ROLLUP_ACTIVITY}
),
${ALIASES_CTE},
person_day_masks AS (
  SELECT ${personNumberSql(opts.segment)} AS pid, day${each((w) => `, groupBitOr(${words[w]}) AS m${w}`)}
  FROM rollup_activity
  WHERE day < {as_of_day:Date} AND pid != 0
  GROUP BY pid, day
),
persons AS (
  SELECT arraySort(groupArray(day)) AS adays${each((w) => `, arraySort((m, d) -> d, groupArray(m${w}), groupArray(day)) AS ms${w}, groupBitOr(m${w}) AS used${w}`)}
  FROM person_day_masks
  GROUP BY pid
),
per AS (
  ${perSql(opts, `SELECT t, if(t = 1, adays, arrayFilter((d, m) -> bitTest(m, (greatest(t, 2) - 2) % ${MASK_WORD}), adays, ${words.length ? masksOfT : 'adays'})) AS fdays, adays, active
    FROM (SELECT *, ${inWindow('adays')} AS active FROM persons)
    ARRAY JOIN arrayPushFront(${maskPositions(words.map((_, w) => `used${w}`))}, toUInt32(1)) AS t`)}
)
${resultSql(opts.mode)}`
}

const inWindow = (days: string) => `arrayExists(d -> d >= {from:Date} AND d <= {to:Date}, ${days})`

/** Per target and person (`rows`: t, fdays = the target's days, adays = any activity's, active in [from, to]): what the result counts. */
function perSql(opts: { mode: keyof typeof RETAINED; returnAny: boolean }, rows: string): string {
  return `SELECT t, active, ${inWindow('fdays')} AS adopted,
    notEmpty(fdays) AND fdays[1] >= {from:Date} AND fdays[1] <= {to:Date} AS starts,
    fdays[1] AS d0, ${opts.returnAny ? 'adays' : 'fdays'} AS rdays
  FROM (
    ${rows}
  )`
}

/** Per target: the counts the report reads, from `per`. */
function resultSql(mode: keyof typeof RETAINED): string {
  // Only the rows that start a retention count enter the per-day arrays: the others are most of them.
  const none = 'arrayMap(n -> toUInt64(0), {days:Array(UInt32)})'
  return `SELECT t, countIf(active) AS active_users, countIf(active AND adopted) AS adopters, countIf(starts) AS new_adopters,
  sumForEach(if(starts, arrayMap(n -> toUInt64(d0 + n < {as_of_day:Date}), {days:Array(UInt32)}), ${none})) AS eligible,
  sumForEach(if(starts, arrayMap(n -> toUInt64(d0 + n < {as_of_day:Date} AND ${RETAINED[mode]}), {days:Array(UInt32)}), ${none})) AS retained
FROM per
GROUP BY t
ORDER BY t`
}
