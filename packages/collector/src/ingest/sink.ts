import { quoteIdent, type Store } from '@tenure/analysis/store'
import type { EncodedBatch } from './encoded.js'

/** Where accepted rows end up. The real one inserts into ClickHouse; tests wrap it to inject faults. */
export interface RowSink {
  insert(batch: EncodedBatch): Promise<void>
}

/**
 * Inserts the three tables of a batch. Events go as the JSONCompactEachRow text they were spooled
 * as (inline after the INSERT, which both the embedded engine and a server accept), so rows are not
 * serialised a second time. Column names come from our own list (or a spool record, checked as
 * identifiers). Events first: side tables only ever describe stored events.
 */
export function storeSink(store: Store): RowSink {
  return {
    async insert(batch) {
      if (batch.eventCount) {
        const columns = batch.columns.map(quoteIdent).join(', ')
        await store.client.command({ query: `INSERT INTO events (${columns}) FORMAT JSONCompactEachRow\n${batch.events}` })
      }
      if (batch.aliases.length) await store.client.insert({ table: 'person_aliases', values: batch.aliases, format: 'JSONEachRow' })
      if (batch.accounts.length) await store.client.insert({ table: 'user_accounts', values: batch.accounts, format: 'JSONEachRow' })
    },
  }
}
