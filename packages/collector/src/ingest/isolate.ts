import type { EncodedBatch } from './encoded.js'
import type { RowSink } from './sink.js'

/** The tables the collector writes, and the format their rows are held in. */
export type TargetTable = 'events' | 'person_aliases' | 'user_accounts'

/** One row the store refused, with the engine's reason. `row` is the row's line as it was inserted. */
export interface RefusedRow {
  table: TargetTable
  project: string
  columns: readonly string[]
  row: string
  error: string
}

/**
 * ClickHouse error codes that say the data of the insert is at fault (a value that does not parse
 * or does not fit its column), as opposed to the store being unavailable, overloaded or timing out.
 * Only these make the batcher look for the rows at fault; anything else is treated as an outage and
 * the whole insert is retried as it is.
 */
const DATA_ERROR_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  8, // THERE_IS_NO_COLUMN
  16, // NO_SUCH_COLUMN_IN_TABLE
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  32, // ATTEMPT_TO_READ_AFTER_EOF
  33, // CANNOT_READ_ALL_DATA
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  128, // TOO_LARGE_ARRAY_SIZE
  130, // CANNOT_READ_ARRAY_FROM_TEXT
  131, // TOO_LARGE_STRING_SIZE
  190, // SIZES_OF_ARRAYS_DONT_MATCH
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  376, // CANNOT_PARSE_UUID
  407, // DECIMAL_OVERFLOW
  430, // CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING
  467, // CANNOT_PARSE_BOOL
])
const DATA_ERROR_NAME = /\b(CANNOT_PARSE_[A-Z0-9_]+|CANNOT_READ_[A-Z_]+|INCORRECT_DATA|TYPE_MISMATCH|VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE|TOO_LARGE_STRING_SIZE)\b/

/** The engine's error code: `clickhouseCode` (embedded), `code` (server client, as text), else `Code: N.` in the message. */
function errorCode(err: unknown): number | undefined {
  const e = err as { clickhouseCode?: unknown; code?: unknown; message?: unknown } | null
  if (typeof e?.clickhouseCode === 'number') return e.clickhouseCode
  if (typeof e?.code === 'string' && /^\d+$/.test(e.code)) return Number(e.code)
  const m = /Code: (\d+)\./.exec(String(e?.message ?? ''))
  return m ? Number(m[1]) : undefined
}

/** Whether an insert failed because of its rows (parse or type error), not because the store is unavailable. */
export function isDataError(err: unknown): boolean {
  const code = errorCode(err)
  if (code !== undefined && DATA_ERROR_CODES.has(code)) return true
  const e = err as { type?: unknown; message?: unknown } | null
  return DATA_ERROR_NAME.test(`${typeof e?.type === 'string' ? e.type : ''} ${String(e?.message ?? '')}`)
}

const MAX_ERROR_CHARS = 2_000

/** The engine's reason, short and without the dump of the row that follows it. */
export function engineMessage(err: unknown): string {
  const text = String((err as { message?: unknown } | null)?.message ?? err)
  return text.split(/\n\s*\nRow \d+:/)[0]!.trim().slice(0, MAX_ERROR_CHARS)
}

const EMPTY = Buffer.alloc(0)
const NEWLINE = 0x0a

/** The lines of a newline-terminated buffer, as views (no copy). */
export function splitLines(bytes: Buffer): Buffer[] {
  const lines: Buffer[] = []
  let start = 0
  for (let i = bytes.indexOf(NEWLINE); i >= 0; i = bytes.indexOf(NEWLINE, start)) {
    if (i > start) lines.push(bytes.subarray(start, i + 1))
    start = i + 1
  }
  if (start < bytes.length) lines.push(Buffer.concat([bytes.subarray(start), Buffer.from('\n')]))
  return lines
}

/** The project of a refused row: first column of an events row (project_id leads EVENT_COLUMNS), `project_id` of a side row. */
function projectOf(table: TargetTable, columns: readonly string[], line: string): string {
  try {
    const v: unknown = JSON.parse(line)
    if (table === 'events') {
      const at = columns.indexOf('project_id')
      const id: unknown = Array.isArray(v) && at >= 0 ? v[at] : undefined
      return typeof id === 'string' ? id : ''
    }
    const id = (v as { project_id?: unknown } | null)?.project_id
    return typeof id === 'string' ? id : ''
  } catch {
    return ''
  }
}

/** A batch that writes only `table`'s lines. */
function only(batch: EncodedBatch, table: TargetTable, lines: Buffer[]): EncodedBatch {
  const bytes = lines.length === 1 ? lines[0]! : Buffer.concat(lines)
  return {
    columns: batch.columns,
    events: table === 'events' ? bytes : EMPTY,
    eventCount: table === 'events' ? lines.length : 0,
    aliases: table === 'person_aliases' ? bytes : EMPTY,
    accounts: table === 'user_accounts' ? bytes : EMPTY,
    ...(batch.checkStored ? { checkStored: true } : {}),
  }
}

/**
 * After an insert failed with a data error: stores every row the engine takes and returns the
 * ones it refuses. Each table's rows are inserted again and, when refused, split in halves until
 * the refused rows stand alone, so k bad rows among n cost about 2·k·log2(n) small inserts and the
 * good rows around them are stored in the same round. An outage in the middle (any error that is
 * not a data error) is thrown: the caller retries the whole batch later, and rows already stored
 * collapse with their copies (events by uuid, side rows by key).
 */
export async function isolateRefused(sink: RowSink, batch: EncodedBatch): Promise<RefusedRow[]> {
  const refused: RefusedRow[] = []
  const tables: [TargetTable, Buffer][] = [['events', batch.events], ['person_aliases', batch.aliases], ['user_accounts', batch.accounts]]
  for (const [table, bytes] of tables) {
    if (!bytes.length) continue
    const columns = table === 'events' ? batch.columns : []
    const bisect = async (lines: Buffer[]): Promise<void> => {
      try {
        await sink.insert(only(batch, table, lines))
      } catch (err) {
        if (!isDataError(err)) throw err
        if (lines.length === 1) {
          const row = lines[0]!.toString('utf8').replace(/\n$/, '')
          refused.push({ table, project: projectOf(table, columns, row), columns, row, error: engineMessage(err) })
          return
        }
        const mid = lines.length >> 1
        await bisect(lines.slice(0, mid))
        await bisect(lines.slice(mid))
      }
    }
    await bisect(splitLines(bytes))
  }
  return refused
}
