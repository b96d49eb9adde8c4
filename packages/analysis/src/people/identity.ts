import type { ClickHouseClient } from '@clickhouse/client'
import { ACCOUNTS_SQL, ALIASES_SQL, RESOLVE_SQL, searchSql } from './person.sql.js'
import { resolveContext } from '../retention/context.js'
import type { SegmentSelector } from '../segments/definition.js'
import { resolveSegment, segmentClause, segmentParams } from '../segments/resolve.js'
import { isoInstant } from './cursor.js'
import { ReportParamError } from '../accounts/params-error.js'

export interface PersonKeys {
  /** The id the person is known by: their user id, or the anonymous id when never identified. */
  person: string
  /** Anonymous ids merged into the person by identify, with when. */
  aliases: { anonymousId: string; mergedAt: string }[]
  /** Every user_key their events carry. */
  keys: string[]
  /** Accounts their events carry ('' for events without an account). */
  accounts: string[]
}

async function rows<T>(client: ClickHouseClient, query: string, params: Record<string, unknown>): Promise<T[]> {
  const rs = await client.query({ query, query_params: params, format: 'JSONEachRow' })
  return rs.json<T>()
}

export function checkPersonId(id: string, field = 'id'): string {
  if (!id || id.length > 200) throw new ReportParamError('a person id has 1 to 200 characters', field)
  return id
}

/** Resolves an id (user id or anonymous id) to the person and the keys their events are stored under. */
export async function personKeys(client: ClickHouseClient, projectId: string, id: string): Promise<PersonKeys> {
  checkPersonId(id)
  const [merged] = await rows<{ user_id: string }>(client, RESOLVE_SQL, { project: projectId, id })
  const person = merged?.user_id || id
  const aliases = (await rows<{ anonymous_id: string; merged_at: string }>(client, ALIASES_SQL, { project: projectId, person }))
    .map((r) => ({ anonymousId: r.anonymous_id, mergedAt: isoInstant(r.merged_at) }))
  const keys = [person, ...aliases.map((a) => a.anonymousId).filter((a) => a !== person)]
  const accounts = (await rows<{ account_id: string }>(client, ACCOUNTS_SQL, { project: projectId, keys })).map((r) => r.account_id).sort()
  return { person, aliases, keys, accounts }
}

export interface PersonMatch {
  id: string
  lastSeen: string
}

/**
 * People whose id contains the text (ids that start with it first, then the most recently seen);
 * with a segment, only its people (members as of now).
 */
export async function searchPeople(client: ClickHouseClient, projectId: string, q: string, limit = 20, sel: SegmentSelector = {}): Promise<PersonMatch[]> {
  const text = q.trim()
  if (!text || text.length > 200) throw new ReportParamError('search text has 1 to 200 characters', 'q')
  const segment = sel.segment === undefined && sel.segmentDef === undefined ? null : await resolveSegment(client, await resolveContext(client, projectId, {}), sel)
  const params = { project: projectId, q: text, limit: Math.min(Math.max(1, limit), 100), ...segmentParams(segment?.filter) }
  const found = await rows<{ id: string; seen: string }>(client, searchSql(segmentClause(segment?.filter, 'id')), params)
  return found.map((r) => ({ id: r.id, lastSeen: isoInstant(r.seen) }))
}
