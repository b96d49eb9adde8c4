import type { ClickHouseClient } from '@clickhouse/client'
import type { FeatureDefinition } from '../features/rules.js'
import { listFeatures } from '../features/store.js'
import { toPublic, type ActiveNudge, type NudgeConfig, type PublicNudge } from './config.js'

/** How long the index trusts what it read; writes in this process refresh it at once. */
export const ACTIVE_INDEX_TTL_MS = 30_000

interface Row {
  project_id: string
  nudge_id: string
  name: string
  feature_id: string
  config: string
}

/**
 * The active nudges of every project, in memory. The collector answers every SDK batch with
 * whether its project has active nudges (so pages load the nudge chunk only then) and serves
 * the active list to pages: neither may touch the store per request. Reads are synchronous and
 * may be up to a TTL old; a stale read starts a refresh in the background.
 */
export class ActiveNudgeIndex {
  private byProject = new Map<string, PublicNudge[]>()
  private full = new Map<string, ActiveNudge[]>()
  private targets = new Map<string, Map<string, FeatureDefinition>>()
  private zones = new Map<string, string>()
  private loadedAt = 0
  private loading: Promise<void> | null = null

  constructor(private readonly client: ClickHouseClient, private readonly ttlMs = ACTIVE_INDEX_TTL_MS) {}

  /** Whether the project has an active nudge, as last read. Never waits. */
  has(project: string): boolean {
    this.refreshIfStale()
    return (this.byProject.get(project)?.length ?? 0) > 0
  }

  /** The active nudges of a project as pages see them; waits for the first load only. */
  async list(project: string): Promise<PublicNudge[]> {
    if (this.loadedAt === 0) await this.refresh()
    else this.refreshIfStale()
    return this.byProject.get(project) ?? []
  }

  /** The active nudges of a project with everything the collector checks (audience, target feature). */
  async nudges(project: string): Promise<ActiveNudge[]> {
    if (this.loadedAt === 0) await this.refresh()
    else this.refreshIfStale()
    return this.full.get(project) ?? []
  }

  /** The current definitions of the target features of a project's active nudges, by id. */
  async features(project: string): Promise<Map<string, FeatureDefinition>> {
    if (this.loadedAt === 0) await this.refresh()
    return this.targets.get(project) ?? new Map()
  }

  /** The project's time zone, for the new-user window (read with the nudges). */
  timezone(project: string): string {
    return this.zones.get(project) ?? 'UTC'
  }

  refresh(): Promise<void> {
    // A refresh already running may have read before the caller's write: chain one more after it.
    const next = (this.loading ?? Promise.resolve()).then(() => this.load())
    const tracked = next.finally(() => {
      if (this.loading === tracked) this.loading = null
    })
    this.loading = tracked
    return tracked
  }

  private refreshIfStale(): void {
    if (!this.loading && Date.now() - this.loadedAt > this.ttlMs) this.refresh().catch(() => {})
  }

  private async load(): Promise<void> {
    const rs = await this.client.query({
      query: `SELECT project_id, nudge_id, name, feature_id, config FROM (
          SELECT project_id, nudge_id, name, feature_id, status, config FROM nudges
          ORDER BY project_id, nudge_id, version DESC
          LIMIT 1 BY project_id, nudge_id
        ) WHERE status = 'active' ORDER BY project_id, nudge_id`,
      format: 'JSONEachRow',
    })
    const byProject = new Map<string, PublicNudge[]>()
    const full = new Map<string, ActiveNudge[]>()
    for (const r of await rs.json<Row>()) {
      const config = JSON.parse(r.config) as Omit<NudgeConfig, 'name' | 'featureId'>
      const n: ActiveNudge = { ...config, id: r.nudge_id, name: r.name, featureId: r.feature_id }
      if (!full.has(r.project_id)) {
        full.set(r.project_id, [])
        byProject.set(r.project_id, [])
      }
      full.get(r.project_id)!.push(n)
      byProject.get(r.project_id)!.push(toPublic(n))
    }
    const targets = new Map<string, Map<string, FeatureDefinition>>()
    for (const [project, nudges] of full) {
      const defs = await listFeatures(this.client, project, { ids: [...new Set(nudges.map((n) => n.featureId))] })
      targets.set(project, new Map(defs.map((f) => [f.id, f])))
    }
    const zs = await this.client.query({
      query: 'SELECT id, timezone FROM projects FINAL WHERE id IN {ids:Array(String)}',
      query_params: { ids: [...full.keys()] },
      format: 'JSONEachRow',
    })
    this.zones = new Map((await zs.json<{ id: string; timezone: string }>()).map((z) => [z.id, z.timezone || 'UTC']))
    this.byProject = byProject
    this.full = full
    this.targets = targets
    this.loadedAt = Date.now()
  }
}

const indexes = new WeakMap<ClickHouseClient, ActiveNudgeIndex>()

/** One index per store client, so writes through any caller in this process refresh the one readers use. */
export function activeNudgeIndex(client: ClickHouseClient): ActiveNudgeIndex {
  let index = indexes.get(client)
  if (!index) {
    index = new ActiveNudgeIndex(client)
    indexes.set(client, index)
  }
  return index
}
