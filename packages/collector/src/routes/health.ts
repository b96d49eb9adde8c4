import { Hono } from 'hono'
import { bearerToken } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { HttpError } from '../errors.js'

/**
 * Operational endpoints. Without a key they expose collector-wide figures and per-project event
 * counts under project ids (no names, keys or data), so a monitoring system can scrape them
 * without a project key. `/healthz` with a project's secret key (`Authorization: Bearer`) adds
 * that project's own counters.
 */
export function healthRoutes(deps: Pick<AppDeps, 'metrics' | 'ingest' | 'projects'>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/metrics', (c) => {
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
    return c.body(deps.metrics.prometheus())
  })

  app.get('/healthz', async (c) => {
    // Only a Bearer token asks for a project; other Authorization headers (a proxy's Basic auth) are not ours.
    const secret = bearerToken(c.req.header('authorization'))
    const project = secret === undefined ? undefined : await deps.projects.verifySecret(secret)
    if (secret !== undefined && !project) throw new HttpError('unauthorized', 'unknown secret key; leave out Authorization for the collector-wide figures')
    const s = deps.ingest.stats()
    const full = s.spoolFull
    const status = full ? 'full' : s.storeUp ? 'ok' : 'degraded'
    return c.json(
      {
        status,
        store: s.storeUp ? 'up' : 'down',
        spool: { bytes: s.spoolBytes, max_bytes: s.spoolMaxBytes, segments: s.spoolSegments, backlog_events: s.backlogEvents, replay_segments: s.replaySegments },
        ...deps.metrics.snapshot(),
        // Since this process started, as the collector-wide counters above.
        ...(project ? { project: { id: project.id, ...deps.metrics.projectSnapshot(project.id), backlog_events: deps.ingest.backlogOf(project.id) } } : {}),
      },
      full ? 503 : 200,
    )
  })

  return app
}
