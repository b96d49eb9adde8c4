import type { HttpBindings } from '@hono/node-server'
import { Hono, type Context } from 'hono'
import { activeNudgeIndex } from '@tenure/analysis'
import { cors } from 'hono/cors'
import type { AppDeps, AppEnv } from '../deps.js'
import { HttpError } from '../errors.js'
import { Acceptor, type Candidate } from '../ingest/accept.js'
import { parseJson, readBody } from '../ingest/body.js'
import { wellFormedBody } from '../ingest/sanitize.js'
import { isBot } from '../ingest/bots.js'
import { instantMs, skewOffset } from '../ingest/skew.js'
import { parseAgent } from '../ingest/ua.js'
import { checkEvent, type Rejection } from '../ingest/validate.js'
import { z } from 'zod'
import { describe } from '../openapi/describe.js'
import { BatchSchema, EventSchema, LIMITS } from '../schema/batch.js'
import { SEGMENT_TYPES, SegmentBatchSchema, SegmentMessageSchema } from '../schema/segment.js'
import { batchResponse, clientAddress, projectForWriteKey, spendRate } from './request.js'
import { ingestSegment, isSegmentRequest } from './segment.js'

const DEFAULT_LIB = 'web'

/** Bodies as documented: the envelopes the routes check, with the per-event schemas each event is then checked against. */
const SdkBatchDoc = BatchSchema.extend({ events: z.array(EventSchema).min(1).max(LIMITS.eventsPerBatch) }).describe('Browser SDK batch')
const SegmentBatchDoc = SegmentBatchSchema.extend({ batch: z.array(SegmentMessageSchema).min(1).max(LIMITS.eventsPerBatch) }).describe('Segment batch')
const INGEST_ANSWER =
  '`{ok: true, accepted, duplicates, bots, rejected: [{index, field, code, reason}], nudges?}` when anything was kept (or dropped on purpose); when every event was refused, the status of the refusal, with the same counts beside `error`.'
const INGEST_ERRORS = [413, 415, 429, 503] as const
const INGEST_MEDIA = ['application/json', 'text/plain']

/**
 * Ingestion: `POST /v1/batch` takes the SDK's batches and Segment batches (told apart by Basic
 * auth or a `batch` array), and `/v1/<type>` takes single Segment messages. Bodies may be JSON or
 * text/plain (sendBeacon), gzipped or not.
 */
export function ingestRoutes(deps: AppDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const acceptor = new Acceptor(deps)
  const paths = ['/v1/batch', ...SEGMENT_TYPES.map((t) => `/v1/${t}`)]
  const allowCors = cors({
    origin: deps.config.corsOrigin,
    allowMethods: ['POST', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Content-Encoding', 'Authorization'],
    // Cross-origin pages must be able to read it to back off as told on 429/503.
    exposeHeaders: ['Retry-After'],
    maxAge: 86_400,
  })
  for (const p of paths) {
    app.use(p, allowCors)
    app.use(p, async (c, next) => {
      await next()
      if (c.res.status >= 400 && c.res.status < 500 && c.res.status !== 429) deps.metrics.inc('requests_rejected')
    })
  }

  const read = async (c: Context<AppEnv>) => {
    deps.metrics.inc('requests')
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming
    const limits = { bodyBytes: deps.config.limits.bodyBytes, inflatedBytes: deps.config.limits.inflatedBytes }
    const text = await readBody(c.req.raw, limits, incoming)
    return wellFormedBody(parseJson(text), text)
  }

  const batchDoc = describe({
    tag: 'Ingestion',
    summary: 'A batch of events from the browser SDK or a Segment library',
    description:
      'The SDK sends `{write_key, sent_at, events}`; a Segment library `{batch: [...]}` with Basic auth or `writeKey`. JSON or text/plain (sendBeacon), gzip (`Content-Encoding: gzip`) or not. Each event is checked on its own, so good events survive bad neighbours. `200` means the batch is on disk.',
    auth: 'ingest',
    body: { schema: z.union([SdkBatchDoc, SegmentBatchDoc]), media: INGEST_MEDIA },
    ok: { description: INGEST_ANSWER },
    errors: [...INGEST_ERRORS],
  })
  app.post('/v1/batch', ...batchDoc, async (c) => {
    const receivedAt = Date.now()
    const body = await read(c)
    if (isSegmentRequest(c.req.header('authorization'), body)) return ingestSegment(c, deps, acceptor, body, receivedAt)
    return ingestSdkBatch(c, deps, acceptor, body, receivedAt)
  })

  for (const type of SEGMENT_TYPES) {
    const doc = describe({
      tag: 'Ingestion',
      summary: `One Segment ${type} message`,
      description: 'As Segment\'s HTTP tracking API: the message type is the path\'s; Basic auth with the write key as user name, or `writeKey` in the body.',
      auth: 'ingest',
      body: { schema: SegmentMessageSchema, media: INGEST_MEDIA },
      ok: { description: INGEST_ANSWER },
      errors: [...INGEST_ERRORS],
    })
    app.post(`/v1/${type}`, ...doc, async (c) => {
      const receivedAt = Date.now()
      const body = await read(c)
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError('invalid_body', 'the body must be a JSON object')
      return ingestSegment(c, deps, acceptor, body, receivedAt, type)
    })
  }

  return app
}

/** The browser SDK's batch: `{ write_key, sent_at, events: [...] }`. */
async function ingestSdkBatch(c: Context<AppEnv>, deps: AppDeps, acceptor: Acceptor, body: unknown, receivedAt: number): Promise<Response> {
  const { limits } = deps.config
  const count = (body as { events?: unknown[] } | null)?.events?.length
  if (typeof count === 'number' && count > limits.eventsPerBatch) {
    throw new HttpError('too_many_events', `a batch holds at most ${limits.eventsPerBatch} events`, 'events')
  }
  const env = BatchSchema.safeParse(body)
  if (!env.success) {
    const issue = env.error.issues[0]!
    const field = issue.path.map(String).join('.') || null
    if (field === 'write_key' && (body as { write_key?: unknown })?.write_key === undefined) {
      throw new HttpError('missing_write_key', 'send the project write key', 'write_key')
    }
    throw new HttpError('invalid_body', issue.message, field)
  }
  const batch = env.data
  const project = await projectForWriteKey(deps, batch.write_key)
  spendRate(deps, project, batch.events.length)

  const ua = c.req.header('user-agent')
  const bot = isBot(ua, { allowHeadless: deps.config.allowHeadless })
  const agent = parseAgent(ua)
  const address = clientAddress(c, deps)
  const lib = batch.lib ?? DEFAULT_LIB
  const skewMs = skewOffset(instantMs(batch.sent_at), receivedAt, deps.config.skewThresholdMs)
  const rejected: Rejection[] = []
  const candidates: Candidate[] = []
  batch.events.forEach((raw, index) => {
    const checked = checkEvent(raw, index, limits)
    if (checked.ok) candidates.push({ index, input: checked.value, agent, lib, address, bot })
    else rejected.push(checked.rejection)
  })
  const result = await acceptor.accept(project, candidates, rejected, { receivedAt, skewMs })
  // Pages load the nudge chunk only when told the project has an active nudge (an in-memory read).
  return batchResponse(c, result, { nudges: activeNudgeIndex(deps.store.client).has(project.id) })
}
