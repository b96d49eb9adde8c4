import type { AccountBook } from './ground-truth.js'

/**
 * The account book as the three CSV files the account import reads (accounts, contracts,
 * renewals) — what a revenue team would export from its billing system.
 */
export function accountBookCsv(book: AccountBook): { accounts: string; contracts: string; renewals: string } {
  const accounts = [
    'account_id,name,plan,seats',
    ...book.accounts.map((a) => row([a.id, a.name, a.plan, a.seats])),
  ]
  const contracts = [
    'contract_id,account_id,term_start,term_end,amount,currency,billing_period,seats',
    ...book.contracts.map((c) => row([c.id, c.account_id, c.start, c.end, c.amount.toFixed(2), c.currency, c.billing_period, c.seats])),
  ]
  const renewals = [
    'contract_id,account_id,due_date,outcome,new_amount,new_seats',
    ...book.contracts
      .filter((c) => c.outcome)
      .map((c) => {
        const next = c.outcome === 'churned' ? undefined : book.contracts.find((n) => n.account_id === c.account_id && n.start === c.end)
        return row([c.id, c.account_id, c.end, c.outcome!, c.outcome === 'churned' ? '' : (c.new_amount ?? 0).toFixed(2), next ? next.seats : ''])
      }),
  ]
  return { accounts: lines(accounts), contracts: lines(contracts), renewals: lines(renewals) }
}

function lines(rows: string[]): string {
  return rows.join('\n') + '\n'
}

function row(values: (string | number)[]): string {
  return values.map((v) => csvField(String(v))).join(',')
}

/** Quotes a field when it holds a comma, quote or line break. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}
