/**
 * One project's ingestion counters over UTC days [from, to], summed: rows of a key may sit in
 * parts not merged yet. Parameters: project, from, to.
 */
export const PROJECT_COUNTERS_SQL = `
SELECT counter, reason, sum(value) AS value
FROM ingest_counters
WHERE project_id = {project:String} AND day >= {from:Date} AND day <= {to:Date}
GROUP BY counter, reason`
