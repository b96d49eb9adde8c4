import { EVENT_COLUMNS, type AccountRow, type AliasRow } from './rows.js'

/**
 * A batch ready for the store: event rows already serialised as JSONCompactEachRow lines (arrays in
 * `columns` order), so each row is turned into JSON once and that text serves both the spool and
 * the insert. Rows are held as bytes: a few megabytes of rows never become one JavaScript string,
 * whose building and encoding would hold up requests.
 */
export interface EncodedBatch {
  columns: readonly string[]
  /** UTF-8, one JSON array per line, each line ending in '\n'. */
  events: Buffer
  eventCount: number
  /** `person_aliases` rows, JSONEachRow. */
  aliases: Buffer
  /** `user_accounts` rows, JSONEachRow. */
  accounts: Buffer
  /**
   * Some rows may be stored already, so the store leaves out the ones it holds (see
   * replay-dedupe.ts): a batch read back from the spool (a crash after its insert, before its
   * release), or rows older than what this process remembers of acknowledged ids (a client retrying
   * a batch the collector stored before a restart, see `RecentIds.coveredSince`).
   */
  checkStored?: boolean
  /**
   * With `checkStored`, the only event lines that may be stored already, as [from, to) line ranges:
   * a chunk of live requests names those of the few requests that need it, so a lookup costs what
   * they hold rather than the whole insert. Absent: every line.
   */
  checkLines?: [number, number][]
}

const EMPTY = Buffer.alloc(0)

/** Lines of text as bytes, each ending in '\\n'. */
export function lineBytes(lines: string[]): Buffer {
  return lines.length ? Buffer.from(lines.join('\n') + '\n') : EMPTY
}

const objectBytes = (rows: object[]) => lineBytes(rows.map((r) => JSON.stringify(r)))

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
  return {
    columns: b.columns as string[],
    events: lineBytes(b.events.map((e) => JSON.stringify(e))),
    eventCount: b.events.length,
    aliases: objectBytes(b.aliases as object[]),
    accounts: objectBytes(b.accounts as object[]),
  }
}

const sameColumns = (a: readonly string[], b: readonly string[]) => a === b || (a.length === b.length && a.every((c, i) => c === b[i]))

/** Whether two batches can go in one insert. */
export function mergeable(a: EncodedBatch, b: EncodedBatch): boolean {
  return sameColumns(a.columns, b.columns)
}

/** One batch of several with the same columns. */
export function mergeEncoded(batches: EncodedBatch[]): EncodedBatch {
  const columns = batches[0]?.columns ?? EVENT_COLUMNS
  if (!batches.every((b) => sameColumns(b.columns, columns))) throw new Error('cannot merge batches with different columns')
  return {
    columns,
    events: Buffer.concat(batches.map((b) => b.events)),
    eventCount: batches.reduce((n, b) => n + b.eventCount, 0),
    aliases: Buffer.concat(batches.map((b) => b.aliases)),
    accounts: Buffer.concat(batches.map((b) => b.accounts)),
    ...(batches.some((b) => b.checkStored) ? { checkStored: true } : {}),
  }
}
