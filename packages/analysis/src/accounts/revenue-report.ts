import type { ClickHouseClient } from '@clickhouse/client'
import { ContractBook, mainCurrency } from './book.js'
import { addDays, addMonths, monthOf, toIsoDate, type IsoDate } from './dates.js'
import { economicsCac } from './economics-input.js'
import { unitEconomics, type UnitEconomics } from './economics.js'
import { loadBook } from './load.js'
import { checkDate } from './params-error.js'
import { unitsToNumber } from './money.js'
import { mrrMovements, mrrSeries } from './movements.js'
import { renewalEvents, renewalRates, type RenewalEvent } from './renewals.js'
import { logoBetween, netRetention, type LogoPeriod } from './retention-rates.js'
import type { AccountBook } from './types.js'
import { restrictBook, segmentAccounts } from '../segments/accounts.js'
import type { SegmentSelector } from '../segments/definition.js'
import type { AppliedSegment } from '../segments/resolve.js'

export interface RevenueParams {
  /** Day the report is taken on (default today, UTC). */
  asOf?: IsoDate
  /** Period for renewal and logo rates: default the 12 months ending on `asOf`. */
  from?: IsoDate
  /** Currency of the report; default the one most contracts use. Other currencies are listed as left out. */
  currency?: string
  grossMargin?: number
  /** One CAC for every account, overriding imported per-account CAC. */
  cac?: number
  /** Days after a due date within which a following contract still counts as the renewal. */
  graceDays?: number
}

export interface MonthRow {
  month: string
  start: number
  new: number
  expansion: number
  reactivation: number
  contraction: number
  churned: number
  end: number
  accountsStart: number
  accountsEnd: number
  newAccounts: number
  reactivatedAccounts: number
  churnedAccounts: number
  identityHolds: boolean
}

export interface RenewalRow {
  accountId: string
  dueDate: IsoDate
  contractIds: string[]
  oldArr: number
  newArr: number | null
  outcome: RenewalEvent['outcome']
  source: RenewalEvent['source']
  warnings: string[]
}

export interface RevenueReport {
  asOf: IsoDate
  currency: string | null
  /** Contract versions in other currencies, which cannot be added to this report's figures. */
  otherCurrencies: { currency: string; contractVersions: number }[]
  period: { from: IsoDate; to: IsoDate }
  mrr: number
  arr: number
  months: MonthRow[]
  /** The movement identity held in exact arithmetic for every month. */
  identityHoldsEveryMonth: boolean
  /** 12-month NRR / GRR, cohort ratios over the accounts paying at t0 = the month end 12 months before the last one. */
  netRetention: { t0: string; t1: string; cohortAccounts: number; nrr: number | null; grr: number | null; expansion: number; contraction: number; churned: number; mrrT0: number; mrrT1: number } | null
  renewals: {
    accountsDue: number
    accountsRenewed: number
    pending: number
    logoRenewalRate: number | null
    grossDollarRenewalRate: number | null
    netDollarRenewalRate: number | null
    oldArr: number
    grossRenewedArr: number
    netRenewedArr: number
  }
  /** Logo churn and CRR: S = accounts paying on `period.from`, E = paying on `asOf` (both days stated). */
  logos: LogoPeriod
  economics: UnitEconomics
  renewalEvents: RenewalRow[]
  /** The segment the accounts were restricted to (absent for all accounts). */
  segment?: AppliedSegment | null
}

/** The revenue report over an account book (pure: no I/O). */
export function computeRevenueReport(book: AccountBook, params: RevenueParams = {}): RevenueReport {
  const asOf = checkDate(params.asOf, 'asOf', toIsoDate(new Date()))
  const from = checkDate(params.from, 'from', addDays(addMonths(asOf, -12), 1))
  const currency = params.currency ?? mainCurrency(book.contracts)
  const others = new Map<string, number>()
  for (const c of book.contracts) if (c.currency !== currency) others.set(c.currency, (others.get(c.currency) ?? 0) + 1)
  const outcomeMonths = book.outcomes.map((o) => o.newBillingMonths).filter((m): m is number => m !== null)
  const cb = new ContractBook(book.contracts, currency ?? '', outcomeMonths)
  const usd = (u: bigint) => unitsToNumber(cb.scale, u)
  const series = mrrSeries(cb, asOf)
  const moves = mrrMovements(series)
  const last = series.months.length - 1
  const nr = last >= 12 ? netRetention(series, last - 12, 12) : null
  const events = renewalEvents(cb, book.outcomes, { asOf, graceDays: params.graceDays })
  const rates = renewalRates(events, from, asOf)
  const arr = (u: bigint) => usd(u * 12n)
  return {
    asOf,
    currency,
    otherCurrencies: [...others].map(([c, n]) => ({ currency: c, contractVersions: n })),
    period: { from, to: asOf },
    mrr: last >= 0 ? usd(moves[last]!.end) : 0,
    arr: last >= 0 ? arr(moves[last]!.end) : 0,
    months: moves.map((m) => ({
      month: m.month, start: usd(m.start), new: usd(m.new), expansion: usd(m.expansion), reactivation: usd(m.reactivation),
      contraction: usd(m.contraction), churned: usd(m.churned), end: usd(m.end), accountsStart: m.accountsStart, accountsEnd: m.accountsEnd,
      newAccounts: m.newAccounts, reactivatedAccounts: m.reactivatedAccounts, churnedAccounts: m.churnedAccounts, identityHolds: m.identityHolds,
    })),
    identityHoldsEveryMonth: moves.every((m) => m.identityHolds),
    netRetention: nr && {
      t0: series.months[nr.t0Index]!, t1: series.months[nr.t0Index + 12]!, cohortAccounts: nr.cohortAccounts, nrr: nr.nrr, grr: nr.grr,
      expansion: usd(nr.expansion), contraction: usd(nr.contraction), churned: usd(nr.churned), mrrT0: usd(nr.mrrT0), mrrT1: usd(nr.mrrT1),
    },
    renewals: {
      accountsDue: rates.accountsDue, accountsRenewed: rates.accountsRenewed, pending: rates.pending, logoRenewalRate: rates.logoRenewalRate,
      grossDollarRenewalRate: rates.grossDollarRenewalRate, netDollarRenewalRate: rates.netDollarRenewalRate,
      oldArr: arr(rates.oldMrr), grossRenewedArr: arr(rates.grossRenewedMrr), netRenewedArr: arr(rates.netRenewedMrr),
    },
    logos: logoBetween(cb, from, asOf),
    economics: unitEconomics(series, cb.scale, {
      atIndex: last, grossMargin: params.grossMargin, globalCac: params.cac, cacByAccount: economicsCac(book.accounts),
    }),
    renewalEvents: events.map((e) => ({
      accountId: e.accountId, dueDate: e.dueDate, contractIds: e.contractIds, oldArr: arr(e.oldMrr), newArr: e.newMrr === null ? null : arr(e.newMrr),
      outcome: e.outcome, source: e.source, warnings: e.warnings,
    })),
  }
}

/** Loads the project's committed account data and computes the revenue report. */
export async function revenueReport(client: ClickHouseClient, params: RevenueParams & SegmentSelector & { projectId: string }): Promise<RevenueReport> {
  const [book, segment] = await Promise.all([
    loadBook(client, params.projectId),
    segmentAccounts(client, params.projectId, params.asOf ?? toIsoDate(new Date()), params),
  ])
  if (!segment) return computeRevenueReport(book, params)
  return { ...computeRevenueReport(restrictBook(book, segment.accounts), params), segment: segment.applied }
}
