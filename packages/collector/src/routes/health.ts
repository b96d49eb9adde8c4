import { Hono } from 'hono'
import type { AppDeps, AppEnv } from '../deps.js'

/**
 * Operational endpoints. They expose global counters only, never a project's data, so a
 * monitoring system can scrape them without a project key.
 */
export function healthRoutes(deps: Pick<AppDeps, 'metrics' | 'ingest'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/metrics', (c) => {
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
    return c.body(deps.metrics.prometheus())
  })

  app.get('/healthz', (c) => {
    const s = deps.ingest.stats()
    const full = s.spoolFull
    const status = full ? 'full' : s.storeUp ? 'ok' : 'degraded'
    return c.json(
      {
        status,
        store: s.storeUp ? 'up' : 'down',
        spool: { bytes: s.spoolBytes, max_bytes: s.spoolMaxBytes, segments: s.spoolSegments, backlog_events: s.backlogEvents, replay_segments: s.replaySegments },
        ...deps.metrics.snapshot(),
      },
      full ? 503 : 200,
    )
  })

  return app
}
