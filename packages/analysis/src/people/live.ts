import type { ClickHouseClient } from '@clickhouse/client'
import { ReportParamError } from '../accounts/params-error.js'
import { Params } from '../sql/params.js'
import { decodeCursor, encodeCursor, isoInstant } from './cursor.js'
import { elementTextSql, shownElementText } from './element-text.js'
import { personKeys } from './identity.js'

export interface LiveParams {
  projectId: string
  /** A previous answer's `cursor`: only events stored after it. Without it, the newest stored in the last `windowMinutes`. */
  after?: string
  event?: string
  /** A user id or anonymous id: that person's events (all their merged ids). */
  person?: string
  /** Text the URL contains (case-insensitive). */
  url?: string
  limit?: number
  windowMinutes?: number
}

export interface LiveEvent {
  uuid: string
  storedAt: string
  timestamp: string
  event: string
  person: string
  accountId: string
  elementText: string
  url: string
}

export interface LivePage {
  /** Newest first. */
  events: LiveEvent[]
  /** Pass as `after` to get what is stored next. */
  cursor: string
}

interface Row { id: string; stored: string; ts: string; event: string; user_key: string; account_id: string; element_text: string; url: string }

const checkText = (v: string | undefined, field: string) => {
  if (v !== undefined && (!v || v.length > 500)) throw new ReportParamError(`${field} has 1 to 500 characters`, field)
}

/** Minutes of storage a first read (without a cursor) looks at before the whole window. */
const FIRST_SPANS_MIN = [1, 10]

/** Seconds a part's directory may be stamped before the rows it holds (the stamp has whole seconds). */
const PART_CLOCK_SLACK_S = 2

/**
 * Parts of `events` that cannot hold a row stored at or after `since` (an SQL DateTime64
 * expression): active parts whose directory was last written before it. A part is written after
 * its rows are stored (insert, merge, mutation or fetch), so its stamp is never older than its
 * newest row. Listing the parts to skip, not those to read, keeps a part a merge creates while
 * the query starts in the read.
 */
export function partsBeforeSql(since: string): string {
  return `SELECT name FROM system.parts WHERE database = currentDatabase() AND table IN ('events', 'events_local') AND active
    AND modification_time < toDateTime(${since}) - ${PART_CLOCK_SLACK_S}`
}

/**
 * The project's newest events in the order they were stored (`inserted_at`, the engine's clock
 * at insert), for a view that polls or streams. `inserted_at` is in neither the sort key nor the
 * partition key, so each read first leaves out the parts written before the cursor (or the
 * window's start): a poll reads the parts written since, not the project's whole history.
 */
export async function liveEvents(client: ClickHouseClient, p: LiveParams): Promise<LivePage> {
  const limit = p.limit ?? 100
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ReportParamError('limit must be 1 to 500', 'limit')
  const windowMinutes = p.windowMinutes ?? 60
  checkText(p.event, 'event')
  checkText(p.url, 'url')
  checkText(p.person, 'person')
  const after = p.after ? decodeCursor(p.after, 'after') : null
  const params = new Params('l')
  const filters: string[] = []
  if (p.event) filters.push(`event = ${params.add(p.event, 'String')}`)
  if (p.url) filters.push(`positionCaseInsensitiveUTF8(url, ${params.add(p.url, 'String')}) > 0`)
  if (p.person) filters.push(`user_key IN ${params.add((await personKeys(client, p.projectId, p.person)).keys, 'Array(String)')}`)
  const cursorTs = after ? params.add(after.ts, 'DateTime64(3)') : null
  if (after) filters.push(`(inserted_at > ${cursorTs} OR (inserted_at = ${cursorTs} AND uuid > toUUID(${params.add(after.uuid, 'String')})))`)

  /** The events stored in the last `minutes` (and after the cursor), reading only the parts written since. */
  const read = async (minutes: number) => {
    const spanStart = `now64(3) - toIntervalMinute({span:UInt32})`
    // Rows older than the span are not asked for, so parts written before it are skipped too.
    const since = cursorTs ? `greatest(${cursorTs}, ${spanStart})` : spanStart
    const where = [`project_id = {project:String}`, `_part NOT IN (${partsBeforeSql(since)})`, `inserted_at >= ${spanStart}`, ...filters]
    const rs = await client.query({
      // Oldest-first after a cursor so a burst larger than `limit` is picked up in order on the next call.
      query: `SELECT * FROM (
        SELECT uuid AS u, toString(uuid) AS id, inserted_at AS ins, toString(inserted_at) AS stored, toString(timestamp) AS ts, event, user_key, account_id, ${elementTextSql()} AS element_text, url
        FROM events WHERE ${where.join(' AND ')}
        ORDER BY ins ${after ? 'ASC' : 'DESC'}, u ${after ? 'ASC' : 'DESC'}
        LIMIT 1 BY u
        LIMIT {limit:UInt32}
      ) ORDER BY ins DESC, u DESC`,
      query_params: { ...params.values, project: p.projectId, span: minutes, limit },
      format: 'JSONEachRow',
    })
    return rs.json<Row>()
  }
  // Without a cursor, the newest events: the last minute's parts first, wider only while they hold
  // fewer than `limit` (the newest `limit` of a span are the newest of the window when it holds as many).
  const spans = after ? [windowMinutes] : [...FIRST_SPANS_MIN.filter((m) => m < windowMinutes), windowMinutes]
  let rows: Row[] = []
  for (const minutes of spans) {
    rows = await read(minutes)
    if (rows.length >= limit) break
  }
  const newest = rows[0]
  return {
    events: rows.map((r) => ({
      uuid: r.id, storedAt: isoInstant(r.stored), timestamp: isoInstant(r.ts), event: r.event, person: r.user_key, accountId: r.account_id,
      elementText: shownElementText(r.element_text), url: r.url,
    })),
    cursor: newest ? encodeCursor({ ts: newest.stored, uuid: newest.id }) : (p.after ?? encodeCursor({ ts: '1970-01-01 00:00:00.000', uuid: '00000000-0000-0000-0000-000000000000' })),
  }
}
