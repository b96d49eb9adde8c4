import { EVENT_COLUMNS, type AccountRow, type AliasRow } from './rows.js'
import { lineBytes, type EncodedBatch } from './encoded.js'

/** Events per project. */
export type ByProject = Map<string, number>

export function addTo(m: ByProject, project: string, n: number): void {
  m.set(project, (m.get(project) ?? 0) + n)
}

const NEWLINE = 0x0a
/** A UTF-16 code unit never takes more than three bytes of UTF-8. */
const MAX_BYTES_PER_UNIT = 3

/**
 * One future insert, filled as requests are accepted: rows are encoded straight into a buffer that
 * is reused from insert to insert. Building an insert then costs no copy, and the memory is already
 * mapped, so a second's worth of rows never stalls the event loop (copying megabytes into fresh
 * memory takes tens of milliseconds on a small virtual machine).
 */
export class Chunk {
  private bytes: Buffer
  private used = 0
  eventCount = 0
  /** Taken by an insert: later rows go to the next chunk. */
  sealed = false
  /** Order in which the batcher opened it (a reused chunk gets a new one). */
  seq = 0
  private aliases: string[] = []
  private accounts: string[] = []
  /** Spool records per segment, released once the chunk is stored. */
  readonly bySeg = new Map<number, number>()
  readonly byProject: ByProject = new Map()
  /** Lines that may be stored already (see `EncodedBatch.checkLines`). */
  private checkLines: [number, number][] = []

  constructor(initialBytes = 1 << 20) {
    this.bytes = Buffer.allocUnsafeSlow(initialBytes)
  }

  /** Adds one accepted request: its spool segment, project and rows (`eventJson` from `eventRowJson`). */
  add(seg: number, project: string, eventJson: string[], aliases: AliasRow[], accounts: AccountRow[], checkStored = false): void {
    if (checkStored) {
      const last = this.checkLines.at(-1)
      if (last && last[1] === this.eventCount) last[1] += eventJson.length
      else this.checkLines.push([this.eventCount, this.eventCount + eventJson.length])
    }
    for (const line of eventJson) {
      this.reserve(line.length * MAX_BYTES_PER_UNIT + 1)
      this.used += this.bytes.write(line, this.used)
      this.bytes[this.used++] = NEWLINE
    }
    for (const a of aliases) this.aliases.push(JSON.stringify(a))
    for (const a of accounts) this.accounts.push(JSON.stringify(a))
    this.eventCount += eventJson.length
    this.bySeg.set(seg, (this.bySeg.get(seg) ?? 0) + 1)
    addTo(this.byProject, project, eventJson.length)
  }

  /** The chunk as an insert. Its event bytes are a view of the chunk's buffer: valid until `reset`. */
  encoded(): EncodedBatch {
    return {
      columns: EVENT_COLUMNS,
      events: this.bytes.subarray(0, this.used),
      eventCount: this.eventCount,
      aliases: lineBytes(this.aliases),
      accounts: lineBytes(this.accounts),
      ...(this.checkLines.length ? { checkStored: true, checkLines: this.checkLines.map(([a, b]): [number, number] => [a, b]) } : {}),
    }
  }

  /** Empties the chunk for reuse, keeping its buffer. */
  reset(): void {
    this.used = 0
    this.eventCount = 0
    this.sealed = false
    this.checkLines = []
    this.aliases = []
    this.accounts = []
    this.bySeg.clear()
    this.byProject.clear()
  }

  private reserve(n: number): void {
    if (this.used + n <= this.bytes.length) return
    const grown = Buffer.allocUnsafeSlow(Math.max(this.bytes.length * 2, this.used + n))
    this.bytes.copy(grown, 0, 0, this.used)
    this.bytes = grown
  }
}
