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
import { BatchSchema } from '../schema/batch.js'
import { SEGMENT_TYPES } from '../schema/segment.js'
import { batchResponse, clientIp, projectForWriteKey, spendRate } from './request.js'
import { ingestSegment, isSegmentRequest } from './segment.js'

const DEFAULT_LIB = 'web'

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

  app.post('/v1/batch', async (c) => {
    const receivedAt = Date.now()
    const body = await read(c)
    if (isSegmentRequest(c.req.header('authorization'), body)) return ingestSegment(c, deps, acceptor, body, receivedAt)
    return ingestSdkBatch(c, deps, acceptor, body, receivedAt)
  })

  for (const type of SEGMENT_TYPES) {
    app.post(`/v1/${type}`, async (c) => {
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
  const ip = clientIp(c, deps)
  const lib = batch.lib ?? DEFAULT_LIB
  const skewMs = skewOffset(instantMs(batch.sent_at), receivedAt, deps.config.skewThresholdMs)
  const rejected: Rejection[] = []
  const candidates: Candidate[] = []
  batch.events.forEach((raw, index) => {
    const checked = checkEvent(raw, index, limits)
    if (checked.ok) candidates.push({ index, input: checked.value, agent, lib, ip, bot })
    else rejected.push(checked.rejection)
  })
  const result = await acceptor.accept(project, candidates, rejected, { receivedAt, skewMs })
  // Pages load the nudge chunk only when told the project has an active nudge (an in-memory read).
  return batchResponse(c, result, { nudges: activeNudgeIndex(deps.store.client).has(project.id) })
}
