import { ALIASES, MEMBERSHIPS, resolvedActivitySql, resolvedPersonDaysSql } from './rollup.sql.js'

/**
 * Where seat sharing's spans and devices are read: `events`, single events, or `spans`, the
 * sessions' spans per UTC day and device kept at ingest (`session_spans`, migration 046), once
 * they cover every stored event (`spansComplete`). Both give the same rows.
 */
export type SpanSource = 'events' | 'spans'

/**
 * Spans per stored account, user key, identified flag, session, UTC day (`day_key`: the day for
 * events without a session id, else one value) and device in [{from:Date}, {to:Date}), of the
 * user keys `keys` (SQL of a condition). Copies of an event share all of these (a copy's
 * clock-corrected time can differ by milliseconds), so no FINAL is needed. From `session_spans`
 * a span can come as several rows (per UTC day, and parts not yet merged): every reader groups
 * what it reads anyway, so the rows are passed on as they are stored instead of grouped twice.
 */
function spanGroups(source: SpanSource, keys: string): string {
  if (source === 'spans') {
    return `
  SELECT account_id, user_key, identified, session_id, if(session_id = '', day, toDate(0)) AS day_key, browser, os, device_type, started, ended
  FROM session_spans
  WHERE project_id = {project:String} AND (${keys}) AND day >= {from:Date} AND day < {to:Date}`
  }
  return `
  SELECT account_id, user_key, toUInt8(user_id != '') AS identified, session_id, if(session_id = '', toDate(timestamp), toDate(0)) AS day_key, browser, os, device_type,
    min(timestamp) AS started, max(timestamp) AS ended
  FROM events
  WHERE project_id = {project:String} AND (${keys})
    AND timestamp >= toDateTime64({from:Date}, 3, 'UTC') AND timestamp < toDateTime64({to:Date}, 3, 'UTC')
    AND event NOT IN {non_activity:Array(String)}
  GROUP BY account_id, user_key, identified, session_id, day_key, browser, os, device_type`
}

const DEVICE = `concat(toString(g.browser), ' / ', toString(g.os), ' / ', toString(g.device_type))`

/**
 * Identified users' spans in [{from:Date}, {to:Date}): the stored groups (see spanGroups) are
 * resolved to the person's account only once grouped. Identified users only (their person is
 * their user id). Parameters: project, from, to, non_activity.
 */
function identifiedSessions(source: SpanSource): string {
  return `
SELECT if(g.account_id != '', g.account_id, transform(g.user_key, ${MEMBERSHIPS}.1, ${MEMBERSHIPS}.2, '')) AS account, g.user_key AS user_id,
  if(g.session_id != '', g.session_id, concat('day ', toString(g.day_key))) AS session,
  ${DEVICE} AS device,
  min(g.started) AS started, max(g.ended) AS ended
FROM (${spanGroups(source, 'identified = 1')}) AS g
GROUP BY account, user_id, session, device`
}

/**
 * Each identified user's active span (first to last event) per session and device, with the
 * times in epoch milliseconds for pairing them (see session-overlaps.ts). Events without a
 * session id fall back to one span per device and day. Only users with two spans that overlap
 * at all come back, so a user whose spans never meet is left in the store instead of read and
 * swept; most users are. A user's spans are sorted by start (then session and device), and some
 * span starts before the latest end among those before it exactly when one starts before the end
 * of the span just before it. Take the first span that starts before an earlier end: had the span
 * just before it ended by then, that earlier end would lie further back, and the span just before
 * would start before it too and be first. So each user's spans are one sorted array, read pair
 * by pair, with no window over every span.
 */
export const sessionsSql = (source: SpanSource): string => `
SELECT account, user_id, s.1 AS session, s.2 AS device, toUnixTimestamp64Milli(s.3) AS started_ms, toUnixTimestamp64Milli(s.4) AS ended_ms
FROM (
  SELECT account, user_id, arraySort(x -> (x.3, x.1, x.2), groupArray((session, device, started, ended))) AS spans
  FROM (${identifiedSessions(source)})
  WHERE account != ''
  GROUP BY account, user_id
  HAVING arrayExists((later, earlier) -> later.3 < earlier.4, arrayPopFront(spans), arrayPopBack(spans))
)
ARRAY JOIN spans AS s`

/**
 * Activity per person from the rollup: active days and hours (exact on 15-minute buckets), events.
 * Each stored key's days and hours are gathered as sets before keys are resolved to people, and a
 * person's sets are merged: no row per key and hour is ever built.
 */
export const PERSON_ACTIVITY_SQL = `
SELECT account, person, uniqExactMerge(days) AS active_days, uniqExactMerge(hours) AS active_hours, sum(n) AS events
FROM (${resolvedActivitySql('none', [
  { name: 'days', expr: 'uniqExactState(toDate(bucket))' },
  { name: 'hours', expr: 'uniqExactState(toStartOfHour(bucket))' },
  { name: 'n', expr: 'sum(events)' },
])}) AS a
WHERE account != ''
GROUP BY account, person`

/**
 * `PERSON_ACTIVITY_SQL` from `person_days` (see `personDaysComplete`): a person's rows of one day
 * (several keys, unmerged parts) OR their active hours together before the day's hours are counted.
 */
export const PERSON_DAYS_ACTIVITY_SQL = `
SELECT account, person, count() AS active_days, sum(bitCount(h)) AS active_hours, sum(n) AS events
FROM (
  SELECT account, person, t, groupBitOr(hours) AS h, sum(n) AS n
  FROM (${resolvedPersonDaysSql([{ name: 'hours', expr: 'hours' }, { name: 'n', expr: 'events' }])}) AS a
  WHERE account != ''
  GROUP BY account, person, t
)
GROUP BY account, person`

/**
 * Devices of the given (account, person) pairs, from their spans (see spanGroups): the read is bounded to the
 * people's own user keys and the anonymous ids merged into them, and resolved as the rollup is.
 * Parameters: project, from, to, non_activity, people, and the pairs as pair_accounts and pair_people.
 */
export const devicesSql = (source: SpanSource): string => `
SELECT account, person, uniqExact(device) AS devices
FROM (
  SELECT if(g.identified = 1, g.user_key, transform(g.user_key, ${ALIASES}.1, ${ALIASES}.2, g.user_key)) AS person,
    if(g.account_id != '', g.account_id, transform(person, ${MEMBERSHIPS}.1, ${MEMBERSHIPS}.2, '')) AS account, ${DEVICE} AS device
  FROM (${spanGroups(
    source,
    `(user_key IN {people:Array(String)} OR user_key IN (
      SELECT anonymous_id FROM person_aliases WHERE project_id = {project:String} AND user_id IN {people:Array(String)}))
    -- Events stored under another account resolve to it, which no pair names: the key's order skips them.
    AND (account_id IN {pair_accounts:Array(String)} OR account_id = '')`,
  )}) AS g
)
-- A set of the pairs, looked up once a row: has() over the pairs' array would scan them all for every row.
WHERE (account, person) IN (SELECT arrayJoin(arrayZip({pair_accounts:Array(String)}, {pair_people:Array(String)})))
GROUP BY account, person`
