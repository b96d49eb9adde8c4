import type { ClickHouseClient } from '@clickhouse/client'
import { randomBytes } from 'node:crypto'
import { AnalysisError, parseInput } from '../errors.js'
import { FeatureInput, FeatureRule, type FeatureDefinition } from './rules.js'


interface Row {
  feature_id: string
  version: number
  name: string
  description: string
  rules: string
  deleted: number
  updated_at: string
}

const COLUMNS = 'feature_id, version, name, description, rules, deleted, updated_at'

function toDefinition(r: Row): FeatureDefinition {
  return {
    id: r.feature_id,
    version: Number(r.version),
    name: r.name,
    description: r.description,
    rules: FeatureRule.array().parse(JSON.parse(r.rules)),
    deleted: Number(r.deleted) === 1,
    updatedAt: r.updated_at.replace(' ', 'T') + 'Z',
  }
}

/** The current version of every feature of a project (deleted ones left out unless asked for). */
export async function listFeatures(
  client: ClickHouseClient,
  project: string,
  opts: { includeDeleted?: boolean; ids?: readonly string[] } = {},
): Promise<FeatureDefinition[]> {
  const rs = await client.query({
    query: `SELECT ${COLUMNS} FROM feature_definitions
      WHERE project_id = {project:String} ${opts.ids ? 'AND feature_id IN {ids:Array(String)}' : ''}
      ORDER BY feature_id, version DESC
      LIMIT 1 BY feature_id`,
    query_params: { project, ids: opts.ids ?? [] },
    format: 'JSONEachRow',
  })
  const rows = (await rs.json<Row>()).map(toDefinition)
  return (opts.includeDeleted ? rows : rows.filter((f) => !f.deleted)).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}

/** The current version of one feature, or null when it does not exist or was deleted. */
export async function getFeature(client: ClickHouseClient, project: string, id: string): Promise<FeatureDefinition | null> {
  const [f] = await listFeatures(client, project, { ids: [id], includeDeleted: true })
  return f && !f.deleted ? f : null
}

/** Every version of a feature, newest first. */
export async function featureHistory(client: ClickHouseClient, project: string, id: string): Promise<FeatureDefinition[]> {
  const rs = await client.query({
    query: `SELECT ${COLUMNS} FROM feature_definitions FINAL
      WHERE project_id = {project:String} AND feature_id = {id:String} ORDER BY version DESC`,
    query_params: { project, id },
    format: 'JSONEachRow',
  })
  return (await rs.json<Row>()).map(toDefinition)
}

// Versions are read-then-written; one writer per project at a time keeps them from colliding
// within this process (the collector is the only writer of definitions).
const locks = new Map<string, Promise<unknown>>()
function serialised<T>(project: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(project) ?? Promise.resolve()
  const next = prev.then(fn, fn)
  locks.set(project, next.catch(() => undefined))
  return next
}

async function writeVersion(
  client: ClickHouseClient,
  project: string,
  id: string,
  version: number,
  body: { name: string; description: string; rules: FeatureRule[] },
  deleted: boolean,
): Promise<FeatureDefinition> {
  const updatedAt = new Date().toISOString()
  await client.insert({
    table: 'feature_definitions',
    values: [
      {
        project_id: project,
        feature_id: id,
        version,
        name: body.name,
        description: body.description,
        rules: JSON.stringify(body.rules),
        deleted: deleted ? 1 : 0,
        updated_at: updatedAt,
      },
    ],
    format: 'JSONEachRow',
  })
  return { id, version, name: body.name, description: body.description, rules: body.rules, deleted, updatedAt }
}

async function latestVersion(client: ClickHouseClient, project: string, id: string): Promise<FeatureDefinition | null> {
  const [f] = await listFeatures(client, project, { ids: [id], includeDeleted: true })
  return f ?? null
}

/** Creates a feature (version 1, or the next version when an id of a deleted feature is reused). */
export async function createFeature(client: ClickHouseClient, project: string, input: FeatureInput): Promise<FeatureDefinition> {
  const body = parseInput(FeatureInput, input)
  return serialised(project, async () => {
    const id = body.id ?? `f_${randomBytes(6).toString('hex')}`
    const latest = await latestVersion(client, project, id)
    if (latest && !latest.deleted) throw new AnalysisError('conflict', `feature ${id} already exists`, 'id')
    return writeVersion(client, project, id, (latest?.version ?? 0) + 1, body, false)
  })
}

/** Replaces a feature's definition with a new version; history changes at the next report. */
export async function updateFeature(
  client: ClickHouseClient,
  project: string,
  id: string,
  input: FeatureInput,
): Promise<FeatureDefinition> {
  const body = parseInput(FeatureInput, input)
  if (body.id !== undefined && body.id !== id) throw new AnalysisError('conflict', 'the id in the body differs from the URL', 'id')
  return serialised(project, async () => {
    const latest = await latestVersion(client, project, id)
    if (!latest || latest.deleted) throw new AnalysisError('not_found', `no feature ${id}`)
    return writeVersion(client, project, id, latest.version + 1, body, false)
  })
}

/** Marks a feature deleted (a new version); its history stays readable. */
export function deleteFeature(client: ClickHouseClient, project: string, id: string): Promise<FeatureDefinition> {
  return serialised(project, async () => {
    const latest = await latestVersion(client, project, id)
    if (!latest || latest.deleted) throw new AnalysisError('not_found', `no feature ${id}`)
    return writeVersion(client, project, id, latest.version + 1, latest, true)
  })
}
