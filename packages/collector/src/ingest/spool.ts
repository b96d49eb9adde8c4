import { open, readdir, readFile, stat, unlink, mkdir } from 'node:fs/promises'
import { join } from 'node:path'

/**
 * Append-only write-ahead log on disk, in numbered segment files of newline-separated JSON records.
 *
 * `append` resolves only once the record is fsynced, and concurrent appends share one write and
 * one fsync (group commit), so latency stays near one fsync under load. Segments are deleted when
 * every record in them has been released (stored elsewhere) or when the whole file was replayed.
 * A crash can leave a torn last line; readers skip lines that do not parse, and such a line was
 * never acknowledged because its fsync had not returned.
 */
export interface SpoolOptions {
  dir: string
  maxBytes: number
  segmentBytes: number
}

/** The file operations the spool appends with; tests wrap them to inject disk errors (ENOSPC). */
export interface SpoolFile {
  write(buf: Buffer): Promise<unknown>
  datasync(): Promise<void>
  close(): Promise<void>
}
export type OpenSpoolFile = (path: string, flags: 'a') => Promise<SpoolFile>

interface Segment {
  id: number
  bytes: number
  records: number
  released: number
  closed: boolean
  fh?: SpoolFile
}

interface Pending {
  line: Buffer
  resolve(seg: number): void
  reject(err: unknown): void
}

export class SpoolFullError extends Error {
  constructor() {
    super('spool is full')
  }
}

export class SpoolClosedError extends Error {
  constructor() {
    super('spool is closed')
  }
}

const NAME = /^seg-(\d{10})\.log$/
const fileName = (id: number) => `seg-${String(id).padStart(10, '0')}.log`

export class Spool {
  private readonly segments = new Map<number, Segment>()
  private active!: Segment
  private pending: Pending[] = []
  private pendingBytes = 0
  private running: Promise<void> | null = null
  private rotateWanted = false
  private closed = false
  private diskBytes = 0

  constructor(
    private readonly opts: SpoolOptions,
    private readonly openFile: OpenSpoolFile = open,
  ) {}

  /** Opens the folder and starts a fresh segment; returns the ids of segments left by an earlier run. */
  async open(): Promise<number[]> {
    await mkdir(this.opts.dir, { recursive: true })
    const old: number[] = []
    for (const f of await readdir(this.opts.dir)) {
      const m = NAME.exec(f)
      if (!m) continue
      const id = Number(m[1])
      const { size } = await stat(join(this.opts.dir, f))
      // Records of earlier runs are unknown until replayed: count one so release() never deletes them.
      this.segments.set(id, { id, bytes: size, records: 1, released: 0, closed: true })
      this.diskBytes += size
      old.push(id)
    }
    old.sort((a, b) => a - b)
    await this.startSegment((old.at(-1) ?? 0) + 1)
    return old
  }

  get bytes(): number {
    return this.diskBytes + this.pendingBytes
  }

  get segmentCount(): number {
    return this.segments.size
  }

  get activeId(): number {
    return this.active.id
  }

  /** Whether `bytes` more would fit under the bound. */
  fits(bytes: number): boolean {
    return this.bytes + bytes <= this.opts.maxBytes
  }

  /** Appends one record; resolves with its segment id once it is on disk. */
  append(record: unknown): Promise<number> {
    return this.appendLine(JSON.stringify(record))
  }

  /** Appends a record already serialised as one line of JSON (no newline inside). */
  appendLine(json: string): Promise<number> {
    if (this.closed) return Promise.reject(new SpoolClosedError())
    const line = Buffer.from(json + '\n')
    if (!this.fits(line.length)) return Promise.reject(new SpoolFullError())
    return new Promise<number>((resolve, reject) => {
      this.pending.push({ line, resolve, reject })
      this.pendingBytes += line.length
      this.kick()
    })
  }

  /** Closes the active segment (if it holds anything) so it can be deleted or replayed. */
  async rotate(): Promise<void> {
    this.rotateWanted = true
    this.kick()
    await this.running
  }

  /** Marks `n` records of a segment as stored; deletes the segment when all of it is. */
  async release(id: number, n = 1): Promise<void> {
    const seg = this.segments.get(id)
    if (!seg) return
    seg.released += n
    await this.deleteIfDone(seg)
  }

  /**
   * Every record of a closed segment. An unterminated last line is a write torn by a crash, never
   * acknowledged, and is skipped silently; other lines that do not parse are counted as `bad`.
   */
  async read(id: number): Promise<{ records: unknown[]; bad: number }> {
    const text = await readFile(join(this.opts.dir, fileName(id)), 'utf8')
    const lines = text.split('\n')
    lines.pop() // '' after the final newline, or the torn tail
    const records: unknown[] = []
    let bad = 0
    for (const line of lines) {
      if (!line) continue
      try {
        records.push(JSON.parse(line))
      } catch {
        bad++
      }
    }
    return { records, bad }
  }

  /** Deletes a closed segment whose records were all stored by replaying it. */
  async remove(id: number): Promise<void> {
    const seg = this.segments.get(id)
    if (!seg || !seg.closed) return
    this.segments.delete(id)
    this.diskBytes -= seg.bytes
    await unlink(join(this.opts.dir, fileName(id))).catch(() => {})
  }

  /** Waits for queued appends, closes the active segment's file; later appends fail. */
  async close(): Promise<void> {
    this.closed = true
    await this.running
    await this.active.fh?.close()
    this.active.fh = undefined
    this.active.closed = true
    await this.deleteIfDone(this.active)
  }

  private kick(): void {
    this.running ??= this.run().finally(() => {
      this.running = null
      if (this.pending.length || this.rotateWanted) this.kick()
    })
  }

  private async run(): Promise<void> {
    while (this.pending.length || this.rotateWanted) {
      if (this.rotateWanted) {
        this.rotateWanted = false
        if (this.active.bytes > 0) await this.startSegment(this.active.id + 1)
        continue
      }
      const items = this.pending
      this.pending = []
      const buf = Buffer.concat(items.map((i) => i.line))
      this.pendingBytes -= buf.length
      const seg = this.active
      try {
        await seg.fh!.write(buf)
        await seg.fh!.datasync()
      } catch (err) {
        for (const i of items) i.reject(err)
        // A failed write may leave part of a line: continue in a fresh segment.
        seg.bytes += buf.length
        this.diskBytes += buf.length
        await this.startSegment(seg.id + 1).catch(() => {})
        continue
      }
      seg.bytes += buf.length
      seg.records += items.length
      this.diskBytes += buf.length
      for (const i of items) i.resolve(seg.id)
      if (seg.bytes >= this.opts.segmentBytes) await this.startSegment(seg.id + 1)
    }
  }

  private async startSegment(id: number): Promise<void> {
    const prev = this.active as Segment | undefined
    const fh = await this.openFile(join(this.opts.dir, fileName(id)), 'a')
    const seg: Segment = { id, bytes: 0, records: 0, released: 0, closed: false, fh }
    this.segments.set(id, seg)
    this.active = seg
    if (prev) {
      await prev.fh?.close()
      prev.fh = undefined
      prev.closed = true
      await this.deleteIfDone(prev)
    }
  }

  private async deleteIfDone(seg: Segment): Promise<void> {
    if (seg.closed && seg.released >= seg.records) await this.remove(seg.id)
  }
}
