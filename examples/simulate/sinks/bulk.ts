import type { Store } from '@tenure/analysis/store'
import { buildEventRow, IdentityTracker, parseAgent, TextTokens, type AccountRow, type AliasRow, type EventRow } from '@tenure/collector'
import type { SimSession } from '../sessions.js'

export interface BulkSinkOptions {
  store: Store
  projectId: string
  /** Rows per insert; large inserts are what ClickHouse likes best. */
  rowsPerInsert?: number
}

/**
 * Writes simulated events straight into the store, skipping HTTP: the rows are built by the
 * collector's own row builder and identity tracker, so they are the rows ingestion would store.
 * For loads of millions of events (benchmarks), where going through HTTP would only measure HTTP.
 * Element text becomes tokens as in ingestion; `flush()` publishes the texts k people produced.
 */
export class BulkSink {
  private readonly identities = new IdentityTracker(1_000_000)
  private rows: EventRow[] = []
  private readonly rowsPerInsert: number
  private pending: Promise<void> = Promise.resolve()
  private texts: TextTokens
  private tokenise: Promise<(row: EventRow) => void>
  events = 0

  constructor(private readonly opts: BulkSinkOptions) {
    this.rowsPerInsert = opts.rowsPerInsert ?? 200_000
    this.texts = new TextTokens(opts.store.client)
    this.tokenise = this.texts.forProject(opts.projectId)
    this.tokenise.catch(() => {})
  }

  async write(session: SimSession): Promise<void> {
    const agent = parseAgent(session.ua)
    const tokenise = await this.tokenise
    for (const e of session.events) {
      const row = buildEventRow(e, e.timestamp, {
        projectId: this.opts.projectId,
        receivedAt: e.timestamp,
        skewMs: 0,
        lib: 'web',
        agent,
        ip: '',
      })
      tokenise(row)
      this.rows.push(row)
    }
    this.events += session.events.length
    if (this.rows.length >= this.rowsPerInsert) await this.insert()
  }

  async flush(): Promise<number> {
    if (this.rows.length) await this.insert()
    await this.pending
    await this.texts.check()
    return this.events
  }

  /** One insert runs while the next batch is being generated; at most one waits. */
  private async insert(): Promise<void> {
    const events = this.rows
    this.rows = []
    const side = this.identities.rowsFor(events)
    await this.pending
    this.pending = this.insertRows(events, side.aliases, side.accounts)
  }

  /** Events first: the side tables only ever describe stored events. */
  private async insertRows(events: EventRow[], aliases: AliasRow[], accounts: AccountRow[]): Promise<void> {
    const { client } = this.opts.store
    await client.insert({ table: 'events', values: events, format: 'JSONEachRow' })
    if (aliases.length) await client.insert({ table: 'person_aliases', values: aliases, format: 'JSONEachRow' })
    if (accounts.length) await client.insert({ table: 'user_accounts', values: accounts, format: 'JSONEachRow' })
  }
}
