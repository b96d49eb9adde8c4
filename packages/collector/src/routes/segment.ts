import type { Context } from 'hono'
import type { AppDeps, AppEnv } from '../deps.js'
import { HttpError } from '../errors.js'
import type { Acceptor, Candidate } from '../ingest/accept.js'
import { isBot } from '../ingest/bots.js'
import { NO_ADDRESS, storedAddress, type StoredAddress } from '../ingest/ip.js'
import { segmentLib, segmentToEvent } from '../ingest/segment-map.js'
import { storableMs } from '../ingest/sanitize.js'
import { instantMs, skewOffset } from '../ingest/skew.js'
import { parseAgent, NO_AGENT } from '../ingest/ua.js'
import { checkEvent, jsonSizeOver, reject, zodRejection, type Rejection } from '../ingest/validate.js'
import { ServerEventSchema } from '../schema/batch.js'
import { SegmentBatchSchema, SegmentMessageSchema, type SegmentType } from '../schema/segment.js'
import { batchResponse, clientAddress, projectForWriteKey, spendRate } from './request.js'

/** Write key of a Segment request: Basic auth user name (password empty), else `writeKey` in the body. */
export function segmentWriteKey(authorization: string | undefined, body: unknown): string | undefined {
  const m = authorization && /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization)
  if (m) {
    const decoded = Buffer.from(m[1]!, 'base64').toString('utf8')
    const user = decoded.split(':')[0]
    if (user) return user
  }
  const key = (body as { writeKey?: unknown } | null)?.writeKey
  return typeof key === 'string' && key ? key : undefined
}

export function isSegmentRequest(authorization: string | undefined, body: unknown): boolean {
  if (authorization && /^Basic\s/i.test(authorization)) return true
  return typeof body === 'object' && body !== null && Array.isArray((body as { batch?: unknown }).batch)
}

/**
 * Segment messages → stored events. Server-side libraries send their own user agent; only a
 * browser agent in `context.userAgent` is parsed and checked for bots.
 */
export async function ingestSegment(
  c: Context<AppEnv>,
  deps: AppDeps,
  acceptor: Acceptor,
  body: unknown,
  receivedAt: number,
  forcedType?: SegmentType,
): Promise<Response> {
  let messages: unknown[]
  let sentAt: string | undefined
  let shared: Record<string, unknown> | undefined
  if (forcedType) {
    messages = [{ ...(body as object), type: forcedType }]
    sentAt = (body as { sentAt?: unknown }).sentAt as string | undefined
  } else {
    const count = (body as { batch?: unknown[] }).batch?.length ?? 0
    if (count > deps.config.limits.eventsPerBatch) {
      throw new HttpError('too_many_events', `a batch holds at most ${deps.config.limits.eventsPerBatch} events`, 'batch')
    }
    const env = SegmentBatchSchema.safeParse(body)
    if (!env.success) {
      const issue = env.error.issues[0]!
      throw new HttpError('invalid_body', issue.message, issue.path.join('.') || null)
    }
    messages = env.data.batch
    sentAt = env.data.sentAt
    shared = env.data.context
  }
  const project = await projectForWriteKey(deps, segmentWriteKey(c.req.header('authorization'), body))
  spendRate(deps, project, messages.length)

  const sentAtMs = typeof sentAt === 'string' ? instantMs(sentAt) : undefined
  // A sender's clock outside what can be stored is refused as for SDK batches (sanitize.ts).
  if (sentAtMs !== undefined && Number.isFinite(sentAtMs) && !storableMs(sentAtMs)) {
    throw new HttpError('invalid_body', 'sentAt must lie between 1900-01-01 and 2299-12-31', 'sentAt')
  }
  const skewMs = skewOffset(sentAtMs, receivedAt, deps.config.skewThresholdMs)
  const address = clientAddress(c, deps)
  const rejected: Rejection[] = []
  const candidates: Candidate[] = []
  messages.forEach((raw, index) => {
    if (jsonSizeOver(raw, deps.config.limits.eventBytes)) {
      rejected.push(reject(index, null, 'event_too_large', `the message exceeds ${deps.config.limits.eventBytes} bytes`).rejection)
      return
    }
    const withContext = shared && typeof raw === 'object' && raw !== null ? { ...raw, context: { ...shared, ...(raw as { context?: object }).context } } : raw
    const parsed = SegmentMessageSchema.safeParse(withContext)
    if (!parsed.success) {
      rejected.push(zodRejection(index, parsed.error).rejection)
      return
    }
    const input = segmentToEvent(parsed.data, receivedAt - skewMs)
    const checked = checkEvent(input, index, deps.config.limits, ServerEventSchema)
    if (!checked.ok) {
      rejected.push(checked.rejection)
      return
    }
    const ua = parsed.data.context?.userAgent
    candidates.push({
      index,
      input: checked.value,
      agent: ua ? parseAgent(ua) : NO_AGENT,
      lib: segmentLib(parsed.data),
      // A server library reporting its end user's IP (context.ip) says more than the server's own address.
      address: deps.config.storeIp ? reportedOr(parsed.data.context?.ip, address) : NO_ADDRESS,
      bot: ua ? isBot(ua, { allowHeadless: deps.config.allowHeadless }) : false,
    })
  })
  const result = await acceptor.accept(project, candidates, rejected, { receivedAt, skewMs })
  return batchResponse(c, result)
}

/** The address a message reports (context.ip) when it is an IP, else the request's. */
function reportedOr(ip: string | undefined, request: StoredAddress): StoredAddress {
  const reported = storedAddress(ip, true)
  return reported.ip ? reported : request
}
