import type { ClickHouseClient } from '@clickhouse/client'
import type { AccountBook } from '../accounts/types.js'
import { resolveContext } from '../retention/context.js'
import type { SegmentSelector } from './definition.js'
import { resolveSegment, type AppliedSegment } from './resolve.js'

/** The accounts of a segment as of a report's as-of date (00:00 of it in the project's time zone). */
export async function segmentAccounts(
  client: ClickHouseClient,
  project: string,
  asOf: string,
  sel: SegmentSelector,
): Promise<{ applied: AppliedSegment | null; accounts: Set<string> } | null> {
  if (sel.segment === undefined && sel.segmentDef === undefined && !sel.group) return null
  const ctx = await resolveContext(client, project, { asOf })
  const segment = await resolveSegment(client, ctx, sel, 'account')
  if (!segment) return null
  const rs = await client.query({ query: segment.filter.sql, query_params: segment.filter.params, format: 'JSONCompactEachRow' })
  const accounts = new Set((await rs.json<[string]>()).map((r) => r[0]))
  return { applied: segment.applied, accounts }
}

/** The book of the given accounts only: their accounts, contract versions and renewal outcomes. */
export function restrictBook(book: AccountBook, accounts: ReadonlySet<string>): AccountBook {
  return {
    accounts: book.accounts.filter((a) => accounts.has(a.accountId)),
    contracts: book.contracts.filter((c) => accounts.has(c.accountId)),
    outcomes: book.outcomes.filter((o) => accounts.has(o.accountId)),
  }
}
