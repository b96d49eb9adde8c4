import type { ClickHouseClient } from '@clickhouse/client'
import { listFeatures } from '../features/store.js'
import { projectTimezone } from '../retention/context.js'
import { refreshActivity } from './refresh.js'
import { featureTargets } from './targets.js'

export interface ActivityRefresher {
  /** One pass now: refreshes every project that received events since the previous pass. */
  tick(): Promise<string[]>
  stop(): void
}

/**
 * Keeps the activity table of every project's own time zone and current features close to
 * the events, so reports after an ingest burst do not pay for it. Optional: reports refresh
 * what they read anyway. A pass that fails is retried at the next interval.
 */
export function startActivityRefresher(client: ClickHouseClient, opts: { intervalMs?: number } = {}): ActivityRefresher {
  let since = '1970-01-01 00:00:00.000'
  let running: Promise<string[]> | null = null
  const tick = (): Promise<string[]> => {
    running ??= (async () => {
      const rs = await client.query({
        query: `SELECT project_id, toString(max(inserted_at)) AS latest FROM events
          WHERE inserted_at > {since:DateTime64(3)} GROUP BY project_id`,
        query_params: { since },
        format: 'JSONEachRow',
      })
      const rows = await rs.json<{ project_id: string; latest: string }>()
      for (const r of rows) {
        const features = await listFeatures(client, r.project_id)
        await refreshActivity(client, r.project_id, await projectTimezone(client, r.project_id), featureTargets(features))
      }
      for (const r of rows) if (r.latest > since) since = r.latest
      return rows.map((r) => r.project_id)
    })().finally(() => {
      running = null
    })
    return running
  }
  const timer = opts.intervalMs === 0 ? null : setInterval(() => tick().catch(() => undefined), opts.intervalMs ?? 60_000)
  timer?.unref()
  return {
    tick,
    stop: () => {
      if (timer) clearInterval(timer)
    },
  }
}
