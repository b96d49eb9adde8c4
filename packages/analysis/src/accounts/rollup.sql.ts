import { NON_ACTIVITY_EVENTS } from '../events.js'
import type { IsoDate } from './dates.js'

/**
 * Activity in [{from:Date}, {to:Date}) from `activity_rollup` (the per-15-minute rollup kept at
 * ingest), with the account and person each row belongs to, resolved as for raw events: the
 * person is the identified user, else the user the anonymous id was merged into, else the
 * anonymous id; the account is the event's own group() account, else the one that person was
 * last grouped into. Each row stands for `n` events. Columns a feature condition may use: event,
 * path, chain_hash, feature_key, element_text (see `compileRulesIndexed`).
 * Parameters: project, from, to, non_activity.
 */
export const ROLLUP_ACTIVITY_SQL = `
SELECT
  if(x.account_id != '', x.account_id, ua.account_id) AS account,
  x.person AS person,
  x.bucket AS bucket,
  toDate(x.bucket) AS day,
  x.event AS event,
  x.feature_key AS feature_key,
  x.path AS path,
  x.chain_hash AS chain_hash,
  x.element_text AS element_text,
  x.n AS n
FROM (
  SELECT r.account_id AS account_id, r.bucket AS bucket, r.event AS event, r.feature_key AS feature_key, r.path AS path,
    r.chain_hash AS chain_hash, r.element_text AS element_text, r.events AS n,
    if(r.identified = 1, r.user_key, if(pa.user_id != '', pa.user_id, r.user_key)) AS person
  FROM activity_rollup AS r
  LEFT JOIN (
    SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
    WHERE project_id = {project:String} GROUP BY anonymous_id
  ) AS pa ON pa.anonymous_id = r.user_key
  WHERE r.project_id = {project:String}
    AND r.bucket >= toDateTime({from:Date}, 'UTC') AND r.bucket < toDateTime({to:Date}, 'UTC')
    AND r.event NOT IN {non_activity:Array(String)}
) AS x
LEFT JOIN (
  SELECT user_id, argMax(account_id, updated_at) AS account_id FROM user_accounts
  WHERE project_id = {project:String} GROUP BY user_id
) AS ua ON ua.user_id = x.person`

export function rollupParams(projectId: string, from: IsoDate, to: IsoDate): Record<string, unknown> {
  return { project: projectId, from, to, non_activity: [...NON_ACTIVITY_EVENTS] }
}
