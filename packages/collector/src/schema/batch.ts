import { z } from 'zod'
import { storableMs } from '../ingest/sanitize.js'

/** Limits that bound every accepted event; the SDK stays well inside them. */
export const LIMITS = {
  bodyBytes: 1_000_000,
  inflatedBytes: 5_000_000,
  eventsPerBatch: 1_000,
  eventBytes: 32_000,
  stringShort: 200,
  stringUrl: 2_048,
  elementsPerChain: 64,
  propertiesBytes: 16_000,
  /** Events stamped further in the future than this (after skew correction) are refused. */
  futureMs: 24 * 3600_000,
  /** Events older than this are refused: late delivery is fine, ancient data is a bug. */
  pastMs: 400 * 24 * 3600_000,
} as const

const shortString = z.string().max(LIMITS.stringShort)
const urlString = z.string().max(LIMITS.stringUrl)
/**
 * ISO-8601 with zone, or epoch milliseconds, within what a DateTime64(3) column holds (1900–2299):
 * a clock outside it cannot be stored, so it is refused with a field error rather than bent.
 */
const instant = z
  .union([z.iso.datetime({ offset: true }), z.number().int().nonnegative()])
  .refine((v) => storableMs(typeof v === 'number' ? v : Date.parse(v)), { message: 'the time must lie between 1900-01-01 and 2299-12-31' })

export const ElementSchema = z.object({
  tag: z.string().min(1).max(64),
  id: shortString.optional(),
  classes: z.array(z.string().max(128)).max(32).optional(),
  attrs: z.record(z.string().max(64), z.string().max(512)).optional(),
  text: z.string().max(256).optional(),
  nth: z.number().int().min(0).max(65_535).optional(),
})

/** One event as the browser SDK sends it. `elements[0]` is the target, then its ancestors up to body. */
export const EventSchema = z.object({
  uuid: z.uuid(),
  event: z.string().min(1).max(LIMITS.stringShort),
  timestamp: instant,
  anonymous_id: z.string().min(1).max(LIMITS.stringShort),
  user_id: shortString.nullish(),
  account_id: shortString.nullish(),
  session_id: shortString.nullish(),
  url: urlString.nullish(),
  referrer: urlString.nullish(),
  title: z.string().max(512).nullish(),
  feature_key: shortString.nullish(),
  elements: z.array(ElementSchema).max(LIMITS.elementsPerChain).nullish(),
  properties: z.record(z.string().max(LIMITS.stringShort), z.unknown()).nullish(),
})

/**
 * An event from a server-side library (Segment API): it may carry only a user id, and its id is
 * any GUID (a hash of the library's message id when that is not a UUID).
 */
export const ServerEventSchema = EventSchema.extend({
  uuid: z.guid(),
  anonymous_id: z.string().max(LIMITS.stringShort),
})

/** Envelope of `POST /v1/batch`; events are validated one by one so good ones survive bad neighbours. */
export const BatchSchema = z.object({
  write_key: z.string().min(1).max(LIMITS.stringShort),
  sent_at: instant,
  events: z.array(z.unknown()).min(1).max(LIMITS.eventsPerBatch),
  /** Library and version that sent the batch, e.g. "tenure-web/0.1.0". */
  lib: shortString.optional(),
})

export type ElementInput = z.infer<typeof ElementSchema>
export type EventInput = z.infer<typeof EventSchema>
export type BatchInput = z.infer<typeof BatchSchema>
