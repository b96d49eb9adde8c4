/**
 * Shared CTEs over the activity of `activity/rows.sql.ts` (`rollup_activity`, `rollup_targets`,
 * `key_days`, `activity_days`, `feature_rows`), which a query defines first. Targets are addressed by position (1-based): the
 * activity target is position 1 in every report, then the report's features in order.
 *
 * Identity (metrics spec §1): a row's person is its user id when the events were identified,
 * else the user the anonymous id was merged into by identify, else the anonymous id itself.
 * Rows are folded per user key (and target) first, so the alias join touches one row per key,
 * not one per day.
 *
 * Only complete days count: rows of `{as_of_day:Date}` and later are left out.
 */
export const ALIASES_CTE = `aliases AS (
  SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
  WHERE project_id = {project:String} GROUP BY anonymous_id
)`

export const TARGET_FILTER = `day < {as_of_day:Date}`

/**
 * A row's person as a number (1, 2, … over the persons of `first_activity`), looked up on its
 * user_key and identified columns: rows grouped by a number instead of by their key's text are
 * what makes one pass over every rollup row cheap. Two keys of one person get the same number.
 * Keys whose person is outside `segment` (SQL of one column `person`) get 0, and so would a key
 * `first_activity` does not hold: read it only once that holds every stored key
 * (`firstActivityComplete`). The query defines the `aliases` CTE.
 */
export function personNumberSql(segment?: string): string {
  const numbers = `(SELECT (groupArrayIf(user_key, identified = 1), groupArrayIf(n, identified = 1), groupArrayIf(user_key, identified = 0), groupArrayIf(n, identified = 0))
    FROM (
      SELECT user_key, identified, toUInt32(dense_rank() OVER (ORDER BY person)) AS n
      FROM (
        SELECT k.user_key AS user_key, k.identified AS identified, ${PERSON} AS person
        FROM (SELECT user_key, identified FROM first_activity WHERE project_id = {project:String} GROUP BY user_key, identified) AS k
        LEFT JOIN aliases AS a ON a.anonymous_id = k.user_key
      )${segment ? `
      WHERE person IN (${segment})` : ''}
    ))`
  return `if(identified = 1, transform(user_key, ${numbers} AS person_numbers.1, person_numbers.2, toUInt32(0)), transform(user_key, person_numbers.3, person_numbers.4, toUInt32(0)))`
}

const PERSON = `if(k.identified = 1 OR a.user_id = '', k.user_key, a.user_id)`

/**
 * `persons(person, ts Array(Tuple(t UInt32, days Array(Date))))`: for each target a person was
 * active in, the sorted distinct days. Read from `source`: `key_days` (one row per key and day)
 * when many features are looked up, as the feature bits are then turned into positions once per
 * day; `rollup_targets` otherwise, where folding per day first would cost more than it saves.
 */
function personTargetsCte(source: 'key_days' | 'rollup_targets', filter: string): string {
  // A key's days are distinct in `key_days` already.
  const days = source === 'key_days' ? 'groupArray(day)' : 'groupUniqArray(day)'
  return `${ALIASES_CTE},
keyed AS (
  SELECT user_key, identified, t, ${days} AS days
  FROM ${source} ARRAY JOIN ts AS t
  WHERE ${filter}
  GROUP BY t, user_key, identified
),
person_targets AS (
  SELECT ${PERSON} AS person, k.t AS t, arraySort(arrayDistinct(arrayFlatten(groupArray(k.days)))) AS days
  FROM keyed AS k LEFT JOIN aliases AS a ON a.anonymous_id = k.user_key
  GROUP BY person, t
),
persons AS (
  SELECT person, groupArray((t, days)) AS ts FROM person_targets GROUP BY person
)`
}

/** `persons` of complete days, for the feature retention report (many features). */
export const PERSON_TARGETS_CTE = personTargetsCte('key_days', TARGET_FILTER)

/** The sorted days of target `t` in a person's `ts` (empty when they never used it). */
export function daysOf(t: string): string {
  return `arrayFlatten(arrayMap(y -> y.2, arrayFilter(y -> y.1 = ${t}, ts)))`
}

/** A person's active days (any activity, target 1). */
const ACT = `act AS (
  SELECT user_key, identified, groupUniqArray(day) AS days
  FROM rollup_activity
  WHERE day < {as_of_day:Date}
  GROUP BY user_key, identified
)`

/**
 * `persons(person, days Array(Date), uses Array(Tuple(t UInt32, day Date, uses UInt64)))`: active
 * days and the number of events per feature target and day; rows of several accounts or user keys
 * on one day add up.
 */
export const PERSON_USES_CTE = `${ALIASES_CTE},
${ACT},
feature_uses AS (
  SELECT user_key, identified, groupArray((t, day, toUInt64(uses))) AS uses FROM feature_rows WHERE ${TARGET_FILTER} GROUP BY user_key, identified
),
persons AS (
  SELECT ${PERSON} AS person, arraySort(arrayDistinct(arrayFlatten(groupArray(k.days)))) AS days, arrayFlatten(groupArray(k.uses)) AS uses
  FROM (
    SELECT act.user_key AS user_key, act.identified AS identified, act.days AS days, feature_uses.uses AS uses
    FROM act LEFT JOIN feature_uses ON feature_uses.user_key = act.user_key AND feature_uses.identified = act.identified
  ) AS k
  LEFT JOIN aliases AS a ON a.anonymous_id = k.user_key
  GROUP BY person
)`

/**
 * `account_targets(account, t, users, account_days)`: per account and target, how many of its people
 * used the target in [from, to] and the sorted days any of them did. A row's account is the
 * account on its events, else the account its person was last grouped into; rows with neither
 * are left out.
 */
export const ACCOUNT_TARGETS_CTE = `${ALIASES_CTE},
memberships AS (
  SELECT user_id, argMax(account_id, updated_at) AS account_id FROM user_accounts
  WHERE project_id = {project:String} GROUP BY user_id
),
keyed AS (
  SELECT user_key, identified, account_id, t, groupUniqArray(day) AS days
  FROM rollup_targets ARRAY JOIN ts AS t
  WHERE ${TARGET_FILTER}
  GROUP BY t, user_key, identified, account_id
),
owned AS (
  SELECT ${PERSON} AS person, k.account_id AS own, k.t AS t, k.days AS days
  FROM keyed AS k LEFT JOIN aliases AS a ON a.anonymous_id = k.user_key
),
members AS (
  SELECT account, person, t, arrayDistinct(arrayFlatten(groupArray(days))) AS days
  FROM (
    SELECT if(o.own != '', o.own, m.account_id) AS account, o.person AS person, o.t AS t, o.days AS days
    FROM owned AS o LEFT JOIN memberships AS m ON m.user_id = o.person
  )
  WHERE account != ''
  GROUP BY account, person, t
),
account_targets AS (
  SELECT account, t, countIf(arrayExists(d -> d >= {from:Date} AND d <= {to:Date}, days)) AS users,
    arraySort(groupUniqArrayArray(days)) AS account_days
  FROM members
  GROUP BY account, t
)`

/**
 * `PERSON_TARGETS_CTE` with the as-of day's rows kept: that day is incomplete, but people whose
 * start falls on it belong to the cohort (censored for day N ≥ 1, metrics spec §1). Readers must
 * leave the as-of day out of returns on day N ≥ 1 themselves.
 */
export const PERSON_TARGETS_TO_AS_OF_DAY_CTE = personTargetsCte('rollup_targets', 'day <= {as_of_day:Date}')
