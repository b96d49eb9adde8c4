import { EVENT_COLUMNS, type AccountRow, type AliasRow } from './rows.js'

/**
 * A batch ready for the store: event rows already serialised as JSONCompactEachRow lines (arrays in
 * `columns` order), so each row is turned into JSON once and that text serves both the spool and
 * the insert.
 */
export interface EncodedBatch {
  columns: readonly string[]
  /** One JSON array per line, each line ending in '\n'. */
  events: string
  eventCount: number
  aliases: AliasRow[]
  accounts: AccountRow[]
}

/** Rows of accepted batches, serialised, waiting in memory; joined into one text only when inserted. */
export interface PendingRows {
  lines: string[]
  aliases: AliasRow[]
  accounts: AccountRow[]
}

/** One insert's worth of pending batches (all in EVENT_COLUMNS order). */
export function encodePending(parts: PendingRows[]): EncodedBatch {
  const lines: string[] = []
  const aliases: AliasRow[] = []
  const accounts: AccountRow[] = []
  for (const p of parts) {
    for (const l of p.lines) lines.push(l)
    for (const a of p.aliases) aliases.push(a)
    for (const a of p.accounts) accounts.push(a)
  }
  return { columns: EVENT_COLUMNS, events: lines.length ? lines.join('\n') + '\n' : '', eventCount: lines.length, aliases, accounts }
}

const COLUMNS_JSON = JSON.stringify(EVENT_COLUMNS)

/**
 * The spool record of a batch: one line of JSON, built from the already serialised rows. It names
 * its columns, so a record written before a schema change still replays into the right columns,
 * and its project, so events replayed after a restart are counted for it.
 */
export function spoolLine(eventJson: string[], aliases: AliasRow[], accounts: AccountRow[], project?: string): string {
  return `{${project === undefined ? '' : `"project":${JSON.stringify(project)},`}"columns":${COLUMNS_JSON},"events":[${eventJson.join(',')}],"aliases":${JSON.stringify(aliases)},"accounts":${JSON.stringify(accounts)}}`
}

/** A record read back from the spool, or null when it is not one. */
export function fromSpoolRecord(x: unknown): EncodedBatch | null {
  const b = x as { columns?: unknown; events?: unknown; aliases?: unknown; accounts?: unknown }
  if (typeof b !== 'object' || b === null) return null
  if (!Array.isArray(b.columns) || !b.columns.every((c) => typeof c === 'string' && /^[a-z_][a-z0-9_]*$/.test(c))) return null
  if (!Array.isArray(b.events) || !Array.isArray(b.aliases) || !Array.isArray(b.accounts)) return null
  if (!b.events.every((e) => Array.isArray(e) && e.length === (b.columns as unknown[]).length)) return null
  const lines = b.events.map((e) => JSON.stringify(e))
  return {
    columns: b.columns as string[],
    events: lines.length ? lines.join('\n') + '\n' : '',
    eventCount: lines.length,
    aliases: b.aliases as AliasRow[],
    accounts: b.accounts as AccountRow[],
  }
}

const sameColumns = (a: readonly string[], b: readonly string[]) => a === b || (a.length === b.length && a.every((c, i) => c === b[i]))

/** Whether two batches can go in one insert. */
export function mergeable(a: EncodedBatch, b: EncodedBatch): boolean {
  return sameColumns(a.columns, b.columns)
}

/** One batch of several with the same columns. */
export function mergeEncoded(batches: EncodedBatch[]): EncodedBatch {
  const out: EncodedBatch = { columns: batches[0]?.columns ?? EVENT_COLUMNS, events: '', eventCount: 0, aliases: [], accounts: [] }
  const parts: string[] = []
  for (const b of batches) {
    if (!sameColumns(b.columns, out.columns)) throw new Error('cannot merge batches with different columns')
    parts.push(b.events)
    out.eventCount += b.eventCount
    for (const a of b.aliases) out.aliases.push(a)
    for (const a of b.accounts) out.accounts.push(a)
  }
  out.events = parts.join('')
  return out
}
