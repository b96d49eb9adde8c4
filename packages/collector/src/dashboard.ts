import type { DashboardDeps } from '@tenure/dashboard'
import { projectIngestCounts } from './counters/project-counts.js'
import type { AppDeps } from './deps.js'
import { RateLimiter } from './ratelimit.js'
import { remoteAddress, secureRequest } from './routes/request.js'

/** The collector as the dashboard sees it: the store, project keys, how far to trust a proxy, and ingestion's state. */
export function dashboardDeps(deps: Pick<AppDeps, 'store' | 'projects' | 'config' | 'ingest' | 'metrics' | 'counters'> & Partial<Pick<AppDeps, 'rollupJob' | 'healthReports'>>): DashboardDeps {
  const { store, projects, config, ingest, metrics, counters, rollupJob, healthReports } = deps
  return {
    client: store.client,
    projects,
    request: {
      address: (c) => remoteAddress(c, config.trustProxy),
      secure: (c) => secureRequest(c, config.trustProxy),
    },
    limit: (budget) => new RateLimiter(budget.perSecond, budget.burst, Date.now, budget.keys),
    ingest: {
      projectCounts: (projectId, from, to) => projectIngestCounts(store.client, counters, { projectId, from, to }),
      backlogOf: (projectId) => ingest.backlogOf(projectId),
      health() {
        const stats = ingest.stats()
        return {
          storeUp: stats.storeUp,
          spoolBytes: stats.spoolBytes,
          spoolMaxBytes: stats.spoolMaxBytes,
          failedInserts: metrics.get('insert_failures'),
          spoolRecordsLost: metrics.get('spool_records_lost'),
        }
      },
    },
    // The same object /healthz shows under activity_rollup.backfill_job, read when a page asks.
    ...(rollupJob
      ? { rollupJob: () => ({ state: rollupJob.state, project: rollupJob.project, month: rollupJob.month, monthsDone: rollupJob.months_done, months: rollupJob.months }) }
      : {}),
    // Kept warm by the collector's background job (collector.ts).
    ...(healthReports ? { health: healthReports } : {}),
  }
}
