import { featureMaskWords, MASK_WORD, ROLLUP_ACTIVITY as ACTIVITY } from '../activity/rows.sql.js'
import type { FeatureDefinition } from '../features/rules.js'
import { ALIASES_CTE } from '../sql/persons.sql.js'
import { Params } from '../sql/params.js'
import { accountTraitHistorySql, FIRST_TOUCH_FIELDS, FIRST_TOUCH_SOURCE, firstPageViewsSql, PERSON_OF_EVENT } from '../segments/properties.sql.js'
import { EVENTS } from '../events.js'

/** The account trait that is the plan. */
export const PLAN_TRAIT = 'plan'

/**
 * Every plan each account had up to the report's instant (`{as_of:DateTime64(3)}`), each with the
 * instant it holds from: the `plan` trait of its group events and the imported plan
 * (segments/properties.sql.ts). Its parameters are `PLAN_PARAMS`.
 */
const PLAN = (() => {
  const params = new Params('plan_trait')
  const sql = accountTraitHistorySql({ project: '', p: '{project:String}', asOf: '{as_of:DateTime64(3)}' }, params, PLAN_TRAIT)
  return { sql, params: params.values }
})()

/**
 * Each person's first page view (earliest over their user keys, kept at ingest): its time, device
 * type, where they came from (`FIRST_TOUCH_SOURCE`), the country of the client's address, the
 * page they landed on, and their browser and operating system.
 */
const FIRST_TOUCH = `SELECT person, min(e.timestamp) AS at, argMin(${FIRST_TOUCH_FIELDS.device_type}, e.timestamp) AS device, argMin(${FIRST_TOUCH_SOURCE}, e.timestamp) AS source,
    argMin(${FIRST_TOUCH_FIELDS.country}, e.timestamp) AS country, argMin(${FIRST_TOUCH_FIELDS.landing_path}, e.timestamp) AS landing,
    argMin(${FIRST_TOUCH_FIELDS.browser}, e.timestamp) AS browser, argMin(${FIRST_TOUCH_FIELDS.os}, e.timestamp) AS os
  FROM (${firstPageViewsSql('{project:String}', 'aliases')}) AS e
  GROUP BY person`

/**
 * Per `owner` and trait of its calls (`rows`: owner, t, key, value, one row per trait sent): the
 * values it took, with when, as raw JSON. A value sent again unchanged (an app may identify on
 * every page load) adds nothing, so only changes are kept.
 */
const traitChangesSql = (owner: string, rows: string) => `SELECT ${owner}, groupArray((key, changes)) AS sent FROM (
    SELECT ${owner}, key, arraySort(groupArray((t, value))) AS sorted,
      arrayFilter((x, i) -> i = 1 OR x.2 != sorted[i - 1].2, sorted, arrayEnumerate(sorted)) AS changes
    FROM (
      ${rows}
    )
    GROUP BY ${owner}, key
  )
  GROUP BY ${owner}`

/** Per person (over all their user keys), their identify calls' traits; the event-name index finds the calls. */
const IDENTIFY_TRAITS = traitChangesSql('person', `SELECT ${PERSON_OF_EVENT} AS person, e.timestamp AS t, kv.1 AS key, kv.2 AS value
      FROM events AS e LEFT JOIN aliases AS a ON a.anonymous_id = e.user_key
      ARRAY JOIN JSONExtractKeysAndValuesRaw(e.properties) AS kv
      WHERE e.project_id = {project:String} AND e.event = '${EVENTS.identify}' AND e.timestamp < {as_of:DateTime64(3)} AND e.properties != '{}'`)

/** Per account, its group calls' traits; the event-name index finds the calls. */
const GROUP_TRAITS = traitChangesSql('account', `SELECT e.account_id AS account, e.timestamp AS t, kv.1 AS key, kv.2 AS value
      FROM events AS e
      ARRAY JOIN JSONExtractKeysAndValuesRaw(e.properties) AS kv
      WHERE e.project_id = {project:String} AND e.event = '${EVENTS.group}' AND e.account_id != '' AND e.timestamp < {as_of:DateTime64(3)} AND e.properties != '{}'`)

/** Each trait's value as the calls `sent` had left it when the person's window ended (known by as-of), sorted by trait. */
const traitsAtWindowEnd = (sent: string) =>
  `arraySort(arrayFilter(kv -> kv.2 != '', arrayMap(k -> (k.1, arrayLast(c -> c.1 < p.known_until, k.2).2), ${sent})))`

/** The parameters of the people query besides the report's own (the plan trait's name). */
export const PLAN_PARAMS = PLAN.params

/** Rollup rows kept beside the window's: the days that can count as a return. */
const RETURN_ROW = {
  on: 'r.day = k.d0 + {n:UInt32}',
  on_or_after: 'r.day >= k.d0 + {n:UInt32} AND r.day < {as_of_day:Date}',
} as const

const IN_WINDOW = 'r.day < k.d0 + {window:UInt32}'

/** Of days 0…window−1, those among the last three but day 0: bits max(1, window−3) … window−1. */
const LATE_BITS = 'bitXor(bitShiftLeft(toUInt128(1), {window:UInt32}) - 1, bitShiftLeft(toUInt128(1), greatest(1, toInt32({window:UInt32}) - 3)) - 1)'

/**
 * The parts of the day, by the local hour a rollup row's quarter hour starts at: the report's zone
 * is a whole number of quarter hours off UTC, so each quarter hour lies in one part.
 */
export const DAY_PARTS = ['night (0–6)', 'morning (6–12)', 'afternoon (12–18)', 'evening (18–24)'] as const
const DAY_PART = 'intDiv(toHour(r.bucket, {tz:String}), 6)'

/**
 * The features a person used in the window with their events, as sorted (positions, events)
 * arrays, from `own<w>`: per mask word w, the window's events summed per mask (`sumMap` pairs).
 * A person's rows carry few distinct masks, so the masks' bits become positions once per mask,
 * not once per row.
 */
function usedFeaturesSql(words: number): string {
  if (words === 0) return `(CAST([], 'Array(UInt32)'), CAST([], 'Array(UInt64)'))`
  const perWord = Array.from({ length: words }, (_, w) => ({
    positions: `arrayFlatten(arrayMap(m -> arrayMap(b -> toUInt32(b + ${w * MASK_WORD + 2}), bitPositionsToArray(m)), sumMap(own${w}).1))`,
    events: `arrayFlatten(arrayMap((m, e) -> arrayWithConstant(bitCount(m), e), sumMap(own${w}).1, sumMap(own${w}).2))`,
  }))
  const join = (xs: string[]) => (xs.length === 1 ? xs[0]! : `arrayConcat(${xs.join(', ')})`)
  // Words hold disjoint positions, so summing per position only merges masks of one word.
  return `arrayReduce('sumMap', [${join(perWord.map((x) => x.positions))}], [${join(perWord.map((x) => x.events))}])`
}

/** A window day's bit (day 0 = bit 0). */
const DAY_BIT = 'bitShiftLeft(toUInt128(1), bitAnd(toInt32(r.day) - toInt32(k.d0), 127))'

/**
 * Each user key active by the as-of day, with its first local day of activity (`first`) and the
 * account of its last day of activity by then (`account`, '' for none); of two accounts on that
 * day, either. Read from every rollup row of the project.
 */
const ROLLUP_KEYS = `SELECT user_key, identified, min(day) AS first, argMaxIf(account_id, day, account_id != '') AS account
  FROM (${ACTIVITY})
  WHERE day <= {as_of_day:Date}
  GROUP BY user_key, identified`

/**
 * `ROLLUP_KEYS` from the tables kept at ingest, which hold a row per key (`first_activity`: its
 * first quarter hour, so its local day in any zone) and per key, day and session (`session_spans`:
 * its first and last event, whose local days bound the days it was active on), instead of every
 * rollup row: the same keys, days and accounts. Only once both hold every stored event
 * (`firstActivityAndSpansComplete`).
 */
const KEPT_KEYS = `SELECT f.user_key AS user_key, f.identified AS identified, f.first AS first, s.account AS account
  FROM (
    SELECT user_key, identified, toDate(min(first), {tz:String}) AS first FROM first_activity
    WHERE project_id = {project:String} GROUP BY user_key, identified HAVING first <= {as_of_day:Date}
  ) AS f
  LEFT JOIN (
    SELECT user_key, identified,
      argMaxIf(account_id, least(toDate(ended, {tz:String}), {as_of_day:Date}), account_id != '' AND toDate(started, {tz:String}) <= {as_of_day:Date}) AS account
    FROM session_spans WHERE project_id = {project:String} GROUP BY user_key, identified
  ) AS s ON s.user_key = f.user_key AND s.identified = f.identified`

/**
 * Per person of the cohort (`cohort_keys`), their sessions in the window as `key_rows` counts them
 * on the rollup (each key's distinct local day and session id, added up over the person's keys),
 * from `session_spans` (kept at ingest, one row per key, UTC day and session) instead of a
 * distinct count over every rollup row of the window: a span's events lie on the local days of its
 * first and last event, and on no other, as a UTC day holds at most two local days. Only once the
 * spans hold every stored event (`spansComplete`).
 */
const KEPT_SESSIONS = `SELECT person, sum(n) AS sessions FROM (
    SELECT person, uniqExactIf((d, session_id), d >= d0 AND d < d0 + {window:UInt32} AND d <= {as_of_day:Date}) AS n
    FROM (
      SELECT k.person AS person, k.user_key AS user_key, k.identified AS identified, k.d0 AS d0, s.session_id AS session_id,
        arrayJoin(arrayDistinct([toDate(s.started, {tz:String}), toDate(s.ended, {tz:String})])) AS d
      FROM session_spans AS s
      INNER JOIN cohort_keys AS k ON k.user_key = s.user_key AND k.identified = s.identified
      -- A local day of the windows lies on its own UTC day or next to it.
      WHERE s.project_id = {project:String} AND s.session_id != '' AND s.day + 1 >= {from:Date} AND s.day <= {to:Date} + {window:UInt32}
    )
    GROUP BY person, user_key, identified
  )
  GROUP BY person`

/**
 * One row per new person (first activity ever in [from, to]) with what the high-retention report
 * adjusts for, all measured on days 0…window−1 only (metrics spec §4): active days, events,
 * sessions (distinct session ids per user key and day, added up), active days among the last three
 * of the window (day 0 aside), the features first used in the window (ascending), the person's
 * account with its size (people active in it), plan (group trait or imported, as it was at the end
 * of the person's window) and imported seats, the days from `from` to day 0 (`joined`), and the
 * device type, source, country and path of their first page view when it was in the window (`FIRST_TOUCH`, kept at ingest),
 * each identify trait's value (raw JSON) as the calls sent by the end of the window left it (`IDENTIFY_TRAITS`),
 * whether they were the first of their account to be active (`founder`), how many days the
 * account had been active before their day 0 (`account_age`, 0 without an account), the
 * browser and operating system of their first page view when it was in the window, and each
 * trait of their account's group calls (raw JSON) as the calls had left it when the window ended.
 * `used_events[i]` counts the events that were use of feature `used[i]` in the window, so a
 * feature's comparison can leave its own events out of the event volume. `eligible` = day N
 * complete; `retained` = returned on day N (or on or after it). Features are `features`, at
 * positions 2, 3, … (as `featurePositions` numbers them). Parameters: the report's, `as_of` (the as-of instant)
 * and `PLAN_PARAMS`.
 *
 * People whose day 0 is the (incomplete) as-of day are in the rows, never eligible: they count
 * as new users censored (metrics spec §1).
 *
 * Read from the activity rollup (kept at ingest), so nothing is built first and no raw event is
 * read. How it stays cheap: one pass over the rollup gives every person's day 0 and account
 * (account sizes count everyone, not just the cohort) and lists the user keys of the cohort. The
 * rollup's rows then meet that list in a join, so everything outside the cohort's windows (and day
 * N) is dropped before any folding; the feature rules are looked up for every row first (cheap: a
 * few hash lookups a row), and each user key folds into a few numbers: day bits, events, sessions
 * (distinct day and session id: a rollup row is of one session) and its window's events per
 * feature mask, which become events per feature once per person (a feature was first used in the
 * window exactly when it has events there). Rows of one key, day
 * and account not yet merged by the engine simply add up.
 */
export function highRetentionPeopleSql(
  mode: keyof typeof RETURN_ROW,
  features: readonly FeatureDefinition[],
  /** People of a segment: SQL of one column `person`, its parameters among the query's. */
  segment?: string,
  /** Add each row's person id last (a breakdown splits the rows by the person's group). */
  withPerson = false,
  /** Test features through `activity_combos` (see `featureMaskWords`). */
  combos = false,
  /** Find each key's day 0 and account in `first_activity` and `session_spans`, and sessions in the latter (see `KEPT_KEYS`, `KEPT_SESSIONS`). */
  kept = false,
): string {
  const { words } = featureMaskWords(features, { combos })
  return `WITH ${ALIASES_CTE},
keys AS (
  ${kept ? KEPT_KEYS : ROLLUP_KEYS}
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
  SELECT toUInt32(rowNumberInAllBlocks()) AS pid, person, d0, account, account_size, account_age, ks
  FROM (SELECT person, d0, account, ks, if(account != '', toUInt32(count() OVER (PARTITION BY account)), 0) AS account_size,
      -- Days the account was active before the person's day 0: 0 for who set it up (no one was
      -- active before them); who joins a team long at work finds it set up.
      if(account != '', toUInt32(d0 - min(d0) OVER (PARTITION BY account)), 0) AS account_age
    FROM persons)
  WHERE d0 >= {from:Date} AND d0 <= {to:Date}${segment ? ` AND person IN (${segment})` : ''}
),
cohort_keys AS (
  SELECT pid, person, d0, account, account_size, account_age, kk.1 AS user_key, kk.2 AS identified, ki
  FROM cohort ARRAY JOIN ks AS kk, arrayEnumerate(ks) AS ki
),
key_rows AS (
  SELECT k.pid AS pid, any(k.person) AS person, any(k.d0) AS start, any(k.account) AS account, any(k.account_size) AS account_size, any(k.account_age) AS account_age,
    toUInt8(countIf(${RETURN_ROW[mode]}) > 0) AS returned,
    sumIf(r.events, ${IN_WINDOW}) AS window_events,
    groupBitOrIf(${DAY_BIT}, ${IN_WINDOW}) AS day_bits,
    ${DAY_PARTS.map((_, k) => `sumIf(r.events, ${IN_WINDOW} AND ${DAY_PART} = ${k}) AS part${k}`).join(', ')}${kept ? '' : `,
    uniqExactIf((r.day, r.session_id), ${IN_WINDOW} AND r.session_id != '') AS window_sessions`}${words.map((_, w) => `,
    sumMapIf([r.m${w}], [toUInt64(r.events)], ${IN_WINDOW} AND r.day < {as_of_day:Date} AND r.m${w} != 0) AS own${w}`).join('')}
  -- The features of each row are looked up before the join: the lookups' tables are then built once.
  FROM (SELECT *${words.map((word, w) => `, ${word} AS m${w}`).join('')} FROM (${ACTIVITY})) AS r
  INNER JOIN cohort_keys AS k ON k.user_key = r.user_key AND k.identified = r.identified
  WHERE r.day <= {as_of_day:Date} AND (${IN_WINDOW} OR ${RETURN_ROW[mode]})
  GROUP BY pid, k.ki
),
activity AS (
  SELECT any(person) AS person, any(start) AS d0, any(account) AS account, any(account_size) AS account_size, any(account_age) AS account_age, max(returned) AS retained,
    groupBitOr(day_bits) AS active_bits, toUInt32(bitCount(active_bits)) AS active,
    toUInt32(bitCount(bitAnd(active_bits, ${LATE_BITS}))) AS late,
    toUInt32(sum(window_events)) AS events,${kept ? '' : ' toUInt32(sum(window_sessions)) AS sessions,'} ${usedFeaturesSql(words.length)} AS used_map,
    [${DAY_PARTS.map((_, k) => `toUInt32(sum(part${k}))`).join(', ')}] AS day_parts
  FROM key_rows
  GROUP BY pid
),${kept ? `
key_sessions AS (
  ${KEPT_SESSIONS}
),` : ''}
seats AS (
  SELECT account_id AS account, argMaxIf(seats, import_seq, seats IS NOT NULL) AS seats
  FROM accounts
  WHERE project_id = {project:String}
    AND import_seq IN (SELECT seq FROM account_imports FINAL WHERE project_id = {project:String} AND status = 'committed')
  GROUP BY account_id
),
plans AS (
  ${PLAN.sql}
),
touch AS (
  ${FIRST_TOUCH}
),
traits AS (
  ${IDENTIFY_TRAITS}
),
group_traits AS (
  ${GROUP_TRAITS}
)
SELECT toUInt8(p.d0 + {n:UInt32} < {as_of_day:Date}) AS eligible,
  p.retained AS retained, p.active AS active, p.late AS late, p.events AS events, ${kept ? 'toUInt32(ks.sessions)' : 'p.sessions'} AS sessions,
  p.used_map.1 AS used, arrayMap(e -> toUInt32(e), p.used_map.2) AS used_events,
  p.account AS account, p.account_size AS account_size, pl.value AS plan, st.seats AS seats,
  toUInt32(p.d0 - {from:Date}) AS joined,
  -- The first page view counts only when it is in the window, and known at the as-of instant.
  if(tc.at < p.known_until, tc.device, '') AS device,
  if(tc.at < p.known_until, tc.source, '') AS source,
  if(tc.at < p.known_until, tc.country, '') AS country,
  if(tc.at < p.known_until, tc.landing, '') AS landing,
  -- Traits sent by the end of the window only: one set later may answer to what the person did.
  ${traitsAtWindowEnd('tr.sent')} AS traits,
  toUInt8(p.account != '' AND p.account_age = 0) AS founder, p.account_age AS account_age,
  if(tc.at < p.known_until, tc.browser, '') AS browser,
  if(tc.at < p.known_until, tc.os, '') AS os,
  -- The account's traits as its group calls left them when the person's window ended, as the plan.
  ${traitsAtWindowEnd('gt.sent')} AS group_traits,
  p.day_parts AS day_parts${withPerson ? ', p.person AS person' : ''}
FROM (SELECT *, toDateTime64(toDateTime(d0 + {window:UInt32}, {tz:String}), 3, 'UTC') AS window_end, least(window_end, {as_of:DateTime64(3)}) AS known_until FROM activity) AS p
-- The plan as it was when the person's window ended: a later change (perhaps the feature's doing) is an outcome, not a covariate.
ASOF LEFT JOIN plans AS pl ON pl.account = p.account AND p.window_end > pl.valid_from
LEFT JOIN seats AS st ON st.account = p.account
LEFT JOIN touch AS tc ON tc.person = p.person
LEFT JOIN traits AS tr ON tr.person = p.person
LEFT JOIN group_traits AS gt ON gt.account = p.account${kept ? '\nLEFT JOIN key_sessions AS ks ON ks.person = p.person' : ''}`
}
