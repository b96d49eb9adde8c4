import type { Context } from 'hono'
import type { z } from 'zod'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Project } from '../auth/projects.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { HttpError } from '../errors.js'
import type { AcceptResult } from '../ingest/accept.js'
import { NO_ADDRESS, storedAddress, type StoredAddress } from '../ingest/ip.js'
import type { Rejection } from '../ingest/validate.js'
import { ERROR_STATUS, errorBody } from '../errors.js'

/** The client's address: the first X-Forwarded-For hop behind a trusted proxy, else the socket's peer ('' without a socket). */
export function remoteAddress(c: Context, trustProxy: boolean): string {
  const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim()
  if (trustProxy && forwarded) return forwarded
  try {
    return getConnInfo(c).remote.address ?? ''
  } catch {
    return '' // in-process requests (app.request) have no socket
  }
}

/** Whether the browser used HTTPS: behind a trusted TLS-terminating proxy the request arrives as http, and the first X-Forwarded-Proto hop says. */
export function secureRequest(c: Context, trustProxy: boolean): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true
  return trustProxy && c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https'
}

/** The client address as stored (truncated network and country): nothing unless IP storage is on. */
export function clientAddress(c: Context<AppEnv>, deps: Pick<AppDeps, 'config'>): StoredAddress {
  if (!deps.config.storeIp) return NO_ADDRESS
  return storedAddress(remoteAddress(c, deps.config.trustProxy), true)
}

export async function projectForWriteKey(deps: Pick<AppDeps, 'projects'>, key: string | undefined): Promise<Project> {
  if (!key) throw new HttpError('missing_write_key', 'send the project write key', 'write_key')
  const project = await deps.projects.byWriteKey(key)
  if (!project) throw new HttpError('invalid_write_key', 'unknown write key', 'write_key')
  return project
}

/** Spends rate-limit tokens for `events` events of the project's write key, or answers 429 with Retry-After. */
export function spendRate(deps: Pick<AppDeps, 'rateLimiter' | 'metrics'>, project: Project, events: number): void {
  const decision = deps.rateLimiter.take(project.writeKey, Math.max(1, events))
  if (decision.ok) return
  deps.metrics.inc('requests_rate_limited')
  deps.metrics.inc('events_rate_limited', events, project.id)
  throw new HttpError('rate_limited', `too many events for this write key; retry in ${decision.retryAfter} s`, null, decision.retryAfter)
}

/**
 * 200 with counts when anything was kept (or dropped on purpose); when every event was refused,
 * the status of the refusal (all for one reason) or 400, with the same per-event list.
 */
export function batchResponse(c: Context<AppEnv>, r: AcceptResult, extra: { nudges?: boolean } = {}): Response {
  const body = { accepted: r.accepted, duplicates: r.duplicates, bots: r.bots, rejected: r.rejected, ...(extra.nudges ? { nudges: true } : {}) }
  if (r.accepted + r.duplicates + r.bots > 0 || r.rejected.length === 0) return c.json({ ok: true, ...body }, 200)
  return c.json({ ...allRejected(r.rejected), ...body }, rejectedStatus(r.rejected))
}

function allRejected(rejected: Rejection[]) {
  const first = rejected[0]!
  const same = rejected.every((r) => r.code === first.code)
  const message = rejected.length === 1 ? first.reason : `all ${rejected.length} events were rejected`
  return errorBody(same ? first.code : 'invalid_event', message, rejected.length === 1 ? first.field : null)
}

function rejectedStatus(rejected: Rejection[]) {
  const first = rejected[0]!
  return rejected.every((r) => r.code === first.code) ? ERROR_STATUS[first.code] : ERROR_STATUS.invalid_event
}

/** Query parameters checked against a schema; the first problem answers 400 naming its field. */
export function query<T extends z.ZodType>(c: Context<AppEnv>, schema: T): z.infer<T> {
  const parsed = schema.safeParse(c.req.query())
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.length ? String(issue.path[0]) : null
    throw new HttpError('invalid_query', field ? `${field} ${issue.message}` : issue.message, field)
  }
  return parsed.data
}
