import { Hono } from 'hono'
import { z } from 'zod'
import { requireSecretKey } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { HttpError } from '../errors.js'
import { describe } from '../openapi/describe.js'

const CountQuery = z.object({
  event: z.string().min(1).max(200).describe('Count only this event name').optional(),
  flush: z.enum(['0', '1', 'true', 'false']).describe('Insert pending events first, so a count right after ingestion sees them').optional(),
})

/**
 * The collector's own read endpoint: how many events a project has stored (copies counted once).
 * It counts on the events, not on the activity rollup's sums: the rollup holds every event name,
 * but counts every row it receives, and a copy the collector cannot keep out (one retried against
 * a second collector running beside the first, see ingest/dedupe.ts) is stored twice until the
 * events table collapses it by uuid. This count is what checks that ingestion stored each
 * acknowledged event once, so it must not count copies.
 */
export function queryRoutes(deps: Pick<AppDeps, 'projects' | 'store' | 'ingest'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('/v1/events/*', requireSecretKey(deps.projects))

  const countDoc = describe({ tag: 'Events', summary: 'How many events the project has stored (copies counted once)', auth: 'secret', query: CountQuery, ok: { description: '`{project_id, count}`' } })
  app.get('/v1/events/count', ...countDoc, async (c) => {
    const parsed = CountQuery.safeParse(c.req.query())
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new HttpError('invalid_query', issue.message, issue.path.join('.') || null)
    }
    const { event, flush } = parsed.data
    if (flush === '1' || flush === 'true') await deps.ingest.flush()
    const project = c.get('project')
    const rs = await deps.store.client.query({
      query: `SELECT count() AS n FROM events FINAL WHERE project_id = {project:String}${event ? ' AND event = {event:String}' : ''}`,
      query_params: { project: project.id, event: event ?? '' },
      format: 'JSONEachRow',
    })
    const [row] = await rs.json<{ n: string }>()
    return c.json({ project_id: project.id, count: Number(row?.n ?? 0) })
  })

  return app
}
