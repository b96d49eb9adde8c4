import type { ClickHouseClient } from '@clickhouse/client'
import { AnalysisError, parseInput } from '../errors.js'
import { versionedStore } from '../store/versioned.js'
import { SegmentDefinition, SegmentInput, type Segment } from './definition.js'
import { checkDefinition } from './check.js'

const segments = versionedStore<'definition', SegmentDefinition>({
  table: 'segment_definitions',
  idColumn: 'segment_id',
  field: 'definition',
  parse: (json) => SegmentDefinition.parse(json),
  idPrefix: 's',
  noun: 'segment',
})

/** The current version of every segment of a project (deleted ones left out unless asked for), by name. */
export const listSegments: (
  client: ClickHouseClient,
  project: string,
  opts?: { includeDeleted?: boolean; ids?: readonly string[] },
) => Promise<Segment[]> = segments.list

/** The current version of one segment, or null when it does not exist or was deleted. */
export const getSegment: (client: ClickHouseClient, project: string, id: string) => Promise<Segment | null> = segments.get

/** Every version of a segment, newest first. */
export const segmentHistory: (client: ClickHouseClient, project: string, id: string) => Promise<Segment[]> = segments.history

/** Creates a segment (version 1, or the next version when the id of a deleted one is reused). */
export async function createSegment(client: ClickHouseClient, project: string, input: unknown): Promise<Segment> {
  const { id, ...body } = parseInput(SegmentInput, input)
  await checkDefinition(client, project, body.definition, 'definition')
  return segments.create(client, project, id, body)
}

/** Replaces a segment's definition with a new version; reports read it from their next run. */
export async function updateSegment(client: ClickHouseClient, project: string, id: string, input: unknown): Promise<Segment> {
  const { id: bodyId, ...body } = parseInput(SegmentInput, input)
  if (bodyId !== undefined && bodyId !== id) throw new AnalysisError('conflict', 'the id in the body differs from the URL', 'id')
  await checkDefinition(client, project, body.definition, 'definition')
  return segments.update(client, project, id, body)
}

/** Marks a segment deleted (a new version); its history stays readable. */
export function deleteSegment(client: ClickHouseClient, project: string, id: string): Promise<Segment> {
  return segments.remove(client, project, id)
}
