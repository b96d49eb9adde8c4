import type { ClickHouseClient } from '@clickhouse/client'
import { ContractBook, mainCurrency } from '../accounts/book.js'
import { addDays, toIsoDate, type IsoDate } from '../accounts/dates.js'
import { healthReport, type HealthReport } from '../accounts/health-report.js'
import { loadBook } from '../accounts/load.js'
import { checkDate, ReportParamError } from '../accounts/params-error.js'
import type { Band } from '../accounts/health-score.js'
import type { Quadrant } from '../accounts/quadrant.js'
import type { AccountBook } from '../accounts/types.js'
import { upcomingRenewals } from './upcoming.js'
import type { RollupCoverage } from '../rollup/status.js'

export type TrendLabel = 'growing' | 'steady' | 'declining'

export interface WorklistRow {
  accountId: string
  name: string
  plan: string
  arr: number
  health: number
  /** Null while the health score is not predictive (no band pretends to measure risk). */
  band: Band | null
  temperature: number
  quadrant: Quadrant
  action: string
  /** The health component: person-days in the window's second half vs its first, −1 to +1. */
  usageTrend: number | null
  trend: TrendLabel | null
  nextRenewal: IsoDate | null
  daysToRenewal: number | null
  renewalArr: number | null
  seatSharingSuspected: boolean
}

export interface Worklist {
  asOf: IsoDate
  currency: string | null
  rows: WorklistRow[]
  /** Whether usage covers every stored event (from the health report). */
  activity: RollupCoverage
}

/** A usage trend beyond ±0.1 (a 55/45 split of person-days between the window's halves) counts as a change. */
export function trendLabel(v: number | null): TrendLabel | null {
  if (v === null) return null
  return v > 0.1 ? 'growing' : v < -0.1 ? 'declining' : 'steady'
}

/** Today's paying accounts with health, temperature, usage trend and next renewal; from the health report and the contract book. */
export async function accountWorklist(client: ClickHouseClient, p: { projectId: string; asOf?: IsoDate; health?: HealthReport; book?: AccountBook }): Promise<Worklist> {
  const asOf = checkDate(p.asOf, 'asOf', toIsoDate(new Date()))
  const [health, book] = await Promise.all([p.health ?? healthReport(client, { projectId: p.projectId, asOf }), p.book ?? loadBook(client, p.projectId)])
  const currency = health.currency ?? mainCurrency(book.contracts)
  const cb = new ContractBook(book.contracts, currency ?? '', book.outcomes.map((o) => o.newBillingMonths).filter((m): m is number => m !== null))
  const next = upcomingRenewals(cb, asOf)
  const trendAt = health.components.indexOf('usage_trend')
  return {
    asOf,
    currency,
    activity: health.activity,
    rows: health.accounts.map((a) => {
      const usageTrend = trendAt >= 0 ? (a.components[trendAt]?.value ?? null) : null
      const r = next.get(a.accountId)
      return {
        accountId: a.accountId, name: a.name, plan: a.plan, arr: a.arr, health: a.health, band: a.band, temperature: a.temperature, quadrant: a.quadrant, action: a.action,
        usageTrend, trend: trendLabel(usageTrend), nextRenewal: r?.dueDate ?? null, daysToRenewal: r?.daysLeft ?? null, renewalArr: r?.arr ?? null,
        seatSharingSuspected: a.seatSharingSuspected,
      }
    }),
  }
}

export const WORKLIST_SORTS = ['health', 'arr', 'days_to_renewal', 'usage_trend', 'temperature', 'name'] as const
export type WorklistSort = (typeof WORKLIST_SORTS)[number]

export interface WorklistFilter {
  bands?: Band[]
  minArr?: number
  maxArr?: number
  /** Renewal due within this many days (accounts without a renewal date are left out). */
  renewalWithinDays?: number
  trends?: TrendLabel[]
  sort?: WorklistSort
  dir?: 'asc' | 'desc'
}

const KEY: Record<WorklistSort, (r: WorklistRow) => number | string | null> = {
  health: (r) => r.health, arr: (r) => r.arr, days_to_renewal: (r) => r.daysToRenewal, usage_trend: (r) => r.usageTrend, temperature: (r) => r.temperature, name: (r) => (r.name || r.accountId).toLowerCase(),
}

/** Filters and sorts worklist rows; unknown values (no renewal date…) sort last either way, ties by account id. */
export function filterWorklist(rows: readonly WorklistRow[], f: WorklistFilter): WorklistRow[] {
  if (f.minArr !== undefined && f.maxArr !== undefined && f.minArr > f.maxArr) throw new ReportParamError('min_arr must not exceed max_arr', 'min_arr')
  const kept = rows.filter((r) =>
    (!f.bands?.length || (r.band !== null && f.bands.includes(r.band))) &&
    (f.minArr === undefined || r.arr >= f.minArr) && (f.maxArr === undefined || r.arr <= f.maxArr) &&
    (f.renewalWithinDays === undefined || (r.daysToRenewal !== null && r.daysToRenewal <= f.renewalWithinDays)) &&
    (!f.trends?.length || (r.trend !== null && f.trends.includes(r.trend))))
  const key = KEY[f.sort ?? 'health']
  const sign = (f.dir ?? (f.sort === undefined || f.sort === 'health' || f.sort === 'days_to_renewal' || f.sort === 'name' ? 'asc' : 'desc')) === 'asc' ? 1 : -1
  return kept.sort((a, b) => {
    const x = key(a)
    const y = key(b)
    if (x === null || y === null) return x === y ? a.accountId.localeCompare(b.accountId) : x === null ? 1 : -1
    return (x < y ? -1 : x > y ? 1 : 0) * sign || a.accountId.localeCompare(b.accountId)
  })
}

export interface CalendarRow extends WorklistRow {
  nextRenewal: IsoDate
  daysToRenewal: number
}

/** Renewals due in [asOf, asOf + days], soonest first, with each account's health beside them. */
export function renewalCalendar(list: Omit<Worklist, 'activity'>, days = 90): CalendarRow[] {
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new ReportParamError('days must be 1 to 3660', 'days')
  const end = addDays(list.asOf, days)
  return list.rows
    .filter((r): r is CalendarRow => r.nextRenewal !== null && r.daysToRenewal !== null && r.nextRenewal <= end)
    .sort((a, b) => (a.nextRenewal < b.nextRenewal ? -1 : a.nextRenewal > b.nextRenewal ? 1 : a.accountId.localeCompare(b.accountId)))
}
