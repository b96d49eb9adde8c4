import { z } from 'zod'
import { RENEWAL_LABELS, type Account, type ContractVersion, type RenewalOutcome } from '../types.js'
import {
  amountField, billingMonths, currencyField, dateField, idField, optionalAmountField, optionalDateField, seatsField, textField,
} from './fields.js'

/** The three CSV files an import understands; IMPORT.md documents their columns. */
export const IMPORT_KINDS = ['accounts', 'contracts', 'renewals'] as const
export type ImportKind = (typeof IMPORT_KINDS)[number]

export interface KindSpec {
  required: readonly string[]
  optional: readonly string[]
}

export const KIND_COLUMNS: Record<ImportKind, KindSpec> = {
  accounts: { required: ['account_id'], optional: ['name', 'plan', 'seats', 'cac'] },
  contracts: {
    required: ['contract_id', 'account_id', 'term_start', 'amount', 'currency', 'billing_period'],
    optional: ['term_end', 'effective_from', 'seats'],
  },
  renewals: {
    required: ['contract_id', 'account_id', 'due_date', 'outcome'],
    optional: ['new_amount', 'new_billing_period', 'new_seats'],
  },
}

/** The kind a header describes when the caller did not say: renewal outcomes, contracts, or accounts. */
export function detectKind(columns: string[]): ImportKind | null {
  const has = (c: string) => columns.includes(c)
  if (has('outcome') || has('due_date')) return 'renewals'
  if (has('contract_id') || has('amount')) return 'contracts'
  if (has('account_id')) return 'accounts'
  return null
}

const accountRow = z
  .object({ account_id: idField, name: textField, plan: textField, seats: seatsField, cac: optionalAmountField })
  .transform((r): Account => ({ accountId: r.account_id, name: r.name, plan: r.plan, seats: r.seats, cac: r.cac }))

const contractRow = z
  .object({
    contract_id: idField, account_id: idField, term_start: dateField, term_end: optionalDateField,
    effective_from: optionalDateField, amount: amountField, currency: currencyField, billing_period: z.string(), seats: seatsField,
  })
  .transform((r, ctx): ContractVersion => {
    const effectiveFrom = r.effective_from ?? r.term_start
    if (r.term_end !== null && r.term_end <= r.term_start) {
      ctx.addIssue({ code: 'custom', path: ['term_end'], message: 'must be after term_start' })
    } else if (effectiveFrom < r.term_start || (r.term_end !== null && effectiveFrom >= r.term_end)) {
      ctx.addIssue({ code: 'custom', path: ['effective_from'], message: 'must fall inside the term (term_start ≤ effective_from < term_end)' })
    }
    const months = billingMonths(r.billing_period, r.term_start, r.term_end)
    if (typeof months === 'string') ctx.addIssue({ code: 'custom', path: ['billing_period'], message: months })
    return {
      contractId: r.contract_id, accountId: r.account_id, effectiveFrom, termStart: r.term_start, termEnd: r.term_end,
      amount: r.amount, currency: r.currency, billingMonths: typeof months === 'number' ? months : 1, seats: r.seats,
    }
  })

const renewalRow = z
  .object({
    contract_id: idField, account_id: idField, due_date: dateField,
    outcome: z.string().trim().toLowerCase().pipe(z.enum(RENEWAL_LABELS, { message: `must be one of ${RENEWAL_LABELS.join(', ')}` })),
    new_amount: optionalAmountField, new_billing_period: z.string(), new_seats: seatsField,
  })
  .transform((r, ctx): RenewalOutcome => {
    if (r.outcome === 'churned' && r.new_amount !== null && !/^0+(\.0+)?$/.test(r.new_amount)) {
      ctx.addIssue({ code: 'custom', path: ['new_amount'], message: 'must be empty or 0 when the outcome is churned' })
    }
    if (r.outcome !== 'churned' && r.new_amount === null) {
      ctx.addIssue({ code: 'custom', path: ['new_amount'], message: `is required when the outcome is ${r.outcome}` })
    }
    let newBillingMonths: number | null = null
    if (r.new_billing_period.trim() !== '') {
      const months = billingMonths(r.new_billing_period, null, null)
      if (typeof months === 'string') ctx.addIssue({ code: 'custom', path: ['new_billing_period'], message: months })
      else newBillingMonths = months
    }
    return {
      contractId: r.contract_id, accountId: r.account_id, dueDate: r.due_date, outcome: r.outcome,
      newAmount: r.outcome === 'churned' ? null : r.new_amount, newBillingMonths, newSeats: r.new_seats,
    }
  })

export const ROW_SCHEMAS = { accounts: accountRow, contracts: contractRow, renewals: renewalRow } as const

export interface ParsedRows {
  accounts: Account[]
  contracts: ContractVersion[]
  outcomes: RenewalOutcome[]
}

/** Natural key of a row of each kind: two rows with the same key in one file are an error. */
export function naturalKey(kind: ImportKind, row: Account | ContractVersion | RenewalOutcome): string {
  if (kind === 'accounts') return (row as Account).accountId
  if (kind === 'contracts') return `${(row as ContractVersion).contractId} effective ${(row as ContractVersion).effectiveFrom}`
  return `${(row as RenewalOutcome).contractId} due ${(row as RenewalOutcome).dueDate}`
}
