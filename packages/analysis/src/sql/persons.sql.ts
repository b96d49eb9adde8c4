/**
 * Shared CTEs over the activity table. Targets are addressed by position (1-based) in the
 * parameter arrays `{target_ids:Array(String)}` / `{target_versions:Array(UInt32)}`; the
 * activity target (id '', version 0) may be among them.
 *
 * Identity (metrics spec §1): a row's person is its user id when the events were identified,
 * else the user the anonymous id was merged into by identify, else the anonymous id itself.
 * Rows are folded per user key first, so the alias join touches one row per key, not per day.
 *
 * Only complete days count: rows of `{as_of_day:Date}` and later are left out.
 */
export const ALIASES_CTE = `aliases AS (
  SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
  WHERE project_id = {project:String} GROUP BY anonymous_id
)`

export const TARGET_FILTER = `project_id = {project:String} AND timezone = {tz:String} AND day < {as_of_day:Date}
    AND feature_id IN {target_ids:Array(String)}
    AND version = {target_versions:Array(UInt32)}[indexOf({target_ids:Array(String)}, feature_id)]`

/** `persons(person, pairs Array(Tuple(t UInt32, day Date)))`: every (target, day) a person was active. */
export const PERSON_DAYS_CTE = `${ALIASES_CTE},
keyed AS (
  SELECT user_key, identified, groupArray((toUInt32(indexOf({target_ids:Array(String)}, feature_id)), day)) AS pairs
  FROM feature_activity
  WHERE ${TARGET_FILTER}
  GROUP BY user_key, identified
),
persons AS (
  SELECT if(k.identified = 1 OR a.user_id = '', k.user_key, a.user_id) AS person, arrayFlatten(groupArray(k.pairs)) AS pairs
  FROM keyed AS k LEFT JOIN aliases AS a ON a.anonymous_id = k.user_key
  GROUP BY person
)`

/**
 * `persons(person, pairs Array(Tuple(t UInt32, day Date, uses UInt64)))`: as PERSON_DAYS_CTE with
 * the number of events per (target, day). Copies of a row recomputed twice are folded by max first.
 */
export const PERSON_USES_CTE = `${ALIASES_CTE},
rows AS (
  SELECT user_key, identified, feature_id, day, account_id, max(uses) AS uses
  FROM feature_activity
  WHERE ${TARGET_FILTER}
  GROUP BY feature_id, version, user_key, identified, day, account_id
),
keyed AS (
  SELECT user_key, identified, groupArray((toUInt32(indexOf({target_ids:Array(String)}, feature_id)), day, toUInt64(uses))) AS pairs
  FROM rows GROUP BY user_key, identified
),
persons AS (
  SELECT if(k.identified = 1 OR a.user_id = '', k.user_key, a.user_id) AS person, arrayFlatten(groupArray(k.pairs)) AS pairs
  FROM keyed AS k LEFT JOIN aliases AS a ON a.anonymous_id = k.user_key
  GROUP BY person
)`

/** Sorted distinct days of target `t` in a person's `pairs`. */
export function daysOf(t: string): string {
  return `arraySort(arrayDistinct(arrayMap(x -> x.2, arrayFilter(x -> x.1 = ${t}, pairs))))`
}

/**
 * `account_targets(account, t, users, days)`: per account and target, how many of its people
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
  SELECT user_key, identified, account_id, groupArray((toUInt32(indexOf({target_ids:Array(String)}, feature_id)), day)) AS pairs
  FROM feature_activity
  WHERE ${TARGET_FILTER}
  GROUP BY user_key, identified, account_id
),
owned AS (
  SELECT if(k.identified = 1 OR a.user_id = '', k.user_key, a.user_id) AS person, k.account_id AS own, k.pairs AS pairs
  FROM keyed AS k LEFT JOIN aliases AS a ON a.anonymous_id = k.user_key
),
members AS (
  SELECT account, person, arrayFlatten(groupArray(pairs)) AS pairs
  FROM (
    SELECT if(o.own != '', o.own, m.account_id) AS account, o.person AS person, o.pairs AS pairs
    FROM owned AS o LEFT JOIN memberships AS m ON m.user_id = o.person
  )
  WHERE account != ''
  GROUP BY account, person
),
account_targets AS (
  SELECT account, t, countIf(arrayExists(d -> d >= {from:Date} AND d <= {to:Date}, tdays)) AS users,
    arraySort(groupUniqArrayArray(tdays)) AS days
  FROM (
    SELECT account, t, ${daysOf('t')} AS tdays
    FROM members ARRAY JOIN arrayDistinct(arrayMap(x -> x.1, pairs)) AS t
  )
  GROUP BY account, t
)`

/**
 * `persons(person, days Array(Date), firsts Array(Tuple(t UInt32, day Date)))`: a person's active
 * days (any activity) and, per feature target (position ≥ 2), the first day of each of their user
 * keys using it. Reads one row per user-day of activity and one per user key and feature, which
 * is all that adoption within the first days needs.
 */
export const PERSON_FIRST_USE_CTE = `${ALIASES_CTE},
act AS (
  SELECT user_key, identified, groupArray(day) AS days
  FROM feature_activity
  WHERE project_id = {project:String} AND timezone = {tz:String} AND feature_id = '' AND version = 0 AND day < {as_of_day:Date}
  GROUP BY user_key, identified
),
firsts AS (
  SELECT user_key, identified, groupArray((t, first)) AS firsts
  FROM (
    SELECT user_key, identified, toUInt32(indexOf({target_ids:Array(String)}, feature_id)) AS t, min(first_day) AS first
    FROM feature_first_use
    WHERE project_id = {project:String} AND timezone = {tz:String}
      AND feature_id IN {target_ids:Array(String)} AND feature_id != ''
      AND version = {target_versions:Array(UInt32)}[indexOf({target_ids:Array(String)}, feature_id)]
    GROUP BY feature_id, version, user_key, identified
    HAVING first < {as_of_day:Date}
  )
  GROUP BY user_key, identified
),
persons AS (
  SELECT if(k.identified = 1 OR a.user_id = '', k.user_key, a.user_id) AS person,
    arraySort(arrayDistinct(arrayFlatten(groupArray(k.days)))) AS days, arrayFlatten(groupArray(k.firsts)) AS firsts
  FROM (
    SELECT act.user_key AS user_key, act.identified AS identified, act.days AS days, firsts.firsts AS firsts
    FROM act LEFT JOIN firsts ON firsts.user_key = act.user_key AND firsts.identified = act.identified
  ) AS k
  LEFT JOIN aliases AS a ON a.anonymous_id = k.user_key
  GROUP BY person
)`
