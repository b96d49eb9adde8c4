/**
 * How many people and events a feature condition matches over the last `{days}` days: the same
 * events the reports count (activity only, each stored copy once), people merged as in §1.
 * `condition` is compiled from the rules by the analysis package; values are its parameters.
 */
export function featurePreviewSql(condition: string): string {
  return `
SELECT uniqExact(person) AS users, uniqExact(uuid) AS events
FROM (
  SELECT e.uuid AS uuid, if(e.user_id != '', e.user_id, if(pa.user_id != '', pa.user_id, e.anonymous_id)) AS person
  FROM events AS e
  LEFT JOIN (
    SELECT anonymous_id, argMax(user_id, updated_at) AS user_id FROM person_aliases
    WHERE project_id = {project:String} GROUP BY anonymous_id
  ) AS pa ON pa.anonymous_id = e.anonymous_id
  WHERE e.project_id = {project:String} AND e.timestamp >= now64(3) - toIntervalDay({days:UInt32})
    AND e.event NOT IN {non_activity:Array(String)} AND ${condition}
)`
}
