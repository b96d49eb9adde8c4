import type { ClickHouseClient } from '@clickhouse/client'
import { parseAccountsCsv } from './csv.js'
import type { RowError } from './errors.js'
import type { ImportKind, ParsedRows } from './kinds.js'
import { parseStripeSubscriptions } from './stripe.js'
import { commitImport, type ImportResult } from './store.js'

export { parseAccountsCsv, MAX_CSV_ROWS } from './csv.js'
export { parseStripeSubscriptions, type StripeOptions } from './stripe.js'
export { commitImport, listImports, type ImportRecord, type ImportResult } from './store.js'
export { IMPORT_KINDS, KIND_COLUMNS, detectKind, type ImportKind, type ParsedRows } from './kinds.js'
export type { RowError } from './errors.js'

export type ImportInput =
  | { format: 'csv'; content: string; kind?: ImportKind }
  | { format: 'stripe'; content: string; accountIdKey?: string }

export type ImportOutcome =
  | ({ ok: true; kind: string; skipped: { id: string; status: string }[] } & ImportResult)
  | { ok: false; kind: string | null; errors: RowError[]; errorCount: number }

/** Validates the whole file, then stores it as one import (all or nothing). Row errors come back, nothing is stored. */
export async function importAccountData(client: ClickHouseClient, projectId: string, input: ImportInput): Promise<ImportOutcome> {
  let rows: ParsedRows
  let kind: string
  let skipped: { id: string; status: string }[] = []
  if (input.format === 'csv') {
    const parsed = parseAccountsCsv(input.content, input.kind)
    if (!parsed.ok) return { ok: false, kind: parsed.kind, errors: parsed.errors, errorCount: parsed.errorCount }
    rows = parsed.rows
    kind = parsed.kind
  } else {
    let json: unknown
    try {
      json = JSON.parse(input.content)
    } catch (err) {
      return { ok: false, kind: 'stripe_subscriptions', errors: [{ line: null, field: null, message: `not JSON: ${(err as Error).message}` }], errorCount: 1 }
    }
    const parsed = parseStripeSubscriptions(json, { accountIdKey: input.accountIdKey })
    if (!parsed.ok) return { ok: false, kind: 'stripe_subscriptions', errors: parsed.errors, errorCount: parsed.errorCount }
    rows = parsed.rows
    kind = 'stripe_subscriptions'
    skipped = parsed.skipped
  }
  const result = await commitImport(client, projectId, rows, { source: input.format, kind, content: input.content })
  return { ok: true, kind, skipped, ...result }
}
