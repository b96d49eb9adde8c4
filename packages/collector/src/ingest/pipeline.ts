import type { CollectorConfig } from '../config.js'
import { HttpError } from '../errors.js'
import type { Metrics } from '../metrics.js'
import { addTo as add, Chunk, type ByProject } from './chunk.js'
import { fromSpoolRecord, mergeable, mergeEncoded, spoolLine, type EncodedBatch } from './encoded.js'
import { eventRowJson, type RowBatch } from './rows.js'
import type { RowSink } from './sink.js'
import { Spool, SpoolClosedError, SpoolFullError, type OpenSpoolFile } from './spool.js'
import { spoolRecordProject } from './spool-project.js'
import { isDataError, isolateRefused, type RefusedRow } from './isolate.js'
import type { Quarantine } from './quarantine.js'

/** Durable acceptance of rows: `accept` resolves once they are safe on disk. */
export interface Ingest {
  /** `eventJson`: the rows already serialised by `eventRowJson`, when the caller has them. */
  accept(batch: RowBatch, eventJson?: string[]): Promise<void>
  /** Inserts everything accepted so far (memory and spool backlog); resolves when done or when the store fails. */
  flush(): Promise<void>
  close(opts?: { timeoutMs?: number }): Promise<void>
  stats(): IngestStats
  /** Events of one project acknowledged in this run and not stored yet. */
  backlogOf(project: string): number
}

export interface IngestStats {
  spoolBytes: number
  spoolMaxBytes: number
  spoolSegments: number
  /** Events waiting for the store whose count is known (acknowledged in this run). */
  backlogEvents: number
  /** Spool segments waiting to be replayed from disk (left by an earlier run, or written while memory was full). */
  replaySegments: number
  storeUp: boolean
  /** Whether ingestion refused events for a full spool in the last few seconds. */
  spoolFull: boolean
  /** Whether the spool's disk refused the last write (ENOSPC): nothing is acknowledged until a write succeeds. */
  spoolDiskFull: boolean
}

/** Errors of a spool write that mean its disk (or quota) is full: answered 503 like a full spool, not 500. */
const DISK_FULL = new Set(['ENOSPC', 'EDQUOT'])

/** Emptied chunks kept for reuse: one being inserted while the next fills, and a spare. */
const SPARE_CHUNKS = 2

/** How long a refusal keeps health reporting the spool as full (unless it drained in between). */
const FULL_MEMORY_MS = 5_000

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/**
 * Write-ahead spool + batcher. An accepted batch is appended to the spool and, while memory allows,
 * added to an insert-sized chunk in memory; the batcher inserts chunks by size or time and then releases the spool
 * records. When inserts fail the rows stay in memory (and on disk) and are retried with backoff;
 * when memory is full, new batches wait on disk only and whole segments are replayed from there.
 * A replay leaves out rows the store already holds (see replay-dedupe.ts), and a retried insert
 * is dropped by the store as a repeat of its last blocks, so each row reaches the events table and
 * the activity rollup fed from it once.
 */
export class SpoolIngest implements Ingest {
  /** Chunks waiting for the store, oldest first; only the last one takes new rows. */
  private queue: Chunk[] = []
  private spare: Chunk[] = []
  private queuedEvents = 0
  /** Segments that must be read back from disk: left by an earlier run, or written while memory was full. */
  private readonly replay = new Set<number>()
  private replayEvents = 0
  /** Backlog per project: batches queued in memory, and those left to a replay from disk (per segment). */
  private readonly queuedBy: ByProject = new Map()
  private readonly replayBy = new Map<number, ByProject>()
  private timer: NodeJS.Timeout | null = null
  private loop: Promise<void> | null = null
  /** The first chunk is being inserted. */
  private inserting = false
  /** Chunks opened so far (the last one's `seq`). */
  private opened = 0
  private backoffMs = 0
  private storeUp = true
  private refusedAt = 0
  /** Set when a spool write fails for lack of disk space; cleared by the next write that succeeds. */
  private diskFull = false
  private closing = false
  private stopped = false

  private constructor(
    private readonly spool: Spool,
    private readonly sink: RowSink,
    private readonly config: CollectorConfig,
    private readonly metrics: Metrics,
    private readonly quarantine: Quarantine | null,
  ) {
    metrics.gauges = () => {
      const s = this.stats()
      return {
        spool_bytes: s.spoolBytes,
        spool_max_bytes: s.spoolMaxBytes,
        spool_segments: s.spoolSegments,
        backlog_events: s.backlogEvents,
        replay_segments: s.replaySegments,
        store_up: s.storeUp ? 1 : 0,
      }
    }
  }

  /** Opens the spool and starts replaying what an earlier run left behind. */
  static async start(sink: RowSink, config: CollectorConfig, metrics: Metrics, quarantine: Quarantine | null = null, openFile?: OpenSpoolFile): Promise<SpoolIngest> {
    const spool = new Spool(config.spool, openFile)
    const left = await spool.open()
    const ingest = new SpoolIngest(spool, sink, config, metrics, quarantine)
    for (const id of left) ingest.replay.add(id)
    if (left.length) ingest.schedule(0)
    return ingest
  }

  /** A batch holds one request's rows, so its events all belong to one project (that of its first row). */
  async accept(batch: RowBatch, eventJson: string[] = batch.events.map(eventRowJson)): Promise<void> {
    if (this.closing) throw new HttpError('shutting_down', 'the collector is shutting down', null, 5)
    const n = batch.events.length
    const project = batch.events[0]?.project_id ?? batch.aliases[0]?.project_id ?? batch.accounts[0]?.project_id ?? ''
    let seg: number
    try {
      seg = await this.spool.appendLine(spoolLine(eventJson, batch.aliases, batch.accounts, project))
    } catch (err) {
      if (err instanceof SpoolFullError) {
        this.metrics.inc('events_refused_spool_full', n, project || undefined)
        this.refusedAt = Date.now()
        throw new HttpError('spool_full', 'the collector cannot store more events right now; retry later', null, this.retryAfterSeconds())
      }
      if (err instanceof SpoolClosedError) throw new HttpError('shutting_down', 'the collector is shutting down', null, 5)
      if (DISK_FULL.has((err as NodeJS.ErrnoException | null)?.code ?? '')) {
        // Nothing was acknowledged: the client keeps its events and retries, as for a full spool.
        this.diskFull = true
        this.metrics.inc('events_refused_spool_full', n, project || undefined)
        if (this.metrics.get('spool_disk_full_writes') % 100 === 0) console.error('[collector] the spool disk is full; refusing events:', String(err))
        this.metrics.inc('spool_disk_full_writes')
        throw new HttpError('spool_full', 'the collector has no disk space to store events right now; retry later', null, Math.max(5, this.retryAfterSeconds()))
      }
      throw err
    }
    this.diskFull = false
    this.metrics.inc('events_spooled', n, project || undefined)
    if (this.queuedEvents < this.config.batch.memoryRows && !this.replay.has(seg)) {
      this.openChunk(n).add(seg, project, eventJson, batch.aliases, batch.accounts, batch.checkStored)
      this.queuedEvents += n
      add(this.queuedBy, project, n)
    } else {
      // Memory is full (the store is slow or down): this segment will be read back from disk.
      if (!this.replay.has(seg)) this.replay.add(seg)
      this.replayEvents += n
      let by = this.replayBy.get(seg)
      if (!by) this.replayBy.set(seg, (by = new Map()))
      add(by, project, n)
    }
    this.schedule(this.fullWaiting() ? 0 : this.config.batch.maxDelayMs)
  }

  /**
   * A chunk waits that no more rows will join: one that is not being inserted and is not the last
   * (only the last takes rows), or a last one at an insert's size. The chunk taking rows is not
   * counted, however large the backlog: inserting it early would cut it short, and steady traffic
   * would then be stored as a stream of small inserts, each a part of every table a view writes.
   */
  private fullWaiting(): boolean {
    const waiting = this.queue.length - (this.inserting ? 1 : 0)
    return waiting > 1 || (waiting === 1 && this.queue.at(-1)!.eventCount >= this.config.batch.maxRows)
  }

  /** The chunk that takes `n` more rows: the last one, unless it is being inserted or would pass an insert's size. */
  private openChunk(n: number): Chunk {
    const last = this.queue.at(-1)
    if (last && !last.sealed && (last.eventCount === 0 || last.eventCount + n <= this.config.batch.maxRows)) return last
    const chunk = this.spare.pop() ?? new Chunk()
    chunk.seq = ++this.opened
    this.queue.push(chunk)
    return chunk
  }

  stats(): IngestStats {
    return {
      spoolBytes: this.spool.bytes,
      spoolMaxBytes: this.config.spool.maxBytes,
      spoolSegments: this.spool.segmentCount,
      backlogEvents: this.queuedEvents + this.replayEvents,
      replaySegments: this.replay.size,
      storeUp: this.storeUp,
      spoolFull: Date.now() - this.refusedAt < FULL_MEMORY_MS && !this.spool.fits(this.config.spool.maxBytes * 0.05),
      spoolDiskFull: this.diskFull,
    }
  }

  backlogOf(project: string): number {
    let n = this.queuedBy.get(project) ?? 0
    for (const by of this.replayBy.values()) n += by.get(project) ?? 0
    return n
  }

  /**
   * Stores what was accepted before the call: the chunks in memory and the segments waiting on
   * disk now. Requests that arrive meanwhile wait for the batcher as usual: under steady traffic
   * there is always a chunk taking rows, and waiting for none would never end.
   */
  async flush(): Promise<void> {
    this.clearTimer()
    const upTo = this.opened
    const segments = [...this.replay]
    await this.drain(() => (this.queue[0]?.seq ?? Infinity) > upTo && segments.every((id) => !this.replay.has(id)))
  }

  async close(opts: { timeoutMs?: number } = {}): Promise<void> {
    this.closing = true
    this.clearTimer()
    const deadline = Date.now() + (opts.timeoutMs ?? 10_000)
    // Keep trying while the store recovers; whatever is left stays in the spool for the next start.
    while (Date.now() < deadline) {
      await this.drain(true)
      if (this.queue.length === 0 && this.replay.size === 0) break
      await sleep(Math.min(this.backoffMs || 100, Math.max(0, deadline - Date.now())))
    }
    this.stopped = true
    await this.loop
    await this.spool.close()
  }

  private retryAfterSeconds(): number {
    return this.storeUp ? 1 : Math.max(1, Math.ceil(Math.max(this.backoffMs, 1000) / 1000))
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return
    // A running batcher takes every full chunk before it stops, and schedules the next run itself.
    if (this.loop && delayMs === 0) return
    // While the store is down, the retry waits its backoff: a request must not move it later.
    const wait = Math.max(delayMs, this.backoffMs)
    if (this.timer && wait > 0) return
    this.clearTimer()
    this.timer = setTimeout(() => {
      this.timer = null
      void this.drain()
    }, wait)
  }

  /**
   * Inserts what is waiting. On a timer (`all` false) that is one insert, and more only while full
   * chunks wait, so steady traffic makes few large inserts; `all` true inserts everything (closing),
   * and a function inserts until it says enough (a flush). Stops at the first failed insert. Runs
   * are chained, so one batcher runs at a time.
   */
  private drain(all: boolean | (() => boolean) = false): Promise<void> {
    const next = (this.loop ?? Promise.resolve()).then(async () => {
      for (let first = true; ; first = false) {
        if (typeof all === 'function' && all()) break
        if (!all && !first && this.queue.length > 0 && !this.fullWaiting() && this.replayable() === undefined) break
        if (!(await this.step())) break
      }
    })
    this.loop = next
    void next
      .catch((err) => console.error('[collector] batcher error', err))
      .finally(() => {
        if (this.loop === next) this.loop = null
        if (!this.stopped && (this.queue.length || this.replay.size)) this.schedule(!this.storeUp ? this.backoffMs : this.fullWaiting() || this.replayable() !== undefined ? 0 : this.config.batch.maxDelayMs)
      })
    return next.catch(() => {})
  }

  /**
   * Inserts one chunk from memory or one spool segment: a full chunk first, then a segment no chunk
   * holds records of, then the chunk taking rows. False when there is nothing to do or the insert failed.
   */
  private async step(): Promise<boolean> {
    // A segment waiting on disk goes before the chunk still taking rows: under steady traffic that
    // chunk is never empty, and the segment would wait for a pause in traffic.
    const ready = this.replayable()
    if (ready !== undefined && !this.fullWaiting()) return this.replaySegment(ready)
    if (this.queue.length) return this.insertFromMemory()
    // Memory is empty, so no segment is held back: `ready` was the oldest, and there is none.
    // Everything is stored: close the active segment so its file can go.
    if (this.spool.bytes > 0) await this.spool.rotate()
    return false
  }

  /**
   * The oldest segment waiting to be read back that no chunk in memory holds records of. One that
   * a chunk does (written before memory filled up) waits for that chunk's insert: a replay leaves
   * out only rows already stored, and the chunk would store its rows again.
   */
  private replayable(): number | undefined {
    if (this.replay.size === 0) return undefined
    const held = new Set<number>()
    for (const chunk of this.queue) for (const seg of chunk.bySeg.keys()) held.add(seg)
    return [...this.replay].filter((id) => !held.has(id)).sort((a, b) => a - b)[0]
  }

  private async insertFromMemory(): Promise<boolean> {
    const chunk = this.queue[0]!
    chunk.sealed = true
    let refused: ByProject
    this.inserting = true
    try {
      refused = await this.insertOrIsolate(chunk.encoded())
    } catch (err) {
      // The chunk stays first in line, sealed, and is inserted again after the backoff.
      this.failed(err, chunk.byProject)
      return false
    } finally {
      this.inserting = false
    }
    this.queue.shift()
    this.queuedEvents -= chunk.eventCount
    this.succeeded()
    this.countStored('events_inserted', chunk.byProject, refused)
    for (const [project, n] of chunk.byProject) {
      const left = (this.queuedBy.get(project) ?? 0) - n
      if (left > 0) this.queuedBy.set(project, left)
      else this.queuedBy.delete(project)
    }
    for (const [seg, n] of chunk.bySeg) await this.spool.release(seg, n)
    chunk.reset()
    if (this.spare.length < SPARE_CHUNKS) this.spare.push(chunk)
    return true
  }

  private async replaySegment(id: number): Promise<boolean> {
    if (id === this.spool.activeId) await this.spool.rotate()
    const { records, bad } = await this.spool.read(id)
    const batches: EncodedBatch[] = []
    const projects: (string | undefined)[] = []
    for (const r of records) {
      const b = fromSpoolRecord(r)
      if (!b) continue
      batches.push(b)
      projects.push(spoolRecordProject(r))
    }
    const unreadable = records.length - batches.length + bad
    let events = 0
    const replayed: ByProject = new Map()
    for (let i = 0; i < batches.length; ) {
      const chunk: EncodedBatch[] = []
      const byProject: ByProject = new Map()
      let rows = 0
      while (i < batches.length && (rows === 0 || (rows + batches[i]!.eventCount <= this.config.batch.maxRows && mergeable(chunk[0]!, batches[i]!)))) {
        rows += batches[i]!.eventCount
        add(byProject, projects[i] ?? '', batches[i]!.eventCount)
        chunk.push(batches[i++]!)
      }
      let refused: ByProject
      try {
        refused = await this.insertOrIsolate({ ...mergeEncoded(chunk), checkStored: true })
      } catch (err) {
        // The segment stays; the whole of it is replayed again later (copies collapse by uuid).
        this.failed(err, byProject)
        return false
      }
      events += rows
      for (const [project, n] of byProject) add(replayed, project, n - (refused.get(project) ?? 0))
      for (const [project, n] of refused) this.metrics.inc('events_quarantined', n, project || undefined)
    }
    this.succeeded()
    // A last line torn by a crash was never acknowledged; any other unreadable record is loss, and is counted.
    this.metrics.inc('spool_records_lost', unreadable)
    this.countByProject('events_replayed', replayed)
    this.replayEvents = Math.max(0, this.replayEvents - events)
    this.replayBy.delete(id)
    this.replay.delete(id)
    await this.spool.remove(id)
    return true
  }

  /**
   * Inserts a batch; when the store refuses it for its data (not for an outage), stores the rows it
   * takes and moves the refused ones to the quarantine, in this same round, so one bad row never
   * holds back the rows (and projects) around it. Returns refused events per project. Throws when
   * the batch must be retried: an outage, or refused rows that neither the quarantine table nor its
   * file could take. While nothing fails this costs nothing but the try.
   */
  private async insertOrIsolate(batch: EncodedBatch): Promise<ByProject> {
    const none: ByProject = new Map()
    try {
      await this.sink.insert(batch)
      return none
    } catch (err) {
      if (!this.quarantine || !isDataError(err)) throw err
    }
    const rows: RefusedRow[] = await isolateRefused(this.sink, batch)
    if (!rows.length) return none
    const where = await this.quarantine.put(rows)
    if (where === 'file') this.metrics.inc('quarantine_file_rows', rows.length)
    const byProject: ByProject = new Map()
    for (const r of rows) {
      if (r.table === 'events') add(byProject, r.project, 1)
      else this.metrics.inc('side_rows_quarantined')
    }
    console.error(`[collector] the store refused ${rows.length} row(s); moved to the quarantine (${where}): ${rows[0]!.error.slice(0, 200)}`)
    return byProject
  }

  /** Stored events per project: those of the batch less those moved to the quarantine. */
  private countStored(name: 'events_inserted' | 'events_replayed', byProject: ByProject, refused: ByProject): void {
    for (const [project, n] of byProject) this.metrics.inc(name, n - (refused.get(project) ?? 0), project || undefined)
    for (const [project, n] of refused) this.metrics.inc('events_quarantined', n, project || undefined)
  }

  /** Counts per project; events whose project is unknown ('') are counted for the collector only. */
  private countByProject(name: 'events_inserted' | 'events_replayed' | 'events_failed', byProject: ByProject): void {
    for (const [project, n] of byProject) this.metrics.inc(name, n, project || undefined)
  }

  private failed(err: unknown, byProject: ByProject): void {
    this.storeUp = false
    this.metrics.inc('insert_failures')
    this.countByProject('events_failed', byProject)
    this.backoffMs = Math.min(this.config.batch.retryMaxMs, Math.max(this.config.batch.retryMinMs, this.backoffMs * 2))
    if (this.metrics.get('insert_failures') % 20 === 1) console.error('[collector] store insert failed; events stay in the spool:', String(err))
  }

  private succeeded(): void {
    this.storeUp = true
    this.backoffMs = 0
  }
}
