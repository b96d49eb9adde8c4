import { NON_ACTIVITY_EVENTS } from '../events.js'
import type { IsoDate } from './dates.js'

/**
 * Events a person caused in [{from:Date}, {to:Date}), with the account and person they belong to.
 * The person is the identified user id, else the user the anonymous id was merged into, else the
 * anonymous id; the account is the event's own group() account, else the one that person was last
 * grouped into. The raw event columns stay available for feature conditions.
 * Parameters: project, from, to, non_activity.
 */
export const ACTIVITY_SQL = `
SELECT
  if(x.account_id != '', x.account_id, ua.account_id) AS account,
  x.person AS person,
  x.user_id AS user_id,
  x.timestamp AS ts,
  toDate(x.timestamp) AS day,
  x.event AS event,
  x.feature_key AS feature_key,
  x.url AS url,
  x.path AS path,
  x.element_text AS element_text,
  x.elements AS elements,
  x.properties AS properties,
  x.session_id AS session_id,
  concat(toString(x.browser), ' / ', toString(x.os), ' / ', toString(x.device_type)) AS device
FROM (
  SELECT e.*, if(e.user_id != '', e.user_id, if(pa.user_id != '', pa.user_id, e.anonymous_id)) AS person
  FROM events AS e FINAL
  LEFT JOIN (
    SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
    WHERE project_id = {project:String} GROUP BY anonymous_id
  ) AS pa ON pa.anonymous_id = e.anonymous_id
  WHERE e.project_id = {project:String}
    AND e.timestamp >= toDateTime64({from:Date}, 3, 'UTC') AND e.timestamp < toDateTime64({to:Date}, 3, 'UTC')
    AND e.event NOT IN {non_activity:Array(String)}
) AS x
LEFT JOIN (
  SELECT user_id, argMax(account_id, updated_at) AS account_id FROM user_accounts
  WHERE project_id = {project:String} GROUP BY user_id
) AS ua ON ua.user_id = x.person`

export function activityParams(projectId: string, from: IsoDate, to: IsoDate): Record<string, unknown> {
  return { project: projectId, from, to, non_activity: [...NON_ACTIVITY_EVENTS] }
}
