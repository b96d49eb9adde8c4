import type { Store } from '@tenure/analysis/store'
import type { EncodedBatch } from './encoded.js'
import { withoutStored, type RowKey } from './replay-dedupe.js'
import type { AccountRow, AliasRow } from './rows.js'

const ALIAS_COLUMNS = ['project_id', 'anonymous_id', 'user_id', 'updated_at'] as const satisfies readonly (keyof AliasRow)[]
const ACCOUNT_COLUMNS = ['project_id', 'user_id', 'account_id', 'updated_at'] as const satisfies readonly (keyof AccountRow)[]

/** Where accepted rows end up. The real one inserts into ClickHouse; tests wrap it to inject faults. */
export interface RowSink {
  insert(batch: EncodedBatch): Promise<void>
}

/**
 * The uuids among `keys` that the events table holds, found on its sort key (project, account,
 * user key, uuid), so each lookup reads a few granules.
 */
export function storedLookup(store: Store) {
  return async (project: string, keys: RowKey[]): Promise<Set<string>> => {
    const rs = await store.client.query({
      query: `SELECT DISTINCT toString(uuid) AS u FROM events
        WHERE project_id = {project:String} AND (account_id, user_key, uuid) IN (
          SELECT t.1, t.2, toUUIDOrZero(t.3) FROM (SELECT arrayJoin(arrayZip({accounts:Array(String)}, {users:Array(String)}, {uuids:Array(String)})) AS t))`,
      query_params: { project, accounts: keys.map((k) => k.account), users: keys.map((k) => k.userKey), uuids: keys.map((k) => k.uuid) },
      format: 'JSONEachRow',
    })
    return new Set((await rs.json<{ u: string }>()).map((r) => r.u))
  }
}

/**
 * Inserts the three tables of a batch. Events go as the JSONCompactEachRow bytes they were spooled
 * as, so rows are not serialised a second time. Column names come from our own list (or a spool
 * record, checked as identifiers). Events first: side tables only ever describe stored events.
 * A batch that may hold stored rows (a spool replay, a client's late retry) first loses those.
 */
export function storeSink(store: Store): RowSink {
  const lookup = storedLookup(store)
  return {
    async insert(input) {
      const batch = input.checkStored ? await withoutStored(input, lookup) : input
      if (batch.eventCount) {
        await store.insertBytes({ table: 'events', columns: batch.columns, format: 'JSONCompactEachRow', bytes: batch.events })
      }
      if (batch.aliases.length) await store.insertBytes({ table: 'person_aliases', columns: ALIAS_COLUMNS, format: 'JSONEachRow', bytes: batch.aliases })
      if (batch.accounts.length) await store.insertBytes({ table: 'user_accounts', columns: ACCOUNT_COLUMNS, format: 'JSONEachRow', bytes: batch.accounts })
    },
  }
}
