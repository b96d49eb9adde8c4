import type { ClickHouseClient } from '@clickhouse/client'
import { randomUUID } from 'node:crypto'
import { mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { CounterLedger, CounterRow } from './ledger.js'

/** All the flusher needs of the store client (tests wrap it to inject faults). */
export type CounterClient = Pick<ClickHouseClient, 'insert'>

/** Deltas written in one insert; the token makes a retried insert count once. */
interface Batch {
  token: string
  rows: CounterRow[]
}

export interface CounterFlusherOptions {
  intervalMs: number
  /** Where deltas that could not be written when closing wait for the next start. */
  leftoverFile: string
}

/** A project's deltas not in the table yet, on UTC days from..to. */
export type Unflushed = (project: string, from: string, to: string) => CounterRow[]

/** What readers of the counters need: the table and the deltas not in it, seen at one moment. */
export interface CounterReader {
  /**
   * Runs `read` with no write to the table between its query and its call of `unflushed`, so nothing
   * counts twice or not at all. (A batch whose write failed after reaching the table, its answer
   * lost, shows twice until its retry, which the table drops as a copy.)
   */
  consistent<T>(read: (unflushed: Unflushed) => Promise<T>): Promise<T>
}

const isRow = (r: unknown): r is CounterRow => {
  const x = r as CounterRow
  return typeof x === 'object' && x !== null && typeof x.project_id === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(String(x.day)) &&
    typeof x.counter === 'string' && typeof x.reason === 'string' && Number.isSafeInteger(x.value) && x.value >= 0
}

/**
 * Writes the per-project counter deltas of `Metrics` to `ingest_counters`: on a timer, on demand
 * and when closing. A failed write keeps its batch, with its token, and retries exactly that batch
 * first; what is counted meanwhile waits in the ledger (one row per key however long the store is
 * down). What cannot be written when closing is saved to a file and written on the next start.
 * Writes and consistent reads run one at a time.
 */
export class CounterFlusher implements CounterReader {
  private unsent: Batch[] = []
  private chain: Promise<unknown> = Promise.resolve()
  private timer: NodeJS.Timeout | null = null
  private failures = 0
  private leftoverPending = false
  private closed = false

  private constructor(
    private readonly client: CounterClient,
    private readonly ledger: CounterLedger,
    private readonly opts: CounterFlusherOptions,
  ) {}

  /** Loads deltas an earlier run could not write, and starts the timer. */
  static async start(client: CounterClient, ledger: CounterLedger, opts: CounterFlusherOptions): Promise<CounterFlusher> {
    const flusher = new CounterFlusher(client, ledger, opts)
    await flusher.loadLeftover()
    flusher.timer = setInterval(() => void flusher.flush(), opts.intervalMs)
    flusher.timer.unref()
    if (flusher.unsent.length) void flusher.flush()
    return flusher
  }

  /** Writes everything counted so far; false when the store refused (the deltas are kept). */
  flush(): Promise<boolean> {
    return this.exclusive(() => this.write())
  }

  consistent<T>(read: (unflushed: Unflushed) => Promise<T>): Promise<T> {
    return this.exclusive(() =>
      read((project, from, to) => [
        ...this.unsent.flatMap((b) => b.rows).filter((r) => r.project_id === project && r.day >= from && r.day <= to),
        ...this.ledger.pendingFor(project, from, to),
      ]),
    )
  }

  /** Stops the timer and writes what is left; on failure saves it for the next start. Count nothing after this. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    if (await this.flush()) return
    await this.exclusive(() => this.saveLeftover())
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn)
    this.chain = run.catch(() => {})
    return run
  }

  /** Batches that failed before go first, unchanged; then one batch of what was counted since. */
  private async write(): Promise<boolean> {
    if (this.ledger.size) this.unsent.push({ token: randomUUID(), rows: this.ledger.take() })
    while (this.unsent.length) {
      const batch = this.unsent[0]!
      try {
        await this.client.insert({
          table: 'ingest_counters',
          values: batch.rows,
          format: 'JSONEachRow',
          clickhouse_settings: { insert_deduplication_token: batch.token },
        })
      } catch (err) {
        if (this.failures++ % 20 === 0) console.error('[collector] writing ingestion counters failed; kept for a retry:', String(err))
        this.mergeTail()
        return false
      }
      this.unsent.shift()
    }
    this.failures = 0
    if (this.leftoverPending) {
      this.leftoverPending = false
      await unlink(this.opts.leftoverFile).catch(() => {})
    }
    return true
  }

  /**
   * While the store is down, batches after the first (never sent, so no token is spent on them)
   * fold into one, so a long outage keeps two batches, not one per tick.
   */
  private mergeTail(): void {
    if (this.unsent.length <= 2) return
    const [first, second, ...rest] = this.unsent
    const sum = new Map<string, CounterRow>()
    for (const r of [second!, ...rest].flatMap((b) => b.rows)) {
      const key = `${r.project_id}\u0000${r.day}\u0000${r.counter}\u0000${r.reason}`
      const hit = sum.get(key)
      if (hit) hit.value += r.value
      else sum.set(key, { ...r })
    }
    this.unsent = [first!, { token: second!.token, rows: [...sum.values()] }]
  }

  private async saveLeftover(): Promise<void> {
    if (this.ledger.size) this.unsent.push({ token: randomUUID(), rows: this.ledger.take() })
    if (!this.unsent.length) return
    const tmp = `${this.opts.leftoverFile}.tmp`
    try {
      await mkdir(dirname(this.opts.leftoverFile), { recursive: true })
      await writeFile(tmp, JSON.stringify(this.unsent))
      await rename(tmp, this.opts.leftoverFile)
    } catch (err) {
      console.error('[collector] ingestion counters could not be written nor saved; they are lost:', String(err))
    }
  }

  private async loadLeftover(): Promise<void> {
    let text: string
    try {
      text = await readFile(this.opts.leftoverFile, 'utf8')
    } catch {
      return
    }
    try {
      const batches = JSON.parse(text) as unknown
      if (!Array.isArray(batches)) throw new Error('not a list')
      for (const b of batches as Batch[]) {
        if (typeof b?.token !== 'string' || !Array.isArray(b.rows) || !b.rows.every(isRow)) throw new Error('not a batch')
        this.unsent.push({ token: b.token, rows: b.rows })
      }
      this.leftoverPending = true
    } catch (err) {
      console.error(`[collector] ignoring unreadable ${this.opts.leftoverFile}:`, String(err))
    }
  }
}
