import type { ClickHouseClient } from '@clickhouse/client'
import { ContractBook, mainCurrency } from './book.js'
import { addDays, toIsoDate, type IsoDate } from './dates.js'
import { featuresToMeasure } from './defined-features.js'
import { loadBook } from './load.js'
import { checkDate } from './params-error.js'
import { unitsToNumber } from './money.js'
import { mrrSeries } from './movements.js'
import { renewalEvents } from './renewals.js'
import { checkDays } from './renewals-report.js'
import type { RenewalRow } from './revenue-report.js'
import type { Account, AccountBook, ContractVersion } from './types.js'
import { measureUsage, type WindowUsage } from './usage.js'

export interface AccountDetail {
  accountId: string
  account: Account | null
  currency: string | null
  contracts: ContractVersion[]
  mrr: number
  arr: number
  /** Month-end MRR since the account first paid. */
  months: { month: string; mrr: number }[]
  renewals: RenewalRow[]
  usage: {
    from: IsoDate
    to: IsoDate
    activeUsers: number
    activeDaysPerUser: number
    seats: number | null
    seatUtilisation: number | null
    helpViews: number
    supportContacts: number
    features: Record<string, { users: number; events: number }>
  }
}

/** One account: what it is, what it pays and has paid, its renewals, and its recent usage. Null when nothing is known of it. */
export async function accountDetail(
  client: ClickHouseClient,
  params: {
    projectId: string; accountId: string; asOf?: IsoDate; windowDays?: number; currency?: string
    /** The account's usage over [asOf − windowDays, asOf), when the caller measured it beside other windows. */
    usage?: WindowUsage
    /** The project's book, when the caller read it for other reports too. */
    book?: AccountBook
  },
): Promise<AccountDetail | null> {
  const asOf = checkDate(params.asOf, 'asOf', toIsoDate(new Date()))
  const windowDays = checkDays(params.windowDays, 'windowDays', 90)
  const book = params.book ?? (await loadBook(client, params.projectId))
  const account = book.accounts.find((a) => a.accountId === params.accountId) ?? null
  const contracts = book.contracts.filter((c) => c.accountId === params.accountId)
  const currency = params.currency ?? mainCurrency(contracts) ?? mainCurrency(book.contracts)
  const outcomes = book.outcomes.filter((o) => o.accountId === params.accountId)
  const cb = new ContractBook(contracts, currency ?? '', outcomes.map((o) => o.newBillingMonths).filter((m): m is number => m !== null))
  const series = mrrSeries(cb, asOf)
  const row = series.mrr.get(params.accountId) ?? []
  const current = cb.mrrAt(asOf).get(params.accountId) ?? 0n
  const from = addDays(asOf, -windowDays)
  const usage = params.usage ?? (await measureUsage(client, params.projectId, [{ id: 'w', accountId: params.accountId, from, to: asOf }], {
    features: (await featuresToMeasure(client, params.projectId)).conditions,
  })).get('w')!
  if (!account && contracts.length === 0 && usage.events === 0) return null
  const seats = cb.seatsAt(params.accountId, asOf) ?? account?.seats ?? null
  const firstPaid = row.findIndex((v) => v > 0n)
  return {
    accountId: params.accountId, account, currency, contracts,
    mrr: unitsToNumber(cb.scale, current), arr: unitsToNumber(cb.scale, current * 12n),
    months: firstPaid === -1 ? [] : series.months.slice(firstPaid).map((month, i) => ({ month, mrr: unitsToNumber(cb.scale, row[firstPaid + i]!) })),
    renewals: renewalEvents(cb, outcomes, { asOf }).map((e) => ({
      accountId: e.accountId, dueDate: e.dueDate, contractIds: e.contractIds, oldArr: unitsToNumber(cb.scale, e.oldMrr * 12n),
      newArr: e.newMrr === null ? null : unitsToNumber(cb.scale, e.newMrr * 12n), outcome: e.outcome, source: e.source, warnings: e.warnings,
    })),
    usage: {
      from, to: asOf, activeUsers: usage.activeUsers, activeDaysPerUser: usage.activeUsers ? usage.activeUserDays / usage.activeUsers : 0,
      seats, seatUtilisation: seats ? usage.activeUsers / seats : null, helpViews: usage.helpViews, supportContacts: usage.supportContacts,
      features: Object.fromEntries(usage.features),
    },
  }
}
