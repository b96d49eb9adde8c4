import { EVENTS, NON_ACTIVITY_EVENTS } from '../events.js'
import { compileRules, compileRulesIndexed } from '../features/compile.js'
import type { FeatureRule } from '../features/rules.js'
import { Params, type SqlFragment } from '../sql/params.js'

/**
 * FNV-1a 32-bit of a String expression's bytes, mod 10 000: the holdout bucket of `holdout.ts`
 * and of the SDK, in SQL, so the report can check recorded arms against the hash. The product of
 * a 32-bit state and the 25-bit prime fits in UInt64 before it is masked back to 32 bits.
 */
export function holdoutBucketSql(text: string): string {
  return `(arrayFold((h, b) -> bitAnd(bitXor(h, toUInt64(b)) * 16777619, 4294967295),
    arrayMap(i -> reinterpretAsUInt8(substring(${text}, i, 1)), range(1, length(${text}) + 1)), toUInt64(2166136261)) % 10000)`
}

/** The latest user of every merged anonymous id, as two arrays for `transform`. */
const ALIAS_MAP = `(SELECT (groupArray(anonymous_id), groupArray(user_id)) FROM (
  SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
  WHERE project_id = {project:String} GROUP BY anonymous_id HAVING user_id != ''))`

export interface NudgeReportQuery {
  project: string
  nudgeId: string
  featureRules: readonly FeatureRule[]
  timezone: string
  /** ISO instant; only events before it are read. */
  asOf: string
  /** The as-of instant's calendar day in the zone: only days before it are complete. */
  asOfDay: string
  adoptionDays: number
  retentionDay: number
  mode: 'on' | 'on_or_after'
  holdoutShare: number
  /** People of a segment: SQL of one column `person` (see segments/compile.ts); its parameters travel beside. */
  segment?: string | undefined
}

/**
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
 * The nudge's own events (which nudge is in their properties) are read from `events`, where the
 * event-name index finds them; the exposed people's activity and feature use from the activity
 * rollup. A rollup row stands for its quarter hour: a local day is exact on it, and a bucket that
 * starts at or after the exposure holds only uses after it. Two quarter hours per person are read
 * from the events instead, where the comparison needs the time itself: the one the exposure falls
 * in (uses before and after it) and the one as-of falls in (events after as-of are not read).
 *
 * Columns per arm: users, clicked, dismissed, adopt_n, adopt_k, adopt_censored, ret_n, ret_k, ret_censored, mismatched;
 * iv_*: users whose adoption and day-N windows are both over, with adopted / retained / both (for the IV analysis).
 */
export function nudgeReportSql(q: NudgeReportQuery): SqlFragment {
  const params = new Params('f')
  const feature = compileRules(q.featureRules, params)
  const featureOnRollup = compileRulesIndexed(q.featureRules, params, '{project:String}')
  const retained = q.mode === 'on' ? 'has(days, addDays(first_day, {n:UInt32}))' : 'arrayExists(d -> d >= addDays(first_day, {n:UInt32}), days)'
  const person = `if(e.user_id != '', e.user_id, if(a.user_id != '', a.user_id, e.anonymous_id))`
  const sql = `WITH
  {as_of_day:Date} AS as_of_day,
  toDateTime64({as_of:String}, 3, 'UTC') AS as_of,
  toStartOfFifteenMinutes(as_of) AS as_of_bucket,
  aliases AS (
    SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
    WHERE project_id = {project:String} GROUP BY anonymous_id
  ),
  nudge_events AS (
    SELECT ${person} AS person, e.event AS event, e.timestamp AS timestamp, if(e.user_id != '', e.user_id, e.anonymous_id) AS key
    FROM events AS e LEFT JOIN aliases AS a ON a.anonymous_id = e.anonymous_id
    WHERE e.project_id = {project:String} AND e.timestamp < as_of
      AND e.event IN {nudge_events:Array(String)} AND JSONExtractString(e.properties, 'nudge_id') = {nudge:String}
  ),
  exposed_rows AS (
    SELECT person,
      countIf(event = {shown:String}) > 0 AS was_shown,
      countIf(event = {held:String}) > 0 AS was_held,
      countIf(event = {clicked:String}) > 0 AS clicked,
      countIf(event = {dismissed:String}) > 0 AS dismissed,
      minIf(timestamp, event IN {exposure:Array(String)}) AS exposed_at,
      argMinIf(key, timestamp, event IN {exposure:Array(String)}) AS hash_key
    FROM nudge_events
    GROUP BY person
    HAVING (was_shown OR was_held)${q.segment ? ` AND person IN (${q.segment})` : ''}
  ),
  -- The exposed people are read once, as one scalar (computed once per query), and unfolded at
  -- each use: a CTE is computed again wherever it is used, and this one is used eight times.
  exposed AS (
    SELECT x.1 AS person, x.2 AS was_shown, x.3 AS was_held, x.4 AS clicked, x.5 AS dismissed, x.6 AS exposed_at, x.7 AS hash_key
    FROM (SELECT arrayJoin((SELECT groupArray((person, was_shown, was_held, clicked, dismissed, exposed_at, hash_key)) FROM exposed_rows)) AS x)
  ),
  -- The user keys of the exposed people: their own, and the anonymous ids merged into them.
  anonymous_keys AS (
    SELECT person AS user_key FROM exposed
    UNION ALL SELECT anonymous_id FROM aliases WHERE user_id IN (SELECT person FROM exposed)
  ),
  -- The exposed people's rollup rows folded per user key before anyone is resolved: each key's days
  -- and the quarter hours it used the feature in from the first exposure on (a few), so the aliases
  -- and the exposures meet one row per key instead of every row.
  rollup_keys AS (
    SELECT if(identified = 1, user_key, transform(user_key, ${ALIAS_MAP}.1, ${ALIAS_MAP}.2, user_key)) AS person,
      groupUniqArray(toDate(bucket, {tz:String})) AS days,
      groupUniqArrayIf(toDateTime64(bucket, 3, 'UTC'), ${featureOnRollup} AND bucket >= toStartOfFifteenMinutes((SELECT min(exposed_at) FROM exposed))) AS uses
    FROM activity_rollup
    WHERE project_id = {project:String} AND bucket < as_of_bucket AND event NOT IN {non_activity:Array(String)}
      AND ((identified = 1 AND user_key IN (SELECT person FROM exposed)) OR (identified = 0 AND user_key IN (SELECT user_key FROM anonymous_keys)))
    GROUP BY user_key, identified
  ),
  -- The events of the two quarter hours read by their time, found on the events' own columns
  -- (their quarter hour among the exposures') before they meet the aliases.
  edge_rows AS (
    SELECT ${person} AS person, toDate(e.timestamp, {tz:String}) AS day, e.timestamp AS t, e.is_use AS is_use
    FROM (
      SELECT user_id, anonymous_id, timestamp, ${feature} AS is_use FROM events
      WHERE project_id = {project:String} AND timestamp < as_of AND event NOT IN {non_activity:Array(String)}
        AND (timestamp >= as_of_bucket OR toStartOfFifteenMinutes(timestamp) IN (SELECT toStartOfFifteenMinutes(exposed_at) FROM exposed))
        AND (user_id IN (SELECT person FROM exposed) OR (user_id = '' AND anonymous_id IN (SELECT user_key FROM anonymous_keys)))
    ) AS e
    LEFT JOIN aliases AS a ON a.anonymous_id = e.anonymous_id
    WHERE e.timestamp >= as_of_bucket OR (person, toStartOfFifteenMinutes(e.timestamp)) IN (SELECT person, toStartOfFifteenMinutes(exposed_at) FROM exposed)
  ),
  -- Per person: the days of their keys and of the edge events, and whether a use at or after the
  -- exposure falls before the adoption window ends (a rollup row's quarter hour counts when it
  -- starts at or after the exposure: it then holds only later uses).
  activity AS (
    SELECT r.person AS person, arrayDistinct(arrayFlatten(groupArray(r.days))) AS days,
      arrayExists(t -> t >= x.exposed_at AND toDate(t, {tz:String}) < addDays(toDate(x.exposed_at, {tz:String}), {adoption_days:UInt32}), arrayFlatten(groupArray(r.uses))) AS adopted
    FROM (
      SELECT person, days, uses FROM rollup_keys
      UNION ALL SELECT person, [day], arrayFilter(x -> is_use, [t]) FROM edge_rows
    ) AS r
    INNER JOIN exposed AS x ON x.person = r.person
    GROUP BY r.person, x.exposed_at
  ),
  people AS (
    SELECT x.person AS person, was_shown, was_held, clicked, dismissed, exposed_at, hash_key, y.days AS days, y.adopted AS adopted
    FROM exposed AS x LEFT JOIN activity AS y ON y.person = x.person
  ),
  judged AS (
    SELECT multiIf(was_shown AND was_held, 'conflicting', was_shown, 'shown', 'held_out') AS arm, clicked, dismissed, adopted,
      toDate(exposed_at, {tz:String}) AS exposed_day,
      addDays(exposed_day, {adoption_days:UInt32}) <= as_of_day AS adopt_done,
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
      nudge_events: [EVENTS.nudgeShown, EVENTS.nudgeHeldOut, EVENTS.nudgeClicked, EVENTS.nudgeDismissed],
      shown: EVENTS.nudgeShown,
      held: EVENTS.nudgeHeldOut,
      clicked: EVENTS.nudgeClicked,
      dismissed: EVENTS.nudgeDismissed,
      non_activity: [...NON_ACTIVITY_EVENTS],
    },
  }
}
