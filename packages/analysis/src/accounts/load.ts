import type { ClickHouseClient } from '@clickhouse/client'
import type { Account, AccountBook, ContractVersion, RenewalLabel, RenewalOutcome } from './types.js'
import { shareInFlight } from '../sql/in-flight.js'

/** Rows of committed imports only: an import becomes visible when its `committed` row exists. */
const COMMITTED = `import_seq IN (SELECT seq FROM account_imports FINAL WHERE project_id = {project:String} AND status = 'committed')`

/**
 * The project's account book as the latest committed import of each row says. For accounts, an
 * empty cell does not erase what an earlier import said (a Stripe import knows no CAC, say).
 */
export async function loadBook(client: ClickHouseClient, projectId: string): Promise<AccountBook> {
  // A page's reports each read the book at once: they share one read, each with its own copy.
  return structuredClone(await shareInFlight(client, JSON.stringify(['book', projectId]), () => readBook(client, projectId)))
}

async function readBook(client: ClickHouseClient, projectId: string): Promise<AccountBook> {
  const q = async <T>(query: string) =>
    (await client.query({ query, query_params: { project: projectId }, format: 'JSONEachRow' })).json<T>()
  const [accounts, contracts, outcomes] = await Promise.all([
    q<{ account_id: string; name: string; plan: string; seats: number | null; cac: string | null }>(`
SELECT account_id,
  argMaxIf(name, import_seq, name != '') AS name,
  argMaxIf(plan, import_seq, plan != '') AS plan,
  argMaxIf(seats, import_seq, seats IS NOT NULL) AS seats,
  toString(argMaxIf(cac, import_seq, cac IS NOT NULL)) AS cac
FROM accounts WHERE project_id = {project:String} AND ${COMMITTED}
GROUP BY account_id ORDER BY account_id`),
    q<{ contract_id: string; effective_from: string; account_id: string; term_start: string; term_end: string | null; amount: string; currency: string; billing_months: number; seats: number | null }>(`
SELECT contract_id, toString(effective_from) AS effective_from,
  argMax(account_id, import_seq) AS account_id,
  toString(argMax(term_start, import_seq)) AS term_start,
  toString(argMax(term_end, import_seq)) AS term_end,
  toString(argMax(amount, import_seq)) AS amount,
  argMax(currency, import_seq) AS currency,
  argMax(billing_months, import_seq) AS billing_months,
  argMax(seats, import_seq) AS seats
FROM contract_versions WHERE project_id = {project:String} AND ${COMMITTED}
GROUP BY contract_id, effective_from ORDER BY contract_id, effective_from`),
    q<{ contract_id: string; due_date: string; account_id: string; outcome: string; new_amount: string | null; new_billing_months: number | null; new_seats: number | null }>(`
SELECT contract_id, toString(due_date) AS due_date,
  argMax(account_id, import_seq) AS account_id,
  argMax(outcome, import_seq) AS outcome,
  toString(argMax(new_amount, import_seq)) AS new_amount,
  argMax(new_billing_months, import_seq) AS new_billing_months,
  argMax(new_seats, import_seq) AS new_seats
FROM renewal_outcomes WHERE project_id = {project:String} AND ${COMMITTED}
GROUP BY contract_id, due_date ORDER BY contract_id, due_date`),
  ])
  return {
    accounts: accounts.map((r): Account => ({ accountId: r.account_id, name: r.name, plan: r.plan, seats: nullableNumber(r.seats), cac: r.cac })),
    contracts: contracts.map((r): ContractVersion => ({
      contractId: r.contract_id, accountId: r.account_id, effectiveFrom: r.effective_from, termStart: r.term_start, termEnd: r.term_end,
      amount: r.amount, currency: r.currency, billingMonths: Number(r.billing_months), seats: nullableNumber(r.seats),
    })),
    outcomes: outcomes.map((r): RenewalOutcome => ({
      contractId: r.contract_id, accountId: r.account_id, dueDate: r.due_date, outcome: r.outcome as RenewalLabel,
      newAmount: r.new_amount, newBillingMonths: nullableNumber(r.new_billing_months), newSeats: nullableNumber(r.new_seats),
    })),
  }
}

function nullableNumber(v: number | string | null): number | null {
  return v === null || v === undefined ? null : Number(v)
}
