import type { Store } from '@tenure/analysis/store'
import type { RowBatch } from './rows.js'

/** Where accepted rows end up. The real one inserts into ClickHouse; tests wrap it to inject faults. */
export interface RowSink {
  insert(batch: RowBatch): Promise<void>
}

/** Inserts the three tables of a batch. Events first: side tables only ever describe stored events. */
export function storeSink(store: Store): RowSink {
  return {
    async insert(batch) {
      if (batch.events.length) await store.client.insert({ table: 'events', values: batch.events, format: 'JSONEachRow' })
      if (batch.aliases.length) await store.client.insert({ table: 'person_aliases', values: batch.aliases, format: 'JSONEachRow' })
      if (batch.accounts.length) await store.client.insert({ table: 'user_accounts', values: batch.accounts, format: 'JSONEachRow' })
    },
  }
}

export function mergeBatches(batches: RowBatch[]): RowBatch {
  const out: RowBatch = { events: [], aliases: [], accounts: [] }
  for (const b of batches) {
    for (const e of b.events) out.events.push(e)
    for (const a of b.aliases) out.aliases.push(a)
    for (const a of b.accounts) out.accounts.push(a)
  }
  return out
}
