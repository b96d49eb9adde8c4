import { ALIASES_CTE } from '../sql/persons.sql.js'

/** Activity rows kept beside the window's (kind 0): the days that can count as a return. */
const RETURN_ROW = {
  on: 'r.day = k.d0 + {n:UInt32}',
  on_or_after: 'r.day >= k.d0 + {n:UInt32} AND r.day < {as_of_day:Date}',
} as const

/** Of days 0…window−1, those among the last three but day 0: bits max(1, window−3) … window−1. */
const LATE_BITS = 'bitXor(bitShiftLeft(toUInt128(1), {window:UInt32}) - 1, bitShiftLeft(toUInt128(1), greatest(1, toInt32({window:UInt32}) - 3)) - 1)'

/**
 * Σ over a key's distinct (day, account) in the window of the largest use count. A key nearly
 * always has one row a day (its day bits then number its rows), and the plain sum is right;
 * otherwise its window rows, each packed as (day, account hash, uses) in one number and sorted,
 * count the last of each run of one (day, account).
 */
const IN_WINDOW_USES = `if(bitCount(day_bits) = rows_in_window, plain,
    arraySum((x, next, last) -> if(last OR bitShiftRight(x, 32) != bitShiftRight(next, 32), toUInt64(bitAnd(x, 4294967295)), toUInt64(0)),
      arraySort(window_rows) AS sorted, arrayPopFront(arrayPushBack(sorted, toUInt128(0))), arrayMap(i -> i = length(sorted), arrayEnumerate(sorted))))`
const WINDOW_ROW = 'bitOr(bitShiftLeft(toUInt128(toUInt16(r.day)), 96), bitOr(bitShiftLeft(toUInt128(r.account_hash), 32), toUInt128(r.uses)))'

/** A day's bit among a key's window days (day 0 = bit 0; days before day 0 wrap, which only costs a sort). */
const DAY_BIT = 'bitShiftLeft(toUInt128(1), bitAnd(toInt32(r.day) - toInt32(k.d0), 127))'

/**
 * `first`: the people rows, a key's window uses summed plainly, with a last column naming the
 * person when that sum may count a copy twice (a key with two rows on one day), else ''.
 * `recount`: for the people `{persons}` (`recount-all`: everyone), [person, events, used, used
 * events] with each copy counted once.
 */
export type PeoplePass = 'first' | 'recount' | 'recount-all'

/** A target's position (1-based) in `{target_ids}`, and the built version of each. */
const POSITION = `transform(feature_id, {target_ids:Array(String)}, arrayEnumerate({target_ids:Array(String)}), toUInt32(0))`
const VERSION = `transform(feature_id, {target_ids:Array(String)}, {target_versions:Array(UInt32)}, toUInt32(4294967295))`

/**
 * One row per new person (first activity ever in [from, to]) with what the high-retention report
 * adjusts for, all measured on days 0…window−1 only (metrics spec §4): active days, events (use
 * counts of the activity target), sessions (distinct session ids per user key and day, added up),
 * active days among the last three of the window (day 0 aside), the features first used in the
 * window (ascending), and the person's account with its size (people active in it) and imported plan and
 * seats. `used_events[i]` counts the events that were use of feature `used[i]` in the window, so a
 * feature's comparison can leave its own events out of the event volume. `eligible` = day N
 * complete; `retained` = returned on day N (or on or after it).
 *
 * People whose day 0 is the (incomplete) as-of day are in the rows, never eligible: they count
 * as new users censored (metrics spec §1).
 *
 * How it stays cheap: one pass over the activity rows gives every person's day 0 and account
 * (account sizes count everyone, not just the cohort) and lists the user keys of the cohort. One
 * stream of rows — activity days (kind 0), feature days (1) and the distinct (user key, day,
 * session id) of the events (3) — then meets that list in a single join, so everything outside
 * the cohort's windows (and, for activity, its day N) is dropped before any folding, and the rows
 * left fold per user key (and feature) into a few numbers. A feature was first used in the window
 * exactly when one of its rows lies there (feature_first_use is the minimum of those rows), so its
 * rows answer both questions. Copies of an activity row (recomputed twice) count once, with their
 * largest use count.
 *
 * Accounts within one key's day are told apart by a 64-bit hash of their id.
 */
export function highRetentionPeopleSql(mode: keyof typeof RETURN_ROW, pass: PeoplePass = 'first'): string {
  const recount = pass !== 'first'
  return `WITH ${ALIASES_CTE},
keys AS (
  SELECT user_key, identified, min(day) AS first, argMaxIf(account_id, day, account_id != '') AS account
  FROM feature_activity
  WHERE project_id = {project:String} AND timezone = {tz:String} AND feature_id = '' AND version = 0 AND day <= {as_of_day:Date}
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
plans AS (
  SELECT account_id AS account, argMaxIf(plan, import_seq, plan != '') AS plan, argMaxIf(seats, import_seq, seats IS NOT NULL) AS seats
  FROM accounts
  WHERE project_id = {project:String}
    AND import_seq IN (SELECT seq FROM account_imports FINAL WHERE project_id = {project:String} AND status = 'committed')
  GROUP BY account_id
),
cohort AS (
  SELECT toUInt32(rowNumberInAllBlocks()) AS pid, person, d0, account, account_size, ks
  FROM (SELECT person, d0, account, ks, if(account != '', toUInt32(count() OVER (PARTITION BY account)), 0) AS account_size FROM persons)
  WHERE d0 >= {from:Date} AND d0 <= {to:Date}${pass === 'recount' ? ' AND person IN {persons:Array(String)}' : ''}
),
cohort_keys AS (
  SELECT pid, person, d0, account, account_size, kk.1 AS user_key, kk.2 AS identified, ki
  FROM cohort ARRAY JOIN ks AS kk, arrayEnumerate(ks) AS ki
),
stream AS (
  SELECT 0 AS kind, user_key, identified, toUInt32(0) AS t, day, cityHash64(account_id) AS account_hash, uses
  FROM feature_activity
  WHERE project_id = {project:String} AND timezone = {tz:String} AND feature_id = '' AND version = 0 AND day <= {as_of_day:Date}
  UNION ALL
  SELECT 1, user_key, identified, ${POSITION}, day, cityHash64(account_id), uses
  FROM feature_activity
  WHERE project_id = {project:String} AND timezone = {tz:String} AND day < {as_of_day:Date} AND day < {to:Date} + {window:UInt32}
    AND feature_id IN {target_ids:Array(String)} AND feature_id != '' AND version = ${VERSION}
${recount ? '' : `  UNION ALL
  -- One row per user key, day and session id: the events are many, their sessions few.
  SELECT 3, user_key, toUInt8(0), toUInt32(0), toDate(timestamp, {tz:String}) AS session_day, toUInt64(0), toUInt32(0)
  FROM events
  WHERE project_id = {project:String} AND event NOT IN {non_activity:Array(String)} AND session_id != ''
    AND timestamp >= toDateTime({from:Date}, {tz:String}) AND timestamp < toDateTime({to:Date}, {tz:String}) + toIntervalDay({window:UInt32})
  GROUP BY user_key, session_day, session_id
`}),
folded AS (
  -- Per user key (and feature): its days, its window rows (day, account, uses) and its sessions.
  SELECT k.pid AS pid, k.ki AS ki, r.kind AS kind, r.t AS t,
    any(k.d0) AS start, anyIf(k.account, r.kind = 0) AS acct, anyIf(k.person, r.kind = 0) AS who, any(k.account_size) AS acct_size,
    count() AS n,
    toUInt8(countIf(r.kind = 0 AND ${RETURN_ROW[mode]}) > 0) AS returned,
    sumIf(toUInt64(r.uses), r.day < k.d0 + {window:UInt32}) AS plain,
    countIf(r.day < k.d0 + {window:UInt32}) AS rows_in_window,
    groupBitOrIf(${DAY_BIT}, r.day < k.d0 + {window:UInt32}) AS day_bits,
    ${recount ? `groupArrayIf(${WINDOW_ROW}, r.kind IN (0, 1) AND r.day < k.d0 + {window:UInt32})` : `CAST([], 'Array(UInt128)')`} AS window_rows
  FROM stream AS r INNER JOIN cohort_keys AS k ON k.user_key = r.user_key
  WHERE (r.kind = 3 OR r.identified = k.identified)
    AND ((r.day < k.d0 + {window:UInt32} AND (r.kind != 3 OR r.day >= k.d0)) OR (r.kind = 0 AND ${RETURN_ROW[mode]}))
  GROUP BY pid, ki, kind, t
),
sums AS (
  SELECT pid, kind, t, start, acct, who, acct_size, n, returned, day_bits, bitCount(day_bits) != rows_in_window AS copies,
    ${recount ? IN_WINDOW_USES : 'plain'} AS window_uses
  FROM folded
),
per_person AS (
  SELECT pid, any(start) AS d0, anyIf(acct, kind = 0) AS account, anyIf(who, kind = 0) AS person, any(acct_size) AS account_size,
    max(copies AND kind IN (0, 1)) AS inexact,
    maxIf(returned, kind = 0) AS retained,
    groupBitOrIf(day_bits, kind = 0) AS active_bits,
    toUInt32(bitCount(active_bits)) AS active,
    toUInt32(bitCount(bitAnd(active_bits, ${LATE_BITS}))) AS late,
    toUInt32(sumIf(window_uses, kind = 0)) AS events,
    toUInt32(sumIf(n, kind = 3)) AS sessions,
    arraySort(groupUniqArrayIf(t, kind = 1)) AS used,
    sumMapIf([t], [window_uses], kind = 1) AS own
  FROM sums
  GROUP BY pid
)
${recount ? `SELECT p.person AS person, p.events AS events, p.used AS used, arrayMap(t -> toUInt32(own.2[indexOf(own.1, t)]), p.used) AS used_events
FROM per_person AS p` : `SELECT toUInt8(p.d0 + {n:UInt32} < {as_of_day:Date}) AS eligible,
  p.retained AS retained, p.active AS active, p.late AS late, p.events AS events, p.sessions AS sessions,
  p.used AS used,
  arrayMap(t -> toUInt32(own.2[indexOf(own.1, t)]), p.used) AS used_events,
  p.account AS account, p.account_size AS account_size, pl.plan AS plan, pl.seats AS seats,
  if(p.inexact, p.person, '') AS recount
FROM per_person AS p
LEFT JOIN plans AS pl ON pl.account = p.account`}`
}
