import { Hono } from 'hono'
import { z } from 'zod'
import { requireSecretKey } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { HttpError } from '../errors.js'
import { describe } from '../openapi/describe.js'
import { query } from './request.js'

const ListQuery = z.object({
  status: z.enum(['quarantined', 'reinserted']).describe('Only rows in this state').optional(),
  limit: z.coerce.number().int().min(1).max(1000).describe('Rows per page; default 100').optional(),
  offset: z.coerce.number().int().min(0).max(1_000_000).describe('Rows to skip').optional(),
})

const ReinsertBody = z.object({ ids: z.array(z.uuid()).min(1).max(10_000).optional() }).strict()

/**
 * Rows the store refused at insert (secret key; the key's project only):
 *   GET  /v1/quarantine            ?status=quarantined|reinserted &limit &offset → { total, rows: [{ id, target, row, error, … }] }
 *   POST /v1/quarantine/reinsert   { ids?: [...] } → inserts them (all when no ids) again, after a fix; rows
 *                                  refused again stay listed with the new reason.
 */
export function quarantineRoutes(deps: Pick<AppDeps, 'projects' | 'quarantine' | 'ingest' | 'metrics'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('/v1/quarantine', requireSecretKey(deps.projects))
  app.use('/v1/quarantine/*', requireSecretKey(deps.projects))

  const listDoc = describe({ tag: 'Events', summary: 'Rows the store refused at insert', auth: 'secret', query: ListQuery, ok: { description: '`{project_id, total, rows: [{id, target, row, error, status, quarantined_at}]}`' } })
  app.get('/v1/quarantine', ...listDoc, async (c) => {
    const q = query(c, ListQuery)
    // What is refused while the batcher catches up is listed too.
    await deps.ingest.flush()
    const list = await deps.quarantine.list(c.get('project').id, { status: q.status, limit: q.limit ?? 100, offset: q.offset ?? 0 })
    return c.json({ project_id: c.get('project').id, ...list })
  })

  const reinsertDoc = describe({
    tag: 'Events',
    summary: 'Insert quarantined rows again (all when no ids), after a fix; rows refused again stay listed with the new reason',
    auth: 'secret',
    body: { schema: ReinsertBody, description: 'May be empty: every quarantined row.' },
    ok: { description: '`{project_id, reinserted, refused}`' },
  })
  app.post('/v1/quarantine/reinsert', ...reinsertDoc, async (c) => {
    let raw: unknown = {}
    const text = await c.req.text()
    if (text.trim()) {
      try {
        raw = JSON.parse(text)
      } catch {
        throw new HttpError('invalid_json', 'the body is not JSON')
      }
    }
    const body = ReinsertBody.safeParse(raw)
    if (!body.success) {
      const issue = body.error.issues[0]!
      throw new HttpError('invalid_body', issue.message, issue.path.map(String).join('.') || null)
    }
    const project = c.get('project').id
    const result = await deps.quarantine.reinsert(project, body.data.ids)
    deps.metrics.inc('events_reinserted', result.events, project)
    return c.json({ project_id: project, reinserted: result.reinserted, refused: result.refused })
  })

  return app
}
