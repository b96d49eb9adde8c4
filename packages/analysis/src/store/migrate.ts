import { readdir } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { join } from 'node:path'
import type { Store } from './client.js'
import { engine, onCluster, type DdlContext } from './ddl.js'

export interface Migration {
  version: number
  name: string
  up(ctx: DdlContext): string[]
}

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))
const FILE_PATTERN = /^(\d{3})_([a-z0-9_]+)\.(ts|js)$/

/** Migrations are the files `NNN_name.ts` in ./migrations, applied in version order. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => FILE_PATTERN.test(f) && !f.endsWith('.test.ts'))
  const migrations: Migration[] = []
  for (const file of files.sort()) {
    const [, version, name] = FILE_PATTERN.exec(file)!
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { up: Migration['up'] }
    migrations.push({ version: Number(version), name: name!, up: mod.up })
  }
  const seen = new Set<number>()
  for (const m of migrations) {
    if (seen.has(m.version)) throw new Error(`two migrations share version ${m.version}`)
    seen.add(m.version)
  }
  return migrations
}

export function migrationsTableDdl(ctx: DdlContext): string {
  return `CREATE TABLE IF NOT EXISTS schema_migrations${onCluster(ctx)} (
  version UInt32,
  name String,
  applied_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ${engine(ctx, 'ReplacingMergeTree', 'schema_migrations')}
ORDER BY version`
}

/** Applies every migration newer than the recorded version; returns the versions applied. */
export async function migrate(store: Store, migrations?: Migration[]): Promise<number[]> {
  const ctx: DdlContext = { cluster: store.cluster }
  const all = migrations ?? (await loadMigrations())
  await store.client.command({ query: migrationsTableDdl(ctx) })
  const rs = await store.client.query({ query: 'SELECT version FROM schema_migrations FINAL', format: 'JSONEachRow' })
  const done = new Set((await rs.json<{ version: number }>()).map((r) => Number(r.version)))
  const applied: number[] = []
  for (const m of all) {
    if (done.has(m.version)) continue
    for (const statement of m.up(ctx)) await store.client.command({ query: statement })
    await store.client.insert({
      table: 'schema_migrations',
      values: [{ version: m.version, name: m.name }],
      format: 'JSONEachRow',
    })
    applied.push(m.version)
  }
  return applied
}
