import type { ClickHouseClient } from '@clickhouse/client'
import { toIsoDate, type IsoDate } from './dates.js'
import { featureRenewal, type FeatureRenewalReport } from './feature-renewal.js'
import { loadBook } from './load.js'
import { checkDate, ReportParamError } from './params-error.js'
import { featuresToMeasure } from './defined-features.js'
import { decidedRenewals, lookbackWindow } from './renewal-windows.js'
import { measureUsage, type UsageOptions } from './usage.js'
import { rollupCoverage, type RollupCoverage } from '../rollup/status.js'
import { restrictBook, segmentAccounts } from '../segments/accounts.js'
import type { SegmentSelector } from '../segments/definition.js'
import type { AppliedSegment } from '../segments/resolve.js'

export interface RenewalsParams extends UsageOptions, SegmentSelector {
  projectId: string
  asOf?: IsoDate
  /** Days of usage before each due date (default 90). */
  lookbackDays?: number
  /** Least number of accounts using a feature for it to be ranked (default 30). */
  minN?: number
  currency?: string
  graceDays?: number
}

export interface RenewalUsageRow {
  accountId: string
  dueDate: IsoDate
  outcome: string
  renewed: boolean
  oldArr: number
  newArr: number
  seats: number | null
  activeUsers: number
  activeDaysPerUser: number
  /** Active people / seats bought (null when seats are unknown). */
  seatUtilisation: number | null
  helpViews: number
  supportContacts: number
  features: Record<string, { users: number; events: number }>
}

export interface RenewalsReport {
  asOf: IsoDate
  currency: string | null
  lookbackDays: number
  /** Renewals still within their grace period, left out. */
  pending: number
  renewals: RenewalUsageRow[]
  /** Where features come from: the project's definitions (keyed by feature id) or raw event feature keys. */
  featureSource: 'definitions' | 'feature_key' | 'given'
  featureNames: Record<string, string>
  featureRenewal: FeatureRenewalReport
  /** Whether usage covers every stored event (not while older events are still being added to the activity rollup). */
  activity: RollupCoverage
  /** The segment the accounts were restricted to (accounts with a member in it, for people conditions); null for all. */
  segment?: AppliedSegment | null
}

export function checkDays(value: number | undefined, field: string, fallback: number): number {
  const v = value ?? fallback
  if (!Number.isInteger(v) || v < 1 || v > 3660) throw new ReportParamError(`${field} must be a whole number of days from 1 to 3660`, field)
  return v
}

/** For every renewal that came due: usage in the look-back window, then renewal by feature use (spec §6). */
export async function renewalsReport(client: ClickHouseClient, params: RenewalsParams): Promise<RenewalsReport> {
  const asOf = checkDate(params.asOf, 'asOf', toIsoDate(new Date()))
  const lookbackDays = checkDays(params.lookbackDays, 'lookbackDays', 90)
  const [fullBook, activity, segment] = await Promise.all([
    loadBook(client, params.projectId), rollupCoverage(client, params.projectId), segmentAccounts(client, params.projectId, asOf, params),
  ])
  const book = segment ? restrictBook(fullBook, segment.accounts) : fullBook
  const view = decidedRenewals(book, asOf, { currency: params.currency, graceDays: params.graceDays })
  const defined = params.features ? null : await featuresToMeasure(client, params.projectId)
  const usage = await measureUsage(client, params.projectId, view.renewals.map((r) => lookbackWindow(r, lookbackDays)), {
    ...params, features: params.features ?? defined!.conditions,
  })
  const rows = view.renewals.map((r): RenewalUsageRow => {
    const u = usage.get(r.id)!
    return {
      accountId: r.accountId, dueDate: r.dueDate, outcome: r.outcome, renewed: r.renewed, oldArr: r.oldArr, newArr: r.newArr, seats: r.seats,
      activeUsers: u.activeUsers, activeDaysPerUser: u.activeUsers ? u.activeUserDays / u.activeUsers : 0,
      seatUtilisation: r.seats ? u.activeUsers / r.seats : null, helpViews: u.helpViews, supportContacts: u.supportContacts,
      features: Object.fromEntries(u.features),
    }
  })
  const feature = featureRenewal(
    view.renewals.map((r) => ({ renewed: r.renewed, features: new Set(usage.get(r.id)!.features.keys()) })),
    { minN: params.minN },
  )
  return {
    asOf, currency: view.currency, lookbackDays, pending: view.pending, renewals: rows,
    featureSource: defined?.source ?? 'given', featureNames: defined?.names ?? {}, featureRenewal: feature, activity,
    segment: segment?.applied ?? null,
  }
}
