import { NON_ACTIVITY_EVENTS } from '../events.js'
import { compileRules } from '../features/compile.js'
import type { FeatureDefinition } from '../features/rules.js'
import { Params, type SqlFragment } from '../sql/params.js'

/**
 * One user's first activity and, per feature, whether they ever used it. The user is this
 * browser's anonymous id, the identified user id, and every anonymous id identify() merged into
 * that user (metrics spec §1). Nudge bookkeeping and page-leave events are not activity, so they
 * neither start a user's life nor count as use.
 * Columns: n (events), first_ms (epoch ms of the first), used (Array(UInt8), one per feature).
 *
 * One user's own events, read when a page asks which nudges it may show: not a report over
 * people, and the activity rollup could not answer it, as its rows keep a user key (the user id
 * once identified) but not the anonymous id an identified event was sent under.
 */
export function userFactsSql(
  project: string,
  who: { anonymousId: string; userId: string | null },
  features: readonly FeatureDefinition[],
): SqlFragment {
  const params = new Params('f')
  const used = features.map((f) => `toUInt8(countIf(${compileRules(f.rules, params)}) > 0)`)
  const sql = `SELECT count() AS n, toUnixTimestamp64Milli(min(timestamp)) AS first_ms, [${used.join(', ')}] AS used
FROM events
WHERE project_id = {project:String}
  AND event NOT IN {non_activity:Array(String)}
  AND (anonymous_id = {anon:String}
    OR (user_id != '' AND user_id = {user:String})
    OR ({user:String} != '' AND anonymous_id IN (
      SELECT anonymous_id FROM person_aliases WHERE project_id = {project:String}
      GROUP BY anonymous_id HAVING argMax(user_id, updated_at) = {user:String})))`
  return {
    sql,
    params: { ...params.values, project, anon: who.anonymousId, user: who.userId ?? '', non_activity: [...NON_ACTIVITY_EVENTS] },
  }
}

/**
 * The plan of the user's account: the latest committed import's, else the `plan` trait of the
 * latest group() call for that account. The account is the one the page sent, else the one the
 * user was last grouped into. Columns: plan ('' when unknown).
 */
export function accountPlanSql(project: string, who: { userId: string | null; accountId: string | null }): SqlFragment {
  const sql = `WITH
  if({account:String} != '', {account:String},
    (SELECT argMax(account_id, updated_at) FROM user_accounts WHERE project_id = {project:String} AND user_id = {user:String})) AS acc,
  (SELECT argMaxIf(plan, import_seq, plan != '') FROM accounts
    WHERE project_id = {project:String} AND account_id = acc AND acc != ''
      AND import_seq IN (SELECT seq FROM account_imports FINAL WHERE project_id = {project:String} AND status = 'committed')) AS imported,
  (SELECT argMax(JSONExtractString(properties, 'plan'), timestamp) FROM events
    WHERE project_id = {project:String} AND account_id = acc AND acc != '' AND event = '$group'
      AND JSONExtractString(properties, 'plan') != '') AS traited
SELECT if(imported != '', imported, traited) AS plan`
  return { sql, params: { project, account: who.accountId ?? '', user: who.userId ?? '' } }
}
