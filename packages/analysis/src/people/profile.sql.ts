import { EVENTS, NON_ACTIVITY_EVENTS } from '../events.js'
import { PERSON_EVENTS } from './person.sql.js'

/** Totals over a person's events; active days count only events the person caused (metrics spec §1). */
export const SUMMARY_SQL = `SELECT count() AS events, toString(min(timestamp)) AS first_seen, toString(max(timestamp)) AS last_seen,
  uniqExactIf(toDate(timestamp, {tz:String}), event NOT IN {passive:Array(String)}) AS active_days,
  argMaxIf(properties, timestamp, event = '${EVENTS.identify}') AS traits
FROM ${PERSON_EVENTS}`

export const BY_KEY_SQL = `SELECT user_key AS key, max(user_id != '') AS identified, count() AS events, toString(min(timestamp)) AS first_seen, toString(max(timestamp)) AS last_seen
FROM ${PERSON_EVENTS} GROUP BY user_key ORDER BY first_seen, key`

export const BY_ACCOUNT_SQL = `SELECT account_id, count() AS events, toString(min(timestamp)) AS first_seen, toString(max(timestamp)) AS last_seen
FROM ${PERSON_EVENTS} AND account_id != '' GROUP BY account_id ORDER BY first_seen, account_id`

export const NUDGE_EVENTS = [EVENTS.nudgeShown, EVENTS.nudgeClicked, EVENTS.nudgeDismissed, EVENTS.nudgeHeldOut]

export const NUDGES_SQL = `SELECT JSONExtractString(properties, 'nudge_id') AS nudge,
  countIf(event = '${EVENTS.nudgeShown}') AS shown, toString(minIf(timestamp, event = '${EVENTS.nudgeShown}')) AS first_shown,
  countIf(event = '${EVENTS.nudgeClicked}') AS clicked, countIf(event = '${EVENTS.nudgeDismissed}') AS dismissed,
  countIf(event = '${EVENTS.nudgeHeldOut}') AS held_out
FROM ${PERSON_EVENTS} AND event IN {nudge_events:Array(String)}
GROUP BY nudge HAVING nudge != '' ORDER BY first_shown, nudge`

export const PASSIVE_EVENTS = NON_ACTIVITY_EVENTS

/** First use and use count per feature: one `minIf`/`countIf` pair per condition. */
export function featureUseSql(conds: readonly string[]): string {
  if (conds.length === 0) {
    return `SELECT feature_key AS feature, toString(min(timestamp)) AS first_used, count() AS uses
FROM ${PERSON_EVENTS} AND feature_key != '' GROUP BY feature_key ORDER BY first_used, feature`
  }
  const cols = conds.map((c, i) => `toString(minIf(timestamp, ${c})) AS f${i}, countIf(${c}) AS n${i}`).join(',\n  ')
  return `SELECT ${cols} FROM ${PERSON_EVENTS}`
}
