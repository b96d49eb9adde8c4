import type { Store } from '@tenure/analysis/store'
import type { EncodedBatch } from './encoded.js'
import type { AccountRow, AliasRow } from './rows.js'

const ALIAS_COLUMNS = ['project_id', 'anonymous_id', 'user_id', 'updated_at'] as const satisfies readonly (keyof AliasRow)[]
const ACCOUNT_COLUMNS = ['project_id', 'user_id', 'account_id', 'updated_at'] as const satisfies readonly (keyof AccountRow)[]

/** Where accepted rows end up. The real one inserts into ClickHouse; tests wrap it to inject faults. */
export interface RowSink {
  insert(batch: EncodedBatch): Promise<void>
}

/**
 * Inserts the three tables of a batch. Events go as the JSONCompactEachRow bytes they were spooled
 * as, so rows are not serialised a second time. Column names come from our own list (or a spool
 * record, checked as identifiers). Events first: side tables only ever describe stored events.
 */
export function storeSink(store: Store): RowSink {
  return {
    async insert(batch) {
      if (batch.eventCount) {
        await store.insertBytes({ table: 'events', columns: batch.columns, format: 'JSONCompactEachRow', bytes: batch.events })
      }
      if (batch.aliases.length) await store.insertBytes({ table: 'person_aliases', columns: ALIAS_COLUMNS, format: 'JSONEachRow', bytes: batch.aliases })
      if (batch.accounts.length) await store.insertBytes({ table: 'user_accounts', columns: ACCOUNT_COLUMNS, format: 'JSONEachRow', bytes: batch.accounts })
    },
  }
}
