import { EVENTS, NON_ACTIVITY_EVENTS } from '../../events.js'
import { compileRules } from '../../features/compile.js'
import { Params, type SqlFragment } from '../../sql/params.js'
import { holdoutBucketSql, type NudgeReportQuery } from '../report.sql.js'

/**
 * The nudge report's SQL as it was before the activity rollup: every event of the exposed people
 * read from `events`. Kept as the reference the rollup-based report is compared with (tests) and
 * timed against (benchmark).
 *
 * The nudge report's counts per arm (metrics spec §7). A person (identified user, else the user
 * an anonymous id was merged into, else the anonymous id) is in the arm their recorded events
 * say: `$nudge_shown` → shown, `$nudge_held_out` → held out, both → conflicting (left out of
 * both). Exposure = the first of those events.
 *
 * - Adoption: the target feature used at or after exposure, by the end of calendar day
 *   `adoption_days − 1` after the exposure day. Censored while that day is not over at as-of.
 * - Day-N retention (product retention, §2): day 0 = the person's first activity day; retained
 *   with activity on day N (`on`) or on any day ≥ N (`on_or_after`). Censored while day N is not over.
 * - Mismatched: recorded arm differs from the holdout hash of the id the first exposure was recorded under.
 *
 * Only the events of people with an exposure are grouped: the nudge usually reaches a small part
 * of the project's users, and grouping every person's days and uses costs most of the report.
 *
 * Columns per arm: users, clicked, dismissed, adopt_n, adopt_k, adopt_censored, ret_n, ret_k, ret_censored, mismatched;
 * iv_*: users whose adoption and day-N windows are both over, with adopted / retained / both (for the IV analysis).
 */
export function rawNudgeReportSql(q: NudgeReportQuery): SqlFragment {
  const params = new Params('f')
  const feature = compileRules(q.featureRules, params)
  const retained = q.mode === 'on' ? 'has(days, addDays(first_day, {n:UInt32}))' : 'arrayExists(d -> d >= addDays(first_day, {n:UInt32}), days)'
  const sql = `WITH
  {as_of_day:Date} AS as_of_day,
  aliases AS (
    SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
    WHERE project_id = {project:String} GROUP BY anonymous_id
  ),
  exposed AS (
    SELECT DISTINCT if(e.user_id != '', e.user_id, if(a.user_id != '', a.user_id, e.anonymous_id)) AS person
    FROM events AS e LEFT JOIN aliases AS a ON a.anonymous_id = e.anonymous_id
    WHERE e.project_id = {project:String} AND e.timestamp < toDateTime64({as_of:String}, 3, 'UTC')
      AND e.event IN {exposure:Array(String)} AND JSONExtractString(e.properties, 'nudge_id') = {nudge:String}${q.segment ? `
      AND if(e.user_id != '', e.user_id, if(a.user_id != '', a.user_id, e.anonymous_id)) IN (${q.segment})` : ''}
  ),
  marked AS (
    SELECT e.*, if(e.user_id != '', e.user_id, if(a.user_id != '', a.user_id, e.anonymous_id)) AS person,
      event IN {exposure:Array(String)} AND JSONExtractString(properties, 'nudge_id') = {nudge:String} AS exposure,
      event NOT IN {non_activity:Array(String)} AS active
    FROM events AS e LEFT JOIN aliases AS a ON a.anonymous_id = e.anonymous_id
    WHERE e.project_id = {project:String} AND e.timestamp < toDateTime64({as_of:String}, 3, 'UTC')
      -- Only the events of people the nudge reached (a superset, narrowed by HAVING below): a row's
      -- person is its user id, else its anonymous id's user, else the anonymous id itself.
      AND (e.user_id IN (SELECT person FROM exposed)
        OR (e.user_id = '' AND e.anonymous_id IN (
          SELECT anonymous_id FROM aliases WHERE user_id IN (SELECT person FROM exposed)
          UNION ALL SELECT person FROM exposed)))
  ),
  people AS (
    SELECT person,
      countIf(exposure AND event = {shown:String}) > 0 AS was_shown,
      countIf(exposure AND event = {held:String}) > 0 AS was_held,
      countIf(event = {clicked:String} AND JSONExtractString(properties, 'nudge_id') = {nudge:String}) > 0 AS clicked,
      countIf(event = {dismissed:String} AND JSONExtractString(properties, 'nudge_id') = {nudge:String}) > 0 AS dismissed,
      minIf(timestamp, exposure) AS exposed_at,
      argMinIf(if(user_id != '', user_id, anonymous_id), timestamp, exposure) AS hash_key,
      groupUniqArrayIf(toDate(timestamp, {tz:String}), active) AS days,
      groupArrayIf(timestamp, active AND ${feature}) AS uses
    FROM marked
    GROUP BY person
    HAVING was_shown OR was_held
  ),
  judged AS (
    SELECT multiIf(was_shown AND was_held, 'conflicting', was_shown, 'shown', 'held_out') AS arm, clicked, dismissed,
      toDate(exposed_at, {tz:String}) AS exposed_day,
      addDays(exposed_day, {adoption_days:UInt32}) <= as_of_day AS adopt_done,
      arrayExists(t -> t >= exposed_at AND toDate(t, {tz:String}) < addDays(exposed_day, {adoption_days:UInt32}), uses) AS adopted,
      if(empty(days), exposed_day, arrayMin(days)) AS first_day,
      addDays(first_day, {n:UInt32}) < as_of_day AS ret_done,
      ${retained} AS retained,
      ${holdoutBucketSql(`concat(hash_key, ':', {nudge:String})`)} < {threshold:UInt32} AS hashed_out
    FROM people
  )
SELECT arm, count() AS users, countIf(clicked) AS clicked, countIf(dismissed) AS dismissed,
  countIf(adopt_done) AS adopt_n, countIf(adopt_done AND adopted) AS adopt_k, countIf(NOT adopt_done) AS adopt_censored,
  countIf(ret_done) AS ret_n, countIf(ret_done AND retained) AS ret_k, countIf(NOT ret_done) AS ret_censored,
  countIf((arm = 'shown' AND hashed_out) OR (arm = 'held_out' AND NOT hashed_out)) AS mismatched,
  countIf(adopt_done AND ret_done) AS iv_n, countIf(adopt_done AND ret_done AND adopted) AS iv_adopted,
  countIf(adopt_done AND ret_done AND retained) AS iv_retained, countIf(adopt_done AND ret_done AND adopted AND retained) AS iv_both
FROM judged
GROUP BY arm
ORDER BY arm`
  return {
    sql,
    params: {
      ...params.values,
      project: q.project,
      nudge: q.nudgeId,
      tz: q.timezone,
      as_of: q.asOf.replace('T', ' ').replace('Z', ''),
      as_of_day: q.asOfDay,
      adoption_days: q.adoptionDays,
      n: q.retentionDay,
      threshold: Math.round(q.holdoutShare * 10_000),
      exposure: [EVENTS.nudgeShown, EVENTS.nudgeHeldOut],
      shown: EVENTS.nudgeShown,
      held: EVENTS.nudgeHeldOut,
      clicked: EVENTS.nudgeClicked,
      dismissed: EVENTS.nudgeDismissed,
      non_activity: [...NON_ACTIVITY_EVENTS],
    },
  }
}
