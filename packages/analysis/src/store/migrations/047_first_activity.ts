import type { DdlContext } from '../ddl.js'
import { keptAtIngestDdl } from '../kept-at-ingest.js'
import { ACTIVITY_WHERE } from './046_session_spans.js'

/**
 * Each user key's first activity, kept at ingest: the overview counts the people whose first
 * activity falls on each day, and finding it in the rollup read every row of the project's history.
 * A view adds each inserted block's earliest quarter hour of activity per project, identified flag
 * and user key (the rollup's bucket, so a local day in any zone is exact on it, as on the rollup);
 * `first` merges to the earliest, so a late, retried or replayed insert changes nothing it should not.
 * Activity is as in `session_spans` (the events that are a person's doing, as this migration ran).
 *
 * Keys of events stored before this migration are added by the background job (`rollup/backfill.ts`,
 * plan row `FIRST_ACTIVITY_SLICE` of `activity_rollup_backfill`); a key both copied and seen by the
 * view is harmless, as the earliest stays the earliest. Until the job is done, the overview reads
 * the rollup as before (`firstActivityComplete`).
 */
export const FIRST_ACTIVITY_SLICE = 4

/** One row per project, identified flag and user key, from an events SELECT (the view's and the backfill's). */
export const FIRST_ACTIVITY_SELECT = `SELECT project_id, toUInt8(user_id != '') AS identified, user_key, min(toStartOfFifteenMinutes(timestamp)) AS first`
export const FIRST_ACTIVITY_GROUP = 'GROUP BY project_id, identified, user_key'

export function up(ctx: DdlContext): string[] {
  return keptAtIngestDdl(ctx, {
    table: 'first_activity',
    columns: `  project_id LowCardinality(String),
  identified UInt8,
  user_key String,
  first SimpleAggregateFunction(min, DateTime('UTC'))`,
    tail: 'ORDER BY (project_id, identified, user_key)',
    select: FIRST_ACTIVITY_SELECT,
    where: ACTIVITY_WHERE,
    group: FIRST_ACTIVITY_GROUP,
    slice: FIRST_ACTIVITY_SLICE,
  })
}
