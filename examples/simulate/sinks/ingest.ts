import { buildEventRow, chTime, eventRowJson, IdentityTracker, parseAgent, type Collector, type EventRow } from '@tenure/collector'
import type { SimSession } from '../sessions.js'

export interface IngestSinkOptions {
  collector: Collector
  projectId: string
  /** Events per hand-off; each is one spool record and one fsync. */
  batchSize?: number
}

/**
 * Hands simulated visits to a running collector's ingestion pipeline in-process, skipping only
 * HTTP: rows built by the collector's own row builder and identity tracker, element text
 * tokenised with the project's key, then the durable spool and the batched inserts every accepted
 * request goes through. For history loaded in bulk, where the HTTP round trips would cost more
 * than everything else. The events must be valid (the simulator's are): nothing is checked here.
 */
export class IngestSink {
  private readonly identities = new IdentityTracker(1_000_000)
  private rows: EventRow[] = []
  private readonly batchSize: number
  private readonly tokenise: Promise<(row: EventRow) => void>
  events = 0

  constructor(private readonly opts: IngestSinkOptions) {
    this.batchSize = opts.batchSize ?? 5_000
    this.tokenise = opts.collector.deps.texts.forProject(opts.projectId)
    this.tokenise.catch(() => {})
  }

  async write(session: SimSession): Promise<void> {
    const agent = parseAgent(session.ua)
    const tokenise = await this.tokenise
    const receivedAt = Date.now()
    const ctx = { projectId: this.opts.projectId, receivedAt, receivedAtText: chTime(receivedAt), skewMs: 0, lib: 'web', agent, ip: '' }
    for (const e of session.events) {
      const row = buildEventRow(e, e.timestamp, ctx)
      tokenise(row)
      this.rows.push(row)
    }
    this.events += session.events.length
    if (this.rows.length >= this.batchSize) await this.handOff()
  }

  /** Hands off what is left and inserts everything accepted so far. */
  async flush(): Promise<number> {
    if (this.rows.length) await this.handOff()
    await this.opts.collector.deps.ingest.flush()
    return this.events
  }

  private async handOff(): Promise<void> {
    const events = this.rows
    this.rows = []
    const side = this.identities.rowsFor(events)
    const { ingest, config } = this.opts.collector.deps
    // Faster than the store inserts, a loader would push the pipeline past what it keeps in
    // memory, and every record after that would be read back from disk: wait for the store instead.
    while (ingest.stats().backlogEvents > config.batch.memoryRows / 2) await sleep(20)
    await ingest.accept({ events, ...side }, events.map(eventRowJson))
  }
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))
