import { ALIASES_CTE, FIRSTS_CTE } from '../sql/persons.sql.js'

const RETAINED = {
  on: 'has(days, d0 + {n:UInt32})',
  on_or_after: 'arrayExists(d -> d >= d0 + {n:UInt32} AND d < {as_of_day:Date}, days)',
} as const

const ACTIVITY = `project_id = {project:String} AND timezone = {tz:String} AND day < {as_of_day:Date}`

/**
 * One row per new person (first activity ever in [from, to]) with what the high-retention report
 * adjusts for, all measured on days 0…window−1 only (metrics spec §4): active days, events (use
 * counts of the activity target), sessions (distinct session ids per day, added up), active days
 * among the last three of the window (day 0 aside), the features first used in the window, and the person's account with its size
 * (people active in it) and imported plan and seats. `used_events[i]` counts the events that were
 * use of feature `used[i]` in the window, so a feature's comparison can leave its own events out of
 * the event volume. `eligible` = day N complete; `retained` =
 * returned on day N (or on or after it).
 *
 * People whose day 0 is the (incomplete) as-of day are in the rows, never eligible: they count
 * as new users censored (metrics spec §1).
 *
 * Reads the activity and first-use tables plus one pass over the events of the cohort's windows
 * for sessions, which the activity table does not keep.
 */
export function highRetentionPeopleSql(mode: keyof typeof RETAINED): string {
  return `WITH ${ALIASES_CTE},
sess AS (
  SELECT user_key, toDate(timestamp, {tz:String}) AS day, toUInt32(uniqExact(session_id)) AS s
  FROM events
  WHERE project_id = {project:String} AND event NOT IN {non_activity:Array(String)} AND session_id != ''
    AND timestamp >= toDateTime({from:Date}, {tz:String}) AND timestamp < toDateTime({to:Date}, {tz:String}) + toIntervalDay({window:UInt32})
  GROUP BY user_key, day
),
act AS (
  SELECT user_key, identified, groupArray((day, uses)) AS du, argMaxIf(account_id, day, account_id != '') AS account
  FROM (SELECT user_key, identified, day, account_id, max(uses) AS uses FROM feature_activity
    WHERE ${ACTIVITY.replace('day <', 'day <=')} AND feature_id = '' AND version = 0 GROUP BY user_key, identified, day, account_id)
  GROUP BY user_key, identified
),
${FIRSTS_CTE},
fuses AS (
  SELECT user_key, identified, groupArray((t, day, uses)) AS fu
  FROM (SELECT user_key, identified, toUInt32(indexOf({target_ids:Array(String)}, feature_id)) AS t, day, max(uses) AS uses
    FROM feature_activity
    WHERE ${ACTIVITY} AND day < {to:Date} + {window:UInt32} AND feature_id IN {target_ids:Array(String)} AND feature_id != ''
      AND version = {target_versions:Array(UInt32)}[indexOf({target_ids:Array(String)}, feature_id)]
    GROUP BY feature_id, version, user_key, identified, day, account_id)
  GROUP BY user_key, identified
),
keyed AS (
  SELECT if(k.identified = 1 OR a.user_id = '', k.user_key, a.user_id) AS person, k.du AS du, k.account AS account, k.firsts AS firsts, k.ss AS ss, k.fu AS fu
  FROM (
    SELECT act.user_key AS user_key, act.identified AS identified, act.du AS du, act.account AS account, firsts.firsts AS firsts,
      s.ss AS ss, fuses.fu AS fu
    FROM act
    LEFT JOIN firsts ON firsts.user_key = act.user_key AND firsts.identified = act.identified
    LEFT JOIN fuses ON fuses.user_key = act.user_key AND fuses.identified = act.identified
    LEFT JOIN (SELECT user_key, groupArray((day, s)) AS ss FROM sess GROUP BY user_key) AS s ON s.user_key = act.user_key
  ) AS k
  LEFT JOIN aliases AS a ON a.anonymous_id = k.user_key
),
persons AS (
  SELECT person, arrayFlatten(groupArray(du)) AS du, arraySort(arrayDistinct(arrayMap(x -> x.1, du))) AS days,
    arrayFlatten(groupArray(firsts)) AS firsts, arrayFlatten(groupArray(ss)) AS ss, arrayFlatten(groupArray(fu)) AS fu, max(account) AS account
  FROM keyed GROUP BY person
),
plans AS (
  SELECT account_id AS account, argMaxIf(plan, import_seq, plan != '') AS plan, argMaxIf(seats, import_seq, seats IS NOT NULL) AS seats
  FROM accounts
  WHERE project_id = {project:String}
    AND import_seq IN (SELECT seq FROM account_imports FINAL WHERE project_id = {project:String} AND status = 'committed')
  GROUP BY account_id
)
SELECT toUInt8(d0 + {n:UInt32} < {as_of_day:Date}) AS eligible,
  toUInt8(${RETAINED[mode]}) AS retained,
  toUInt32(length(arrayFilter(d -> d < d0 + {window:UInt32}, days))) AS active,
  toUInt32(length(arrayFilter(d -> d < d0 + {window:UInt32} AND d + 3 >= d0 + {window:UInt32} AND d > d0, days))) AS late,
  toUInt32(arraySum(arrayMap(x -> if(x.1 < d0 + {window:UInt32}, x.2, 0), du))) AS events,
  toUInt32(arraySum(arrayMap(x -> if(x.1 >= d0 AND x.1 < d0 + {window:UInt32}, x.2, 0), ss))) AS sessions,
  arrayDistinct(arrayMap(x -> x.1, arrayFilter(x -> x.2 < d0 + {window:UInt32}, firsts))) AS used,
  arrayMap(t -> toUInt32(arraySum(arrayMap(x -> if(x.1 = t, x.3, 0), fw))), used) AS used_events,
  p.account AS account, p.account_size AS account_size, pl.plan AS plan, pl.seats AS seats
FROM (
  SELECT *, days[1] AS d0, arrayFilter(x -> x.2 < d0 + {window:UInt32}, fu) AS fw
  -- Account sizes count everyone, not just the cohort; a window here reads the persons once.
  FROM (SELECT *, if(account != '', toUInt32(count() OVER (PARTITION BY account)), 0) AS account_size FROM persons)
  WHERE notEmpty(days) AND days[1] >= {from:Date} AND days[1] <= {to:Date}
) AS p
LEFT JOIN plans AS pl ON pl.account = p.account`
}
