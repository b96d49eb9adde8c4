import type { ClickHouseClient } from '@clickhouse/client'
import { loadBook } from '../accounts/load.js'

/** The imported name of an account ('' when it has none or the id is empty), for page titles. */
export async function accountName(client: ClickHouseClient, projectId: string, accountId: string): Promise<string> {
  if (!accountId) return ''
  const book = await loadBook(client, projectId)
  return book.accounts.find((a) => a.accountId === accountId)?.name ?? ''
}
