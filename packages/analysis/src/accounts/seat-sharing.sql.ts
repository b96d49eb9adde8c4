import { ACTIVITY_SQL } from './activity.sql.js'

/**
 * Pairs of one identified user's sessions on different sessions or devices whose active spans
 * (first to last event) overlap by at least {min_overlap:UInt32} seconds. Events without a
 * session id fall back to one span per device and day.
 */
export const OVERLAP_SQL = `
WITH sessions AS (
  SELECT account, user_id, if(session_id != '', session_id, concat('day ', toString(day))) AS session, device,
    min(ts) AS started, max(ts) AS ended, count() AS events
  FROM (${ACTIVITY_SQL}) AS a
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

/** Activity per person: active days and hours, devices. */
export const PERSON_ACTIVITY_SQL = `
SELECT account, person, uniqExact(day) AS active_days, uniqExact(toStartOfHour(ts)) AS active_hours,
  count() AS events, uniqExact(device) AS devices
FROM (${ACTIVITY_SQL}) AS a
WHERE account != ''
GROUP BY account, person`
