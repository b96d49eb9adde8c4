import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { createFeature, deleteFeature, featureHistory, FeatureId, FeatureInput, getFeature, listFeatures, SuggestParams, suggestFeatures, updateFeature } from '@tenure/analysis'
import { requireSecretKey } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { errorBody, HttpError } from '../errors.js'
import { describe, type RouteDoc } from '../openapi/describe.js'
import { analysisCall } from './analysis.js'

/**
 * Feature definitions (secret key; scoped to the key's project). A changed definition is a new
 * version and re-reads history at the next report; nothing is re-collected.
 *
 *   GET    /v1/features                 {features: [current version of each]}
 *   POST   /v1/features                 {id?, name, description?, rules: [...]} → 201 the definition (409 if the id exists)
 *   GET    /v1/features/suggestions     candidates from data-feature keys and clicked elements (?days=30, ?limit=30)
 *   GET    /v1/features/:id             the current version (404 when unknown or deleted)
 *   GET    /v1/features/:id/history     {versions: [newest first]}
 *   PUT    /v1/features/:id             {name, description?, rules} → the new version
 *   DELETE /v1/features/:id             → {id, version, deleted: true}
 */
const MAX_BODY_BYTES = 64 * 1024
const IdPath = z.object({ id: FeatureId })
const doc = (d: Omit<RouteDoc, 'tag' | 'auth'>) => describe({ tag: 'Features', auth: 'secret', ...d })

async function jsonBody(c: Context<AppEnv>): Promise<unknown> {
  try {
    return await c.req.json()
  } catch {
    throw new HttpError('invalid_json', 'the body is not JSON')
  }
}

function featureId(c: Context<AppEnv>): string {
  const id = c.req.param('id') ?? ''
  if (!FeatureId.safeParse(id).success) throw new HttpError('not_found', `no feature ${id}`)
  return id
}

export function featureRoutes(deps: Pick<AppDeps, 'projects' | 'store'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const client = deps.store.client
  app.use('/v1/features', requireSecretKey(deps.projects))
  app.use('/v1/features/*', requireSecretKey(deps.projects))
  const limit = bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: (c) => c.json(errorBody('payload_too_large', `a feature definition is at most ${MAX_BODY_BYTES} bytes`), 413),
  })

  app.get('/v1/features', ...doc({ summary: 'Every feature, current version', ok: { description: '`{features: [definition]}`' } }), async (c) => c.json({ features: await listFeatures(client, c.get('project').id) }))

  app.post('/v1/features', ...doc({
    summary: 'Define a feature',
    description: 'A feature is one or more rules (OR) over captured events; it applies to history already stored.',
    body: { schema: FeatureInput },
    ok: { status: 201, description: 'The stored definition, version 1.' },
    errors: [409, 413],
  }), limit, async (c) => {
    const body = await jsonBody(c)
    return c.json(await analysisCall(() => createFeature(client, c.get('project').id, body as never), 'body'), 201)
  })

  app.get('/v1/features/suggestions', ...doc({
    summary: 'Candidate features from data-feature keys and clicked elements',
    query: SuggestParams,
    ok: { description: '`{suggestions: [{name, source, rules, events, users, defined}]}`' },
  }), async (c) => {
    const q = c.req.query()
    for (const k of Object.keys(q)) if (k !== 'days' && k !== 'limit') throw new HttpError('invalid_query', `unknown parameter ${k}`, k)
    const suggestions = await analysisCall(() => suggestFeatures(client, { ...q, project: c.get('project').id } as never), 'query')
    return c.json({ suggestions })
  })

  app.get('/v1/features/:id', ...doc({ summary: 'A feature, current version', path: IdPath, ok: { description: 'The definition.' }, errors: [404] }), async (c) => {
    const f = await getFeature(client, c.get('project').id, featureId(c))
    if (!f) throw new HttpError('not_found', `no feature ${c.req.param('id')}`)
    return c.json(f)
  })

  app.get('/v1/features/:id/history', ...doc({ summary: 'Every version of a feature, newest first', path: IdPath, ok: { description: '`{versions: [definition]}`' }, errors: [404] }), async (c) => {
    const versions = await featureHistory(client, c.get('project').id, featureId(c))
    if (!versions.length) throw new HttpError('not_found', `no feature ${c.req.param('id')}`)
    return c.json({ versions })
  })

  app.put('/v1/features/:id', ...doc({
    summary: 'Change a feature: a new version, read by the next report',
    path: IdPath,
    body: { schema: FeatureInput },
    ok: { description: 'The new version.' },
    errors: [404, 413],
  }), limit, async (c) => {
    const id = featureId(c)
    const body = await jsonBody(c)
    return c.json(await analysisCall(() => updateFeature(client, c.get('project').id, id, body as never), 'body'))
  })

  app.delete('/v1/features/:id', ...doc({ summary: 'Delete a feature (its versions stay in the history)', path: IdPath, ok: { description: '`{id, version, deleted: true}`' }, errors: [404] }), async (c) => {
    const f = await analysisCall(() => deleteFeature(client, c.get('project').id, featureId(c)), 'body')
    return c.json({ id: f.id, version: f.version, deleted: true })
  })

  return app
}
