import { Hono } from 'hono'
import type { HealthWarmStatus } from '@tenure/dashboard'
import { hashSecret, sameHash } from '../auth/keys.js'
import { bearerToken } from '../auth/secret.js'
import type { AppDeps, AppEnv } from '../deps.js'
import { z } from 'zod'
import { HttpError } from '../errors.js'
import { describe } from '../openapi/describe.js'

const healthWarmJob = (s: HealthWarmStatus) => ({
  state: s.state, project: s.project, reports_warmed: s.reportsWarmed, last_ms: s.lastMs, last_error: s.lastError,
})

/**
 * Operational endpoints. They expose collector-wide figures and per-project event counts under
 * project ids (no names, keys or data), so a monitoring system can scrape them without a project
 * key; with `metricsToken` configured only that token opens them (`/healthz` still tells anyone
 * whether the collector is up). `/healthz` with a project's secret key (`Authorization: Bearer`)
 * adds that project's own counters.
 */
export function healthRoutes(deps: Pick<AppDeps, 'metrics' | 'ingest' | 'projects' | 'config'> & Partial<Pick<AppDeps, 'texts' | 'legacyJob' | 'rollupJob' | 'healthWarm'>>): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const tokenHash = deps.config.metricsToken ? hashSecret(deps.config.metricsToken) : undefined
  const isMetricsToken = (bearer: string | undefined) => tokenHash !== undefined && bearer !== undefined && sameHash(hashSecret(bearer), tokenHash)

  const metricsDoc = describe({
    tag: 'Operations',
    summary: 'Prometheus counters: collector-wide, and per project id',
    description: 'Event counters per project are `tenure_project_<counter>_total{project="<id>"}`: project ids only, no names, keys or data.',
    auth: 'metrics',
    ok: { description: 'Prometheus text format 0.0.4.', schema: z.string(), media: 'text/plain' },
    errors: [401],
  })
  app.get('/metrics', ...metricsDoc, (c) => {
    if (tokenHash && !isMetricsToken(bearerToken(c.req.header('authorization')))) {
      throw new HttpError('unauthorized', 'send the metrics token as Authorization: Bearer <token>')
    }
    c.header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
    return c.body(deps.metrics.prometheus())
  })

  const healthDoc = describe({
    tag: 'Operations',
    summary: 'Whether the collector is up, and why not',
    description:
      '`status` is `ok`, `degraded` (with `problems` naming the part: store down, spool disk full) or `full`. Without `TENURE_METRICS_TOKEN`, or with it as Bearer token, also the spool and counters; with a project secret key, that project\'s own counters as `project`.',
    auth: 'health',
    ok: { description: '`{status, store, spool_disk, problems?, spool?, …counters, project?}`' },
    errors: [401, 503],
  })
  app.get('/healthz', ...healthDoc, async (c) => {
    // Only a Bearer token asks for a project; other Authorization headers (a proxy's Basic auth) are not ours.
    const secret = bearerToken(c.req.header('authorization'))
    const operator = isMetricsToken(secret)
    const project = secret === undefined || operator ? undefined : await deps.projects.verifySecret(secret)
    if (secret !== undefined && !operator && !project) throw new HttpError('unauthorized', 'unknown secret key; leave out Authorization for the collector-wide figures')
    const collectorWide = !tokenHash || operator
    const s = deps.ingest.stats()
    const full = s.spoolFull
    const status = full ? 'full' : s.storeUp && !s.spoolDiskFull ? 'ok' : 'degraded'
    // What is wrong, by part: anyone may know that ingestion is refusing events and why.
    const problems = [...(s.storeUp ? [] : ['store: down, events wait in the spool']), ...(s.spoolDiskFull ? ['spool: no space left on its disk, events are refused with 503'] : [])]
    return c.json(
      {
        status,
        store: s.storeUp ? 'up' : 'down',
        spool_disk: s.spoolDiskFull ? 'full' : 'ok',
        ...(problems.length ? { problems } : {}),
        ...(collectorWide
          ? {
              spool: { bytes: s.spoolBytes, max_bytes: s.spoolMaxBytes, segments: s.spoolSegments, backlog_events: s.backlogEvents, replay_segments: s.replaySegments },
              ...deps.metrics.snapshot(),
              // Texts below k held in memory, and the background job tokenising text stored before tokens.
              ...(deps.texts && deps.legacyJob ? { element_text: { held_texts: deps.texts.held, stored_text_job: deps.legacyJob } } : {}),
              // The background job adding events stored before the activity rollup to it.
              ...(deps.rollupJob ? { activity_rollup: { backfill_job: deps.rollupJob } } : {}),
              // The background job computing the account pages' health reports ahead of them.
              ...(deps.healthWarm ? { health_reports: { warm_job: healthWarmJob(deps.healthWarm) } } : {}),
            }
          : {}),
        // Since this process started, as the collector-wide counters above.
        ...(project ? { project: { id: project.id, ...deps.metrics.projectSnapshot(project.id), backlog_events: deps.ingest.backlogOf(project.id) } } : {}),
      },
      full || s.spoolDiskFull ? 503 : 200,
    )
  })

  return app
}
