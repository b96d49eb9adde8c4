import { ROLLUP_ACTIVITY_SQL } from './rollup.sql.js'

/**
 * Single events in [{from:Date}, {to:Date}) for what the rollup cannot say (session spans to the
 * millisecond, devices), with the account and person resolved as in ROLLUP_ACTIVITY_SQL. Each
 * event counts once without FINAL: copies share the sort key (account, user key, uuid), and the
 * latest copy's values are taken, as FINAL would keep it. `keys`, when given, bounds the read to
 * those user keys. Parameters: project, from, to, non_activity.
 */
function rawEvents(keys: string): string {
  return `
SELECT
  if(x.account_id != '', x.account_id, ua.account_id) AS account,
  x.person AS person,
  x.user_id AS user_id,
  x.ts AS ts,
  toDate(x.ts) AS day,
  x.session_id AS session_id,
  x.device AS device
FROM (
  SELECT c.account_id AS account_id, c.last_user AS user_id, c.last_ts AS ts, c.last_session AS session_id, c.last_device AS device,
    if(c.last_user != '', c.last_user, if(pa.user_id != '', pa.user_id, c.last_anon)) AS person
  FROM (
    SELECT account_id, user_key, uuid,
      argMax(user_id, received_at) AS last_user,
      argMax(anonymous_id, received_at) AS last_anon,
      argMax(timestamp, received_at) AS last_ts,
      argMax(session_id, received_at) AS last_session,
      argMax(concat(toString(browser), ' / ', toString(os), ' / ', toString(device_type)), received_at) AS last_device
    FROM events
    WHERE project_id = {project:String}${keys}
      AND timestamp >= toDateTime64({from:Date}, 3, 'UTC') AND timestamp < toDateTime64({to:Date}, 3, 'UTC')
      AND event NOT IN {non_activity:Array(String)}
    GROUP BY account_id, user_key, uuid
  ) AS c
  LEFT JOIN (
    SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
    WHERE project_id = {project:String} GROUP BY anonymous_id
  ) AS pa ON pa.anonymous_id = c.last_anon
) AS x
LEFT JOIN (
  SELECT user_id, argMax(account_id, updated_at) AS account_id FROM user_accounts
  WHERE project_id = {project:String} GROUP BY user_id
) AS ua ON ua.user_id = x.person`
}

/**
 * Pairs of one identified user's sessions on different sessions or devices whose active spans
 * (first to last event) overlap by at least {min_overlap:UInt32} seconds. Events without a
 * session id fall back to one span per device and day. Reads identified users' events only.
 */
export const OVERLAP_SQL = `
WITH sessions AS (
  SELECT account, user_id, if(session_id != '', session_id, concat('day ', toString(day))) AS session, device,
    min(ts) AS started, max(ts) AS ended
  FROM (${rawEvents(` AND user_id != ''`)}) AS a
  WHERE user_id != '' AND account != ''
  GROUP BY account, user_id, session, device
)
SELECT
  s1.account AS account, s1.user_id AS user_id,
  toString(toDate(greatest(s1.started, s2.started))) AS day,
  s1.session AS session_a, s1.device AS device_a, toString(s1.started) AS start_a, toString(s1.ended) AS end_a,
  s2.session AS session_b, s2.device AS device_b, toString(s2.started) AS start_b, toString(s2.ended) AS end_b,
  dateDiff('second', greatest(s1.started, s2.started), least(s1.ended, s2.ended)) AS overlap_seconds
FROM sessions AS s1
INNER JOIN sessions AS s2 ON s1.account = s2.account AND s1.user_id = s2.user_id
WHERE (s1.session, s1.device) < (s2.session, s2.device)
  AND s1.started < s2.ended AND s2.started < s1.ended
  AND dateDiff('second', greatest(s1.started, s2.started), least(s1.ended, s2.ended)) >= {min_overlap:UInt32}
ORDER BY account, user_id, start_a`

/** Activity per person from the rollup: active days and hours (exact on 15-minute buckets), events. */
export const PERSON_ACTIVITY_SQL = `
SELECT account, person, uniqExact(day) AS active_days, uniqExact(toStartOfHour(bucket)) AS active_hours, sum(n) AS events
FROM (${ROLLUP_ACTIVITY_SQL}) AS a
WHERE account != ''
GROUP BY account, person`

/**
 * Devices of the given (account, person) pairs, from their events: the read is bounded to the
 * people's own user keys and the anonymous ids merged into them.
 * Parameters: those of rawEvents plus people, and the pairs as pair_accounts and pair_people.
 */
export const DEVICES_SQL = `
SELECT account, person, uniqExact(device) AS devices
FROM (${rawEvents(` AND (user_key IN {people:Array(String)} OR user_key IN (
  SELECT anonymous_id FROM person_aliases WHERE project_id = {project:String} AND user_id IN {people:Array(String)}))`)}) AS a
WHERE has(arrayZip({pair_accounts:Array(String)}, {pair_people:Array(String)}), (account, person))
GROUP BY account, person`
