import { NON_ACTIVITY_EVENTS } from '../../events.js'
import type { DdlContext } from '../ddl.js'
import { keptAtIngestDdl } from '../kept-at-ingest.js'

/**
 * Each session's span per UTC day and device, kept at ingest: seat sharing pairs people's
 * sessions to the millisecond and counts their devices, which the activity rollup (quarter hours,
 * no device) cannot say; reading them from the events scanned every event of the report's days.
 * A view adds each inserted block's first and last activity per project, account, user key,
 * UTC day, session and device; `started` and `ended` merge to the earliest and the latest, so a
 * retried, replayed or late insert changes nothing it should not.
 *
 * Days are UTC calendar days, the grain of the reports' [from, to) ranges: a session's span
 * within a range is the earliest start and the latest end of its days in it, as the events say.
 * The view leaves out the events that are not a person's doing (`NON_ACTIVITY_EVENTS` as this
 * migration ran): a later change to that list needs a migration that builds the table again.
 *
 * Events stored before this migration are added by the background job (`rollup/backfill.ts`, plan
 * row `SPANS_SLICE` of `activity_rollup_backfill`); an event both copied and seen by the view is
 * harmless, as the earliest and latest stay so. Until the job is done, seat sharing reads the
 * events as before (`spansComplete`).
 */
export const SPANS_SLICE = 3

/** A span row's key from an events row, and its times (the view's and the backfill's SELECT). */
export const SPANS_SELECT = `SELECT project_id, account_id, user_key, toUInt8(user_id != '') AS identified, toDate(timestamp) AS day, session_id,
  browser, os, device_type, min(timestamp) AS started, max(timestamp) AS ended`
export const SPANS_GROUP = 'GROUP BY project_id, account_id, user_key, identified, day, session_id, browser, os, device_type'

/** The events that are a person's doing, as SQL (trusted constants: the event names are the project's own); what a span, and a first activity (047), are made of. */
export const ACTIVITY_WHERE = `event NOT IN (${NON_ACTIVITY_EVENTS.map((e) => `'${e.replace(/[\\']/g, '\\$&')}'`).join(', ')})`

export function up(ctx: DdlContext): string[] {
  return keptAtIngestDdl(ctx, {
    table: 'session_spans',
    columns: `  project_id LowCardinality(String),
  account_id String,
  user_key String,
  identified UInt8,
  day Date,
  session_id String,
  browser LowCardinality(String),
  os LowCardinality(String),
  device_type LowCardinality(String),
  started SimpleAggregateFunction(min, DateTime64(3, 'UTC')),
  ended SimpleAggregateFunction(max, DateTime64(3, 'UTC'))`,
    tail: `PARTITION BY toYYYYMM(day)
ORDER BY (project_id, account_id, user_key, identified, day, session_id, browser, os, device_type)`,
    select: SPANS_SELECT,
    where: ACTIVITY_WHERE,
    group: SPANS_GROUP,
    slice: SPANS_SLICE,
  })
}
