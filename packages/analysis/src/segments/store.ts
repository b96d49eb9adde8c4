import type { ClickHouseClient } from '@clickhouse/client'
import { randomBytes } from 'node:crypto'
import { AnalysisError, parseInput } from '../errors.js'
import { SegmentDefinition, SegmentInput, type Segment } from './definition.js'
import { checkDefinition } from './check.js'

interface Row {
  segment_id: string
  version: number
  name: string
  description: string
  definition: string
  deleted: number
  updated_at: string
}

const COLUMNS = 'segment_id, version, name, description, definition, deleted, updated_at'

function toSegment(r: Row): Segment {
  return {
    id: r.segment_id,
    version: Number(r.version),
    name: r.name,
    description: r.description,
    definition: SegmentDefinition.parse(JSON.parse(r.definition)),
    deleted: Number(r.deleted) === 1,
    updatedAt: r.updated_at.replace(' ', 'T') + 'Z',
  }
}

/** The current version of every segment of a project (deleted ones left out unless asked for), by name. */
export async function listSegments(
  client: ClickHouseClient,
  project: string,
  opts: { includeDeleted?: boolean; ids?: readonly string[] } = {},
): Promise<Segment[]> {
  const rs = await client.query({
    query: `SELECT ${COLUMNS} FROM segment_definitions
      WHERE project_id = {project:String} ${opts.ids ? 'AND segment_id IN {ids:Array(String)}' : ''}
      ORDER BY segment_id, version DESC
      LIMIT 1 BY segment_id`,
    query_params: { project, ids: opts.ids ?? [] },
    format: 'JSONEachRow',
  })
  const rows = (await rs.json<Row>()).map(toSegment)
  return (opts.includeDeleted ? rows : rows.filter((s) => !s.deleted)).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))
}

/** The current version of one segment, or null when it does not exist or was deleted. */
export async function getSegment(client: ClickHouseClient, project: string, id: string): Promise<Segment | null> {
  const [s] = await listSegments(client, project, { ids: [id], includeDeleted: true })
  return s && !s.deleted ? s : null
}

/** Every version of a segment, newest first. */
export async function segmentHistory(client: ClickHouseClient, project: string, id: string): Promise<Segment[]> {
  const rs = await client.query({
    query: `SELECT ${COLUMNS} FROM segment_definitions FINAL
      WHERE project_id = {project:String} AND segment_id = {id:String} ORDER BY version DESC`,
    query_params: { project, id },
    format: 'JSONEachRow',
  })
  return (await rs.json<Row>()).map(toSegment)
}

// Versions are read-then-written: one writer per project at a time within this process.
const locks = new Map<string, Promise<unknown>>()
function serialised<T>(project: string, fn: () => Promise<T>): Promise<T> {
  const prev = locks.get(project) ?? Promise.resolve()
  const next = prev.then(fn, fn)
  locks.set(project, next.catch(() => undefined))
  return next
}

type Body = { name: string; description: string; definition: SegmentDefinition }

async function writeVersion(client: ClickHouseClient, project: string, id: string, version: number, body: Body, deleted: boolean): Promise<Segment> {
  const updatedAt = new Date().toISOString()
  await client.insert({
    table: 'segment_definitions',
    values: [{
      project_id: project, segment_id: id, version, name: body.name, description: body.description,
      definition: JSON.stringify(body.definition), deleted: deleted ? 1 : 0, updated_at: updatedAt,
    }],
    format: 'JSONEachRow',
  })
  return { id, version, name: body.name, description: body.description, definition: body.definition, deleted, updatedAt }
}

async function latest(client: ClickHouseClient, project: string, id: string): Promise<Segment | null> {
  const [s] = await listSegments(client, project, { ids: [id], includeDeleted: true })
  return s ?? null
}

/** Creates a segment (version 1, or the next version when the id of a deleted one is reused). */
export async function createSegment(client: ClickHouseClient, project: string, input: unknown): Promise<Segment> {
  const body = parseInput(SegmentInput, input)
  await checkDefinition(client, project, body.definition, 'definition')
  return serialised(project, async () => {
    const id = body.id ?? `s_${randomBytes(6).toString('hex')}`
    const prev = await latest(client, project, id)
    if (prev && !prev.deleted) throw new AnalysisError('conflict', `segment ${id} already exists`, 'id')
    return writeVersion(client, project, id, (prev?.version ?? 0) + 1, body, false)
  })
}

/** Replaces a segment's definition with a new version; reports read it from their next run. */
export async function updateSegment(client: ClickHouseClient, project: string, id: string, input: unknown): Promise<Segment> {
  const body = parseInput(SegmentInput, input)
  if (body.id !== undefined && body.id !== id) throw new AnalysisError('conflict', 'the id in the body differs from the URL', 'id')
  await checkDefinition(client, project, body.definition, 'definition')
  return serialised(project, async () => {
    const prev = await latest(client, project, id)
    if (!prev || prev.deleted) throw new AnalysisError('not_found', `no segment ${id}`)
    return writeVersion(client, project, id, prev.version + 1, body, false)
  })
}

/** Marks a segment deleted (a new version); its history stays readable. */
export function deleteSegment(client: ClickHouseClient, project: string, id: string): Promise<Segment> {
  return serialised(project, async () => {
    const prev = await latest(client, project, id)
    if (!prev || prev.deleted) throw new AnalysisError('not_found', `no segment ${id}`)
    return writeVersion(client, project, id, prev.version + 1, prev, true)
  })
}
