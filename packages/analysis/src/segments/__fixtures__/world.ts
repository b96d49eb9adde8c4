import type { ClickHouseClient } from '@clickhouse/client'
import { createHash } from 'node:crypto'

/** An event as a segment test writes it; `at` is an ISO instant. */
export interface PropEvent {
  at: string
  event?: string
  user?: string
  anon?: string
  account?: string
  url?: string
  referrer?: string
  browser?: string
  os?: string
  device?: string
  /** The country the collector looked up on the client IP (IP storage on). */
  country?: string
  properties?: Record<string, unknown>
}

let counter = 0
const uuidOf = (seed: string) => {
  const h = createHash('sha1').update(seed).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export async function insertPropEvents(client: ClickHouseClient, project: string, events: readonly PropEvent[]): Promise<void> {
  await client.insert({
    table: 'events',
    values: events.map((e) => {
      const ts = e.at.replace('T', ' ').replace('Z', '')
      const url = e.url ?? 'https://app.example.com/'
      return {
        project_id: project, uuid: uuidOf(`${project}/${counter++}`), event: e.event ?? '$pageview',
        timestamp: ts, client_timestamp: ts, received_at: ts,
        anonymous_id: e.anon ?? `anon-of-${e.user ?? 'nobody'}`, user_id: e.user ?? '', account_id: e.account ?? '', session_id: '',
        url, path: new URL(url).pathname, referrer: e.referrer ?? '', properties: JSON.stringify(e.properties ?? {}),
        browser: e.browser ?? '', os: e.os ?? '', device_type: e.device ?? '', country: e.country ?? '', elements: [],
      }
    }),
    format: 'JSONEachRow',
  })
}

export async function insertMemberships(client: ClickHouseClient, project: string, members: Record<string, string>, at = '2024-01-01 00:00:00.000'): Promise<void> {
  await client.insert({
    table: 'user_accounts',
    values: Object.entries(members).map(([user_id, account_id]) => ({ project_id: project, user_id, account_id, updated_at: at })),
    format: 'JSONEachRow',
  })
}

/** A committed import of accounts (and optionally contracts) with sequence `seq`, made at `at`. */
export async function importAccounts(
  client: ClickHouseClient,
  project: string,
  seq: number,
  at: string,
  accounts: { id: string; plan?: string; seats?: number | null; name?: string }[],
  contracts: { id: string; account: string; start: string; end: string; amount: number }[] = [],
): Promise<void> {
  if (accounts.length) {
    await client.insert({
      table: 'accounts',
      values: accounts.map((a) => ({ project_id: project, account_id: a.id, import_seq: seq, name: a.name ?? '', plan: a.plan ?? '', seats: a.seats ?? null, cac: null })),
      format: 'JSONEachRow',
    })
  }
  if (contracts.length) {
    await client.insert({
      table: 'contract_versions',
      values: contracts.map((c) => ({
        project_id: project, contract_id: c.id, effective_from: c.start, import_seq: seq, account_id: c.account,
        term_start: c.start, term_end: c.end, amount: c.amount, currency: 'USD', billing_months: 12, seats: null,
      })),
      format: 'JSONEachRow',
    })
  }
  await client.insert({
    table: 'account_imports',
    values: [{ project_id: project, import_id: `i${seq}`, seq, source: 'csv', kind: 'accounts', content_hash: `h${seq}`, status: 'committed', rows: accounts.length, message: '', created_at: at, updated_at: at }],
    format: 'JSONEachRow',
  })
}
