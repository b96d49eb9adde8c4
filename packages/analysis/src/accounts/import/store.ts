import type { ClickHouseClient } from '@clickhouse/client'
import { createHash, randomUUID } from 'node:crypto'
import type { ParsedRows } from './kinds.js'

export interface ImportMeta {
  source: 'csv' | 'stripe'
  /** accounts | contracts | renewals | stripe_subscriptions */
  kind: string
  /** The file as received: its hash makes a repeated upload of the same file a no-op. */
  content: string
}

export interface ImportResult {
  importId: string
  status: 'committed' | 'unchanged'
  rows: { accounts: number; contracts: number; renewals: number }
}

const CHUNK = 5_000
let counter = 0

/** Increasing across imports (milliseconds × 1000 + a per-process counter): the latest import wins per key. */
function nextSeq(): number {
  counter = (counter + 1) % 1000
  return Date.now() * 1000 + counter
}

const now = () => new Date().toISOString().replace('T', ' ').replace('Z', '')

/**
 * Stores validated rows as one import. Rows are written first, tagged with the import's sequence;
 * the single `committed` row written last makes them visible together (readers join on committed
 * imports). If any write fails the import is marked failed, its rows are deleted where possible,
 * and nothing of it is ever read. Uploading the same file as the last committed import of its kind
 * changes nothing.
 */
export async function commitImport(client: ClickHouseClient, projectId: string, rows: ParsedRows, meta: ImportMeta): Promise<ImportResult> {
  const counts = { accounts: rows.accounts.length, contracts: rows.contracts.length, renewals: rows.outcomes.length }
  const hash = createHash('sha256').update(`${meta.source}\n${meta.kind}\n${meta.content}`).digest('hex')
  const last = await lastCommitted(client, projectId, meta.kind)
  if (last && last.content_hash === hash) return { importId: last.import_id, status: 'unchanged', rows: counts }

  const importId = randomUUID()
  const seq = nextSeq()
  const status = (s: string, message = '') =>
    client.insert({
      table: 'account_imports',
      values: [{ project_id: projectId, import_id: importId, seq, source: meta.source, kind: meta.kind, content_hash: hash, status: s, rows: counts.accounts + counts.contracts + counts.renewals, message, created_at: now(), updated_at: now() }],
      format: 'JSONEachRow',
    })
  await status('pending')
  try {
    await insertChunks(client, 'accounts', rows.accounts.map((a) => ({
      project_id: projectId, account_id: a.accountId, import_seq: seq, name: a.name, plan: a.plan, seats: a.seats, cac: a.cac,
    })))
    await insertChunks(client, 'contract_versions', rows.contracts.map((c) => ({
      project_id: projectId, contract_id: c.contractId, effective_from: c.effectiveFrom, import_seq: seq, account_id: c.accountId,
      term_start: c.termStart, term_end: c.termEnd, amount: c.amount, currency: c.currency, billing_months: c.billingMonths, seats: c.seats,
    })))
    await insertChunks(client, 'renewal_outcomes', rows.outcomes.map((o) => ({
      project_id: projectId, contract_id: o.contractId, due_date: o.dueDate, import_seq: seq, account_id: o.accountId,
      outcome: o.outcome, new_amount: o.newAmount, new_billing_months: o.newBillingMonths, new_seats: o.newSeats,
    })))
  } catch (err) {
    await status('failed', err instanceof Error ? err.message.slice(0, 500) : String(err)).catch(() => undefined)
    await discardRows(client, projectId, seq)
    throw err
  }
  await status('committed')
  return { importId, status: 'committed', rows: counts }
}

async function insertChunks(client: ClickHouseClient, table: string, values: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < values.length; i += CHUNK) {
    await client.insert({ table, values: values.slice(i, i + CHUNK), format: 'JSONEachRow' })
  }
}

/** Best effort: a failed import's rows are invisible anyway; deleting them only saves space. */
async function discardRows(client: ClickHouseClient, projectId: string, seq: number): Promise<void> {
  for (const table of ['accounts', 'contract_versions', 'renewal_outcomes']) {
    await client
      .command({ query: `DELETE FROM ${table} WHERE project_id = {project:String} AND import_seq = {seq:UInt64}`, query_params: { project: projectId, seq } })
      .catch(() => undefined)
  }
}

async function lastCommitted(client: ClickHouseClient, projectId: string, kind: string) {
  const rs = await client.query({
    query: `SELECT import_id, content_hash FROM account_imports FINAL
WHERE project_id = {project:String} AND kind = {kind:String} AND status = 'committed'
ORDER BY seq DESC LIMIT 1`,
    query_params: { project: projectId, kind },
    format: 'JSONEachRow',
  })
  return (await rs.json<{ import_id: string; content_hash: string }>())[0]
}

export interface ImportRecord {
  importId: string
  source: string
  kind: string
  status: string
  rows: number
  message: string
  createdAt: string
}

export async function listImports(client: ClickHouseClient, projectId: string, limit = 50): Promise<ImportRecord[]> {
  const rs = await client.query({
    query: `SELECT import_id, source, kind, status, rows, message, toString(created_at) AS created_at
FROM account_imports FINAL WHERE project_id = {project:String} ORDER BY seq DESC LIMIT {limit:UInt32}`,
    query_params: { project: projectId, limit },
    format: 'JSONEachRow',
  })
  return (await rs.json<Record<string, string>>()).map((r) => ({
    importId: r.import_id!, source: r.source!, kind: r.kind!, status: r.status!, rows: Number(r.rows), message: r.message!, createdAt: r.created_at!,
  }))
}
