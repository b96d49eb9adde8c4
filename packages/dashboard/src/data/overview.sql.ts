/**
 * Daily activity for the overview, in the project's time zone. A person is the identified user,
 * else the user their anonymous id was merged into, else the anonymous id (metrics spec §1); the
 * account is the event's own, else the one the person was last grouped into. Only events a person
 * caused count as activity; the events column counts every stored event.
 * Parameters: project, tz, from, to (local dates, inclusive), lo, hi (UTC bounds that cover them),
 * since (lo for a range's figures, the epoch for first activity ever), non_activity.
 * `people`: '' for everyone, or ` AND person IN (<a segment's people>)`, which keeps only their
 * activity (and so the accounts they were active in); it brings its own parameters.
 */
const ACTIVITY = `
SELECT x.person AS person, if(x.account_id != '', x.account_id, ua.account_id) AS account, x.day AS day
FROM (
  SELECT if(e.user_id != '', e.user_id, if(pa.user_id != '', pa.user_id, e.anonymous_id)) AS person,
         e.account_id AS account_id, toDate(e.timestamp, {tz:String}) AS day
  FROM events AS e FINAL
  LEFT JOIN (
    SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
    WHERE project_id = {project:String} GROUP BY anonymous_id
  ) AS pa ON pa.anonymous_id = e.anonymous_id
  WHERE e.project_id = {project:String} AND e.timestamp < {hi:DateTime64(3)} AND e.event NOT IN {non_activity:Array(String)}
    AND e.timestamp >= {since:DateTime64(3)}
) AS x
LEFT JOIN (
  SELECT user_id, argMax(account_id, updated_at) AS account_id FROM user_accounts
  WHERE project_id = {project:String} GROUP BY user_id
) AS ua ON ua.user_id = x.person`

/** Per local day in [from, to]: active people and accounts. */
export const dailyActiveSql = (people = '') => `
SELECT toString(day) AS d, uniqExact(person) AS active_users, uniqExactIf(account, account != '') AS active_accounts
FROM (${ACTIVITY}) WHERE day >= {from:Date} AND day <= {to:Date}${people}
GROUP BY d ORDER BY d`

/** People whose first activity ever falls on each local day in [from, to]. */
export const newUsersSql = (people = '') => `
SELECT toString(first_day) AS d, count() AS new_users
FROM (SELECT person, min(day) AS first_day FROM (${ACTIVITY}) GROUP BY person)
WHERE first_day >= {from:Date} AND first_day <= {to:Date}${people}
GROUP BY first_day ORDER BY first_day`

/** Totals over the whole range (distinct people, not a sum of days). */
export const totalsSql = (people = '') => `
SELECT uniqExact(person) AS active_users, uniqExactIf(account, account != '') AS active_accounts
FROM (${ACTIVITY}) WHERE day >= {from:Date} AND day <= {to:Date}${people}`

/** Stored events per local day (each copy of a retried event once). */
export const EVENTS_SQL = `
SELECT toString(toDate(timestamp, {tz:String})) AS d, count() AS events
FROM events FINAL
WHERE project_id = {project:String} AND timestamp >= {lo:DateTime64(3)} AND timestamp < {hi:DateTime64(3)}
  AND toDate(timestamp, {tz:String}) >= {from:Date} AND toDate(timestamp, {tz:String}) <= {to:Date}
GROUP BY d ORDER BY d`

/**
 * The same figures from `activity_rollup` (15-minute UTC buckets, which fall on one local day in
 * every zone): a few rows per person and day instead of every event. People and accounts are
 * resolved as above, once per stored account, user key and day, by looking the keys up in the
 * identity tables' latest mappings. Used once the rollup holds every stored event.
 * Parameters: project, tz, from, to, lo_day, hi_day (UTC days that cover them), non_activity; `people` as above.
 */
const ALIASES = `(SELECT (groupArray(anonymous_id), groupArray(user_id)) FROM (
  SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
  WHERE project_id = {project:String} GROUP BY anonymous_id HAVING user_id != ''))`
const MEMBERSHIPS = `(SELECT (groupArray(user_id), groupArray(account_id)) FROM (
  SELECT user_id, argMax(account_id, updated_at) AS account_id FROM user_accounts
  WHERE project_id = {project:String} GROUP BY user_id))`
const PERSON = `if(g.identified = 1, g.user_key, transform(g.user_key, ${ALIASES}.1, ${ALIASES}.2, g.user_key))`

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

export const rollupDailyActiveSql = (people = '') => `
SELECT toString(day) AS d, uniqExact(person) AS active_users, uniqExactIf(account, account != '') AS active_accounts
FROM (${rollupDays(people)}) GROUP BY d ORDER BY d`

export const rollupTotalsSql = (people = '') => `
SELECT uniqExact(person) AS active_users, uniqExactIf(account, account != '') AS active_accounts FROM (${rollupDays(people)})`

/** First activity ever per person: each user key's first bucket, then the earliest of a person's keys. */
export const rollupNewUsersSql = (people = '') => `
SELECT toString(first_day) AS d, count() AS new_users
FROM (
  SELECT ${PERSON} AS person, min(toDate(g.first, {tz:String})) AS first_day
  FROM (
    SELECT user_key, identified, min(bucket) AS first FROM activity_rollup
    WHERE project_id = {project:String} AND bucket < toDateTime({hi_day:Date}, 'UTC') AND event NOT IN {non_activity:Array(String)}
    GROUP BY user_key, identified
  ) AS g
  GROUP BY person
)
WHERE first_day >= {from:Date} AND first_day <= {to:Date}${people}
GROUP BY first_day ORDER BY first_day`
