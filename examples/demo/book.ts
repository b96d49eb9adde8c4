import type { Store } from '@tenure/analysis/store'
import { importAccountData } from '@tenure/analysis'
import { accountBookCsv } from '../simulate/book-csv.js'
import type { AccountBook } from '../simulate/ground-truth.js'

/**
 * Imports the simulated account book the way a customer would: the three CSV files (accounts,
 * contracts, renewals) through the account import, each validated whole and stored all or nothing.
 */
export async function importDemoBook(client: Store['client'], projectId: string, book: AccountBook): Promise<void> {
  const csv = accountBookCsv(book)
  for (const kind of ['accounts', 'contracts', 'renewals'] as const) {
    const result = await importAccountData(client, projectId, { format: 'csv', content: csv[kind], kind })
    if (!result.ok) {
      const first = result.errors[0]
      throw new Error(`the ${kind} import was refused (${result.errorCount} errors), first: line ${first?.line} ${first?.message}`)
    }
  }
}
