/**
 * Daily figures for the overview, in the project's time zone, from `activity_rollup` (15-minute
 * UTC buckets, each of which lies on one local day in every zone, as every offset is a whole
 * number of quarter hours): a few rows per person and day instead of every event.
 *
 * A person is the identified user, else the user their anonymous id was merged into, else the
 * anonymous id (metrics spec §1); the account is the row's own, else the one the person was last
 * grouped into. Both are resolved once per stored account, user key and day, by looking the keys
 * up in the identity tables' latest mappings. Only events a person caused count as activity.
 * Parameters: project, tz, from, to (local dates, inclusive), lo_day, hi_day (UTC days that cover
 * them), non_activity. `people`: '' for everyone, or ` AND person IN (<a segment's people>)`, which
 * keeps only their activity (and so the accounts they were active in); it brings its own parameters.
 */
const ALIASES = `(SELECT (groupArray(anonymous_id), groupArray(user_id)) FROM (
  SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
  WHERE project_id = {project:String} GROUP BY anonymous_id HAVING user_id != ''))`
const MEMBERSHIPS = `(SELECT (groupArray(user_id), groupArray(account_id)) FROM (
  SELECT user_id, argMax(account_id, updated_at) AS account_id FROM user_accounts
  WHERE project_id = {project:String} GROUP BY user_id))`
const PERSON = `if(g.identified = 1, g.user_key, transform(g.user_key, ${ALIASES}.1, ${ALIASES}.2, g.user_key))`

/** Per stored account, user key and local day of the range with activity (of `people` only). */
const rollupDays = (people: string) => `
SELECT ${PERSON} AS person, if(g.account_id != '', g.account_id, transform(person, ${MEMBERSHIPS}.1, ${MEMBERSHIPS}.2, '')) AS account, g.day AS day
FROM (
  SELECT account_id, user_key, identified, toDate(bucket, {tz:String}) AS day
  FROM activity_rollup
  WHERE project_id = {project:String} AND bucket >= toDateTime({lo_day:Date}, 'UTC') AND bucket < toDateTime({hi_day:Date}, 'UTC')
    AND event NOT IN {non_activity:Array(String)}
  GROUP BY account_id, user_key, identified, day
) AS g
WHERE day >= {from:Date} AND day <= {to:Date}${people}`

/**
 * Active people and accounts per local day in [from, to] (`total` = 0), and over the whole range
 * (`total` = 1: distinct people, not a sum of days), from one reading of the rollup. The rollup's
 * rows come sorted by account, user key and bucket, and a local day follows the bucket, so the
 * reduction per key and day runs in that order instead of hashing every row.
 */
export const activeSql = (people = '') => `
SELECT grouping(day) AS total, toString(day) AS d, uniqExact(person) AS active_users, uniqExactIf(account, account != '') AS active_accounts
FROM (${rollupDays(people)}) GROUP BY GROUPING SETS ((day), ()) ORDER BY total, d
SETTINGS force_grouping_standard_compatibility = 1, optimize_aggregation_in_order = 1`

/**
 * Stored events per local day: the rollup's counts over the day's quarter hours. The rollup counts
 * every row it receives, and the collector keeps copies of an event out of the store (its memory of
 * recent ids, a lookup before inserting anything it cannot vouch for, the store's repeat-block
 * check; see the collector's README), so each event counts once. Parameters: project, tz, from, to,
 * lo_day and hi_day.
 */
export const EVENTS_SQL = `
SELECT toString(toDate(bucket, {tz:String})) AS d, sum(events) AS events
FROM activity_rollup
WHERE project_id = {project:String} AND bucket >= toDateTime({lo_day:Date}, 'UTC') AND bucket < toDateTime({hi_day:Date}, 'UTC')
  AND toDate(bucket, {tz:String}) >= {from:Date} AND toDate(bucket, {tz:String}) <= {to:Date}
GROUP BY d ORDER BY d`

/**
 * Each user key's first quarter hour of activity before {hi_day:Date}: from `first_activity`, kept at
 * ingest (migration 047), once it holds every stored key (`firstActivityComplete`); else from every
 * rollup row of the project's history. Both give the same rows.
 */
const KEY_FIRSTS = {
  kept: `
    SELECT user_key, identified, min(first) AS first_at FROM first_activity
    WHERE project_id = {project:String}
    GROUP BY user_key, identified HAVING first_at < toDateTime({hi_day:Date}, 'UTC')`,
  rollup: `
    SELECT user_key, identified, min(bucket) AS first_at FROM activity_rollup
    WHERE project_id = {project:String} AND bucket < toDateTime({hi_day:Date}, 'UTC') AND event NOT IN {non_activity:Array(String)}
    GROUP BY user_key, identified`,
} as const

/** People whose first activity ever falls on each local day in [from, to]: each user key's first bucket, then the earliest of a person's keys. */
export const newUsersSql = (people = '', firsts: keyof typeof KEY_FIRSTS = 'rollup') => `
SELECT toString(first_day) AS d, count() AS new_users
FROM (
  SELECT ${PERSON} AS person, min(toDate(g.first_at, {tz:String})) AS first_day
  FROM (${KEY_FIRSTS[firsts]}
  ) AS g
  GROUP BY person
)
WHERE first_day >= {from:Date} AND first_day <= {to:Date}${people}
GROUP BY first_day ORDER BY first_day`
