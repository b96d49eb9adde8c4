import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { createSegment, deleteSegment, getSegment, listProperties, listSegments, segmentHistory, SegmentId, SegmentInput, updateSegment } from '@tenure/analysis'
import { requireSecretKey } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { errorBody, HttpError } from '../errors.js'
import { describe, type RouteDoc } from '../openapi/describe.js'
import { analysisCall } from './analysis.js'

/**
 * Saved segments (secret key; scoped to the key's project): named, versioned definitions over
 * properties and behaviour that reports take as `segment=<id>`.
 *
 *   GET    /v1/segments                 {segments: [current version of each]}
 *   GET    /v1/segments/properties      {properties: [{name, source}]}: what a condition or breakdown may name
 *   POST   /v1/segments                 {id?, name, description?, definition} → 201 the segment (409 if the id exists)
 *   GET    /v1/segments/:id             the current version (404 when unknown or deleted)
 *   GET    /v1/segments/:id/history     {versions: [newest first]}
 *   PUT    /v1/segments/:id             {name, description?, definition} → the new version
 *   DELETE /v1/segments/:id             → {id, version, deleted: true}
 */
const MAX_BODY_BYTES = 64 * 1024
const IdPath = z.object({ id: SegmentId })
const doc = (d: Omit<RouteDoc, 'tag' | 'auth'>) => describe({ tag: 'Segments', auth: 'secret', ...d })

async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    throw new HttpError('invalid_json', 'the body is not JSON')
  }
}

function segmentId(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? ''
  if (!SegmentId.safeParse(id).success) throw new HttpError('not_found', `no segment ${id}`)
  return id
}

export function savedSegmentRoutes(deps: Pick<AppDeps, 'projects' | 'store'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const client = deps.store.client
  app.use('/v1/segments', requireSecretKey(deps.projects))
  app.use('/v1/segments/*', requireSecretKey(deps.projects))
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', `a segment definition is at most ${MAX_BODY_BYTES} bytes`), 413),
  })

  app.get('/v1/segments', ...doc({ summary: 'Every segment, current version', ok: { description: '`{segments: [segment]}`' } }), async (c) =>
    c.json({ segments: await listSegments(client, c.get('project').id) }))

  app.get('/v1/segments/properties', ...doc({
    summary: 'Properties a segment condition or a breakdown may name',
    description: '`person.<trait>` (identify traits), `account.<trait>` (group traits and imported account columns), `first.<field>` (first page view: referrer, UTM parameters, browser, OS, device type).',
    ok: { description: '`{properties: [{name, source}]}`' },
  }), async (c) => c.json({ properties: await listProperties(client, c.get('project').id) }))

  app.post('/v1/segments', ...doc({
    summary: 'Save a segment',
    description: 'Conditions over properties (eq, neq, in, not_in, gt, gte, lt, lte, exists) and behaviour (used_feature in the first N days, active_days k of the last d, account_renewing within D days), combined with `all` or `any`. Property names are checked against the stored ones.',
    body: { schema: SegmentInput },
    ok: { status: 201, description: 'The stored segment, version 1.' },
    errors: [409, 413],
  }), limit, async (c) => {
    const body = await jsonBody(c)
    return c.json(await analysisCall(() => createSegment(client, c.get('project').id, body), 'body'), 201)
  })

  app.get('/v1/segments/:id', ...doc({ summary: 'A segment, current version', path: IdPath, ok: { description: 'The segment.' }, errors: [404] }), async (c) => {
    const s = await getSegment(client, c.get('project').id, segmentId(c))
    if (!s) throw new HttpError('not_found', `no segment ${c.req.param('id')}`)
    return c.json(s)
  })

  app.get('/v1/segments/:id/history', ...doc({ summary: 'Every version of a segment, newest first', path: IdPath, ok: { description: '`{versions: [segment]}`' }, errors: [404] }), async (c) => {
    const versions = await segmentHistory(client, c.get('project').id, segmentId(c))
    if (!versions.length) throw new HttpError('not_found', `no segment ${c.req.param('id')}`)
    return c.json({ versions })
  })

  app.put('/v1/segments/:id', ...doc({
    summary: 'Change a segment: a new version, read by the next report',
    path: IdPath,
    body: { schema: SegmentInput },
    ok: { description: 'The new version.' },
    errors: [404, 413],
  }), limit, async (c) => {
    const id = segmentId(c)
    const body = await jsonBody(c)
    return c.json(await analysisCall(() => updateSegment(client, c.get('project').id, id, body), 'body'))
  })

  app.delete('/v1/segments/:id', ...doc({ summary: 'Delete a segment (its versions stay in the history)', path: IdPath, ok: { description: '`{id, version, deleted: true}`' }, errors: [404] }), async (c) => {
    const s = await analysisCall(() => deleteSegment(client, c.get('project').id, segmentId(c)), 'body')
    return c.json({ id: s.id, version: s.version, deleted: true })
  })

  return app
}
