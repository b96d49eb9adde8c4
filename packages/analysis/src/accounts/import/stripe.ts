import { z } from 'zod'
import { fromEpochSeconds } from '../dates.js'
import { formatAmount } from '../money.js'
import type { Account, ContractVersion } from '../types.js'
import { ImportErrors, type RowError } from './errors.js'
import type { ParsedRows } from './kinds.js'

/**
 * Stripe's subscription list (`GET /v1/subscriptions`, optionally with `expand[]=data.customer`),
 * as `{ "data": [...] }` or a bare array. Only the fields read here are checked; the rest is ignored.
 */
const epoch = z.number().int().nonnegative()
const Metadata = z.record(z.string(), z.string()).nullish()
const Customer = z.union([
  z.string().min(1),
  z.object({ id: z.string().min(1), name: z.string().nullish(), email: z.string().nullish(), metadata: Metadata }),
])
const Price = z.object({
  id: z.string().nullish(),
  currency: z.string().regex(/^[a-zA-Z]{3}$/),
  unit_amount: z.number().int().nonnegative().nullish(),
  unit_amount_decimal: z.string().regex(/^\d+(\.\d+)?$/).nullish(),
  nickname: z.string().nullish(),
  product: z.union([z.string(), z.object({ name: z.string().nullish() })]).nullish(),
  recurring: z.object({ interval: z.enum(['day', 'week', 'month', 'year']), interval_count: z.number().int().positive().default(1) }),
})
const Item = z.object({
  price: Price,
  quantity: z.number().int().nonnegative().nullish(),
  current_period_start: epoch.nullish(),
  current_period_end: epoch.nullish(),
})
const Subscription = z.object({
  id: z.string().min(1),
  customer: Customer,
  status: z.string(),
  start_date: epoch.nullish(),
  created: epoch,
  current_period_start: epoch.nullish(),
  current_period_end: epoch.nullish(),
  ended_at: epoch.nullish(),
  cancel_at: epoch.nullish(),
  cancel_at_period_end: z.boolean().nullish(),
  metadata: Metadata,
  items: z.object({ data: z.array(Item).min(1) }),
})
type Sub = z.infer<typeof Subscription>

/** Statuses that are not (yet) paying: imported as nothing, and counted as skipped. */
const NOT_PAYING = new Set(['trialing', 'incomplete', 'incomplete_expired', 'paused'])
/** Currencies Stripe counts in whole units, and those it counts in thousandths. */
const ZERO_DECIMAL = new Set(['BIF', 'CLP', 'DJF', 'GNF', 'JPY', 'KMF', 'KRW', 'MGA', 'PYG', 'RWF', 'UGX', 'VND', 'VUV', 'XAF', 'XOF', 'XPF'])
const THREE_DECIMAL = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND'])

export interface StripeOptions {
  /** Metadata key (on the subscription, then the customer) holding the SDK's group() account id. */
  accountIdKey?: string
}

export type StripeParseResult =
  | { ok: true; rows: ParsedRows; rowCount: number; skipped: { id: string; status: string }[] }
  | { ok: false; errors: RowError[]; errorCount: number }

/**
 * Each subscription becomes one contract version dated at its current period start. Plans billed
 * yearly or longer renew per period, so the period is the term; shorter plans run as one term from
 * the start date until the subscription ends. Importing successive exports builds the version history.
 */
export function parseStripeSubscriptions(json: unknown, opts: StripeOptions = {}): StripeParseResult {
  const key = opts.accountIdKey ?? 'account_id'
  const list = Array.isArray(json) ? json : (json as { data?: unknown })?.data
  if (!Array.isArray(list)) {
    return { ok: false, errors: [{ line: null, field: null, message: 'expected a Stripe list ({"data": [...]}) or an array of subscriptions' }], errorCount: 1 }
  }
  const errors = new ImportErrors()
  const rows: ParsedRows = { accounts: [], contracts: [], outcomes: [] }
  const skipped: { id: string; status: string }[] = []
  const accounts = new Map<string, Account>()
  list.forEach((raw, i) => {
    const parsed = Subscription.safeParse(raw)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        errors.add({ line: null, field: `data[${i}]${issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')}`, message: issue.message })
      }
      return
    }
    const sub = parsed.data
    if (NOT_PAYING.has(sub.status)) {
      skipped.push({ id: sub.id, status: sub.status })
      return
    }
    const result = toContract(sub, key)
    if (typeof result === 'string') {
      errors.add({ line: null, field: `data[${i}]`, message: `subscription ${sub.id}: ${result}` })
      return
    }
    if ('skip' in result) {
      skipped.push({ id: sub.id, status: `${sub.status}: ${result.skip}` })
      return
    }
    rows.contracts.push(result.contract)
    accounts.set(result.account.accountId, result.account)
  })
  if (errors.count) return { ok: false, errors: errors.list, errorCount: errors.count }
  rows.accounts = [...accounts.values()]
  return { ok: true, rows, rowCount: rows.contracts.length, skipped }
}

function toContract(sub: Sub, key: string): { contract: ContractVersion; account: Account } | { skip: string } | string {
  const items = sub.items.data
  const first = items[0]!
  const { interval, interval_count } = first.price.recurring
  if (interval === 'day' || interval === 'week') return `billed every ${interval_count} ${interval}(s); only monthly or longer periods have an MRR here`
  const months = interval === 'year' ? 12 * interval_count : interval_count
  const currency = first.price.currency.toUpperCase()
  let minor = 0
  for (const item of items) {
    const r = item.price.recurring
    if (r.interval !== interval || r.interval_count !== interval_count || item.price.currency.toUpperCase() !== currency) {
      return 'its items differ in billing period or currency'
    }
    const unit = item.price.unit_amount ?? (item.price.unit_amount_decimal ? Number(item.price.unit_amount_decimal) : null)
    if (unit === null) return 'an item has no unit amount (tiered prices are not supported)'
    minor += unit * (item.quantity ?? 1)
  }
  const periodStart = sub.current_period_start ?? first.current_period_start
  const periodEnd = sub.current_period_end ?? first.current_period_end
  if (periodStart == null || periodEnd == null) return 'no current_period_start/current_period_end'
  const digits = ZERO_DECIMAL.has(currency) ? 0 : THREE_DECIMAL.has(currency) ? 3 : 2
  const amount = formatAmount(BigInt(Math.round(minor * 10 ** (4 - digits))))
  const ended = sub.ended_at ?? null
  const scheduledEnd = sub.cancel_at ?? (sub.cancel_at_period_end ? periodEnd : null)
  const endEpoch = ended ?? scheduledEnd
  const yearly = months >= 12
  const termStart = fromEpochSeconds(yearly ? periodStart : (sub.start_date ?? sub.created))
  const termEnd = yearly ? fromEpochSeconds(Math.min(periodEnd, endEpoch ?? periodEnd)) : endEpoch === null ? null : fromEpochSeconds(endEpoch)
  if (termEnd !== null && termEnd <= termStart) return { skip: 'ended on the day it started' }
  const effective = fromEpochSeconds(periodStart)
  const customer = typeof sub.customer === 'string' ? { id: sub.customer, name: null, email: null, metadata: null } : sub.customer
  const accountId = sub.metadata?.[key] ?? customer.metadata?.[key] ?? customer.id
  const seats = items.reduce((n, it) => n + (it.quantity ?? 1), 0)
  const product = first.price.product
  const plan = first.price.nickname ?? (typeof product === 'object' && product ? product.name : null) ?? first.price.id ?? ''
  return {
    contract: {
      contractId: sub.id, accountId, currency, billingMonths: months, amount, seats,
      termStart, termEnd, effectiveFrom: effective < termStart ? termStart : termEnd !== null && effective >= termEnd ? termStart : effective,
    },
    account: { accountId, name: customer.name ?? customer.email ?? '', plan, seats, cac: null },
  }
}
