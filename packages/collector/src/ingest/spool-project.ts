/**
 * The project a spool record's events belong to. Records name it (`project`); records written
 * before they did are attributed by the `project_id` column of their first row: one record is one
 * accepted request, and a request's events all belong to the project of its write key, so the
 * first row speaks for all of them at the cost of one array lookup. A record with neither (no
 * event rows, or no such column) has no events to count and gives undefined.
 */
export function spoolRecordProject(record: unknown): string | undefined {
  const r = record as { project?: unknown; columns?: unknown; events?: unknown } | null
  if (typeof r !== 'object' || r === null) return undefined
  if (typeof r.project === 'string') return r.project
  if (!Array.isArray(r.columns) || !Array.isArray(r.events)) return undefined
  const at = r.columns.indexOf('project_id')
  const first: unknown = r.events[0]
  if (at < 0 || !Array.isArray(first)) return undefined
  const id: unknown = first[at]
  return typeof id === 'string' ? id : undefined
}
