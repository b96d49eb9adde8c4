import type { ClickHouseClient } from '@clickhouse/client'
import { AnalysisError } from '../errors.js'
import { checkDefinition } from './check.js'
import { compileSegment, compileWithoutValue, type SegmentFilter, type SegmentScope, type SegmentUnit } from './compile.js'
import { SegmentDefinition, SegmentId, type SegmentSelector } from './definition.js'
import { getSegment } from './store.js'

/** What a report says about the segment it was restricted to. */
export interface AppliedSegment {
  /** Null for an inline definition. */
  id: string | null
  version: number | null
  name: string | null
  definition: SegmentDefinition
}

/** A segment resolved for one report: its compiled members and what to print about it. */
export interface ResolvedSegment {
  filter: SegmentFilter
  /** Null when only a breakdown group restricts the report. */
  applied: AppliedSegment | null
}

function parseInline(raw: string | SegmentDefinition): SegmentDefinition {
  let value: unknown = raw
  if (typeof raw === 'string') {
    if (raw.length > 20_000) throw new AnalysisError('invalid', 'segmentDef: at most 20000 characters', 'segmentDef')
    try {
      value = JSON.parse(raw)
    } catch {
      throw new AnalysisError('invalid', 'segmentDef: not JSON', 'segmentDef')
    }
  }
  const r = SegmentDefinition.safeParse(value)
  if (r.success) return r.data
  const issue = r.error.issues[0]!
  const field = ['segmentDef', ...issue.path].join('.')
  throw new AnalysisError('invalid', `${field}: ${issue.message}`, field)
}

/** The definition a selector names (saved by id, or inline), checked against the stored properties; null when none. */
export async function segmentDefinitionOf(
  client: ClickHouseClient,
  project: string,
  sel: SegmentSelector,
): Promise<AppliedSegment | null> {
  if (sel.segment !== undefined && sel.segmentDef !== undefined) {
    throw new AnalysisError('invalid', 'give either segment or segmentDef, not both', 'segmentDef')
  }
  if (sel.segment !== undefined) {
    if (!SegmentId.safeParse(sel.segment).success) throw new AnalysisError('not_found', `no segment ${sel.segment}`, 'segment')
    const s = await getSegment(client, project, sel.segment)
    if (!s) throw new AnalysisError('not_found', `no segment ${sel.segment}`, 'segment')
    return { id: s.id, version: s.version, name: s.name, definition: s.definition }
  }
  if (sel.segmentDef !== undefined) {
    const definition = parseInline(sel.segmentDef)
    await checkDefinition(client, project, definition, 'segmentDef')
    return { id: null, version: null, name: null, definition }
  }
  return null
}

/** Resolves and compiles a report's segment for its scope; null when the report has none. */
export async function resolveSegment(
  client: ClickHouseClient,
  where: SegmentScope,
  sel: SegmentSelector,
  unit: SegmentUnit = 'person',
): Promise<ResolvedSegment | null> {
  const applied = await segmentDefinitionOf(client, where.project, sel)
  if (sel.group?.value === null && unit !== 'person') throw new AnalysisError('invalid', 'a group without a value is a group of people', 'breakdown')
  const group = !sel.group
    ? null
    : sel.group.value === null
      ? compileWithoutValue(where, sel.group.property)
      : await compileSegment(client, where, { match: 'all', conditions: [{ type: 'property', property: sel.group.property as never, op: 'eq', value: sel.group.value }] }, unit, 'grp')
  if (!applied) return group ? { applied: null, filter: group } : null
  const filter = await compileSegment(client, where, applied.definition, unit)
  if (!group) return { applied, filter }
  // The group's parameters are named apart (grp…), so both sets travel in one query.
  return { applied, filter: { unit, sql: `SELECT ${unit} FROM ((${filter.sql}) INTERSECT (${group.sql}))`, params: { ...filter.params, ...group.params } } }
}

/** ` AND <column> IN (<segment>)`, or nothing without a segment. */
export function segmentClause(filter: SegmentFilter | null | undefined, column: string): string {
  return filter ? ` AND ${column} IN (${filter.sql})` : ''
}

/** The SQL filter's parameters, to spread into a report's query parameters. */
export function segmentParams(filter: SegmentFilter | null | undefined): Record<string, unknown> {
  return filter?.params ?? {}
}
