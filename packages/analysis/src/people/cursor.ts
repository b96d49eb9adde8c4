import { ReportParamError } from '../accounts/params-error.js'

/** A position in a newest-first list of events: the last row shown, by time then uuid. */
export interface EventCursor {
  /** `YYYY-MM-DD hh:mm:ss.sss` as stored (UTC). */
  ts: string
  uuid: string
}

const TS = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function encodeCursor(c: EventCursor): string {
  return Buffer.from(`${c.ts}|${c.uuid}`, 'utf8').toString('base64url')
}

/** Refuses anything that is not a cursor this module wrote (the values go to SQL as parameters only). */
export function decodeCursor(text: string, field = 'cursor'): EventCursor {
  const raw = /^[A-Za-z0-9_-]{1,200}$/.test(text) ? Buffer.from(text, 'base64url').toString('utf8') : ''
  const [ts, uuid, extra] = raw.split('|')
  if (extra !== undefined || !ts || !uuid || !TS.test(ts) || !UUID.test(uuid)) throw new ReportParamError(`${field} is not a cursor returned by this API`, field)
  return { ts, uuid }
}

/** A stored DateTime64 as an ISO instant. */
export function isoInstant(stored: string): string {
  return `${stored.replace(' ', 'T')}Z`
}
