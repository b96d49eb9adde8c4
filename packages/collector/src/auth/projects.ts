import type { Store } from '@tenure/analysis/store'
import { hashSecret, newProjectId, newSecretKey, newWriteKey, sameHash } from './keys.js'

export interface Project {
  id: string
  name: string
  writeKey: string
  secretKeyHash: string
  timezone: string
}

export interface CreatedProject {
  project: Project
  writeKey: string
  /** Shown once; only its hash is kept. */
  secretKey: string
}

interface ProjectRow {
  id: string
  name: string
  write_key: string
  secret_key_hash: string
  timezone: string
}

/** How often an unknown key may trigger a re-read of the projects table (another process may have added one). */
const REFRESH_MIN_MS = 5_000

/**
 * Projects and their keys, cached in memory. Ingestion looks projects up by write key on every
 * request, so lookups never touch the store; an unknown key re-reads the table at most every few seconds.
 */
export class ProjectRegistry {
  private byId = new Map<string, Project>()
  private byWrite = new Map<string, Project>()
  private bySecretHash = new Map<string, Project>()
  private lastRefresh = 0
  private refreshing: Promise<void> | null = null

  /** Runs for each project created here before `create` returns (the collector prepares its text key). */
  onCreated: (project: Project) => Promise<void> = async () => {}

  private constructor(private readonly store: Store) {}

  static async load(store: Store): Promise<ProjectRegistry> {
    const registry = new ProjectRegistry(store)
    await registry.refresh()
    return registry
  }

  async refresh(): Promise<void> {
    const rs = await this.store.client.query({
      query: 'SELECT id, name, write_key, secret_key_hash, timezone FROM projects FINAL',
      format: 'JSONEachRow',
    })
    const rows = await rs.json<ProjectRow>()
    this.byId.clear()
    this.byWrite.clear()
    this.bySecretHash.clear()
    for (const r of rows) this.remember({ id: r.id, name: r.name, writeKey: r.write_key, secretKeyHash: r.secret_key_hash, timezone: r.timezone })
    this.lastRefresh = Date.now()
  }

  private remember(p: Project): void {
    this.byId.set(p.id, p)
    this.byWrite.set(p.writeKey, p)
    this.bySecretHash.set(p.secretKeyHash, p)
  }

  list(): Project[] {
    return [...this.byId.values()]
  }

  get(id: string): Project | undefined {
    return this.byId.get(id)
  }

  async create(opts: { name: string; id?: string; timezone?: string; writeKey?: string; secretKey?: string }): Promise<CreatedProject> {
    const writeKey = opts.writeKey ?? newWriteKey()
    const secretKey = opts.secretKey ?? newSecretKey()
    if (this.byWrite.has(writeKey)) throw new Error('write key already in use')
    let id = opts.id ?? newProjectId()
    if (this.byId.has(id)) {
      if (opts.id) throw new Error(`project ${id} exists`)
      id = newProjectId()
    }
    const project: Project = { id, name: opts.name, writeKey, secretKeyHash: hashSecret(secretKey), timezone: opts.timezone ?? 'UTC' }
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '')
    await this.store.client.insert({
      table: 'projects',
      values: [{ id, name: project.name, write_key: writeKey, secret_key_hash: project.secretKeyHash, timezone: project.timezone, created_at: now, updated_at: now }],
      format: 'JSONEachRow',
    })
    this.remember(project)
    await this.onCreated(project)
    return { project, writeKey, secretKey }
  }

  /** The project of a write key, from memory; re-reads the table (rate-limited) on a miss. */
  async byWriteKey(key: string): Promise<Project | undefined> {
    const hit = this.byWrite.get(key)
    if (hit) return hit
    await this.maybeRefresh()
    return this.byWrite.get(key)
  }

  /** The project a secret key belongs to, or undefined. Compared by hash in constant time. */
  async verifySecret(secret: string): Promise<Project | undefined> {
    if (!secret) return undefined
    const hash = hashSecret(secret)
    let hit = this.bySecretHash.get(hash)
    if (!hit) {
      await this.maybeRefresh()
      hit = this.bySecretHash.get(hash)
    }
    return hit && sameHash(hit.secretKeyHash, hash) ? hit : undefined
  }

  private async maybeRefresh(): Promise<void> {
    if (Date.now() - this.lastRefresh < REFRESH_MIN_MS) return
    this.refreshing ??= this.refresh().finally(() => (this.refreshing = null))
    await this.refreshing
  }
}

/**
 * First start: with no projects, create one from the given keys (or fresh random ones). Keys given
 * that no project has yet also get a project, so a deployment can pin its keys in the environment.
 * Returns the created project with its plain keys, or null when nothing was created.
 */
export async function bootstrapProject(
  projects: ProjectRegistry,
  opts: { writeKey?: string; secretKey?: string; projectName: string },
): Promise<CreatedProject | null> {
  const empty = projects.list().length === 0
  const pinnedMissing = opts.writeKey !== undefined && !(await projects.byWriteKey(opts.writeKey))
  if (!empty && !pinnedMissing) return null
  return projects.create({
    name: opts.projectName,
    id: projects.get('default') ? undefined : 'default',
    writeKey: opts.writeKey,
    secretKey: opts.secretKey,
  })
}
