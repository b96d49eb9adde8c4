import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { MAX_K, setTextThreshold, textThreshold } from '@tenure/analysis'
import { requireSecretKey } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { errorBody, HttpError } from '../errors.js'
import { describe } from '../openapi/describe.js'

const Settings = z.object({ k: z.number().int().min(1).max(MAX_K).describe('Distinct people who must produce an element text before it is stored in plain') }).strict()

/**
 * Element text privacy settings (secret key; the key's project). Element text is stored in plain
 * only once `k` distinct people produced it; the text key itself is never returned.
 *
 *   GET /v1/settings/element-text   {k}
 *   PUT /v1/settings/element-text   {k: 1…10000} → {k}; applies to texts seen from now on
 */
export function textSettingsRoutes(deps: Pick<AppDeps, 'projects' | 'store'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const client = deps.store.client
  const path = '/v1/settings/element-text'
  app.use(path, requireSecretKey(deps.projects))
  app.get(path, ...describe({ tag: 'Settings', summary: 'Element text privacy threshold', auth: 'secret', ok: { description: 'The current k.', schema: Settings } }), async (c) => c.json({ k: await textThreshold(client, c.get('project').id) }))
  app.put(
    path,
    ...describe({
      tag: 'Settings',
      summary: 'Change the element text privacy threshold; applies to texts seen from now on',
      auth: 'secret',
      body: { schema: Settings },
      ok: { description: 'The new k.', schema: Settings },
      errors: [413],
    }),
    bodyLimit({ maxSize: 1024, onError: (c) => c.json(errorBody('payload_too_large', 'the settings body is at most 1024 bytes'), 413) }),
    async (c) => {
      let body: unknown
      try {
        body = await c.req.json()
      } catch {
        throw new HttpError('invalid_json', 'the body is not JSON')
      }
      const parsed = Settings.safeParse(body)
      if (!parsed.success) throw new HttpError('invalid_body', `k must be an integer from 1 to ${MAX_K}`, 'k')
      await setTextThreshold(client, c.get('project').id, parsed.data.k)
      return c.json({ k: parsed.data.k })
    },
  )
  return app
}
