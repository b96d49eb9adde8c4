import { AnalysisError, liveEvents } from '@tenure/analysis'
import { Hono, type Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { DashboardEnv } from './deps.js'
import type { PageCtx } from './context.js'
import { LiveParams } from './pages/live.js'

const POLL_MS = 1000
/** A stream ends after this long; the browser's EventSource reconnects with its last id. */
const MAX_STREAM_MS = 5 * 60_000

/**
 * `/app/live/stream`: server-sent events of newly stored events (event `events`, data = JSON list,
 * id = the cursor after them). The store is polled once a second per open stream.
 */
export function liveRoutes(ctxOf: (c: Context<DashboardEnv>) => PageCtx): Hono<DashboardEnv> {
  const app = new Hono<DashboardEnv>()
  app.get('/live/stream', (c) => {
    const ctx = ctxOf(c)
    const parsed = LiveParams.safeParse(c.req.query())
    if (!parsed.success) return c.json({ error: { code: 'invalid_query', message: parsed.error.issues[0]!.message, field: String(parsed.error.issues[0]!.path[0] ?? '') || null } }, 400)
    const p = parsed.data
    let after = c.req.header('last-event-id') || c.req.query('after') || undefined
    return streamSSE(c, async (stream) => {
      let open = true
      stream.onAbort(() => {
        open = false
      })
      const until = Date.now() + MAX_STREAM_MS
      while (open && Date.now() < until) {
        try {
          const page = await liveEvents(ctx.client, { projectId: ctx.project.id, after, event: p.event, person: p.person, url: p.url, limit: 200 })
          if (page.events.length) await stream.writeSSE({ event: 'events', data: JSON.stringify(page.events), id: page.cursor })
          after = page.cursor
        } catch (err) {
          const message = err instanceof AnalysisError ? err.message : 'the live view could not read events'
          await stream.writeSSE({ event: 'problem', data: JSON.stringify({ message }) })
          if (err instanceof AnalysisError) return
        }
        await stream.sleep(POLL_MS)
      }
    })
  })
  return app
}
