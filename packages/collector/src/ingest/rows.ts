/** One row of the `events` table as inserted (JSONEachRow). Times are 'YYYY-MM-DD hh:mm:ss.sss' UTC. */
export interface EventRow {
  project_id: string
  uuid: string
  event: string
  timestamp: string
  client_timestamp: string
  received_at: string
  anonymous_id: string
  user_id: string
  account_id: string
  session_id: string
  url: string
  path: string
  host: string
  referrer: string
  title: string
  feature_key: string
  element_text: string
  elements: ElementRow[]
  properties: string
  lib: string
  browser: string
  browser_version: string
  os: string
  os_version: string
  device_type: string
  ip: string
  /** ISO 3166-1 alpha-2, or ''. */
  country: string
}

export interface ElementRow {
  tag: string
  id: string
  classes: string[]
  attrs: Record<string, string>
  text: string
  nth: number
}

/** `person_aliases`: this anonymous id is this user (from identify/alias). */
export interface AliasRow {
  project_id: string
  anonymous_id: string
  user_id: string
  updated_at: string
}

/** `user_accounts`: this user belongs to this account (from group, or events carrying both). */
export interface AccountRow {
  project_id: string
  user_id: string
  account_id: string
  updated_at: string
}

/** What one accepted request adds to the store; written to the spool as one record. */
export interface RowBatch {
  events: EventRow[]
  aliases: AliasRow[]
  accounts: AccountRow[]
  /** Some events may be stored already (see `EncodedBatch.checkStored`). */
  checkStored?: boolean
}

/** Column order of an events row in JSONCompactEachRow (arrays instead of objects: less to write and to parse). */
export const EVENT_COLUMNS = [
  'project_id', 'uuid', 'event', 'timestamp', 'client_timestamp', 'received_at', 'anonymous_id', 'user_id', 'account_id',
  'session_id', 'url', 'path', 'host', 'referrer', 'title', 'feature_key', 'element_text', 'elements', 'properties', 'lib',
  'browser', 'browser_version', 'os', 'os_version', 'device_type', 'ip', 'country',
] as const satisfies readonly (keyof EventRow)[]

/** An events row as one JSON array in EVENT_COLUMNS order. Elements stay objects: named tuples are read from objects. */
export function eventRowJson(r: EventRow): string {
  return JSON.stringify([
    r.project_id, r.uuid, r.event, r.timestamp, r.client_timestamp, r.received_at, r.anonymous_id, r.user_id, r.account_id,
    r.session_id, r.url, r.path, r.host, r.referrer, r.title, r.feature_key, r.element_text,
    r.elements,
    r.properties, r.lib, r.browser, r.browser_version, r.os, r.os_version, r.device_type, r.ip, r.country,
  ])
}

let cachedSecond = NaN
let cachedPrefix = ''

/**
 * ClickHouse DateTime64(3) text for a UTC instant: 'YYYY-MM-DD hh:mm:ss.sss'. Events of a batch
 * share their second, so the formatted second is kept and only the milliseconds are appended.
 */
export function chTime(ms: number): string {
  const t = Math.trunc(ms)
  const second = Math.floor(t / 1000)
  if (second !== cachedSecond) {
    cachedSecond = second
    cachedPrefix = new Date(second * 1000).toISOString().slice(0, 19).replace('T', ' ')
  }
  const frac = t - second * 1000
  return `${cachedPrefix}.${frac < 10 ? '00' : frac < 100 ? '0' : ''}${frac}`
}
