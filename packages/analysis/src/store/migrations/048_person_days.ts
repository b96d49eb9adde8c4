import type { DdlContext } from '../ddl.js'
import { keptAtIngestDdl } from '../kept-at-ingest.js'
import { COMBO_SQL } from './045_activity_combos.js'
import { ACTIVITY_WHERE } from './046_session_spans.js'

/**
 * Each user key's activity per account and UTC day, kept at ingest: the account reports sum usage
 * over date ranges (renewal windows, the last 30 days), and reading it from the rollup grouped
 * about one quarter-hour row per event into person-days in every request. A row holds the day's
 * events, its active UTC hours (bit h = hour h) and, per combination (`activity_combos`: what
 * feature rules test), how many events had it, so features defined or edited later are measured
 * on these rows as on the rollup. Activity is as in `session_spans` (the events that are a
 * person's doing, as this migration ran).
 *
 * Counts stay exact as the rollup's do: a retried insert is dropped before the view runs (or, when
 * it failed halfway through the views, the view's own block is), and replayed spool rows are
 * checked against the store first. Rows of one key not yet merged by the engine add up, so readers
 * treat each row on its own. `origin` is 0 for rows the view writes and 1 for rows the background
 * job (`rollup/backfill.ts`, plan row `PERSON_DAYS_SLICE`) copied from the events stored before
 * this migration; the job deletes its own rows before it writes them, so an interrupted run counts
 * nothing twice. Until it is done, the reports read the rollup as before (`personDaysComplete`).
 * The view starts with this migration and the job takes the events inserted before its cutoff: run
 * it with the collectors stopped, as other migrations of the events table.
 */
export const PERSON_DAYS_SLICE = 5

/** A person-day row from an events SELECT (the view's, with origin 0, and the job's, with 1). */
export const personDaysSelect = (origin: 0 | 1): string => `SELECT project_id, account_id, user_key, toUInt8(user_id != '') AS identified, toDate(timestamp) AS day,
  toUInt8(${origin}) AS origin, groupBitOr(bitShiftLeft(toUInt32(1), toHour(timestamp))) AS hours, count() AS events,
  sumMap([${COMBO_SQL}], [toUInt64(1)]) AS combos`
export const PERSON_DAYS_GROUP = 'GROUP BY project_id, account_id, user_key, identified, day'

export function up(ctx: DdlContext): string[] {
  return keptAtIngestDdl(ctx, {
    table: 'person_days',
    columns: `  project_id LowCardinality(String),
  account_id String,
  user_key String,
  identified UInt8,
  day Date,
  origin UInt8,
  hours SimpleAggregateFunction(groupBitOr, UInt32),
  events SimpleAggregateFunction(sum, UInt64),
  combos SimpleAggregateFunction(sumMap, Tuple(Array(UInt64), Array(UInt64)))`,
    // Kept as the rollup is: written to disk before an insert is answered, and a retried view block dropped.
    tail: `PARTITION BY toYYYYMM(day)
ORDER BY (project_id, account_id, user_key, identified, day, origin)
SETTINGS fsync_after_insert = 1, fsync_part_directory = 1${ctx.cluster ? '' : ', non_replicated_deduplication_window = 1000'}`,
    select: personDaysSelect(0),
    where: ACTIVITY_WHERE,
    group: PERSON_DAYS_GROUP,
    slice: PERSON_DAYS_SLICE,
  })
}
