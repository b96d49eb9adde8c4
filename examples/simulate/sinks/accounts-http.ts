import { accountBookCsv } from '../book-csv.js'
import type { AccountBook } from '../ground-truth.js'

/**
 * Uploads the account book to `POST /v1/accounts/import` as the three CSV files, in order
 * (accounts, then contracts, then renewals), with the project's secret key.
 */
export async function importBookOverHttp(url: string, secretKey: string, book: AccountBook): Promise<void> {
  const csv = accountBookCsv(book)
  for (const kind of ['accounts', 'contracts', 'renewals'] as const) {
    const res = await fetch(`${url.replace(/\/$/, '')}/v1/accounts/import?kind=${kind}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${secretKey}` },
      body: csv[kind],
    })
    if (!res.ok) {
      const body = (await res.json().catch(() => null)) as { error?: { message?: string }; row_errors?: unknown[] } | null
      throw new Error(`importing ${kind} failed (${res.status}): ${body?.error?.message ?? ''} ${JSON.stringify(body?.row_errors?.slice(0, 3) ?? [])}`)
    }
  }
}
