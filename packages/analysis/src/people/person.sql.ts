/**
 * Person lookups that stay on sort-key prefixes. `person_aliases` is ordered by
 * (project_id, anonymous_id) and `user_accounts` by (project_id, user_id); the events of a person
 * are read on the first three columns of the events sort key (see PERSON_EVENTS).
 */

/** The user an id was merged into by identify ('' when it was not). */
export const RESOLVE_SQL = `SELECT argMax(user_id, updated_at) AS user_id FROM person_aliases
WHERE project_id = {project:String} AND anonymous_id = {id:String}`

/** Anonymous ids whose latest identify names the person, with when they were merged. */
export const ALIASES_SQL = `SELECT anonymous_id, max(updated_at) AS merged_at FROM person_aliases
WHERE project_id = {project:String} AND anonymous_id IN (
  SELECT anonymous_id FROM person_aliases WHERE project_id = {project:String} AND user_id = {person:String}
)
GROUP BY anonymous_id
HAVING argMax(user_id, updated_at) = {person:String}
ORDER BY merged_at, anonymous_id`

/**
 * The accounts (and '' for events without one) the person's events carry. Reads only two narrow
 * columns; `user_key` is the third sort-key column, so within each account's stretch of granules
 * the key index already skips other people's (ClickHouse's generic exclusion search). Read from
 * the events rather than `user_accounts`, which may keep only the latest membership.
 */
export const ACCOUNTS_SQL = `SELECT DISTINCT account_id FROM events
WHERE project_id = {project:String} AND user_key IN {keys:Array(String)}`

/**
 * The person's rows, on the first three sort-key columns (project, account, user key): with the
 * accounts known, the index narrows to the person's own granules (2 of 246 in a 2M-row test table,
 * against 38 with the user key alone).
 */
export const PERSON_EVENTS = `events FINAL
WHERE project_id = {project:String} AND account_id IN {accounts:Array(String)} AND user_key IN {keys:Array(String)}`

/** Ids that start with or contain the text, from the identity tables (small, one row per key). */
export const searchSql = (people = '') => `SELECT id, max(seen) AS seen FROM (
  SELECT user_id AS id, max(updated_at) AS seen FROM user_accounts
  WHERE project_id = {project:String} AND positionCaseInsensitiveUTF8(user_id, {q:String}) > 0 GROUP BY user_id
  UNION ALL
  SELECT if(user_id != '', user_id, anonymous_id) AS id, max(updated_at) AS seen FROM person_aliases
  WHERE project_id = {project:String} AND (positionCaseInsensitiveUTF8(user_id, {q:String}) > 0 OR positionCaseInsensitiveUTF8(anonymous_id, {q:String}) > 0)
  GROUP BY id
)
WHERE id != ''${people}
GROUP BY id
ORDER BY startsWith(lower(id), lower({q:String})) DESC, seen DESC, id
LIMIT {limit:UInt32}`
