import { parse } from 'csv-parse/sync'
import type { Account, ContractVersion, RenewalOutcome } from '../types.js'
import { ImportErrors, type RowError } from './errors.js'
import { detectKind, IMPORT_KINDS, KIND_COLUMNS, naturalKey, ROW_SCHEMAS, type ImportKind, type ParsedRows } from './kinds.js'

export const MAX_CSV_ROWS = 200_000

export type CsvParseResult =
  | { ok: true; kind: ImportKind; rows: ParsedRows; rowCount: number }
  | { ok: false; kind: ImportKind | null; errors: RowError[]; errorCount: number }

interface CsvRecord {
  record: string[]
  info: { lines: number }
}

/**
 * Parses and validates a whole CSV file before anything is stored: header first (missing, unknown
 * or repeated columns), then every row, then keys across rows. Any error fails the file.
 */
export function parseAccountsCsv(text: string, kindHint?: ImportKind): CsvParseResult {
  let records: CsvRecord[]
  try {
    records = parse(text, { bom: true, skip_empty_lines: true, info: true, relax_quotes: false }) as unknown as CsvRecord[]
  } catch (err) {
    const e = err as { lines?: number; message?: string }
    return fail(kindHint ?? null, [{ line: e.lines ?? null, field: null, message: `unreadable CSV: ${e.message ?? String(err)}` }])
  }
  if (records.length === 0) return fail(kindHint ?? null, [{ line: 1, field: null, message: 'the file is empty: expected a header row' }])
  if (records.length - 1 > MAX_CSV_ROWS) {
    return fail(kindHint ?? null, [{ line: null, field: null, message: `too many rows: ${records.length - 1} (at most ${MAX_CSV_ROWS} per file)` }])
  }
  const header = records[0]!.record.map((c) => c.trim().toLowerCase())
  const kind = kindHint ?? detectKind(header)
  if (!kind) {
    return fail(null, [{ line: 1, field: null, message: `cannot tell what the file holds from its header; name the kind (${IMPORT_KINDS.join(', ')})` }])
  }
  const headerErrors = checkHeader(header, kind)
  if (headerErrors.length) return fail(kind, headerErrors)

  const errors = new ImportErrors()
  const schema = ROW_SCHEMAS[kind]
  const out: (Account | ContractVersion | RenewalOutcome)[] = []
  const seen = new Map<string, number>()
  const contractAccount = new Map<string, { account: string; line: number }>()
  const spec = KIND_COLUMNS[kind]
  for (const { record, info } of records.slice(1)) {
    const line = info.lines - record.reduce((n, f) => n + (f.match(/\n/g)?.length ?? 0), 0)
    const raw: Record<string, string> = {}
    for (const c of [...spec.required, ...spec.optional]) raw[c] = ''
    header.forEach((c, i) => (raw[c] = record[i] ?? ''))
    const parsed = schema.safeParse(raw)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = issue.path.length ? String(issue.path[0]) : null
        errors.add({ line, field, message: field ? `${field} ${issue.message}` : issue.message })
      }
      continue
    }
    const row = parsed.data
    const key = naturalKey(kind, row)
    const earlier = seen.get(key)
    if (earlier !== undefined) errors.add({ line, field: null, message: `${key} already appears on line ${earlier}` })
    else seen.set(key, line)
    if (kind !== 'accounts') {
      const r = row as ContractVersion | RenewalOutcome
      const prior = contractAccount.get(r.contractId)
      if (prior && prior.account !== r.accountId) {
        errors.add({ line, field: 'account_id', message: `contract ${r.contractId} belongs to ${prior.account} on line ${prior.line}, here to ${r.accountId}` })
      } else if (!prior) contractAccount.set(r.contractId, { account: r.accountId, line })
    }
    out.push(row)
  }
  if (errors.count) return { ok: false, kind, errors: errors.list, errorCount: errors.count }
  const rows: ParsedRows = { accounts: [], contracts: [], outcomes: [] }
  if (kind === 'accounts') rows.accounts = out as Account[]
  else if (kind === 'contracts') rows.contracts = out as ContractVersion[]
  else rows.outcomes = out as RenewalOutcome[]
  return { ok: true, kind, rows, rowCount: out.length }
}

function checkHeader(header: string[], kind: ImportKind): RowError[] {
  const spec = KIND_COLUMNS[kind]
  const known = new Set([...spec.required, ...spec.optional])
  const errors: RowError[] = []
  const seen = new Set<string>()
  for (const c of header) {
    if (seen.has(c)) errors.push({ line: 1, field: c, message: `column ${c} appears twice` })
    seen.add(c)
    if (!known.has(c)) {
      errors.push({ line: 1, field: c, message: `unknown column "${c}" for ${kind}; known: ${[...known].join(', ')}` })
    }
  }
  for (const c of spec.required) {
    if (!seen.has(c)) errors.push({ line: 1, field: c, message: `missing required column ${c} for ${kind}` })
  }
  return errors
}

function fail(kind: ImportKind | null, errors: RowError[]): CsvParseResult {
  return { ok: false, kind, errors, errorCount: errors.length }
}
