import { ALIASES_CTE } from '../sql/persons.sql.js'

/** Activity rows kept beside the window's: the days that can count as a return. */
const RETURN_ROW = {
  on: 'r.day = k.d0 + {n:UInt32}',
  on_or_after: 'r.day >= k.d0 + {n:UInt32} AND r.day < {as_of_day:Date}',
} as const

const IN_WINDOW = 'r.day < k.d0 + {window:UInt32}'

/** Of days 0…window−1, those among the last three but day 0: bits max(1, window−3) … window−1. */
const LATE_BITS = 'bitXor(bitShiftLeft(toUInt128(1), {window:UInt32}) - 1, bitShiftLeft(toUInt128(1), greatest(1, toInt32({window:UInt32}) - 3)) - 1)'

/** A day's bit among a key's window days (day 0 = bit 0; days before day 0 wrap, which only costs a recount). */
const DAY_BIT = 'bitShiftLeft(toUInt128(1), bitAnd(toInt32(r.day) - toInt32(k.d0), 127))'

/** A window row packed as (day, account hash, uses), so that sorting numbers orders the rows. */
const WINDOW_ROW = 'bitOr(bitShiftLeft(toUInt128(toUInt16(r.day)), 96), bitOr(bitShiftLeft(toUInt128(cityHash64(r.account_id)), 32), toUInt128(r.uses)))'

/**
 * `first`: the people rows, a key's window uses summed plainly, with a last column naming the
 * person when that sum may count a copy twice (a key with two rows on one day), else ''.
 * `recount`: for the people `{persons}` (`recount-all`: everyone), [person, events, used, used
 * events] with each copy counted once.
 */
export type PeoplePass = 'first' | 'recount' | 'recount-all'

/**
 * Per user key (and feature, in `by`): its window rows summed plainly, how many there are and
 * their day bits — one row a day exactly when the bits number the rows — and, in a recount, the
 * rows themselves.
 */
function windowUses(recount: boolean): string {
  return `sumIf(toUInt64(r.uses), ${IN_WINDOW}) AS plain,
    countIf(${IN_WINDOW}) AS rows_in_window,
    groupBitOrIf(${DAY_BIT}, ${IN_WINDOW}) AS day_bits,
    ${recount ? `groupArrayIf(${WINDOW_ROW}, ${IN_WINDOW})` : `CAST([], 'Array(UInt128)')`} AS window_rows`
}

/**
 * Σ over a key's distinct (day, account) in the window of the largest use count: the plain sum
 * when the key has one row a day, otherwise the sorted window rows, each run of one (day,
 * account) counting its last.
 */
const EXACT_USES = `if(bitCount(day_bits) = rows_in_window, plain,
    arraySum((x, next, last) -> if(last OR bitShiftRight(x, 32) != bitShiftRight(next, 32), toUInt64(bitAnd(x, 4294967295)), toUInt64(0)),
      arraySort(window_rows) AS sorted, arrayPopFront(arrayPushBack(sorted, toUInt128(0))), arrayMap(i -> i = length(sorted), arrayEnumerate(sorted))))`

/**
 * One row per new person (first activity ever in [from, to]) with what the high-retention report
 * adjusts for, all measured on days 0…window−1 only (metrics spec §4): active days, events (use
 * counts of the activity target), sessions (distinct session ids per user key and day, added up),
 * active days among the last three of the window (day 0 aside), the features first used in the
 * window (ascending), and the person's account with its size (people active in it) and imported
 * plan and seats. `used_events[i]` counts the events that were use of feature `used[i]` in the
 * window, so a feature's comparison can leave its own events out of the event volume. `eligible`
 * = day N complete; `retained` = returned on day N (or on or after it).
 *
 * People whose day 0 is the (incomplete) as-of day are in the rows, never eligible: they count
 * as new users censored (metrics spec §1).
 *
 * How it stays cheap: one pass over the activity rows gives every person's day 0 and account
 * (account sizes count everyone, not just the cohort) and lists the user keys of the cohort. The
 * activity rows, the feature rows and the distinct (user key, day, session id) of the events then
 * each meet that list in a join, so everything outside the cohort's windows (and, for activity,
 * its day N) is dropped before any folding, and what is left folds per user key into a few
 * numbers. A feature was first used in the window exactly when one of its rows lies there
 * (feature_first_use is the minimum of those rows), so its rows answer both questions. A copy of
 * an activity row (recomputed twice) counts once, with its largest use count: the first pass
 * names the people it may concern and the recount, for them alone, sorts their window rows.
 * Accounts within one key's day are told apart by a 64-bit hash of their id.
 */
export function highRetentionPeopleSql(mode: keyof typeof RETURN_ROW, activity: string, pass: PeoplePass = 'first'): string {
  const recount = pass !== 'first'
  return `WITH ${activity},
${ALIASES_CTE},
keys AS (
  SELECT user_key, identified, min(day) AS first, argMaxIf(account_id, day, account_id != '') AS account
  FROM activity_days
  WHERE day <= {as_of_day:Date}
  GROUP BY user_key, identified
),
persons AS (
  SELECT person, min(first) AS d0, max(account) AS account, groupArray((user_key, identified)) AS ks
  FROM (
    SELECT if(k.identified = 1 OR a.user_id = '', k.user_key, a.user_id) AS person, k.user_key AS user_key, k.identified AS identified,
      k.first AS first, k.account AS account
    FROM keys AS k LEFT JOIN aliases AS a ON a.anonymous_id = k.user_key
  )
  GROUP BY person
),
cohort AS (
  -- pid numbers the people within one reading of this; people are matched across readings by id.
  SELECT toUInt32(rowNumberInAllBlocks()) AS pid, person, d0, account, account_size, ks
  FROM (SELECT person, d0, account, ks, if(account != '', toUInt32(count() OVER (PARTITION BY account)), 0) AS account_size FROM persons)
  WHERE d0 >= {from:Date} AND d0 <= {to:Date}${pass === 'recount' ? ' AND person IN {persons:Array(String)}' : ''}
),
cohort_keys AS (
  SELECT pid, person, d0, account, account_size, kk.1 AS user_key, kk.2 AS identified, ki
  FROM cohort ARRAY JOIN ks AS kk, arrayEnumerate(ks) AS ki
),
activity_keys AS (
  SELECT k.pid AS pid, any(k.person) AS person, any(k.d0) AS start, any(k.account) AS account, any(k.account_size) AS account_size,
    toUInt8(countIf(${RETURN_ROW[mode]}) > 0) AS returned, ${windowUses(recount)}
  FROM activity_days AS r INNER JOIN cohort_keys AS k ON k.user_key = r.user_key AND k.identified = r.identified
  WHERE r.day <= {as_of_day:Date} AND (${IN_WINDOW} OR ${RETURN_ROW[mode]})
  GROUP BY pid, k.ki
),
activity AS (
  SELECT any(person) AS person, any(start) AS d0, any(account) AS account, any(account_size) AS account_size, max(returned) AS retained,
    groupBitOr(day_bits) AS active_bits, toUInt32(bitCount(active_bits)) AS active,
    toUInt32(bitCount(bitAnd(active_bits, ${LATE_BITS}))) AS late,
    toUInt32(sum(${recount ? EXACT_USES : 'plain'})) AS events, max(bitCount(day_bits) != rows_in_window) AS inexact
  FROM activity_keys
  GROUP BY pid
),
feature_keys AS (
  SELECT k.pid AS pid, any(k.person) AS person, r.t AS t, ${windowUses(recount)}
  FROM feature_rows AS r INNER JOIN cohort_keys AS k ON k.user_key = r.user_key AND k.identified = r.identified
  WHERE r.day < {as_of_day:Date} AND r.day < {to:Date} + {window:UInt32} AND ${IN_WINDOW}
  GROUP BY pid, k.ki, t
),
features AS (
  SELECT any(person) AS person, arraySort(groupUniqArray(t)) AS used, sumMap([t], [${recount ? EXACT_USES : 'plain'}]) AS own,
    max(bitCount(day_bits) != rows_in_window) AS inexact
  FROM feature_keys
  GROUP BY pid
)${recount ? '' : `,
-- One row per user key, day and session id: the events are many, their sessions few.
session_days AS (
  SELECT user_key, toDate(timestamp, {tz:String}) AS day
  FROM events
  WHERE project_id = {project:String} AND event NOT IN {non_activity:Array(String)} AND session_id != ''
    AND timestamp >= toDateTime({from:Date}, {tz:String}) AND timestamp < toDateTime({to:Date}, {tz:String}) + toIntervalDay({window:UInt32})
  GROUP BY user_key, day, session_id
),
sessions AS (
  -- A session belongs to a user key whatever its identified flag.
  SELECT any(k.person) AS person, toUInt32(count()) AS sessions
  FROM session_days AS r INNER JOIN cohort_keys AS k ON k.user_key = r.user_key
  WHERE r.day >= k.d0 AND ${IN_WINDOW}
  GROUP BY k.pid
),
plans AS (
  SELECT account_id AS account, argMaxIf(plan, import_seq, plan != '') AS plan, argMaxIf(seats, import_seq, seats IS NOT NULL) AS seats
  FROM accounts
  WHERE project_id = {project:String}
    AND import_seq IN (SELECT seq FROM account_imports FINAL WHERE project_id = {project:String} AND status = 'committed')
  GROUP BY account_id
)`}
${
  recount
    ? `SELECT p.person AS person, p.events AS events, f.used AS used, arrayMap(t -> toUInt32(f.own.2[indexOf(f.own.1, t)]), f.used) AS used_events
FROM activity AS p LEFT JOIN features AS f ON f.person = p.person`
    : `SELECT toUInt8(p.d0 + {n:UInt32} < {as_of_day:Date}) AS eligible,
  p.retained AS retained, p.active AS active, p.late AS late, p.events AS events, s.sessions AS sessions,
  f.used AS used, arrayMap(t -> toUInt32(f.own.2[indexOf(f.own.1, t)]), f.used) AS used_events,
  p.account AS account, p.account_size AS account_size, pl.plan AS plan, pl.seats AS seats,
  if(p.inexact OR f.inexact, p.person, '') AS recount
FROM activity AS p
LEFT JOIN features AS f ON f.person = p.person
LEFT JOIN sessions AS s ON s.person = p.person
LEFT JOIN plans AS pl ON pl.account = p.account`
}`
}
