import type { ClickHouseClient } from '@clickhouse/client'
import { ReportParamError } from '../accounts/params-error.js'
import { Params } from '../sql/params.js'
import { decodeCursor, encodeCursor, isoInstant } from './cursor.js'
import { elementTextSql, shownElementText } from './element-text.js'
import { featureConditions, matchedFeaturesSql } from './feature-conditions.js'
import { personKeys } from './identity.js'
import { PERSON_EVENTS } from './person.sql.js'

export interface TimelineParams {
  projectId: string
  personId: string
  /** Only this event name. */
  event?: string
  /** Only events that count for this feature (a feature id, or a raw feature key when no definition has that id). */
  feature?: string
  /** From a previous page's `nextCursor`. */
  cursor?: string
  limit?: number
}

export interface TimelineEvent {
  uuid: string
  timestamp: string
  event: string
  elementText: string
  url: string
  accountId: string
  /** Feature ids (or raw keys) the event counts for. */
  features: string[]
}

export interface Timeline {
  person: string
  events: TimelineEvent[]
  /** Pass as `cursor` for the next (older) page; null on the last page. */
  nextCursor: string | null
}

interface Row {
  id: string
  ts: string
  event: string
  element_text: string
  url: string
  account_id: string
  features: string[]
}

export const MAX_TIMELINE_PAGE = 500

/** A person's events, newest first, a page at a time; stays on the events sort key (project, account, user key). */
export async function personTimeline(client: ClickHouseClient, p: TimelineParams): Promise<Timeline> {
  const limit = p.limit ?? 50
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_TIMELINE_PAGE) throw new ReportParamError(`limit must be 1 to ${MAX_TIMELINE_PAGE}`, 'limit')
  if (p.event !== undefined && (!p.event || p.event.length > 200)) throw new ReportParamError('event has 1 to 200 characters', 'event')
  if (p.feature !== undefined && (!p.feature || p.feature.length > 200)) throw new ReportParamError('feature has 1 to 200 characters', 'feature')
  const cursor = p.cursor ? decodeCursor(p.cursor) : null
  const who = await personKeys(client, p.projectId, p.personId)
  const params = new Params('f')
  const conds = await featureConditions(client, p.projectId, params)
  const where: string[] = []
  if (p.event) where.push(`event = ${params.add(p.event, 'String')}`)
  if (p.feature) {
    const def = conds.find((c) => c.id === p.feature)
    where.push(def ? def.sql : `feature_key = ${params.add(p.feature, 'String')}`)
  }
  if (cursor) {
    const ts = params.add(cursor.ts, 'DateTime64(3)')
    where.push(`(timestamp < ${ts} OR (timestamp = ${ts} AND uuid < toUUID(${params.add(cursor.uuid, 'String')})))`)
  }
  const rs = await client.query({
    query: `SELECT toString(uuid) AS id, toString(timestamp) AS ts, event, ${elementTextSql()} AS element_text, url, account_id,
        ${matchedFeaturesSql(conds, params)} AS features
      FROM ${PERSON_EVENTS}${where.map((w) => ` AND ${w}`).join('')}
      ORDER BY timestamp DESC, uuid DESC
      LIMIT {limit:UInt32}`,
    query_params: { ...params.values, project: p.projectId, accounts: who.accounts, keys: who.keys, limit: limit + 1 },
    format: 'JSONEachRow',
  })
  const rows = await rs.json<Row>()
  const page = rows.slice(0, limit)
  const last = page[page.length - 1]
  return {
    person: who.person,
    events: page.map((r) => ({
      uuid: r.id, timestamp: isoInstant(r.ts), event: r.event, elementText: shownElementText(r.element_text), url: r.url, accountId: r.account_id, features: r.features,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor({ ts: last.ts, uuid: last.id }) : null,
  }
}
