import type { AccountRow, AliasRow, EventRow, RowBatch } from './rows.js'

/**
 * A batch ready for the store: event rows already serialised as JSONEachRow text, so each row is
 * turned into JSON once and that text serves both the spool and the insert.
 */
export interface EncodedBatch {
  /** One JSON object per line, each line ending in '\n'. */
  events: string
  eventCount: number
  aliases: AliasRow[]
  accounts: AccountRow[]
}

export function encodeBatch(batch: RowBatch, eventJson: string[] = batch.events.map((e) => JSON.stringify(e))): EncodedBatch {
  return {
    events: eventJson.length ? eventJson.join('\n') + '\n' : '',
    eventCount: eventJson.length,
    aliases: batch.aliases,
    accounts: batch.accounts,
  }
}

/** The spool record of a batch: one line of JSON, built from the already serialised rows. */
export function spoolLine(eventJson: string[], aliases: AliasRow[], accounts: AccountRow[]): string {
  return `{"events":[${eventJson.join(',')}],"aliases":${JSON.stringify(aliases)},"accounts":${JSON.stringify(accounts)}}`
}

/** A record read back from the spool, or null when it is not one. */
export function fromSpoolRecord(x: unknown): EncodedBatch | null {
  const b = x as { events?: unknown; aliases?: unknown; accounts?: unknown }
  if (typeof b !== 'object' || b === null || !Array.isArray(b.events) || !Array.isArray(b.aliases) || !Array.isArray(b.accounts)) return null
  return encodeBatch({ events: b.events as EventRow[], aliases: b.aliases as AliasRow[], accounts: b.accounts as AccountRow[] })
}

export function mergeEncoded(batches: EncodedBatch[]): EncodedBatch {
  const out: EncodedBatch = { events: '', eventCount: 0, aliases: [], accounts: [] }
  const parts: string[] = []
  for (const b of batches) {
    parts.push(b.events)
    out.eventCount += b.eventCount
    for (const a of b.aliases) out.aliases.push(a)
    for (const a of b.accounts) out.accounts.push(a)
  }
  out.events = parts.join('')
  return out
}
