import type { ClickHouseClient } from '@clickhouse/client'
import { randomBytes } from 'node:crypto'
import { AnalysisError } from '../errors.js'

// Versions are read-then-written: one writer per key at a time keeps them from colliding within
// this process (the collector is the only writer of saved definitions).
const locks = new Map<string, Promise<unknown>>()

/** Runs `fn` after every earlier call with the same key has settled. */
export function serialised<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(key) ?? Promise.resolve()
  const next = prev.then(fn, fn)
  locks.set(key, next.catch(() => undefined))
  return next
}

/** What every saved, versioned definition has beside its own body. */
export interface Versioned {
  id: string
  version: number
  name: string
  description: string
  deleted: boolean
  updatedAt: string
}

/** A kind of saved definition: its table, its body column (also the field's name) and how to read that body. */
export interface VersionedKind<F extends string, B> {
  table: string
  idColumn: string
  field: F
  parse: (json: unknown) => B
  /** Prefix of generated ids, and the word errors use. */
  idPrefix: string
  noun: string
}

type Body<F extends string, B> = { name: string; description: string } & Record<F, B>

/**
 * The store of one kind of definition, kept as rows of (project, id, version): every change is a
 * new version, deletion included, so history stays readable and reports name the version they used.
 */
export function versionedStore<F extends string, B>(kind: VersionedKind<F, B>) {
  type D = Versioned & Record<F, B>
  const withBody = (base: Versioned, body: B): D => ({ ...base, [kind.field]: body }) as Versioned & Record<F, B>
  const columns = `${kind.idColumn}, version, name, description, ${kind.field}, deleted, updated_at`
  type Row = Record<string, string | number>
  const toDefinition = (r: Row): D =>
    withBody(
      {
        id: String(r[kind.idColumn]),
        version: Number(r.version),
        name: String(r.name),
        description: String(r.description),
        deleted: Number(r.deleted) === 1,
        updatedAt: String(r.updated_at).replace(' ', 'T') + 'Z',
      },
      kind.parse(JSON.parse(String(r[kind.field]))),
    )

  /** The current version of every definition of a project (deleted ones left out unless asked for), by name. */
  async function list(client: ClickHouseClient, project: string, opts: { includeDeleted?: boolean; ids?: readonly string[] } = {}): Promise<D[]> {
    const rs = await client.query({
      query: `SELECT ${columns} FROM ${kind.table}
        WHERE project_id = {project:String} ${opts.ids ? `AND ${kind.idColumn} IN {ids:Array(String)}` : ''}
        ORDER BY ${kind.idColumn}, version DESC
        LIMIT 1 BY ${kind.idColumn}`,
      query_params: { project, ids: opts.ids ?? [] },
      format: 'JSONEachRow',
    })
    const rows = (await rs.json<Row>()).map(toDefinition)
    return (opts.includeDeleted ? rows : rows.filter((d) => !d.deleted)).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
  }

  async function latest(client: ClickHouseClient, project: string, id: string): Promise<D | null> {
    const [d] = await list(client, project, { ids: [id], includeDeleted: true })
    return d ?? null
  }

  async function write(client: ClickHouseClient, project: string, id: string, version: number, body: Body<F, B>, deleted: boolean): Promise<D> {
    const updatedAt = new Date().toISOString()
    await client.insert({
      table: kind.table,
      values: [{
        project_id: project, [kind.idColumn]: id, version, name: body.name, description: body.description,
        [kind.field]: JSON.stringify(body[kind.field]), deleted: deleted ? 1 : 0, updated_at: updatedAt,
      }],
      format: 'JSONEachRow',
    })
    return withBody({ id, version, name: body.name, description: body.description, deleted, updatedAt }, body[kind.field])
  }

  const lock = (project: string, fn: () => Promise<D>) => serialised(`${kind.table}:${project}`, fn)

  return {
    list,
    /** The current version of one definition, or null when it does not exist or was deleted. */
    async get(client: ClickHouseClient, project: string, id: string): Promise<D | null> {
      const d = await latest(client, project, id)
      return d && !d.deleted ? d : null
    },
    /** Every version of a definition, newest first. */
    async history(client: ClickHouseClient, project: string, id: string): Promise<D[]> {
      const rs = await client.query({
        query: `SELECT ${columns} FROM ${kind.table} FINAL
          WHERE project_id = {project:String} AND ${kind.idColumn} = {id:String} ORDER BY version DESC`,
        query_params: { project, id },
        format: 'JSONEachRow',
      })
      return (await rs.json<Row>()).map(toDefinition)
    },
    /** Version 1, or the next version when the id of a deleted definition is reused. */
    create(client: ClickHouseClient, project: string, id: string | undefined, body: Body<F, B>): Promise<D> {
      return lock(project, async () => {
        const key = id ?? `${kind.idPrefix}_${randomBytes(6).toString('hex')}`
        const prev = await latest(client, project, key)
        if (prev && !prev.deleted) throw new AnalysisError('conflict', `${kind.noun} ${key} already exists`, 'id')
        return write(client, project, key, (prev?.version ?? 0) + 1, body, false)
      })
    },
    /** A new version with this body. */
    update(client: ClickHouseClient, project: string, id: string, body: Body<F, B>): Promise<D> {
      return lock(project, async () => {
        const prev = await latest(client, project, id)
        if (!prev || prev.deleted) throw new AnalysisError('not_found', `no ${kind.noun} ${id}`)
        return write(client, project, id, prev.version + 1, body, false)
      })
    },
    /** Marks it deleted (a new version); its history stays readable. */
    remove(client: ClickHouseClient, project: string, id: string): Promise<D> {
      return lock(project, async () => {
        const prev = await latest(client, project, id)
        if (!prev || prev.deleted) throw new AnalysisError('not_found', `no ${kind.noun} ${id}`)
        return write(client, project, id, prev.version + 1, prev, true)
      })
    },
  }
}
