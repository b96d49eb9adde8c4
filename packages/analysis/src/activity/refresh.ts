import type { ClickHouseClient } from '@clickhouse/client'
import { buildActivitySql } from './build.sql.js'
import { ANY_ACTIVITY, type ActivityTarget } from './targets.js'

/**
 * A refresh treats events written more recently than this as possibly not yet visible to it
 * (an insert still in flight), and looks at them again next time. Recomputing is idempotent.
 */
const IN_FLIGHT_MS = 10_000

export interface RefreshResult {
  /** Targets built from all stored events (new feature versions, a new time zone). */
  built: string[]
  /** Whether user-days with new events were recomputed for the already-built targets. */
  incremental: boolean
}

const running = new Map<string, Promise<RefreshResult>>()

/**
 * Brings the activity table up to date for a project, time zone and feature versions: builds
 * versions never built, and recomputes the user-days that received events since the last
 * refresh. Reports call it first, so a changed definition or a late event shows at the next
 * query; the collector may also call it after inserting, to keep queries light.
 */
export function refreshActivity(
  client: ClickHouseClient,
  project: string,
  timezone: string,
  features: readonly ActivityTarget[],
): Promise<RefreshResult> {
  const key = JSON.stringify([project, timezone, features.map((f) => [f.featureId, f.version])])
  const inFlight = running.get(key)
  if (inFlight) return inFlight
  const p = doRefresh(client, project, timezone, [ANY_ACTIVITY, ...features]).finally(() => running.delete(key))
  running.set(key, p)
  return p
}

async function doRefresh(
  client: ClickHouseClient,
  project: string,
  timezone: string,
  targets: readonly ActivityTarget[],
): Promise<RefreshResult> {
  const rs = await client.query({
    query: `SELECT feature_id, version, toString(max(watermark)) AS watermark, toString(now64(3)) AS now
      FROM activity_builds WHERE project_id = {project:String} AND timezone = {tz:String}
        AND feature_id IN {ids:Array(String)}
      GROUP BY feature_id, version`,
    query_params: { project, tz: timezone, ids: targets.map((t) => t.featureId) },
    format: 'JSONEachRow',
  })
  const builds = await rs.json<{ feature_id: string; version: number; watermark: string }>()
  const watermarkOf = new Map(builds.map((b) => [`${b.feature_id}\u0000${Number(b.version)}`, b.watermark]))
  const built = targets.filter((t) => watermarkOf.has(`${t.featureId}\u0000${t.version}`))
  const fresh = targets.filter((t) => !watermarkOf.has(`${t.featureId}\u0000${t.version}`))
  const since = built.length ? built.map((t) => watermarkOf.get(`${t.featureId}\u0000${t.version}`)!).sort()[0]! : null

  const probe = await client.query({
    query: `SELECT toString(now64(3)) AS now, toString(max(inserted_at)) AS latest, count() AS n
      FROM events WHERE project_id = {project:String} AND inserted_at > {since:DateTime64(3)}`,
    query_params: { project, since: since ?? '1970-01-01 00:00:00.000' },
    format: 'JSONEachRow',
  })
  const [state] = await probe.json<{ now: string; latest: string; n: string }>()
  const hasNew = Number(state!.n) > 0
  if (!hasNew && fresh.length === 0) return { built: [], incremental: false }

  const nowMs = Date.parse(state!.now.replace(' ', 'T') + 'Z')
  const latestMs = Date.parse(state!.latest.replace(' ', 'T') + 'Z')
  const newWatermark = hasNew ? formatTs(Math.min(latestMs, nowMs - IN_FLIGHT_MS)) : since ?? '1970-01-01 00:00:00.000'

  if (hasNew && built.length) await run(client, buildActivitySql(project, timezone, built, since))
  if (fresh.length) await run(client, buildActivitySql(project, timezone, fresh, null))

  // An older watermark never replaces a newer one: readers take the maximum.
  const stamp = formatTs(nowMs)
  await client.insert({
    table: 'activity_builds',
    values: targets.map((t) => ({
      project_id: project,
      timezone,
      feature_id: t.featureId,
      version: t.version,
      watermark: newWatermark,
      updated_at: stamp,
    })),
    format: 'JSONEachRow',
  })
  await dropOlderVersions(client, project, timezone, fresh)
  return { built: fresh.map((t) => t.featureId || '(activity)'), incremental: hasNew && built.length > 0 }
}

/** Rows of versions a new build replaced are never read again; they only take space. */
async function dropOlderVersions(client: ClickHouseClient, project: string, timezone: string, fresh: readonly ActivityTarget[]): Promise<void> {
  for (const t of fresh) {
    if (t.featureId === '' || t.version <= 1) continue
    for (const table of ['feature_activity', 'feature_first_use', 'activity_builds']) {
      await client.command({
        query: `DELETE FROM ${table} WHERE project_id = {project:String} AND timezone = {tz:String} AND feature_id = {id:String} AND version < {version:UInt32}`,
        query_params: { project, tz: timezone, id: t.featureId, version: t.version },
      })
    }
  }
}

async function run(client: ClickHouseClient, q: { sql: string; params: Record<string, unknown> }): Promise<void> {
  await client.command({ query: q.sql, query_params: q.params })
}

function formatTs(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '')
}
