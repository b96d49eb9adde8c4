import type { ClickHouseClient } from '@clickhouse/client'
import { importAccountData } from '../src/accounts/import/index.js'
import { addDays, addMonths, type IsoDate } from '../src/accounts/dates.js'
import type { SyntheticShape } from './generate.js'

/**
 * An account book for the synthetic events of `generateEvents`: one account per `acct-N`, each
 * on quarterly terms from before the events start until it churns or reaches the end, so renewals
 * fall throughout the event history (what the health score is fitted and validated on). Everything
 * derives from the account number, so every run imports the same book. Imported as the CSV files a
 * customer would upload.
 */
export async function importBenchBook(client: ClickHouseClient, s: SyntheticShape): Promise<{ accounts: number; contracts: number; asOf: IsoDate }> {
  const asOf = addDays(s.start as IsoDate, s.days)
  const accounts = ['account_id,name,plan,seats']
  const contracts = ['contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats']
  let terms = 0
  for (let a = 0; a < s.accounts; a++) {
    const h = hash(a)
    const seats = 5 + (h % 26)
    accounts.push(`acct-${a},Account ${a},${h % 3 === 0 ? 'business' : 'team'},${seats}`)
    let start = addDays(s.start as IsoDate, -90 + (h % 90))
    for (let term = 0; start <= asOf; term++) {
      const end = addMonths(start, 3)
      contracts.push(`acct-${a}-t${term},acct-${a},${start},${end},${300 * seats},USD,quarterly,${seats}`)
      terms += 1
      // About one account in six churns at each renewal.
      if (hash(a * 1000 + term) % 6 === 0) break
      start = end
    }
  }
  for (const [kind, rows] of [['accounts', accounts], ['contracts', contracts]] as const) {
    const r = await importAccountData(client, s.project, { format: 'csv', content: rows.join('\n') + '\n', kind })
    if (!r.ok) throw new Error(`the bench ${kind} import was refused: ${JSON.stringify(r.errors.slice(0, 3))}`)
  }
  return { accounts: s.accounts, contracts: terms, asOf }
}

function hash(n: number): number {
  let x = (n + 0x9e3779b9) >>> 0
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0
  return (x ^ (x >>> 16)) >>> 0
}
