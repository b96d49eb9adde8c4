import type { Store } from '@tenure/analysis/store'
import { createHash } from 'node:crypto'
import { mkdir, open, readFile, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import { lineBytes, type EncodedBatch } from './encoded.js'
import { isDataError, isolateRefused, type RefusedRow, type TargetTable } from './isolate.js'
import { EVENT_COLUMNS } from './rows.js'
import { clip, wellFormed, wellFormedDeep } from './sanitize.js'
import type { RowSink } from './sink.js'

/** A quarantined row as listed by the API. */
export interface QuarantinedRow {
  id: string
  target: TargetTable
  columns: string[]
  row: unknown
  error: string
  status: 'quarantined' | 'reinserted'
  quarantined_at: string
}

export interface ReinsertResult {
  reinserted: number
  /** Rows refused again, still quarantined with the engine's new reason. */
  refused: number
  /** Of the reinserted rows, how many were events (by project for the counters). */
  events: number
}

/** Stable id of a row in quarantine: the same row quarantined twice (a replay after a crash) is one row. */
export function quarantineId(target: string, row: string): string {
  const x = createHash('sha256').update(target).update('\n').update(row).digest('hex')
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-8${x.slice(13, 16)}-${((parseInt(x[16]!, 16) & 0x3) | 0x8).toString(16)}${x.slice(17, 20)}-${x.slice(20, 32)}`
}

const now = () => new Date().toISOString().replace('T', ' ').replace('Z', '')

interface StoredRow {
  project_id: string
  id: string
  target: string
  columns: readonly string[]
  row_json: string
  error: string
  status: string
  quarantined_at: string
  updated_at: string
}

/**
 * The dead-letter store of rows the engine refused: the `quarantine` table, or, when even that
 * cannot take them, a file beside the spool (one JSON line per row, fsynced), so a refused row is
 * never dropped. Rows are listed per project and can be inserted again after a fix; a re-insert
 * first makes every string well-formed, as ingestion does today.
 */
export class Quarantine {
  constructor(
    private readonly store: Store,
    /** Last resort when the table refuses too. */
    readonly fallbackFile: string,
    /** Where re-inserted rows go: the same sink the batcher inserts through. */
    private readonly sink: RowSink,
  ) {}

  /** Moves refused rows aside. Throws only if neither the table nor the file took them. */
  async put(rows: RefusedRow[]): Promise<'table' | 'file'> {
    if (!rows.length) return 'table'
    const at = now()
    const values: StoredRow[] = rows.map((r) => ({
      project_id: wellFormed(r.project),
      id: quarantineId(r.table, r.row),
      target: r.table,
      columns: [...r.columns],
      // Lone surrogates are JSON escapes in the line (plain ASCII); the reason may quote raw text.
      row_json: wellFormed(r.row),
      error: wellFormed(r.error),
      status: 'quarantined',
      quarantined_at: at,
      updated_at: at,
    }))
    try {
      await this.store.client.insert({ table: 'quarantine', values, format: 'JSONEachRow' })
      return 'table'
    } catch (err) {
      await this.appendToFile(values, err)
      return 'file'
    }
  }

  /**
   * Moves rows that an earlier run could only write to the file into the table (at start): they
   * become listable and re-insertable. The file stays if the table still refuses them.
   */
  async recoverFile(): Promise<number> {
    let text: string
    try {
      text = await readFile(this.fallbackFile, 'utf8')
    } catch {
      return 0
    }
    const values: StoredRow[] = []
    for (const line of text.split('\n')) {
      if (!line.trim()) continue
      try {
        const { quarantine_error: _, ...row } = JSON.parse(line) as StoredRow & { quarantine_error?: string }
        values.push(row)
      } catch {
        // a line torn by a crash: it was never counted as quarantined
      }
    }
    if (values.length) await this.store.client.insert({ table: 'quarantine', values, format: 'JSONEachRow' })
    await unlink(this.fallbackFile)
    return values.length
  }

  private async appendToFile(values: StoredRow[], err: unknown): Promise<void> {
    await mkdir(dirname(this.fallbackFile), { recursive: true })
    const fh = await open(this.fallbackFile, 'a')
    try {
      const reason = clip(wellFormed(String((err as { message?: unknown })?.message ?? err)), 500)
      await fh.write(values.map((v) => JSON.stringify({ ...v, quarantine_error: reason }) + '\n').join(''))
      await fh.datasync()
    } finally {
      await fh.close()
    }
  }

  async list(project: string, opts: { status?: 'quarantined' | 'reinserted'; limit: number; offset: number }): Promise<{ total: number; rows: QuarantinedRow[] }> {
    const params = { project, status: opts.status ?? 'quarantined', limit: opts.limit, offset: opts.offset }
    const where = `project_id = {project:String} AND status = {status:String}`
    const [count] = await (await this.store.client.query({ query: `SELECT count() AS n FROM quarantine FINAL WHERE ${where}`, query_params: params, format: 'JSONEachRow' })).json<{ n: string }>()
    const rs = await this.store.client.query({
      query: `SELECT toString(id) AS id, target, columns, row_json, error, status, toString(quarantined_at) AS quarantined_at
        FROM quarantine FINAL WHERE ${where} ORDER BY quarantined_at DESC, id LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      query_params: params,
      format: 'JSONEachRow',
    })
    const rows = (await rs.json<Omit<StoredRow, 'project_id' | 'updated_at'>>()).map((r) => ({
      id: r.id,
      target: r.target as TargetTable,
      columns: [...r.columns],
      row: parseOr(r.row_json),
      error: r.error,
      status: r.status as QuarantinedRow['status'],
      quarantined_at: r.quarantined_at,
    }))
    return { total: Number(count?.n ?? 0), rows }
  }

  /**
   * Inserts a project's quarantined rows (all, or those of `ids`) again through the sink, rows made
   * well-formed first. Stored rows are marked `reinserted`; rows refused again stay quarantined
   * with the new reason. An outage is thrown and changes nothing.
   */
  async reinsert(project: string, ids?: string[]): Promise<ReinsertResult> {
    const rs = await this.store.client.query({
      query: `SELECT toString(id) AS id, target, columns, row_json, error, toString(quarantined_at) AS quarantined_at
        FROM quarantine FINAL WHERE project_id = {project:String} AND status = 'quarantined'${ids ? ' AND toString(id) IN {ids:Array(String)}' : ''}`,
      query_params: { project, ids: ids ?? [] },
      format: 'JSONEachRow',
    })
    const found = await rs.json<StoredRow>()
    const result: ReinsertResult = { reinserted: 0, refused: 0, events: 0 }
    const groups = new Map<string, StoredRow[]>()
    for (const r of found) {
      const key = `${r.target}\u0000${JSON.stringify(r.columns)}`
      groups.get(key)?.push(r) ?? groups.set(key, [r])
    }
    const updates: StoredRow[] = []
    const at = now()
    for (const rows of groups.values()) {
      const target = rows[0]!.target as TargetTable
      const columns = target === 'events' ? rows[0]!.columns : EVENT_COLUMNS
      const lines = rows.map((r) => repaired(r.row_json))
      const batch = targetBatch(target, columns, lines)
      let refused: RefusedRow[] = []
      try {
        await this.sink.insert(batch)
      } catch (err) {
        if (!isDataError(err)) throw err
        refused = await isolateRefused(this.sink, batch)
      }
      const reason = new Map(refused.map((r) => [r.row, r.error]))
      rows.forEach((r, i) => {
        const error = reason.get(lines[i]!)
        if (error === undefined) {
          result.reinserted++
          if (target === 'events') result.events++
          updates.push({ ...r, project_id: project, status: 'reinserted', updated_at: at })
        } else {
          result.refused++
          updates.push({ ...r, project_id: project, error, status: 'quarantined', updated_at: at })
        }
      })
    }
    if (updates.length) await this.store.client.insert({ table: 'quarantine', values: updates, format: 'JSONEachRow' })
    return result
  }
}

function parseOr(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** The row with every string well-formed (what ingestion now does before acknowledging). */
function repaired(line: string): string {
  try {
    return JSON.stringify(wellFormedDeep(JSON.parse(line)))
  } catch {
    return line
  }
}

const EMPTY = Buffer.alloc(0)

function targetBatch(target: TargetTable, columns: readonly string[], lines: string[]): EncodedBatch {
  const bytes = lineBytes(lines)
  return {
    columns,
    events: target === 'events' ? bytes : EMPTY,
    eventCount: target === 'events' ? lines.length : 0,
    aliases: target === 'person_aliases' ? bytes : EMPTY,
    accounts: target === 'user_accounts' ? bytes : EMPTY,
  }
}
